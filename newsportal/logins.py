"""Logging in to the admin: a guessed password must never lock the right person out.

django-axes counts failures by (username, address) pair and by address, never by username alone: a stranger
guessing Maya's password from elsewhere locks out only themselves (and their address), while Maya still logs in
from hers. She is then told that someone tried, so she can change the password if it was not her.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from .http import client_ip


def warn_of_failures_elsewhere(sender, request, user, **kwargs):
    """On a successful login, tell the person about failed attempts on their account from other addresses."""
    if request is None or not getattr(settings, "AXES_ENABLED", True):
        return
    since = timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME)
    attempts = AccessAttempt.objects.filter(username=user.get_username(), attempt_time__gte=since).exclude(
        ip_address=client_ip(request)
    )
    failures = sum(attempts.values_list("failures_since_start", flat=True))
    if failures:
        last = attempts.order_by("-attempt_time").values_list("attempt_time", flat=True).first()
        messages.warning(
            request,
            _(
                "Someone tried to log in as you %(count)d time(s) from other addresses, most recently at %(when)s. "
                "Your account stayed open for you; if it was not you, change your password now."
            )
            % {"count": failures, "when": date_format(timezone.localtime(last), "H:i")},
        )
