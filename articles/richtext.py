"""Article bodies: Markdown written by editors, rendered to HTML once on save and sanitized with nh3.

Nothing an editor types reaches a reader raw. Markdown (with inline HTML for figures) is rendered by
markdown-it-py, then nh3 keeps only an allow-list of tags and attributes: paragraphs, subheadings, lists, links,
emphasis, quotes, rules, figures/images whose source is our own media storage, and pictures of the media library
placed with `![](image:12)` on a line of their own (`![](image:12 "full")` for the page's width), which the page
renders with their renditions (`articles_tags.body_with_pictures`). Scripts, styles, event handlers, frames, forms
and `javascript:` or `data:` URLs never survive. Links to other sites get `rel="noopener noreferrer"`.
"""

import re
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from markdown_it import MarkdownIt

from newsportal.params import positive_int

ALLOWED_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "ul",
    "ol",
    "li",
    "a",
    "em",
    "strong",
    "blockquote",
    "hr",
    "figure",
    "figcaption",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start"},
    # A picture from the media library, placed in the body: the page renders it with its renditions.
    "figure": {"data-picture", "data-size"},
}
PICTURE_SIZES = ("column", "full")
URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_REL = "noopener noreferrer"

# The article's headline is the page's only <h1>; a "# heading" in the body becomes an <h2>.
HEADING_LEVEL_SHIFT = {"h1": "h2"}

_markdown = MarkdownIt("commonmark", {"html": True})
# nh3 serialises every attribute as name="value" with `"` escaped, so this matches whole <a …> tags exactly.
_ANCHOR = re.compile(r'<a((?:\s+[a-z-]+="[^"]*")*)>')
_HREF = re.compile(r'\shref="([^"]*)"')
_IMAGE = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)>')
# `![](image:12)` on a line of its own (`![](image:12 "full")` for the full width): a library picture.
_LIBRARY_PICTURE = re.compile(r'<p><img src="image:([0-9]{1,12})" alt="[^"]*"(?: title="([a-z]+)")? ?/?></p>')
PICTURE = re.compile(r'<figure data-picture="([0-9]{1,12})"(?: data-size="([a-z]+)")?></figure>')


def render_markdown(text: str) -> str:
    """Return the sanitized HTML of an article body written in Markdown."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = HEADING_LEVEL_SHIFT.get(token.tag, token.tag)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return sanitize(_LIBRARY_PICTURE.sub(_placed_picture, html))


def _placed_picture(match: re.Match) -> str:
    size = match.group(2) if match.group(2) in PICTURE_SIZES else "column"
    return f'<figure data-picture="{match.group(1)}" data-size="{size}"></figure>'


def pictures_in(html: str) -> list[int]:
    """Return the ids of the library pictures placed in a rendered body, in order."""
    return [int(match.group(1)) for match in PICTURE.finditer(html or "")]


def sanitize(html: str) -> str:
    """Return `html` reduced to the body allow-list, with our rel on links to other sites."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        attribute_filter=_filter_attribute,
        link_rel=None,
        strip_comments=True,
        set_tag_attribute_values={"img": {"loading": "lazy"}},
    )
    cleaned = _IMAGE.sub(_drop_image_without_source, cleaned)
    return _ANCHOR.sub(_mark_external_link, cleaned)


def is_own_media(url: str) -> bool:
    """Tell whether an image URL points into our media storage (no other hosts, no path tricks)."""
    media = settings.MEDIA_URL
    return bool(url) and url.startswith(media) and ".." not in url and "\\" not in url and media not in ("", "/")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_own_media(value):
        return None
    if attribute == "data-picture" and positive_int(value, maximum=10**12) is None:
        return None
    if attribute == "data-size" and value not in PICTURE_SIZES:
        return None
    if attribute in ("width", "height") and positive_int(value, maximum=10_000) is None:
        return None
    return value


def _is_external(href: str) -> bool:
    parts = urlsplit(href.replace("&amp;", "&"))
    if not parts.netloc:
        return False
    own_hosts = {host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"}
    return (parts.hostname or "") not in own_hosts


def _drop_image_without_source(match: re.Match) -> str:
    # The filter removed a foreign or missing source: an image without one would show as broken.
    return match.group(0) if ' src="' in match.group(1) else ""


def _mark_external_link(match: re.Match) -> str:
    attributes = match.group(1)
    href = _HREF.search(attributes)
    if href and _is_external(href.group(1)):
        return f'<a{attributes} rel="{EXTERNAL_REL}">'
    return match.group(0)
