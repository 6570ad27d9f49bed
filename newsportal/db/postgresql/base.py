"""Django's PostgreSQL backend, with a deadline on every query of a web request (newsportal/db/deadline.py) and a
circuit breaker that makes requests fail fast while the database is known to be down (newsportal/db/breaker.py)."""

import time

from django.conf import settings
from django.db import OperationalError
from django.db.backends.postgresql import base

from ..breaker import breaker
from ..deadline import execute_with_deadline, query_deadline


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(execute_with_deadline)
        self.execute_wrappers.append(self._trip_when_lost)

    def get_new_connection(self, conn_params):
        breaker.check()
        try:
            return super().get_new_connection(conn_params)
        except self.Database.OperationalError as error:  # psycopg's: Django wraps it only after this returns
            breaker.trip(self.get_connection_params, error)
            raise

    def _trip_when_lost(self, execute, sql, params, many, context):
        """A query whose connection died under it (the deadline cut it, the server went away) trips the breaker."""
        try:
            return execute(sql, params, many, context)
        except OperationalError as error:
            raw = self.connection
            if raw is None or raw.closed or getattr(raw, "broken", False):
                breaker.trip(self.get_connection_params, error)
            raise

    def is_usable(self):
        # The health check bypasses cursors (and so the execute wrappers): bound it here too. One that ran into
        # the deadline met a frozen server: trip the breaker, so this request does not wait again to connect.
        if self.connection is None:
            return False
        started = time.monotonic()
        with query_deadline(self):
            usable = super().is_usable()
        if not usable and settings.DB_QUERY_TIMEOUT and time.monotonic() - started >= settings.DB_QUERY_TIMEOUT:
            breaker.trip(self.get_connection_params, OperationalError("The database did not answer a health check"))
        return usable
