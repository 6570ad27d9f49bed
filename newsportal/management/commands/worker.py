"""The site's background worker: django-tasks' database worker, made to outlive a database restart.

`manage.py db_worker` (django-tasks-db) exits on the first database error, so a ten-second PostgreSQL restart left
the site without e-mail until someone restarted the worker, with the tasks it held stuck as RUNNING. This worker
runs the same task loop in rounds (`--batch`: every ready task, then back here) and between rounds:

- on a database error, logs once (`newsportal.outages`), drops the connection and tries again with backoff
  (1 s doubling to 30 s), logging once more when the database is back;
- reclaims tasks left RUNNING longer than RUNNING_TIMEOUT by a worker that died (they run again; e-mail delivery
  claims its outbox row first, so a message is never sent twice);
- every MAINTENANCE_SECONDS, and at once after an outage, sweeps the outbox, so an e-mail whose task was lost in
  the outage leaves within a minute of the database's return (and edge purges whose retry was lost go out), and
  writes readers' recommends down (`comments.recommends.sweep`, as often as the site settings allow).

SIGTERM and Ctrl+C let the task in hand finish.
"""

import logging
import signal
import time
from datetime import timedelta

from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from articles import library
from comments import recommends
from comments import tasks as outbox
from newsportal import edge, outages

logger = logging.getLogger("newsportal.worker")
RUNNING_TIMEOUT = timedelta(minutes=5)  # far above any task's own deadline (e-mail: EMAIL_TIMEOUT)
MAINTENANCE_SECONDS = 20
BACKOFF_FIRST, BACKOFF_MAX = 1.0, 30.0


def reclaim_abandoned(now=None) -> int:
    """Make tasks that a dead worker left RUNNING ready again; return how many."""
    since = (now or timezone.now()) - RUNNING_TIMEOUT
    return DBTaskResult.objects.running().filter(started_at__lt=since).update(status="READY", started_at=None)


def maintain() -> None:
    """The work between rounds: abandoned tasks back in the queue; due e-mails and pictures waiting to be processed
    that have no task (lost in an outage, or their worker died) handed one."""
    reclaimed = reclaim_abandoned()
    if reclaimed:
        logger.warning("Reclaimed %d task(s) left running by a stopped worker", reclaimed)
    outbox.sweep()
    library.sweep()
    edge.sweep()
    recommends.sweep()


class Loop:
    """Rounds of the task worker with maintenance between them, surviving database outages."""

    def __init__(self, make_worker, *, interval: float, sleep=time.sleep, clock=time.monotonic):
        self.make_worker = make_worker
        self.interval = interval
        self.sleep = sleep
        self.clock = clock
        self.running = True
        self.in_round = False
        self.backoff = BACKOFF_FIRST
        self.maintained_at = None  # None: maintain first thing (also after an outage)
        self.round = None  # the task worker of the round in progress

    def stop(self, signum=None, frame=None):
        """Stop after the task in hand (a round holds many: the round stops too)."""
        self.running = False
        if self.round is not None:
            self.round.running = False
        if not self.in_round:
            raise SystemExit(0)

    def once(self) -> None:
        """One round: maintenance when due, then every ready task. Raises the database's errors."""
        close_old_connections()
        if self.maintained_at is None or self.clock() - self.maintained_at >= MAINTENANCE_SECONDS:
            maintain()
            self.maintained_at = self.clock()
        self.in_round = True
        self.round = self.make_worker()
        try:
            self.round.run()
        finally:
            self.in_round, self.round = False, None
        outages.up("database")
        self.backoff = BACKOFF_FIRST

    def run(self) -> None:
        while self.running:
            try:
                self.once()
            except (OperationalError, InterfaceError) as error:
                outages.down("database", error)
                for connection in connections.all(initialized_only=True):
                    connection.close()
                self.maintained_at = None  # sweep at once when it is back
                self.sleep(self.backoff)
                self.backoff = min(self.backoff * 2, BACKOFF_MAX)
                continue
            if self.running:
                self.sleep(self.interval)


class Command(db_worker.Command):
    help = "Run the background worker (e-mail, Most read): survives database restarts, reclaims abandoned tasks."

    def handle(self, *, verbosity, queue_name, interval, backend_name, worker_id, exclude_queues, **options):
        self.configure_logging(verbosity)
        if verbosity < 2:  # each round would log its start and end
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        queue_names = queue_name.split(",")

        def make_worker():
            return db_worker.Worker(
                queue_names=queue_names,
                interval=0,
                batch=True,
                backend_name=backend_name,
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            )

        loop = Loop(make_worker, interval=interval)
        for name in ("SIGINT", "SIGTERM", "SIGQUIT"):
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), loop.stop)
        logger.info("Worker %s started (queues: %s)", worker_id, queue_name)
        loop.run()
