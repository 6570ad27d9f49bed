"""Reader pages run a small, fixed number of queries whatever the number of articles."""

import pytest

from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

ARTICLE_PAGE_BUDGET = 5  # article, Read next, navigation, comment count, comment page
LIST_PAGE_BUDGET = 4


@pytest.fixture(params=[1, 40], ids=["few-articles", "many-articles"])
def archive(request):
    categories = [CategoryFactory() for _ in range(4)]
    return [ArticleFactory(category=categories[n % 4]) for n in range(request.param)]


def test_article_page_query_budget(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(ARTICLE_PAGE_BUDGET):
        assert client.get(archive[0].get_absolute_url()).status_code == 200


def test_home_page_query_budget(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIST_PAGE_BUDGET):
        assert client.get("/").status_code == 200


def test_category_page_query_budget(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(LIST_PAGE_BUDGET):
        assert client.get(archive[0].category.get_absolute_url()).status_code == 200
