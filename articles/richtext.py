"""Story bodies: HTML from the editor (django-prose-editor), sanitised on every save with one allow-list.

Nothing an editor types or pastes reaches a reader raw. nh3 keeps only the allow-list below: paragraphs,
subheadings, lists, links, emphasis, quotes and pull quotes, tables, rules, figures/images whose source is our own
media storage, pictures of the media library (`<figure data-picture="12" data-size="column">`) and embeds
(`<figure data-embed="youtube" data-url="…">`, checked against `articles.embeds`). Scripts, styles, event
handlers, frames, forms and `javascript:` or `data:` URLs never survive; links to other sites get
`rel="noopener noreferrer"`. A link to an embeddable page pasted on a line of its own becomes that embed; a link
that only looks like one (`youtube.com.evil.example`) stays a link. Pictures and embeds are rendered when the page
is shown (`articles_tags.rendered_body`), so a picture processed later, or an embed's placeholder, is always
current. `clean_body` refuses what should not be stored at all, with a message (too long, tables nested deep).

Markdown, the body's format until the editor came, is still read by `markdown_to_html` (the demo's texts, and
the live updates' key points typed by hand).
"""

import re
from html import unescape
from urllib.parse import urlsplit

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from markdown_it import MarkdownIt

from newsportal.params import positive_int

from . import embeds

ALLOWED_TAGS = {
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "s",
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
    # A picture from the media library, or an embed, placed in the body: the page renders them.
    "figure": {"data-picture", "data-size", "data-embed", "data-url"},
    "blockquote": {"class"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
PICTURE_SIZES = ("column", "full")
PULL_QUOTE = "pull-quote"  # <blockquote class="pull-quote">: a line of the story set large beside it
# What a body may be: longer is refused with the text kept in the form; tables inside tables deeper than this are
# refused (pasted from a page built with them, never a story's).
BODY_MAX_CHARS = 300_000
DROPPED_SCHEMES = ("javascript:", "data:", "vbscript:", "file:", "blob:")
MAX_TABLE_DEPTH = 2
URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_REL = "noopener noreferrer"

# The article's headline is the page's only <h1>; a "# heading" in the body becomes an <h2>.
HEADING_LEVEL_SHIFT = {"h1": "h2"}

_markdown = MarkdownIt("commonmark", {"html": True})
# nh3 serialises every attribute as name="value" with `"` escaped, so this matches whole <a …> tags exactly.
_ANCHOR = re.compile(r'<a((?:\s+[a-z-]+="[^"]*")*)>')
_HREF = re.compile(r'\shref="([^"]*)"')
_IMAGE = re.compile(r'<img((?:\s+[a-z-]+="[^"]*")*)>')
# `![](image:12)` on a line of its own (`![](image:12 "full")` for the full width): a library picture in Markdown.
_LIBRARY_PICTURE = re.compile(r'<p><img src="image:([0-9]{1,12})" alt="[^"]*"(?: title="([a-z]+)")? ?/?></p>')
# A picture or an embed placed in a body (an empty figure: its content is rendered when the page is shown).
FIGURE = re.compile(r"<figure((?:\s+[a-z-]+=\"[^\"]*\")*)></figure>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
# A paragraph holding nothing but one link (as text or as an anchor): an embed, if it is one.
_LONE_LINK = re.compile(r'<p>\s*(?:<a href="(https://[^"]+)"[^>]*>[^<]*</a>|(https://[^\s<]+))\s*</p>')
_TABLE_TAG = re.compile(r"<(/?)table\b")
# A paragraph with nothing to read (the editor leaves one where Enter was pressed twice, or in an empty cell).
_EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|\u00a0|<br>)*</p>")
# One way to write each thing, so that the editor's HTML and the Markdown converted before it compare equal (a
# save changes a body only when readers would see a change): no spaces between blocks, a list item or a table
# cell's only paragraph unwrapped, no colspan or rowspan of 1.
_BLOCK_TAGS = "p|h2|h3|h4|ul|ol|li|blockquote|table|thead|tbody|tr|th|td|figure|figcaption|hr"
_BETWEEN_BLOCKS = re.compile(rf">\s+(?=</?(?:{_BLOCK_TAGS})\b)")
_ITEM_PARAGRAPH = re.compile(r"<li><p>((?:(?!</?(?:p|li|ul|ol)\b).)*)</p>(?=</li>|<ul|<ol)", re.DOTALL)
_CELL_PARAGRAPH = re.compile(r"<(td|th)((?:\s[^>]*)?)><p>((?:(?!</?(?:p|td|th)\b).)*)</p></\1>", re.DOTALL)
_SPAN_OF_ONE = re.compile(r'\s(?:colspan|rowspan)="1"')


def markdown_to_html(text: str) -> str:
    """Return the sanitised HTML of a text written in Markdown (headings one level down: the page has the h1)."""
    tokens = _markdown.parse(text or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = HEADING_LEVEL_SHIFT.get(token.tag, token.tag)
    html = _markdown.renderer.render(tokens, _markdown.options, {})
    return sanitize(_LIBRARY_PICTURE.sub(_placed_picture, html))


render_markdown = markdown_to_html  # the name migration 0004 renders the bodies of its time with


def _placed_picture(match: re.Match) -> str:
    size = match.group(2) if match.group(2) in PICTURE_SIZES else "column"
    return f'<figure data-picture="{match.group(1)}" data-size="{size}"></figure>'


def clean_body(html: str) -> str:
    """Return a body from the editor (or pasted, or crafted) reduced to the allow-list, ready to store and show.

    Raises ValidationError for what is refused rather than cleaned: a body over BODY_MAX_CHARS, tables nested
    deeper than MAX_TABLE_DEPTH, a link that is not a well-formed web address.
    """
    problems = body_problems(html)
    if problems:
        raise ValidationError(problems)
    return sanitize(html)


def body_problems(html: str) -> list[str]:
    """Return why a body cannot be stored, in words for its editor (none: it can)."""
    html = html or ""
    if len(html) > BODY_MAX_CHARS:
        return [
            _("The text is %(length)s characters long with its formatting; a story may have at most %(limit)s.")
            % {"length": f"{len(html):,}", "limit": f"{BODY_MAX_CHARS:,}"}
        ]
    depth = deepest = 0
    for match in _TABLE_TAG.finditer(html.lower()):
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    if deepest > MAX_TABLE_DEPTH:
        return [
            _("This text has tables inside tables %(depth)d deep (pasted from a web page?). Paste it as plain text.")
            % {"depth": deepest}
        ]
    # Links with a scheme no story uses (javascript:, data:) are simply dropped by the sanitiser; what is refused
    # is a link meant as a web address that goes nowhere ("htp:/…", "https://", "www.example" without https://).
    meant = [href for href in _HREF.findall(html) if not unescape(href).lower().startswith(DROPPED_SCHEMES)]
    bad = [href for href in meant if not is_well_formed_link(unescape(href))]
    if bad:
        return [
            _("These links are not web addresses: %(links)s. Correct them (https://…) or remove them.")
            % {"links": ", ".join(f"“{link}”" for link in bad[:5])}
        ]
    return []


def is_well_formed_link(href: str) -> bool:
    """Whether a link in a body goes somewhere: a full web address, an e-mail address, or a path of this site."""
    if (href.startswith("/") and not href.startswith("//")) or href.startswith("#"):
        return True
    if href.startswith("mailto:"):
        return "@" in href
    try:
        URLValidator(schemes=["http", "https"])(href)
    except ValidationError:
        return False
    return True


def figures_in(html: str):
    """Yield (attributes, match) of each picture or embed placed in a sanitised body."""
    for match in FIGURE.finditer(html or ""):
        yield dict(_ATTRIBUTE.findall(match.group(1))), match


def pictures_in(html: str) -> list[int]:
    """Return the ids of the library pictures placed in a body, in order."""
    return [int(attributes["data-picture"]) for attributes, _match in figures_in(html) if "data-picture" in attributes]


def embeds_in(html: str) -> list:
    """Return the embeds placed in a body, in order (`articles.embeds.Embed`)."""
    found = (embeds.find(unescape(attributes.get("data-url", ""))) for attributes, _match in figures_in(html))
    return [embed for embed in found if embed is not None]


def text_of(html: str) -> str:
    """Return the text of a body as a reader reads it: paragraphs apart, no tags (for word counts and diffs)."""
    spaced = re.sub(r"</(p|h[1-6]|li|blockquote|tr|figure)>|<br\s*/?>", "\n\n", html or "")
    text = unescape(re.sub(r"<[^>]+>", "", spaced))
    return re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+", " ", text)).strip()


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
    cleaned = canonical(cleaned)
    cleaned = _IMAGE.sub(_drop_image_without_source, cleaned)
    cleaned = _LONE_LINK.sub(_embed_or_link, cleaned)
    cleaned = FIGURE.sub(_checked_figure, cleaned)
    cleaned = _EMPTY_PARAGRAPH.sub("", cleaned)
    return _ANCHOR.sub(_mark_external_link, cleaned)


def canonical(html: str) -> str:
    """Return allow-listed HTML written the one way bodies are stored (see `_BETWEEN_BLOCKS` and below)."""
    html = _BETWEEN_BLOCKS.sub(">", html.strip())
    html = _ITEM_PARAGRAPH.sub(r"<li>\1", html)
    html = _CELL_PARAGRAPH.sub(r"<\1\2>\3</\1>", html)
    return _SPAN_OF_ONE.sub("", html)


def _embed_or_link(match: re.Match) -> str:
    url = unescape(match.group(1) or match.group(2))
    embed = embeds.find(url)
    if embed is None:
        return match.group(0)
    return format_html('<figure data-embed="{}" data-url="{}"></figure>', embed.provider.key, embed.url)


def _checked_figure(match: re.Match) -> str:
    """Keep a placed picture or embed in its one written form; an embed that is not one becomes a plain link."""
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    if "data-picture" in attributes:
        size = attributes.get("data-size") if attributes.get("data-size") in PICTURE_SIZES else "column"
        return format_html('<figure data-picture="{}" data-size="{}"></figure>', attributes["data-picture"], size)
    url = unescape(attributes.get("data-url", ""))
    embed = embeds.find(url)
    if embed is not None and embed.provider.key == attributes.get("data-embed"):
        return format_html('<figure data-embed="{}" data-url="{}"></figure>', embed.provider.key, embed.url)
    return format_html('<p><a href="{}">{}</a></p>', url, url) if is_well_formed_link(url) else ""


def is_own_media(url: str) -> bool:
    """Tell whether an image URL points into our media storage (no other hosts, no path tricks)."""
    media = settings.MEDIA_URL
    return bool(url) and url.startswith(media) and ".." not in url and "\\" not in url and media not in ("", "/")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not is_own_media(value):
        return None
    if tag == "blockquote" and attribute == "class" and value != PULL_QUOTE:
        return None
    if attribute in ("colspan", "rowspan") and positive_int(value, maximum=50) is None:
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
