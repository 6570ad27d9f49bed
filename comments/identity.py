"""Commenters prove who they are by e-mail alone: no account, no password, nothing on the cacheable pages.

- A *confirmation link* (e-mailed for a comment from an unproven address) is signed, names the comment and its
  address, and expires after the `confirm_max_age` site setting. Following it marks that comment verified and the
  address verified, and leaves a signed cookie in the reader's browser.
- The *cookie* is read only by the comment form (a per-reader page, never cached): a comment sent with the address
  the cookie names is verified at once. Typing a known address is not enough: without the cookie the comment waits
  for its own link.
- *Address links* (unsubscribe, erase) are signed for one address and do not expire, as mail clients keep them.

Anything that trusts an author looks only at verified comments (`comments.moderation.Standing`).
"""

import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse

from newsportal.site import site_url
from newsportal.sitesettings import site_settings

CONFIRM_SALT = "comments.confirm"
ADDRESS_SALT = "comments.address"
COOKIE_SALT = "comments.commenter"
COOKIE_NAME = "commenter"
COOKIE_MAX_AGE = 365 * 24 * 3600


def confirmation_token(comment):
    return signing.dumps({"comment": comment.pk, "email": comment.author_email}, salt=CONFIRM_SALT)


def read_confirmation(token):
    """Return (comment id, address) of a confirmation link; raise `signing.BadSignature` (or its
    `SignatureExpired`) for a tampered or expired one."""
    data = signing.loads(token, salt=CONFIRM_SALT, max_age=site_settings().confirm_max_age)
    return data["comment"], data["email"]


def confirmation_url(comment):
    return site_url(reverse("comments:confirm", kwargs={"token": confirmation_token(comment)}))


def address_token(email):
    return signing.dumps({"email": email}, salt=ADDRESS_SALT)


def read_address(token):
    """Return the address of an unsubscribe or erase link; raise `signing.BadSignature` when tampered."""
    return signing.loads(token, salt=ADDRESS_SALT)["email"]


def unsubscribe_url(email):
    return site_url(reverse("comments:unsubscribe", kwargs={"token": address_token(email)}))


def erase_url(email):
    return site_url(reverse("comments:erase", kwargs={"token": address_token(email)}))


def remember(response, email):
    """Leave the signed cookie that proves the address on this browser's later comments."""
    response.set_cookie(
        COOKIE_NAME,
        signing.dumps({"email": email}, salt=COOKIE_SALT),
        max_age=COOKIE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def proven_address(request):
    """Return the address this browser proved (its cookie), or None."""
    try:
        return signing.loads(request.COOKIES.get(COOKIE_NAME, ""), salt=COOKIE_SALT, max_age=COOKIE_MAX_AGE)["email"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


# --- A guest's browser, for one-per-reader actions (reports) without an account --------------------------------

BROWSER_COOKIE = "reader"
BROWSER_SALT = "comments.browser"


def browser_token(request):
    """Return this browser's signed random token (set by `remember_browser` on a per-reader page), or None."""
    try:
        return signing.loads(request.COOKIES.get(BROWSER_COOKIE, ""), salt=BROWSER_SALT, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:
        return None


def remember_browser(request, response):
    """Give the browser a token if it has none (only ever on per-reader pages: never on a cacheable one)."""
    if browser_token(request) is None:
        response.set_cookie(
            BROWSER_COOKIE,
            signing.dumps(secrets.token_urlsafe(16), salt=BROWSER_SALT),
            max_age=COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response
