from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from simple_history.admin import SimpleHistoryAdmin

from .admin_rules import NoAdding, NoDeleting
from .models import SiteSettings


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
