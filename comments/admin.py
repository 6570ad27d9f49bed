"""The moderators' queue: waiting comments oldest first, with what a decision needs on one screen."""

from collections import Counter

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from . import services
from .models import BlockedTerm, Comment, ModerationLog, Report

Status = Comment.Status


class StatusFilter(admin.SimpleListFilter):
    """Filter by status; with no choice made, show the queue (waiting comments)."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, _("All")), *Status.choices]

    def choices(self, changelist):
        current = self.value() or Status.PENDING
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        value = self.value() or Status.PENDING
        return queryset if value == self.ALL else queryset.filter(status=value)


class HeldReasonFilter(admin.SimpleListFilter):
    title = _("held because")
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return Comment.HeldReason.choices

    def queryset(self, request, queryset):
        if self.value() in Comment.HeldReason.values:
            return queryset.filter(held_reasons__contains=self.value())
        return queryset


class ReportedFilter(admin.SimpleListFilter):
    title = _("reported")
    parameter_name = "reported"

    def lookups(self, request, model_admin):
        return [("yes", _("Reported by readers")), ("no", _("Not reported"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(reports__isnull=False).distinct()
        if self.value() == "no":
            return queryset.filter(reports__isnull=True)
        return queryset


# The article filter looks at this many of the oldest waiting comments: the part of the queue being worked on.
QUEUE_FRONT = 2000


class QueueArticleFilter(admin.SimpleListFilter):
    """Filter by article, offering the articles with the most comments at the front of the queue (not the archive)."""

    title = _("article")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        front = Comment.objects.queue().values("pk")[:QUEUE_FRONT]
        waiting = Comment.objects.filter(pk__in=front).values("article_id").annotate(n=Count("pk")).order_by("-n")[:25]
        counts = {row["article_id"]: row["n"] for row in waiting}
        titles = Article.objects.filter(pk__in=counts).values_list("pk", "title")
        return [(str(pk), f"{Truncator(title).chars(50)} ({counts[pk]})") for pk, title in titles]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(article_id=int(self.value()))
        return queryset


class QueueChangeList(ChangeList):
    """The queue's list, with each row's report count and author history read for the shown page only.

    Annotating the whole queryset instead would make the database count and sort every matching comment
    (a million of them on a big site) before it could return one page.
    """

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        history = Counter()
        for row in (
            Comment.objects.filter(author_email__in={row.author_email for row in rows})
            .filter(status__in=[Status.APPROVED, Status.REJECTED])
            .values("author_email", "status")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            history[row["author_email"], row["status"]] = row["n"]
        reports = dict(
            Report.objects.filter(comment__in=rows)
            .values("comment")
            .annotate(n=Count("pk"))
            .values_list("comment", "n")
        )
        for row in rows:
            row.reports_n = reports.get(row.pk, 0)
            row.approved_n = history[row.author_email, Status.APPROVED]
            row.rejected_n = history[row.author_email, Status.REJECTED]
        self.result_list = rows


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ["reason", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class DecisionInline(admin.TabularInline):
    model = ModerationLog
    extra = 0
    can_delete = False
    fields = ["created_at", "moderator", "action", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name_plural = _("decisions")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "author",
        "article_link",
        "held_because",
        "report_count",
        "author_history",
        "waiting",
        "status",
    ]
    list_filter = [StatusFilter, HeldReasonFilter, ReportedFilter, QueueArticleFilter, "is_pick"]
    search_fields = ["body", "author_name", "author_email", "=ip_address"]
    ordering = ["created_at", "pk"]
    list_per_page = 50
    show_full_result_count = False
    list_select_related = ["article__category"]
    actions = ["approve", "reject", "mark_spam", "block_author"]
    inlines = [ReportInline, DecisionInline]
    fields = [
        "article_link",
        "parent",
        "author_name",
        "author_email",
        "body",
        "is_pick",
        "status",
        "held_because",
        "created_at",
        "edited_at",
        "ip_address",
        "user_agent",
        "moderated_by",
        "moderated_at",
    ]
    # A moderator may change the text (recorded as edited) and the pick; everything else is the reader's or the log's.
    readonly_fields = [field for field in fields if field not in ("body", "is_pick")]

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_ordering(self, request):
        """Work the queue oldest first; look through everything else newest first."""
        if request.GET.get(StatusFilter.parameter_name, Status.PENDING) == Status.PENDING:
            return ["created_at", "pk"]
        return ["-created_at", "-pk"]

    def has_add_permission(self, request):
        return False  # comments come from readers

    def has_delete_permission(self, request, obj=None):
        return False  # nothing is lost: moderation changes the status

    # --- Columns ---

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(140)

    @admin.display(description=_("author"), ordering="author_name")
    def author(self, comment):
        return format_html("{}<br><small>{}</small>", comment.author_name, comment.author_email)

    @admin.display(description=_("article"))
    def article_link(self, comment):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            comment.article.get_absolute_url(),
            Truncator(comment.article.title).chars(50),
        )

    @admin.display(description=_("held because"))
    def held_because(self, comment):
        return ", ".join(str(label) for label in comment.held_reason_labels) or "—"

    @admin.display(description=_("reports"))
    def report_count(self, comment):
        return comment.reports_n

    @admin.display(description=_("author’s history"))
    def author_history(self, comment):
        return _("%(approved)d approved, %(rejected)d rejected") % {
            "approved": comment.approved_n,
            "rejected": comment.rejected_n,
        }

    @admin.display(description=_("waiting"), ordering="created_at")
    def waiting(self, comment):
        if comment.status != Status.PENDING:
            return "—"
        return timesince(comment.created_at, timezone.now(), depth=1)

    # --- Actions: the same services the site uses ---

    def decide(self, request, queryset, status, action):
        changed = services.comments_moderate(comments=queryset, moderator=request.user, status=status, action=action)
        self.message_user(
            request, _("%(count)d comment(s): %(action)s.") % {"count": changed, "action": action}, messages.SUCCESS
        )

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self.decide(request, queryset, Status.APPROVED, "approve")

    @admin.action(description=_("Reject selected comments"), permissions=["change"])
    def reject(self, request, queryset):
        self.decide(request, queryset, Status.REJECTED, "reject")

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self.decide(request, queryset, Status.SPAM, "mark as spam")

    @admin.action(
        description=_("Block the authors (e-mail and IP) and reject their waiting comments"), permissions=["change"]
    )
    def block_author(self, request, queryset):
        rejected = services.authors_block(comments=queryset, moderator=request.user)
        self.message_user(
            request,
            _("Authors blocked; %(count)d waiting comment(s) rejected.") % {"count": rejected},
            messages.SUCCESS,
        )

    def save_model(self, request, obj, form, change):
        """Save a moderator's edit through the service, so the text is marked edited and logged."""
        original = Comment.objects.get(pk=obj.pk)
        services.comment_edit(
            comment=original,
            moderator=request.user,
            body=form.cleaned_data["body"],
            is_pick=form.cleaned_data["is_pick"],
        )


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ["value", "kind", "note", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]
    fields = ["kind", "value", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["comment", "reason", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["comment"]
    readonly_fields = ["comment", "reason", "reporter_key", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "moderator", "action", "from_status", "to_status", "comment", "note"]
    list_filter = ["action", "to_status"]
    list_select_related = ["moderator", "comment"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
