"""Settings for the test suite: production settings with fast, hermetic overrides.

Hermetic: neither the developer's `.env` nor their shell's variables change what the tests see. Every variable
the site reads is dropped before the settings load, so each setting takes its documented default, except the
two that choose the services of CI's two passes (DATABASE_URL, REDIS_URL).
"""

import os
import re
from pathlib import Path

SERVICES = {"DATABASE_URL", "REDIS_URL"}
_source = (Path(__file__).resolve().parents[1] / "newsportal" / "settings.py").read_text()
for _name in set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', _source)) - SERVICES:
    os.environ.pop(_name, None)
os.environ["NEWSPORTAL_ENV_FILE"] = ""  # no .env: also for the commands and servers the tests start
os.environ["SECRET_KEY"] = "tests-only-secret-key-not-used-anywhere-else"
os.environ["SITE_URL"] = "http://testserver"
# Cache keys of this test process only: two runs of the suite (or two workers of one) on the same Redis never
# meet, and clearing the cache between tests removes these keys alone (newsportal.cache.RedisCache.clear).
os.environ["CACHE_KEY_PREFIX"] = f"tests-{os.getpid()}"

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
