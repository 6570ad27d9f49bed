"""The site's name and language in templates, straight from settings: they work on pages rendered without a
request or context processors (the error pages), so no template needs to spell them out."""

from django import template
from django.conf import settings
from django.utils.translation import to_locale

register = template.Library()


@register.simple_tag
def site_name():
    return settings.SITE_NAME


def language_tag():
    """Return the site's language as HTML and JSON-LD write it (`en-GB`), from LANGUAGE_CODE."""
    language, _, region = settings.LANGUAGE_CODE.partition("-")
    return f"{language}-{region.upper()}" if region else language


@register.simple_tag
def site_language():
    return language_tag()


def open_graph_locale():
    """Return the site's language as OpenGraph writes it (`en_GB`)."""
    return to_locale(settings.LANGUAGE_CODE)


@register.simple_tag
def search_max_length():
    """The longest search the site takes (articles.search), for the search boxes' maxlength."""
    from articles.search import MAX_QUERY_LENGTH

    return MAX_QUERY_LENGTH


@register.simple_tag
def privacy_notice_url(absolute=False):
    """The privacy notice's address (a site page, `articles.models.PRIVACY_NOTICE`): the comment form and the
    e-mails link it where they ask for or use an e-mail address; in full (`absolute`) for an e-mail."""
    from articles.models import PRIVACY_NOTICE
    from newsportal.site import page_path, site_url

    path = page_path("articles:site-page", slug=PRIVACY_NOTICE)
    return site_url(path) if absolute else path
