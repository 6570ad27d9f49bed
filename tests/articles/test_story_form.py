"""The story's change form fits the work: counted headline and standfirst, "Save and publish", a title for search
results and a card for social networks, pictures in the text that need their alt text, and a save that records a
change only when readers would see one."""

import json
import re

import pytest

from articles import library
from articles.models import Article
from tests.articles.conftest import ADD_URL
from tests.factories import ArticleFactory, picture
from tests.html import select

pytestmark = pytest.mark.django_db


def change_url(story):
    return f"/admin/articles/article/{story.pk}/change/"


def meta(html, key):
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)


def test_headline_and_standfirst_carry_their_limits_for_the_live_count(client, new_article_data):
    new_article_data()  # logs the editor in
    page = client.get(ADD_URL).content
    [headline] = select(page, "input#id_title")
    [standfirst] = select(page, "input#id_standfirst")
    assert headline.get("data-count-limit") == "60" and "title for search results" in headline.get("data-count-advice")
    assert standfirst.get("data-count-limit") == "160"
    assert select(page, "script[src$='js/char-count.js']")


def test_a_long_headline_saves_with_a_warning_unless_search_results_have_their_own_title(client, new_article_data):
    long = "The harbour barrier closes for the first time in a decade as the storm tide rises"
    response = client.post(ADD_URL, new_article_data(title=long, slug="barrier"), follow=True)
    assert Article.objects.get(slug="barrier").title == long  # saved: a warning, not a refusal
    assert "The headline has 81 characters; search results show about 60." in response.content.decode()

    response = client.post(
        ADD_URL, new_article_data(title=long, slug="barrier-2", seo_title="Harbour barrier closes"), follow=True
    )
    assert "search results show about 60" not in response.content.decode()


def test_save_and_publish_publishes_a_draft_with_the_publication_checks(client, new_article_data):
    response = client.post(ADD_URL, new_article_data(status="draft", _move="publish"))
    assert response.status_code == 302
    story = Article.objects.get()
    assert story.status == Article.Status.PUBLISHED and story.is_live

    refused = client.post(ADD_URL, new_article_data(status="draft", slug="other", standfirst="", _move="publish"))
    assert refused.status_code == 200
    assert "Write a standfirst before publishing" in refused.content.decode()
    assert not Article.objects.filter(slug="other").exists()


def test_only_those_who_may_publish_see_save_and_publish(client, new_article_data, reporter):
    new_article_data()
    assert "Save and publish" in client.get(ADD_URL).content.decode()
    client.force_login(reporter)
    page = client.get(ADD_URL).content.decode()
    assert "Save and publish" not in page and "Save and submit for review" in page
    # Posting the move anyway publishes nothing: a reporter's story stays a draft.
    data = new_article_data(_move="publish", slug="reporters-story")
    client.force_login(reporter)
    data.pop("status")
    client.post(ADD_URL, data)
    assert Article.objects.get(slug="reporters-story").status == Article.Status.DRAFT


def test_a_picture_in_the_text_needs_its_alt_text(client, new_article_data):
    undescribed = picture("no-alt.jpg", alt_text="")
    body = f'<p>Before.</p><figure data-picture="{undescribed.pk}" data-size="column"></figure>'
    response = client.post(ADD_URL, new_article_data(body=body))
    assert response.status_code == 200
    assert "“no-alt.jpg” in the text has no alt text" in response.content.decode()
    assert not Article.objects.exists()
    [kept] = select(response.content, "textarea#id_body")
    assert f'data-picture="{undescribed.pk}"' in kept.text  # what was written is still there

    missing = client.post(ADD_URL, new_article_data(body='<figure data-picture="999999"></figure><p>x</p>'))
    assert "Picture 999999 is no longer in the media library" in missing.content.decode()


def test_the_editor_rewriting_a_body_the_same_way_is_not_a_change(client, editor, category, admin_form):
    story = ArticleFactory(category=category, body="<p>One.</p><table><tbody><tr><td>x</td></tr></tbody></table>")
    client.force_login(editor)
    # As the editor sends it back untouched: with an empty line where Enter was pressed twice.
    data = admin_form(change_url(story)) | {
        "body": "<p>One.</p><p></p><table><tbody><tr><td>x</td></tr></tbody></table>"
    }
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.body == "<p>One.</p><table><tbody><tr><td>x</td></tr></tbody></table>"  # the empty line dropped
    assert story.history.latest("history_date").history_change_reason == "Saved unchanged"


def test_search_title_social_title_and_social_picture_reach_the_page(client, category):
    lead = picture("lead.jpg", (1600, 900), alt_text="The harbour at dawn")
    social = picture("card.jpg", (1200, 630), alt_text="The barrier's gates, closed")
    story = ArticleFactory(
        category=category,
        title="Barrier holds",
        seo_title="Varnholm flood barrier holds through record storm surge",
        social_title="The barrier held. Here is how",
        lead_image=lead,
        social_image=social,
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert "<title>Varnholm flood barrier holds through record storm surge · Newsportal</title>" in html
    assert meta(html, "og:title") == meta(html, "twitter:title") == ["The barrier held. Here is how"]
    assert meta(html, "og:image")[0].endswith("-1200.jpg") and "card" in meta(html, "og:image")[0]
    assert meta(html, "og:image:alt") == ["The barrier&#x27;s gates, closed"]
    [data] = [json.loads(s.text) for s in select(html, 'script[type="application/ld+json"]') if "NewsArticle" in s.text]
    assert data["headline"] == "Varnholm flood barrier holds through record storm surge"
    assert ["card" in image["url"] for image in data["image"]] == [True, False]  # the social picture, the lead
    assert select(html, "h1")[0].text.strip() == "Barrier holds"  # the page keeps its headline

    plain = ArticleFactory(category=category, title="Gates reopen", slug="gates-reopen", lead_image=lead)
    html = client.get(plain.get_absolute_url()).content.decode()
    assert meta(html, "og:title") == ["Gates reopen"] and "lead" in meta(html, "og:image")[0]


def test_a_social_picture_counts_as_a_use_in_the_library(category):
    card = picture("card.jpg", alt_text="A card")
    ArticleFactory(category=category, social_image=card)
    with pytest.raises(library.PictureInUse, match="social picture of 1 story"):
        library.image_delete(image=card)
