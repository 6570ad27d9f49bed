"""The background worker outlives a database restart, reclaims what a dead worker left running, and sends the
e-mail an outage stranded (`manage.py worker`, newsportal/management/commands/worker.py)."""

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.models import OutgoingEmail
from comments.tasks import deliver_email, deliver_later
from newsportal.management.commands import worker

ROOT = Path(__file__).resolve().parents[2]


class FakeRounds:
    """Task rounds that fail like a restarting database a few times, then work."""

    def __init__(self, failures):
        self.failures = list(failures)
        self.rounds = 0

    def __call__(self):
        return self

    def run(self):
        self.rounds += 1
        if self.failures:
            raise self.failures.pop(0)


def test_the_loop_backs_off_through_an_outage_and_logs_it_twice(caplog, db, monkeypatch):
    maintained = []
    monkeypatch.setattr(worker, "maintain", lambda: maintained.append(time.monotonic()))
    rounds = FakeRounds([OperationalError("the database system is starting up")] * 3)
    sleeps = []
    loop = worker.Loop(rounds, interval=0.5, sleep=sleeps.append)

    def stop_after_recovery(seconds):
        sleeps.append(seconds)
        if rounds.rounds == 5:
            loop.running = False

    loop.sleep = stop_after_recovery
    with caplog.at_level(logging.WARNING, logger="newsportal.outages"):
        loop.run()
    assert sleeps == [1.0, 2.0, 4.0, 0.5, 0.5]  # backoff while down, the normal interval after
    assert [record.getMessage() for record in caplog.records] == [
        "Database unavailable: the database system is starting up (logged once until it is back)",
        "Database is back",
    ]
    assert len(maintained) == 4  # at start, and at once after each failed round (the outbox is swept on return)


def test_tasks_a_dead_worker_left_running_are_reclaimed(db):
    abandoned = deliver_email.enqueue(1)
    recent = deliver_email.enqueue(2)
    DBTaskResult.objects.filter(pk=abandoned.id).update(
        status="RUNNING", started_at=timezone.now() - timedelta(hours=1)
    )
    DBTaskResult.objects.filter(pk=recent.id).update(status="RUNNING", started_at=timezone.now())
    assert worker.reclaim_abandoned() == 1
    assert DBTaskResult.objects.get(pk=abandoned.id).status == "READY"
    assert DBTaskResult.objects.get(pk=recent.id).status == "RUNNING"


def email(number, **fields):
    return OutgoingEmail.objects.create(
        kind=OutgoingEmail.Kind.CONFIRM,
        to=f"reader{number}@example.com",
        subject=f"Test {number}",
        text="Hi",
        html="Hi",
        **fields,
    )


def wait_until_sent(pk, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if OutgoingEmail.objects.get(pk=pk).state == OutgoingEmail.State.SENT:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_survives_a_database_restart_and_catches_up(postgresql):
    """PostgreSQL drops every client on a restart; here it drops the worker's connections, twice, for real."""
    settings_dict = connection.settings_dict
    environment = {
        **os.environ,
        "NEWSPORTAL_ENV_FILE": "",
        "DEBUG": "false",
        "SECRET_KEY": "worker-test",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/"
        f"{settings_dict['NAME']}",
        "EMAIL_URL": "consolemail://",
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-reload"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        first = email(1)
        deliver_later(first.pk)
        assert wait_until_sent(first.pk), "the worker did not start sending"

        for _ in range(2):  # the database goes away under the worker, twice
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            time.sleep(0.5)
        after = email(2)
        deliver_later(after.pk)
        assert wait_until_sent(after.pk), "nothing sent after the restart"

        # A task a dead worker left RUNNING, and an e-mail whose task was lost in the outage.
        stuck = email(3)
        task = deliver_email.enqueue(stuck.pk)
        DBTaskResult.objects.filter(pk=task.id).update(
            status="RUNNING", started_at=timezone.now() - timedelta(minutes=10)
        )
        stranded = email(4, next_attempt_at=timezone.now() - timedelta(seconds=40))
        assert wait_until_sent(stuck.pk, seconds=60) and wait_until_sent(stranded.pk, seconds=60)
        assert process.poll() is None, "the worker exited"
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    assert output.count("Database unavailable") <= 2 and "Traceback" not in output, output
