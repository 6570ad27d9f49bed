"""Background work of the articles app (run by `manage.py worker`)."""

from django_tasks import task


@task()
def flush_read_window(window: int) -> None:
    """Write one finished window of read counts to the database (see articles/popularity.py)."""
    from .popularity import flush

    flush(window)
