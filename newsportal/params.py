"""Reading numbers from query strings and forms, one way everywhere.

`str.isdigit()` accepts `²` and `①`, which `int()` refuses (a 500), so whatever a URL carries is checked here:
ASCII digits only, positive, and bounded.
"""

import re

DIGITS = re.compile(r"[0-9]{1,9}")
LIMIT = 10**9 - 1
MAX_PAGE = 10**6  # no list of ours is longer; past the last page is a 404 anyway
# The orders of a story's comment section (`?sort=`) as readers see them named; comments.models.SECTION_ORDERS
# gives each its SQL, and the site settings which one a reader sees first.
COMMENT_ORDERS = {
    "picks": "Editor’s picks first",
    "best": "Best",
    "oldest": "Oldest first",
    "newest": "Newest first",
}
# What the comment section may be narrowed to (`?show=`); comments.models.SECTION_FILTERS gives each its SQL.
COMMENT_FILTERS = ("answered", "newsroom")


def positive_int(value, *, default=None, maximum=LIMIT):
    """Return `value` as an integer from 1 to `maximum`; `default` for anything else (``, `0`, `-1`, `²`, `1e3`)."""
    if isinstance(value, str) and DIGITS.fullmatch(value):
        number = int(value)
        if 1 <= number <= maximum:
            return number
    return default


# --- What a public page's cache key keeps of each parameter (`newsportal.pagecache.public_page(reads=…)`) ----------
# Each returns the value as the view should see it, or None to drop it: values out of range never reach the key,
# so they cannot fill the cache with copies of one page.


def page_number(value):
    """Keep a page number above 1; drop 1 and anything that is not a page number (the view shows page 1)."""
    number = positive_int(value, maximum=MAX_PAGE)
    return str(number) if number is not None and number > 1 else None


def one_of(*choices, default=None):
    """Keep a value from `choices`, dropping the default (a value, or a function giving the current one) and anything
    unknown (the view shows the default)."""

    def normalise(value):
        return value if value in choices and value != (default() if callable(default) else default) else None

    return normalise


def text(value):
    """Keep free text as sent (a search query: the view cleans it and says when it was shortened)."""
    return value
