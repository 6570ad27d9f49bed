"""Bylines name one or more authors ("By A and B"), each with a page listing their published articles."""

from datetime import timedelta

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from tests.factories import ArticleFactory, AuthorFactory
from tests.html import fragment

pytestmark = pytest.mark.django_db


@pytest.fixture
def writers(db):
    return [
        AuthorFactory(name="Maya Okafor", slug="maya-okafor", bio="Covers coastal towns."),
        AuthorFactory(name="Tomas Lind", slug="tomas-lind"),
        AuthorFactory(name="Aisha Raman", slug="aisha-raman"),
    ]


def byline_of(client, article):
    """The byline's markup up to its closing tag: the linked names as the page gives them."""
    return fragment(client.get(article.get_absolute_url()).content, ".story__meta .byline").removesuffix("</span>")


def link(author):
    return f'<a href="/authors/{author.slug}/">{author.name}</a>'


def test_one_two_and_three_authors_read_naturally_in_their_order(client, category, writers):
    maya, tomas, aisha = writers
    one = ArticleFactory(category=category, authors=[maya])
    two = ArticleFactory(category=category, authors=[tomas, maya])
    three = ArticleFactory(category=category, authors=[maya, tomas, aisha])
    assert byline_of(client, one) == f'<span class="byline">{link(maya)}'
    assert byline_of(client, two) == f'<span class="byline">{link(tomas)} and {link(maya)}'
    assert byline_of(client, three) == f'<span class="byline">{link(maya)}, {link(tomas)} and {link(aisha)}'


def test_credit_line_shows_when_no_author_is_set(client, category):
    story = ArticleFactory(category=category, credit_line="Staff and agencies")
    assert byline_of(client, story) == '<span class="byline">Staff and agencies'


def test_author_names_are_escaped(client, category):
    story = ArticleFactory(category=category, authors=[AuthorFactory(name="<b>Bold</b> Writer", slug="bold")])
    assert "&lt;b&gt;Bold&lt;/b&gt; Writer" in byline_of(client, story)


def test_author_page_lists_their_published_articles_newest_first(client, category, writers, site_settings):
    site_settings(articles_per_page=2)
    maya, tomas, _ = writers
    now = timezone.now()
    ArticleFactory(category=category, title="Older by Maya", authors=[maya], published_at=now - timedelta(hours=3))
    ArticleFactory(category=category, title="Joint story", authors=[tomas, maya], published_at=now - timedelta(hours=2))
    ArticleFactory(category=category, title="Newest by Maya", authors=[maya], published_at=now - timedelta(hours=1))
    ArticleFactory(category=category, title="Maya's draft", authors=[maya], draft=True)
    ArticleFactory(category=category, title="Maya's embargoed story", authors=[maya], scheduled=True)
    ArticleFactory(category=category, title="Only Tomas", authors=[tomas])

    first = client.get("/authors/maya-okafor/").content.decode()
    assert "Maya Okafor</h1>" in first and "Covers coastal towns." in first
    assert first.index("Newest by Maya") < first.index("Joint story")
    assert "Older by Maya" not in first and "Page 1 of 2" in first
    second = client.get("/authors/maya-okafor/", {"page": 2}).content.decode()
    assert "Older by Maya" in second
    everything = first + second
    for hidden in ("draft", "embargoed", "Only Tomas"):
        assert hidden not in everything


def test_author_index_links_every_author(client, writers):
    html = client.get("/authors/").content.decode()
    for author in writers:
        assert f'href="{author.get_absolute_url()}"' in html


def test_unknown_author_gives_404(client, db):
    assert client.get("/authors/nobody/").status_code == 404


def test_editor_orders_authors_in_the_admin(client, editor, category, writers, admin_form):
    maya, tomas, _ = writers
    story = ArticleFactory(category=category, authors=[maya, tomas])
    client.force_login(editor)
    url = f"/admin/articles/article/{story.pk}/change/"
    data = admin_form(url)
    assert data["bylines-0-author"] == str(maya.pk) and data["bylines-1-author"] == str(tomas.pk)
    data |= {"bylines-0-position": "2", "bylines-1-position": "1"}
    assert client.post(url, data).status_code == 302
    client.logout()
    assert byline_of(client, story) == f'<span class="byline">{link(tomas)} and {link(maya)}'


def test_an_author_with_articles_cannot_be_deleted_by_accident(client, category, writers):
    ArticleFactory(category=category, authors=[writers[0]])
    with pytest.raises(ProtectedError):
        writers[0].delete()
