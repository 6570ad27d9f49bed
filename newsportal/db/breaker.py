"""A circuit breaker for the database, shared by every thread of a process.

When PostgreSQL freezes or goes away, the first request to notice waits out the connect timeout or the query
deadline (newsportal/db/deadline.py) and trips the breaker. From then on, requests that need the database fail at
once (`OperationalError`, which `DatabaseUnavailableMiddleware` answers with 503 and Retry-After) instead of each
waiting seconds in a worker that cached pages are queued behind. Meanwhile one background thread per process
probes the database every PROBE_SECONDS; the first probe that connects closes the breaker, and requests reach the
database again. Cached pages never need the database, so they keep being served throughout.
"""

import logging
import threading
import time

import psycopg
from django.db import OperationalError

from newsportal import outages

logger = logging.getLogger(__name__)
PROBE_SECONDS = 1.0


class Breaker:
    def __init__(self):
        self._lock = threading.Lock()
        self._open_since = None
        self._params = None  # a callable: the connection parameters when probing
        self._probe = None

    @property
    def is_open(self):
        return self._open_since is not None

    def check(self):
        """Refuse at once while the database is known to be down."""
        if self._open_since is not None:
            seconds = time.monotonic() - self._open_since
            raise OperationalError(f"The database is unavailable (down for {seconds:.0f} s; waiting for it to return)")

    def trip(self, connection_params, error):
        """Record that the database failed a request; start probing it from the background.

        `connection_params`: a callable giving the parameters to connect with (the site's, read when probing).
        """
        with self._lock:
            if self._open_since is not None:
                return
            self._open_since = time.monotonic()
            self._params = connection_params
            self._probe = threading.Thread(target=self._run_probe, name="db-breaker-probe", daemon=True)
            self._probe.start()
        outages.down("database", error)

    def reset(self):
        """Let requests use the database again (the probe connected)."""
        with self._lock:
            was_open, self._open_since = self._open_since is not None, None
        if was_open:
            outages.up("database")

    def _run_probe(self):
        while self._open_since is not None:
            time.sleep(PROBE_SECONDS)
            try:  # the site's own parameters, connect_timeout included
                with psycopg.connect(**self._params()) as probe:
                    probe.execute("SELECT 1")
            except psycopg.Error:
                continue
            logger.info("The database answers again; requests may use it")
            self.reset()


breaker = Breaker()
