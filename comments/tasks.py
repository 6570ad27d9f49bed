"""Delivering the outgoing e-mails in the background (Django's task framework, the django-tasks backport).

The `OutgoingEmail` row is the truth; a task only says "try this one now". A delivery claims its row first, so two
workers (or a task and `manage.py deliver_outbox`) never send one message twice. A failure is recorded and tried
again with backoff (1, 4, 16, 64 minutes) until `EMAIL_MAX_ATTEMPTS`, then the e-mail is given up and stays in
the admin with its last error. Nothing is lost when a worker stops: waiting e-mails stay in the table, and the
worker itself (`manage.py worker`, every 20 s) or `deliver_outbox` (cron) hands on any that a crash or an
outage left behind (`sweep`).
"""

import logging
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from .models import OutgoingEmail

logger = logging.getLogger(__name__)
State = OutgoingEmail.State
# A claim older than this belongs to a worker that died while sending.
ABANDONED_AFTER = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
# A due e-mail still waiting this long had its task lost (an outage between the commit and the enqueue).
LOST_AFTER = timedelta(seconds=30)


@task()
def deliver_email(email_id: int) -> None:
    deliver(email_id)


def deliver_later(email_id, *, at=None):
    """Ask the worker to deliver an e-mail (at `at`); if the queue is away, `deliver_outbox` will."""
    try:
        (deliver_email.using(run_after=at) if at else deliver_email).enqueue(email_id)
    except Exception:  # noqa: BLE001 - the row is kept; the outbox sweep sends it later
        logger.warning("Could not queue e-mail %s; deliver_outbox will send it", email_id, exc_info=True)


def claim(email_id):
    """Take an e-mail that is due for sending; return it, or None when it is not due, done or taken."""
    now = timezone.now()
    due = Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(state=State.SENDING, claimed_at__lt=now - ABANDONED_AFTER)
    if not OutgoingEmail.objects.filter(due, pk=email_id).update(state=State.SENDING, claimed_at=now):
        return None
    return OutgoingEmail.objects.get(pk=email_id)


def deliver(email_id):
    """Send one e-mail now if it is due; on failure, record why and schedule the next try or give up."""
    email = claim(email_id)
    if email is None:
        return
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=formataddr((settings.SITE_NAME, settings.DEFAULT_FROM_EMAIL)),
        to=[email.to],
        headers=email.headers,
        connection=get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail server: try again later
        failed(email, error)
    else:
        OutgoingEmail.objects.filter(pk=email.pk).update(state=State.SENT, sent_at=timezone.now(), last_error="")


def failed(email, error):
    attempts = email.attempts + 1
    reason = f"{type(error).__name__}: {error}"[:2000]
    if attempts >= settings.EMAIL_MAX_ATTEMPTS:
        OutgoingEmail.objects.filter(pk=email.pk).update(state=State.FAILED, attempts=attempts, last_error=reason)
        logger.error("Gave up e-mail %s to %s after %s attempts: %s", email.pk, email.to, attempts, reason)
        return
    retry_at = timezone.now() + FIRST_RETRY * 4 ** (attempts - 1)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        state=State.QUEUED, attempts=attempts, last_error=reason, next_attempt_at=retry_at
    )
    logger.warning(
        "E-mail %s to %s failed (attempt %s), next try at %s: %s", email.pk, email.to, attempts, retry_at, reason
    )
    deliver_later(email.pk, at=retry_at)


def sweep():
    """Queue every e-mail that is due but has no task on its way (after a crash or a lost enqueue); return how many."""
    now = timezone.now()
    due = OutgoingEmail.objects.filter(
        Q(state=State.QUEUED, next_attempt_at__lte=now - LOST_AFTER)
        | Q(state=State.SENDING, claimed_at__lt=now - ABANDONED_AFTER)
    ).values_list("pk", flat=True)
    count = 0
    for email_id in due:
        deliver_later(email_id)
        count += 1
    return count
