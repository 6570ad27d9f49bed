"""Settings for the test suite: production settings with fast, hermetic overrides."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-used-anywhere-else")
os.environ.setdefault("SITE_URL", "http://testserver")

from newsportal.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the source folders: the suite never runs collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Login lock-out is switched on by the tests that are about it; elsewhere `client.login()` has no request.
AXES_ENABLED = False
# Pages are rebuilt on every request unless a test is about the page cache (tests/newsportal/test_pagecache.py).
PAGE_CACHE_SECONDS = 0
