"""Editors' checks before publishing: a clear message, and nothing goes live until it is fixed."""

import pytest

from articles.models import Article
from articles.publishing import STANDFIRST_LIMIT
from tests.articles.conftest import ADD_URL
from tests.factories import ArticleFactory, picture
from tests.forms import list_action

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"standfirst": ""}, "Write a standfirst before publishing"),
        ({"standfirst": "   "}, "Write a standfirst before publishing"),
        (
            {"standfirst": "x" * (STANDFIRST_LIMIT + 1)},
            f"The standfirst has {STANDFIRST_LIMIT + 1} characters; Read next shows at most {STANDFIRST_LIMIT}.",
        ),
        ({"lead_image": "no-alt"}, "This picture has no alt text: describe it in the media library"),
        ({"bylines-0-author": ""}, "Add at least one author (or a credit line) before publishing."),
    ],
    ids=["empty-standfirst", "blank-standfirst", "long-standfirst", "missing-alt-text", "no-author"],
)
def test_publishing_with_a_problem_shows_a_message_and_publishes_nothing(client, new_article_data, overrides, message):
    if overrides.get("lead_image") == "no-alt":
        overrides = overrides | {"lead_image": str(picture(alt_text="").pk)}
    response = client.post(ADD_URL, new_article_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_a_draft_may_be_saved_unfinished(client, new_article_data):
    response = client.post(
        ADD_URL, new_article_data(status=Article.Status.DRAFT, standfirst="", **{"bylines-0-author": ""})
    )
    assert response.status_code == 302
    assert Article.objects.get().status == Article.Status.DRAFT


def test_a_credit_line_is_enough_without_authors(client, new_article_data):
    data = new_article_data(credit_line="Staff and agencies", **{"bylines-0-author": ""})
    assert client.post(ADD_URL, data).status_code == 302
    assert Article.objects.get().is_live


def test_standfirst_at_the_limit_is_fine(client, new_article_data):
    assert client.post(ADD_URL, new_article_data(standfirst="y" * STANDFIRST_LIMIT)).status_code == 302


def test_publish_action_refuses_unfinished_drafts_and_says_why(client, editor, category):
    ready = ArticleFactory(category=category, title="Ready to go", draft=True)
    unfinished = ArticleFactory(category=category, title="Half written", standfirst="", draft=True)
    client.force_login(editor)
    response = list_action(client, "publish_now", ready, unfinished)
    html = response.content.decode()
    assert "1 article(s) published." in html
    assert "Not published: “Half written”: Write a standfirst before publishing" in html
    ready.refresh_from_db()
    unfinished.refresh_from_db()
    assert ready.is_live and unfinished.status == Article.Status.DRAFT
