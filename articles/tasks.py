"""Background work of the articles app (run by `manage.py worker`), defined beside the work it does.

Tasks queued before they moved there are stored under these names, so the names stay.
"""

from .library import process_image
from .popularity import flush_read_window

__all__ = ["flush_read_window", "process_image"]
