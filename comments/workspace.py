"""The moderators' workspace: one card per comment that needs a person, decided with one click or one key.

What needs a person: comments waiting for moderation and published comments readers reported since a moderator
last looked at them, oldest first, for the whole site, one article or one reason. Every card carries what the
decision needs (the whole text with what held it highlighted, why it was held, the reports, the comment it
answers, the article, the author and their history) and its own small forms, so every decision works without
JavaScript; `static/js/moderation.js` sends them in place and adds the keys (j/k, a/r/s, b, z, ?).

A decision names the state the moderator saw (`Comment.decision_version`): when another moderator decided first,
the second is told who and when, and nothing changes.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from articles.models import Article
from newsportal.params import positive_int
from newsportal.sitesettings import site_settings

from . import moderation, selectors, services
from .models import Comment, Commenter, Report
from .moderation import QUEUE_REASONS

Status = Comment.Status
Reason = Comment.Reason
CARDS_PER_BATCH = 20
BUSIEST_ARTICLES = 12
# What each key or button decides, and how the result reads on the card.
DECISIONS = {"approve": Status.APPROVED, "reject": Status.REJECTED, "spam": Status.SPAM}
DONE_LABELS = {Status.APPROVED: _("Approved"), Status.REJECTED: _("Rejected"), Status.SPAM: _("Marked as spam")}


@dataclass(frozen=True)
class QueueView:
    """Which part of the queue a moderator works on: everything, one article, or one reason."""

    article_id: int | None = None
    reason: str = ""

    @classmethod
    def from_request(cls, request):
        reason = request.GET.get("reason", "")
        return cls(
            article_id=positive_int(request.GET.get("article")),
            reason=reason if reason in QUEUE_REASONS else "",
        )

    @property
    def query(self):
        return urlencode(
            {key: value for key, value in (("article", self.article_id), ("reason", self.reason)) if value}
        )

    def querysets(self):
        """Return (waiting comments, reported published comments) in this view, oldest first."""
        waiting = Comment.objects.queue()
        reported = Comment.objects.reported_since_decision()
        if self.article_id:
            waiting, reported = waiting.filter(article_id=self.article_id), reported.filter(article_id=self.article_id)
        if self.reason:
            waiting = waiting.filter(held_reasons__contains=self.reason)
            if self.reason != Reason.REPORTED:
                reported = reported.none()
        return waiting, reported

    def batch(self, *, exclude=(), size=CARDS_PER_BATCH):
        """Return the oldest comments of this view, leaving out `exclude` (cards the moderator has on screen)."""
        waiting, reported = (queryset.exclude(pk__in=exclude) for queryset in self.querysets())
        related = ("article__category", "parent")
        oldest = list(waiting.select_related(*related)[:size]) + list(reported.select_related(*related)[:size])
        return sorted(oldest, key=lambda comment: (comment.created_at, comment.pk))[:size]

    def count(self):
        return sum(queryset.count() for queryset in self.querysets())


def busiest_articles():
    """Return the articles with the most comments needing a person, busiest first, with their counts."""
    counts = Counter()
    for queryset in (Comment.objects.queue(), Comment.objects.reported_since_decision()):
        for row in queryset.order_by().values("article_id").annotate(n=Count("pk")):
            counts[row["article_id"]] += row["n"]
    top = counts.most_common(BUSIEST_ARTICLES)
    titles = dict(Article.objects.filter(pk__in=[pk for pk, _ in top]).values_list("pk", "title"))
    return [(pk, titles.get(pk, ""), n) for pk, n in top]


def reason_counts():
    """Return each reason with how many waiting comments it holds (reported ones include reported published).

    The waiting comments are grouped by their whole list of reasons (a handful of combinations), then split here.
    """
    totals = Counter()
    for row in Comment.objects.queue().order_by().values("held_reasons").annotate(n=Count("pk")):
        for code in row["held_reasons"].split():
            totals[code] += row["n"]
    totals[Reason.REPORTED] += Comment.objects.reported_since_decision().count()
    return [(code, Reason(code).label, totals[code]) for code in QUEUE_REASONS if totals[code]]


# --- Cards ---------------------------------------------------------------------------------------------------


@dataclass
class Card:
    comment: Comment
    text: SafeString
    reports: list[tuple[str, int]] = field(default_factory=list)
    history: selectors.AuthorRecord = field(default_factory=selectors.AuthorRecord)
    standing: moderation.Standing | None = None
    address_verified: bool = False


def highlighted(text, words, links):
    """Return the reader's text, escaped, with the words and links that the rules look at marked."""
    marks = sorted(
        [(start, end, "hit--word") for start, end in words] + [(start, end, "hit--link") for start, end in links]
    )
    parts, position = [], 0
    for start, end, kind in marks:
        if start < position:  # overlaps a mark already made (a word inside a link)
            continue
        parts.append(escape(text[position:start]))
        parts.append(format_html('<mark class="hit {}">{}</mark>', kind, text[start:end]))
        position = end
    parts.append(escape(text[position:]))
    return format_html_join("", "{}", ((part,) for part in parts))


def cards_for(comments):
    """Return the cards of some comments, with their reports and their authors' history in two more queries."""
    reports = {
        pk: [(Report.Reason(reason).label, n) for reason, n in by_reason.items()]
        for pk, by_reason in selectors.report_counts(comments).items()
    }
    history = selectors.author_records(comment.author_email for comment in comments)
    emails = sorted({comment.author_email for comment in comments})
    # An author's standing as it would be for a comment they proved (what "trusted" means for them).
    standing = moderation.standings(emails, verified=True, records=history)
    verified = set(
        Commenter.objects.filter(email__in=emails, verified_at__isnull=False).values_list("email", flat=True)
    )
    words = moderation.blocked_words()
    cards = []
    for comment in comments:
        word_spans, link_spans = moderation.held_spans(comment.body, words)
        cards.append(
            Card(
                comment=comment,
                text=highlighted(comment.body, word_spans, link_spans),
                reports=reports.get(comment.pk, []),
                history=history.get(comment.author_email, selectors.AuthorRecord()),
                standing=standing.get(comment.author_email),
                address_verified=comment.author_email in verified,
            )
        )
    return cards


# --- Views ---------------------------------------------------------------------------------------------------


def workspace_url(view=None, anchor=""):
    url = reverse("admin:comments_comment_workspace")
    if view is not None and view.query:
        url = f"{url}?{view.query}"
    return f"{url}#{anchor}" if anchor else url


def require_moderator(request, admin):
    if not admin.has_change_permission(request):
        raise PermissionDenied


def workspace(request, admin):
    """Show the cards of the comments that need a person, and what the moderator decided last (to undo it)."""
    require_moderator(request, admin)
    view = QueueView.from_request(request)
    last = request.session.get("moderation_last_decision")
    context = {
        **admin.admin_site.each_context(request),
        "title": _("Moderation workspace"),
        "opts": admin.model._meta,
        "view": view,
        "cards": cards_for(view.batch()),
        "count": view.count(),
        "articles": busiest_articles(),
        "reasons": reason_counts(),
        "current_article": Article.objects.filter(pk=view.article_id).first() if view.article_id else None,
        "last_decision": Comment.objects.filter(pk=last).first() if last else None,
        "workspace_url": workspace_url(),
    }
    return TemplateResponse(request, "admin/comments/workspace.html", context)


def more_cards(request, admin):
    """Return the next cards as an HTML fragment, for the workspace's script when the moderator runs low."""
    require_moderator(request, admin)
    view = QueueView.from_request(request)
    exclude = [pk for pk in (positive_int(part) for part in request.GET.get("exclude", "").split(",")) if pk]
    context = {"cards": cards_for(view.batch(exclude=exclude)), "view": view}
    return TemplateResponse(request, "admin/comments/includes/cards.html", context)


def wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def earlier_message(earlier):
    """Say who decided a comment before this moderator could, and when."""
    if earlier is None:
        return _("This comment changed meanwhile; it is skipped.")
    local = timezone.localtime(earlier.created_at)
    when = date_format(local, "H:i") if local.date() == timezone.localdate() else date_format(local, "j M, H:i")
    what = earlier.get_action_display().lower()
    if earlier.moderator is None:
        return _("Already %(what)s at %(when)s.") % {"what": what, "when": when}
    return _("Already %(what)s by %(who)s at %(when)s.") % {"what": what, "who": earlier.moderator, "when": when}


def answer(request, view, comment, *, applied, message, status=200):
    """Answer a decision: JSON for the workspace's script, else back to the workspace with a message."""
    if wants_json(request):
        return JsonResponse(
            {
                "applied": applied,
                "message": message,
                "status": comment.status,
                "version": comment.decision_version,
                "count": view.count(),
            },
            status=status,
        )
    messages.add_message(request, messages.SUCCESS if applied else messages.WARNING, message)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = workspace_url(view)
    return HttpResponseRedirect(back)


@require_POST
def decide(request, admin, pk):
    require_moderator(request, admin)
    view = QueueView.from_request(request)
    status = DECISIONS.get(request.POST.get("decision", ""))
    if status is None:
        return answer(
            request, view, get_object_or_404(Comment, pk=pk), applied=False, message=_("Unknown decision."), status=400
        )
    get_object_or_404(Comment, pk=pk)
    decision = services.comment_decide(
        comment_id=pk, moderator=request.user, status=status, seen=request.POST.get("seen", "")
    )
    if not decision.applied:
        return answer(
            request, view, decision.comment, applied=False, message=earlier_message(decision.earlier), status=409
        )
    request.session["moderation_last_decision"] = pk
    return answer(request, view, decision.comment, applied=True, message=str(DONE_LABELS[status]) + ".")


@require_POST
def undo(request, admin, pk):
    require_moderator(request, admin)
    view = QueueView.from_request(request)
    get_object_or_404(Comment, pk=pk)
    decision = services.comment_undo(comment_id=pk, moderator=request.user)
    if not decision.applied:
        return answer(
            request, view, decision.comment, applied=False, message=earlier_message(decision.earlier), status=409
        )
    request.session.pop("moderation_last_decision", None)
    return answer(request, view, decision.comment, applied=True, message=_("Undone: the comment is back as it was."))


TRUST_MESSAGES = {
    Commenter.Trust.BY_THE_RULES: _("%(email)s is trusted by the rules again."),
    Commenter.Trust.REVOKED: _("%(email)s is no longer trusted: their comments wait like everyone's."),
    Commenter.Trust.ALWAYS_HOLD: _("Every comment from %(email)s waits for a moderator now."),
}


@require_POST
def trust(request, admin, pk):
    """Set how far the author of a comment is trusted: by the rules, not at all, or always pre-moderated."""
    require_moderator(request, admin)
    view = QueueView.from_request(request)
    comment = get_object_or_404(Comment, pk=pk)
    choice = request.POST.get("trust", "")
    if choice not in Commenter.Trust.values or not comment.author_email:
        return answer(request, view, comment, applied=False, message=_("Unknown choice."), status=400)
    services.commenter_trust_set(email=comment.author_email, trust=choice)
    return answer(
        request, view, comment, applied=True, message=TRUST_MESSAGES[choice] % {"email": comment.author_email}
    )


def block(request, admin, pk):
    """Confirm, then block a comment's author: the e-mail address always; the IP address only when ticked."""
    require_moderator(request, admin)
    view = QueueView.from_request(request)
    comment = get_object_or_404(Comment.objects.select_related("article"), pk=pk)
    if request.method == "POST":
        days = positive_int(request.POST.get("days"), maximum=365)
        done = services.authors_block(
            comments=Comment.objects.filter(pk=pk),
            moderator=request.user,
            block_addresses=request.POST.get("block_address") == "on",
            address_days=days,
        )
        blocked = ", ".join(done.emails + done.addresses)
        messages.success(
            request,
            _("Blocked %(blocked)s; %(count)d waiting comment(s) rejected.")
            % {"blocked": blocked, "count": done.rejected},
        )
        return HttpResponseRedirect(workspace_url(view))
    others = (
        Comment.objects.others_seen_from([comment.ip_address], besides=[comment.author_email], days=90).get(
            comment.ip_address, 0
        )
        if comment.ip_address
        else 0
    )
    context = {
        **admin.admin_site.each_context(request),
        "title": _("Block this author?"),
        "opts": admin.model._meta,
        "comment": comment,
        "others": others,
        "waiting": Comment.objects.queue().filter(author_email=comment.author_email).count(),
        "days_choices": (1, 7, 30, 90),
        "default_days": site_settings().block_ip_days,
        "back": workspace_url(view),
        "view": view,
    }
    return TemplateResponse(request, "admin/comments/block_author.html", context)
