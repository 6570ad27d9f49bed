from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

from articles.models import Article

register = template.Library()


@register.inclusion_tag("includes/read_next.html")
def read_next(article, size=None):
    """Render the newest other published articles, newest first, in one query."""
    items = Article.objects.published().teasers().exclude(pk=article.pk)[: size or settings.READ_NEXT_SIZE]
    return {"items": items}


@register.filter
def newstime(value):
    """Format a publication time as a news list shows it: `18:56` today, `3 Nov` earlier, `3 Nov 2024` in past years."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    today = timezone.localdate()
    if local.date() == today:
        return date_format(local, "H:i")
    if local.year == today.year:
        return date_format(local, "j M")
    return date_format(local, "j M Y")


@register.simple_tag
def pubtime(value):
    """Render a publication time as `<time datetime=…>` with the news list format."""
    if value is None:
        return ""
    return format_html('<time datetime="{}">{}</time>', value.isoformat(), newstime(value))
