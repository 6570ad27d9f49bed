"""Reading numbers from query strings and forms, one way everywhere.

`str.isdigit()` accepts `²` and `①`, which `int()` refuses (a 500), so whatever a URL carries is checked here:
ASCII digits only, positive, and bounded.
"""

import re

DIGITS = re.compile(r"[0-9]{1,9}")
LIMIT = 10**9 - 1


def positive_int(value, *, default=None, maximum=LIMIT):
    """Return `value` as an integer from 1 to `maximum`; `default` for anything else (``, `0`, `-1`, `²`, `1e3`)."""
    if isinstance(value, str) and DIGITS.fullmatch(value):
        number = int(value)
        if 1 <= number <= maximum:
            return number
    return default
