"""Django's PostgreSQL backend, with a deadline on every query of a web request (newsportal/db/deadline.py)."""

from django.db.backends.postgresql import base

from ..deadline import execute_with_deadline, query_deadline


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.execute_wrappers.append(execute_with_deadline)

    def is_usable(self):
        # The health check bypasses cursors (and so the execute wrappers): bound it here too.
        if self.connection is None:
            return False
        with query_deadline(self):
            return super().is_usable()
