"""Static files are served with hashed names, compressed, and cached by browsers for good."""

import pytest
from django.templatetags.static import static
from django.test import Client

from tests.static_tree import collected_static


@pytest.fixture
def collected(settings):
    """Production's storage over the tree `collectstatic` made with production's settings (shared by the tests)."""
    settings.STATIC_ROOT = collected_static()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_stylesheet_has_a_hashed_name_far_future_caching_and_compression(collected):
    url = static("css/site.css")
    assert url.startswith("/static/css/site.") and url != "/static/css/site.css"
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
    assert response["Content-Encoding"] in ("br", "gzip")
    assert (collected / (url.removeprefix("/static/") + ".gz")).exists()
