"""A deadline for every database query of a web request, enforced from outside the query.

A frozen or black-holed PostgreSQL answers nothing: a query on an open connection then waits forever (the
server's `statement_timeout` cannot fire on a server that is stopped), every gunicorn worker gets stuck, and even
cached pages wait. So each query made while a request is served registers a deadline (`DB_QUERY_TIMEOUT`) with
one watchdog thread per process; past it, the watchdog shuts the connection's socket down, psycopg raises an
`OperationalError`, and `DatabaseUnavailableMiddleware` answers 503. New connections are bounded by libpq's
`connect_timeout` (`DB_CONNECT_TIMEOUT`). Management commands (migrations, imports) have no deadline.
"""

import contextlib
import heapq
import itertools
import logging
import socket
import threading
import time

from django.conf import settings
from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)
_serving = threading.local()


def _request_started(**kwargs):
    _serving.active = True


def _request_finished(**kwargs):
    _serving.active = False


request_started.connect(_request_started, dispatch_uid="newsportal-db-deadline-start")
request_finished.connect(_request_finished, dispatch_uid="newsportal-db-deadline-finish")


class Watchdog:
    """One thread that cuts the connections whose query outlived its deadline."""

    def __init__(self):
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._heap = []  # (deadline, token)
        self._sockets = {}  # token -> file descriptor
        self._tokens = itertools.count()
        self._thread = None

    def _start(self):
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="db-deadline", daemon=True)
            self._thread.start()

    @contextlib.contextmanager
    def guard(self, fd, seconds):
        with self._lock:
            self._start()
            token = next(self._tokens)
            self._sockets[token] = fd
            deadline = time.monotonic() + seconds
            earliest = not self._heap or deadline < self._heap[0][0]
            heapq.heappush(self._heap, (deadline, token))
            if earliest:  # otherwise the watchdog wakes for an earlier deadline anyway
                self._wake.notify()
        try:
            yield
        finally:
            with self._lock:
                self._sockets.pop(token, None)

    def _run(self):
        with self._lock:
            while True:
                while self._heap and self._heap[0][1] not in self._sockets:
                    heapq.heappop(self._heap)  # finished in time
                if not self._heap:
                    self._wake.wait()
                    continue
                deadline, token = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                heapq.heappop(self._heap)
                self._cut(self._sockets.pop(token))

    @staticmethod
    def _cut(fd):
        logger.warning("A database query outlived DB_QUERY_TIMEOUT; its connection is cut")
        try:
            sock = socket.socket(fileno=fd)
        except OSError:
            return
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        finally:
            sock.detach()  # the descriptor stays psycopg's


watchdog = Watchdog()


@contextlib.contextmanager
def query_deadline(connection):
    """Bound the query run inside this block, when a web request is being served."""
    seconds = settings.DB_QUERY_TIMEOUT
    raw = connection.connection
    if not seconds or raw is None or not getattr(_serving, "active", False):
        yield
        return
    try:
        fd = raw.fileno()
    except Exception:  # noqa: BLE001 - a lost connection: the query fails at once, no deadline needed
        yield
        return
    with watchdog.guard(fd, seconds):
        yield


def execute_with_deadline(execute, sql, params, many, context):
    """Django's execute wrapper: every query through a cursor gets the request's deadline."""
    with query_deadline(context["connection"]):
        return execute(sql, params, many, context)
