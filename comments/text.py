"""How a reader's comment text becomes HTML: escaped, links as nofollow links, line breaks kept.

Comments are rendered once when they are stored or edited (`Comment.body_html`), not on every page view. The
links are the ones `comments.matching.find_links` finds, the same the link rule counts.
"""

from django.template.defaultfilters import linebreaks_filter
from django.utils.html import escape, format_html

from .matching import find_links


def render_comment_body(text):
    """Return safe HTML for a reader's text."""
    parts, position = [], 0
    for link in find_links(text):
        parts.append(escape(text[position : link.start]))
        # User-generated links get "ugc", and "noopener" so the target cannot reach our window.
        parts.append(
            format_html('<a href="{}" rel="nofollow ugc noopener">{}</a>', link.url, text[link.start : link.end])
        )
        position = link.end
    parts.append(escape(text[position:]))
    # Every part is escaped already (format_html escapes the URL and the text), so linebreaks must not escape again.
    return linebreaks_filter("".join(parts), autoescape=False)
