"""Reader pages run a small, fixed number of queries whatever the number of articles, authors and notes."""

import pytest

from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, CommentFactory, CorrectionFactory
from tests.queries import at_most_page_queries

pytestmark = pytest.mark.django_db

# Article: the article, its authors and its notes (three small reads rather than JSON sub-selects, issue 15),
# navigation with the breaking banner, the footer's site pages, Read next, Most read, and the comment section's two
# (one page of threads with the counts, their replies). Each is compiled once per process (issue 27,
# `newsportal.db.prepared`), so a query more costs a round trip, not a compile. The page's own queries: counting
# the view is a cache operation (tests/queries.py).
ARTICLE_PAGE_BUDGET = 9
# A story first rendered with the page cache on, after others (the long tail: crawlers, old links): the parts every
# page shares (navigation with the banner and the footer, Read next, Most read) come from the cache; the page's own
# are the article, its authors, its notes, and the comment section's two.
LONG_TAIL_ARTICLE_BUDGET = 5
# Every page's chrome is two queries: the sections with the banner, and the footer's site pages. Each teaser's
# comment count is a column of the story (no query per teaser); Most discussed is one query of its own.
HOME_PAGE_BUDGET = 6  # chrome, pins, newest stories, Most read, Most discussed
CATEGORY_PAGE_BUDGET = 7  # chrome, the category, count, page, Most read, Most discussed
LIST_PAGE_BUDGET = 5  # author, corrections: chrome, object, count, page


@pytest.fixture(params=[1, 40], ids=["few-articles", "many-articles"])
def archive(request):
    """Articles that use every feature a reader page shows: authors, notes, pins, a banner and comments."""
    categories = [CategoryFactory() for _ in range(4)]
    writers = [AuthorFactory() for _ in range(3)]
    articles = [
        ArticleFactory(category=categories[n % 4], authors=[writers[n % 3], writers[(n + 1) % 3]])
        for n in range(request.param)
    ]
    first = articles[0]
    first.pinned_lead = first.is_breaking = True
    first.top_story_rank = 1
    first.save()
    CorrectionFactory(article=first)
    CorrectionFactory(article=first, kind="update")
    CommentFactory(article=first)
    return articles


def test_article_page_query_budget(client, archive):
    with at_most_page_queries(ARTICLE_PAGE_BUDGET):
        html = client.get(archive[0].get_absolute_url()).content.decode()
    assert "Updated" in html and "Breaking" in html and " and " in html  # the features were on the page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the page cache works after commit
def test_a_long_tail_story_runs_only_its_own_queries(client, settings, archive):
    settings.PAGE_CACHE_SECONDS = 60
    client.get(ArticleFactory(category=archive[0].category).get_absolute_url())  # another story builds the shared parts
    with at_most_page_queries(LONG_TAIL_ARTICLE_BUDGET):
        page = client.get(archive[0].get_absolute_url())
    assert page["X-Cache"] == "MISS"
    assert "Read next" in page.content.decode() and "Breaking" in page.content.decode()


def test_home_page_query_budget(client, archive):
    with at_most_page_queries(HOME_PAGE_BUDGET):
        page = client.get("/").content.decode()
    assert "1 comment" in page and "Most discussed" in page  # the counts and the list were on the page


def test_category_page_query_budget(client, archive):
    with at_most_page_queries(CATEGORY_PAGE_BUDGET):
        page = client.get(archive[0].category.get_absolute_url()).content.decode()
    assert "1 comment" in page and "Most discussed" in page


def test_author_page_query_budget(client, archive):
    author = archive[0].credited_authors[0]
    with at_most_page_queries(LIST_PAGE_BUDGET):
        assert client.get(f"/authors/{author.slug}/").status_code == 200


def test_corrections_page_query_budget(client, archive):
    with at_most_page_queries(LIST_PAGE_BUDGET):
        assert client.get("/corrections/").status_code == 200
