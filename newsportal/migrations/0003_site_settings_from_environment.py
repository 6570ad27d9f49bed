"""Create the site settings row from the environment variables that held the newsroom's policy until now, so no
deployment changes behaviour when it upgrades; and create the Site managers role that edits it."""

import environ
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import migrations
from django.utils import timezone

from newsportal.roles import SITE_MANAGERS, grant

# The variables as they were named when this migration was written (newsportal/sitesettings.py keeps the list for
# the warning about leftovers).
ENVIRONMENT = {
    "articles_per_page": "ARTICLES_PER_PAGE",
    "read_next_size": "READ_NEXT_SIZE",
    "live_poll_seconds": "LIVE_POLL_SECONDS",
    "default_moderation": "COMMENTS_DEFAULT_MODERATION",
    "close_after_days": "COMMENTS_CLOSE_AFTER_DAYS",
    "reports_to_hide": "COMMENTS_REPORTS_TO_HIDE",
    "max_links": "COMMENTS_MAX_LINKS",
    "hold_first_time": "COMMENTS_HOLD_FIRST_TIME",
    "rate_limit": "COMMENTS_RATE_LIMIT",
    "rate_limit_window": "COMMENTS_RATE_LIMIT_WINDOW",
    "min_form_seconds": "COMMENTS_MIN_FORM_SECONDS",
    "form_max_age": "COMMENTS_FORM_MAX_AGE",
    "block_ip_days": "COMMENTS_BLOCK_IP_DAYS",
    "trust_after": "COMMENTS_TRUST_AFTER",
    "trust_clean_days": "COMMENTS_TRUST_CLEAN_DAYS",
    "trusted_skip_queue": "COMMENTS_TRUSTED_SKIP_QUEUE",
    "confirm_max_age": "COMMENTS_CONFIRM_MAX_AGE",
    "confirm_every": "COMMENTS_CONFIRM_EVERY",
    "confirm_per_mailbox": "COMMENTS_CONFIRM_PER_MAILBOX",
    "confirm_per_network": "COMMENTS_CONFIRM_PER_NETWORK",
    "comments_per_page": "COMMENTS_PER_PAGE",
    "ip_retention_days": "COMMENTS_IP_RETENTION_DAYS",
}


def copy_environment(apps, schema_editor):
    """Settings read `.env` into the environment already; a variable that is not set keeps the model's default."""
    SiteSettings = apps.get_model("newsportal", "SiteSettings")
    env = environ.Env()
    row = SiteSettings(pk=1)
    for field, name in ENVIRONMENT.items():
        if name not in env.ENVIRON:
            continue
        kind = type(SiteSettings._meta.get_field(field)).__name__
        try:
            value = env.bool(name) if kind == "BooleanField" else env.str(name) if kind == "CharField" else env.int(name)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}={env.str(name)!r} in the environment is not valid: {error}") from None
        setattr(row, field, value)
    try:
        row.full_clean()
    except ValidationError as error:
        problems = "; ".join(f"{ENVIRONMENT[field]}: {' '.join(messages)}" for field, messages in error.message_dict.items())
        raise ImproperlyConfigured(f"The environment's newsroom settings are not valid: {problems}") from None
    row.save()
    # The history starts here, saying where the values came from (a migration's model sends no history signal).
    History = apps.get_model("newsportal", "HistoricalSiteSettings")
    values = {field: getattr(row, field) for field in ENVIRONMENT}
    History.objects.create(
        id=row.pk,
        history_date=timezone.now(),
        history_type="+",
        history_change_reason="Copied from the environment by the upgrade",
        **values,
    )


def create_role(apps, schema_editor):
    grant(apps, SITE_MANAGERS, "newsportal", ["view_sitesettings", "change_sitesettings"])


class Migration(migrations.Migration):
    dependencies = [
        ("newsportal", "0002_site_settings"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(copy_environment, migrations.RunPython.noop),
        migrations.RunPython(create_role, migrations.RunPython.noop),
    ]
