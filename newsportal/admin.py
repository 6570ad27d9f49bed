from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from . import edge
from .admin_rules import NoAdding, NoDeleting
from .models import EdgePurge, SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(NoAdding, NoDeleting, SimpleHistoryAdmin):
    """One form for the newsroom's policy; "History" lists every change with who made it and the values before."""

    fieldsets = [
        ("Pages", {"fields": ["articles_per_page", "read_next_size", "live_poll_seconds"]}),
        (
            "Comment moderation",
            {
                "fields": [
                    "default_moderation",
                    "hold_first_time",
                    "max_links",
                    "reports_to_hide",
                    "close_after_days",
                    "comments_per_page",
                    "default_comment_order",
                    "recommend_lag_seconds",
                ]
            },
        ),
        ("Trusted commenters", {"fields": ["trust_after", "trust_clean_days", "trusted_skip_queue"]}),
        (
            "Abuse limits",
            {"fields": ["rate_limit", "rate_limit_window", "min_form_seconds", "form_max_age", "block_ip_days"]},
        ),
        (
            "E-mail confirmation and privacy",
            {
                "fields": [
                    "confirm_max_age",
                    "confirm_every",
                    "confirm_per_mailbox",
                    "confirm_per_network",
                    "ip_retention_days",
                ]
            },
        ),
    ]

    def changelist_view(self, request, extra_context=None):
        """There is one row: the list is its form."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        settings, _ = SiteSettings.objects.get_or_create(pk=SiteSettings.SINGLETON)
        return redirect("admin:newsportal_sitesettings_change", settings.pk)


@admin.register(EdgePurge)
class EdgePurgeAdmin(NoAdding, admin.ModelAdmin):
    """Purges an edge node has not taken yet: the worker retries them; staff see the trouble and may retry now."""

    list_display = ["keys", "url", "attempts", "last_error", "first_failed_at", "next_attempt_at", "given_up"]
    readonly_fields = [field.name for field in EdgePurge._meta.fields]
    actions = ["retry_now"]

    @admin.action(description="Retry the selected purges now", permissions=["change"])
    def retry_now(self, request, queryset):
        for purge_id in queryset.values_list("pk", flat=True):
            EdgePurge.objects.filter(pk=purge_id).update(given_up=False)
            edge.retry(purge_id)
        left = EdgePurge.objects.filter(pk__in=queryset.values("pk")).count()
        self.message_user(request, f"Retried. {left} purge(s) still waiting." if left else "Every purge went through.")
