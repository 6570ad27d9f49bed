import pytest

from newsportal.roles import EDITORS, MODERATORS
from tests.factories import ArticleFactory, CategoryFactory, UserFactory


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Keep uploaded and generated files out of the project tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache (rate limits, cached pages)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def category(db):
    return CategoryFactory(name="World News", slug="world-news")


@pytest.fixture
def article(category):
    return ArticleFactory(category=category, title="Harbour cranes return", slug="harbour-cranes-return")


@pytest.fixture
def editor(db):
    return UserFactory(username="editor", groups=[EDITORS])


@pytest.fixture
def moderator(db):
    return UserFactory(username="moderator", groups=[MODERATORS])
