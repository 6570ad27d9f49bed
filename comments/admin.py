"""The comments in the admin: the moderation workspace (comments/workspace.py) and the list for search and audit."""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.db.models import Count
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles.models import Article
from newsportal.admin_rules import NoAdding, NoDeleting, ReadOnly
from newsportal.params import positive_int

from . import selectors, services, workspace
from .models import BlockedTerm, Comment, Commenter, ModerationLog, OutgoingEmail, Report
from .moderation import GIVEN_REASONS

Status = Comment.Status


class StatusFilter(admin.SimpleListFilter):
    """Filter by status; with no choice made, show the queue (waiting comments)."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.ALL, _("All")), *Status.choices]

    def choices(self, changelist):
        current = self.value() or self.default
        for value, label in self.lookup_choices:
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def __init__(self, request, params, model, model_admin):
        # Waiting comments, unless the moderator asked for reported ones: readers report published comments.
        reported = request.GET.get(ReportedFilter.parameter_name) == "yes"
        self.default = self.ALL if reported else Status.PENDING
        super().__init__(request, params, model, model_admin)

    def queryset(self, request, queryset):
        value = self.value() or self.default
        return queryset if value == self.ALL else queryset.filter(status=value)


class ReasonFilter(admin.SimpleListFilter):
    title = _("held because")
    parameter_name = "held"

    def lookups(self, request, model_admin):
        return [(reason.value, reason.label) for reason in GIVEN_REASONS]

    def queryset(self, request, queryset):
        if self.value() in Comment.Reason.values:  # an old reason too, from a saved link
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
        article_id = positive_int(self.value())
        return queryset.filter(article_id=article_id) if article_id else queryset


class QueueChangeList(ChangeList):
    """The queue's list, with each row's report count and author history read for the shown page only.

    Annotating the whole queryset instead would make the database count and sort every matching comment
    (a million of them on a big site) before it could return one page.
    """

    def get_results(self, request):
        super().get_results(request)
        rows = list(self.result_list)
        history = selectors.author_records(row.author_email for row in rows)
        reports = selectors.report_counts(rows)
        for row in rows:
            row.reports_n = sum(reports.get(row.pk, {}).values())
            record = history.get(row.author_email, selectors.AuthorRecord())
            row.approved_n, row.rejected_n = record.approved, record.rejected
        self.result_list = rows


class ReportInline(NoAdding, admin.TabularInline):
    model = Report
    extra = 0
    can_delete = False
    fields = ["reason", "created_at"]
    readonly_fields = fields


class DecisionInline(NoAdding, admin.TabularInline):
    model = ModerationLog
    extra = 0
    can_delete = False
    fields = ["created_at", "moderator", "action", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name_plural = _("decisions")


@admin.register(Comment)
class CommentAdmin(NoAdding, NoDeleting, admin.ModelAdmin):
    """Comments come from readers; nothing is deleted, moderation changes the status."""

    list_display = ["excerpt", "author", "article_link", "why", "state"]
    list_filter = [StatusFilter, ReasonFilter, ReportedFilter, QueueArticleFilter, "is_pick"]
    search_fields = ["body", "author_name", "author_email", "=ip_address"]
    ordering = ["created_at", "pk"]
    list_per_page = 50
    show_full_result_count = False
    list_select_related = ["article__category"]
    actions = ["approve", "reject", "mark_spam"]
    inlines = [ReportInline, DecisionInline]
    change_list_template = "admin/comments/comment/change_list.html"
    change_form_template = "admin/comments/comment/change_form.html"
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

    def get_urls(self):
        """The workspace's pages, under this admin's permission checks."""

        def view(function):
            return self.admin_site.admin_view(partial(function, admin=self))

        return [
            path("workspace/", view(workspace.workspace), name="comments_comment_workspace"),
            path("workspace/more/", view(workspace.more_cards), name="comments_comment_workspace_more"),
            path("workspace/<int:pk>/decide/", view(workspace.decide), name="comments_comment_workspace_decide"),
            path("workspace/<int:pk>/undo/", view(workspace.undo), name="comments_comment_workspace_undo"),
            path("workspace/<int:pk>/block/", view(workspace.block), name="comments_comment_workspace_block"),
            path("workspace/<int:pk>/trust/", view(workspace.trust), name="comments_comment_workspace_trust"),
            *super().get_urls(),
        ]

    def get_changelist(self, request, **kwargs):
        return QueueChangeList

    def get_ordering(self, request):
        """Work the queue oldest first; look through everything else newest first."""
        if request.GET.get(StatusFilter.parameter_name, Status.PENDING) == Status.PENDING:
            return ["created_at", "pk"]
        return ["-created_at", "-pk"]

    # --- Columns ---

    @admin.display(description=_("comment"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(140)

    @admin.display(description=_("author"), ordering="author_name")
    def author(self, comment):
        history = _("%(approved)d approved, %(rejected)d rejected") % {
            "approved": comment.approved_n,
            "rejected": comment.rejected_n,
        }
        return format_html(
            "{}<br><small>{}</small><br><small>{}</small>", comment.author_name, comment.author_email, history
        )

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

    @admin.display(description=_("why it is here"))
    def why(self, comment):
        reports = (
            ngettext("%(count)d report", "%(count)d reports", comment.reports_n) % {"count": comment.reports_n}
            if comment.reports_n
            else ""
        )
        return format_html("{}<br><small>{}</small>", self.held_because(comment), reports)

    @admin.display(description=_("status"), ordering="created_at")
    def state(self, comment):
        waiting = timesince(comment.created_at, timezone.now(), depth=1) if comment.status == Status.PENDING else ""
        return format_html("{}<br><small>{}</small>", comment.get_status_display(), waiting)

    # --- Actions: the same services the site uses ---

    def decide(self, request, queryset, status):
        action = services.ACTION_FOR[status]
        changed = services.comments_moderate(comments=queryset, moderator=request.user, status=status, action=action)
        self.message_user(
            request,
            _("%(count)d comment(s): %(action)s.") % {"count": changed, "action": action.label.lower()},
            messages.SUCCESS,
        )

    @admin.action(description=_("Approve selected comments"), permissions=["change"])
    def approve(self, request, queryset):
        self.decide(request, queryset, Status.APPROVED)

    @admin.action(description=_("Reject selected comments"), permissions=["change"])
    def reject(self, request, queryset):
        self.decide(request, queryset, Status.REJECTED)

    @admin.action(description=_("Mark selected comments as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self.decide(request, queryset, Status.SPAM)

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
    list_display = ["value", "kind", "whole_word", "expires_at", "note", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]
    fields = ["kind", "value", "whole_word", "expires_at", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Report)
class ReportAdmin(NoAdding, admin.ModelAdmin):
    list_display = ["comment", "reason", "created_at"]
    list_filter = ["reason"]
    list_select_related = ["comment"]
    readonly_fields = ["comment", "reason", "reporter_key", "created_at"]


@admin.register(ModerationLog)
class ModerationLogAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["created_at", "moderator", "action", "from_status", "to_status", "comment", "note"]
    list_filter = ["action", "to_status"]
    list_select_related = ["moderator", "comment"]
    show_full_result_count = False


@admin.register(Commenter)
class CommenterAdmin(NoAdding, NoDeleting, admin.ModelAdmin):
    """Readers' addresses: verified or not, and how far a moderator trusts them. Readers erase their own address
    from the link in every e-mail."""

    list_display = ["email", "verified_at", "trust", "unsubscribed_at", "created_at"]
    list_filter = ["trust", ("verified_at", admin.EmptyFieldListFilter)]
    search_fields = ["=email"]
    fields = ["email", "verified_at", "trust", "unsubscribed_at", "created_at"]
    readonly_fields = ["email", "verified_at", "unsubscribed_at", "created_at"]
    show_full_result_count = False


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(NoAdding, NoDeleting, admin.ModelAdmin):
    """What the site e-mailed readers, or still tries to: failures stay here with their reason until they go."""

    list_display = ["created_at", "kind", "to", "state", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["state", "kind"]
    search_fields = ["=to"]
    readonly_fields = [field.name for field in OutgoingEmail._meta.fields]
    actions = ["send_again"]
    show_full_result_count = False

    @admin.action(description=_("Send the selected e-mails again now"), permissions=["change"])
    def send_again(self, request, queryset):
        count = services.emails_send_again(emails=queryset)
        self.message_user(request, _("%(count)d e-mail(s) queued again.") % {"count": count}, messages.SUCCESS)
