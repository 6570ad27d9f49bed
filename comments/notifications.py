"""The e-mails the site sends readers, and when: a confirmation link, "your comment is published", "someone replied".

Each message is stored as an `OutgoingEmail` in the transaction of the change that causes it, and the background
worker is asked to deliver it once that transaction commits (`comments.tasks`): a decision that rolls back sends
nothing, and a slow or absent mail server never slows a reader's request.

Only comments whose author proved the address get notifications, so typing someone else's address sends them
nothing but one confirmation link (at most one per `confirm_every` seconds, a site setting). Every message carries
a one-click unsubscribe (RFC 8058) and a link to erase the address.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from newsportal.http import mailbox_of, network_of
from newsportal.roles import staff_name
from newsportal.site import site_url
from newsportal.sitesettings import site_settings

from . import identity
from .models import Comment, Commenter, OutgoingEmail
from .tasks import deliver_later

Kind = OutgoingEmail.Kind
# The desk's moves that someone must act on or hear of, and whom they tell (`story_moved`).
DESK_SUBJECTS = {
    "submit": "For review: {title}",
    "request_changes": "Changes requested: {title}",
    "approve": "Approved and published: {title}",
}
SUBJECTS = {
    Kind.CONFIRM: "Confirm it is you who wrote this comment",
    Kind.PUBLISHED: "Your comment is published",
    Kind.REPLY: "Someone replied to your comment",
}


def queue(kind, comment, to, **context):
    """Store one e-mail about `comment` for `to` and have it delivered once the transaction commits."""
    context |= {
        "comment": comment,
        "article": comment.article,
        "comment_url": site_url(comment.get_absolute_url()),
        "unsubscribe_url": identity.unsubscribe_url(to),
        "erase_url": identity.erase_url(to),
        "confirm_days": site_settings().confirm_max_age // 86400,
        "subject": SUBJECTS[kind],
    }
    email = OutgoingEmail.objects.create(
        kind=kind,
        to=to,
        mailbox=mailbox_of(to),
        sender_network=network_of(comment.ip_address),
        comment=comment,
        subject=f"{SUBJECTS[kind]} · {settings.SITE_NAME}",
        text=render_to_string(f"comments/email/{kind}.txt", context),
        html=render_to_string(f"comments/email/{kind}.html", context),
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    transaction.on_commit(lambda: deliver_later(email.pk))
    return email


def wants_mail(email):
    return not Commenter.objects.filter(email=email, unsubscribed_at__isnull=False).exists()


def after_submit(comment):
    """Ask an unproven sender to confirm the address (throttled: `may_send_confirmation`); tell about a reply."""
    if not comment.author_email:
        return
    commenter, _ = Commenter.objects.get_or_create(email=comment.author_email)
    if not comment.verified:
        recently = timezone.now() - timedelta(seconds=site_settings().confirm_every)
        not_sent_lately = Q(verification_sent_at__isnull=True) | Q(verification_sent_at__lt=recently)
        claimed = (
            Commenter.objects.filter(pk=commenter.pk)
            .filter(not_sent_lately)
            .update(verification_sent_at=timezone.now())
        )
        if claimed and commenter.unsubscribed_at is None and may_send_confirmation(comment):
            queue(Kind.CONFIRM, comment, comment.author_email, confirm_url=identity.confirmation_url(comment))


def may_send_confirmation(comment):
    """Whether one more confirmation mail may go out: at most `confirm_per_mailbox` a day to one mailbox
    (however its address is spelt: plus-tags, dots, case) and `confirm_per_network` a day for comments
    sent from one network. Counted from the outbox itself, so no cache restart resets it."""
    day = timezone.now() - timedelta(days=1)
    sent = OutgoingEmail.objects.filter(kind=Kind.CONFIRM, created_at__gte=day)
    if sent.filter(mailbox=mailbox_of(comment.author_email)).count() >= site_settings().confirm_per_mailbox:
        return False
    network = network_of(comment.ip_address)
    return not network or sent.filter(sender_network=network).count() < site_settings().confirm_per_network
    if comment.status == Comment.Status.APPROVED:
        reply_published(comment)


def published(comments):
    """Tell the authors of newly published comments who asked for it, and the authors they replied to."""
    for comment in comments:
        if comment.notify_published and comment.verified and wants_mail(comment.author_email):
            queue(Kind.PUBLISHED, comment, comment.author_email)
        reply_published(comment)


def reply_published(reply):
    """Tell the author of the comment a published reply answers, if they asked and did not write the reply."""
    parent = reply.parent
    if (
        parent is None
        or not (parent.notify_replies and parent.verified and parent.author_email)
        or parent.author_email == reply.author_email
        or parent.status != Comment.Status.APPROVED
        or not wants_mail(parent.author_email)
    ):
        return
    queue(Kind.REPLY, reply, parent.author_email, parent=parent)


# --- The newsroom desk -----------------------------------------------------------------------------------------


def desk_recipients(article, transition, user):
    """Return the addresses a move concerns: editors for a submission, the story's reporter for a decision."""
    User = get_user_model()
    if transition.name == "submit":
        reviewers = User.objects.filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="review_article", groups__permissions__content_type__app_label="articles")
            | Q(user_permissions__codename="review_article"),
            is_active=True,
            is_staff=True,
        )
    else:
        reviewers = User.objects.filter(pk__in=[article.submitted_by_id, article.created_by_id], is_active=True)
    if user is not None:
        reviewers = reviewers.exclude(pk=user.pk)
    return sorted(set(reviewers.exclude(email="").values_list("email", flat=True)))


def story_moved(sender, *, article, transition, user, note, **kwargs):
    """Tell the people a desk move concerns (articles.desk.story_moved), in the move's transaction."""
    if transition.name not in DESK_SUBJECTS:
        return
    context = {
        "article": article,
        "move": transition,
        "who": staff_name(user) if user is not None else settings.SITE_NAME,
        "note": note,
        "story_url": site_url(reverse("admin:articles_article_change", args=[article.pk])),
        "subject": DESK_SUBJECTS[transition.name].format(title=article.title),
    }
    for to in desk_recipients(article, transition, user):
        email = OutgoingEmail.objects.create(
            kind=Kind.DESK,
            to=to,
            subject=f"{context['subject']} · {settings.SITE_NAME}"[:200],
            text=render_to_string("comments/email/desk.txt", context),
            html=render_to_string("comments/email/desk.html", context),
        )
        transaction.on_commit(lambda pk=email.pk: deliver_later(pk))
