"""Say once that a dependency went away, and once that it came back, instead of a traceback per request.

Each process keeps the state of the services it depends on (`database`, `cache`); `down()` logs a warning only on
the change from up to down, `up()` logs only on the way back. During an outage every request still gets its 503 or
its slower page; the log gets two lines.
"""

import logging
import threading

logger = logging.getLogger("newsportal.outages")
_lock = threading.Lock()
_down = {}


def down(service, error):
    """Record that `service` failed; log it if it was up until now."""
    with _lock:
        was_down = service in _down
        _down.setdefault(service, error)
    if not was_down:
        logger.warning("%s unavailable: %s (logged once until it is back)", service.capitalize(), error)


def up(service):
    """Record that `service` answered; log it if it was down."""
    if service not in _down:  # the common case, without the lock
        return
    with _lock:
        error = _down.pop(service, None)
    if error is not None:
        logger.warning("%s is back", service.capitalize())


def reset():
    """Forget every recorded outage, as a new process starts (each test starts this way)."""
    with _lock:
        _down.clear()
