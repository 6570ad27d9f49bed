"""How a reader's comment text becomes HTML: escaped, URLs as nofollow links, line breaks kept.

Comments are rendered once when they are stored or edited (`Comment.body_html`), not on every page view.
"""

from django.template.defaultfilters import linebreaks_filter
from django.utils.html import urlize


def render_comment_body(text):
    """Return safe HTML for a reader's text."""
    # urlize with autoescape escapes every character of the reader's text; only its own links are markup.
    linked = urlize(text, nofollow=True, autoescape=True)
    # User-generated links also get "ugc", and "noopener" so the target cannot reach our window.
    linked = linked.replace(' rel="nofollow"', ' rel="nofollow ugc noopener"')
    # The text is escaped already, so linebreaks must not escape the links again.
    return linebreaks_filter(linked, autoescape=False)
