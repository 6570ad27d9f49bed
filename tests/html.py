"""Read rendered pages as a browser would: elements found by CSS selectors, and the text a reader sees."""

import lxml.html


def page(html):
    """Return the parsed document of a page (or of a fragment)."""
    if isinstance(html, bytes):
        html = html.decode()
    return lxml.html.fromstring(html) if isinstance(html, str) else html


def select(html, selector):
    """Return the elements matching a CSS selector, in document order."""
    return page(html).cssselect(selector)


def text_of(element):
    """Return an element's text with its whitespace collapsed, as it reads on screen."""
    return " ".join(element.text_content().split())


def fragment(html, selector):
    """Return the markup of the first element matching a CSS selector, or "" when the page has none."""
    found = select(html, selector)
    return lxml.html.tostring(found[0], encoding="unicode", with_tail=False) if found else ""
