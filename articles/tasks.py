"""Background work of the articles app (run by `manage.py worker`)."""

from django_tasks import task


@task()
def flush_read_window(window: int) -> None:
    """Write one finished window of read counts to the database (see articles/popularity.py)."""
    from .popularity import flush

    flush(window)


@task()
def process_image(image_id: int) -> None:
    """Decode a new picture of the media library and cut its renditions (see articles/library.py)."""
    from .library import process

    process(image_id)
