"""Revision history: every save keeps a revision (who, when, what changed); editors compare and restore."""

import pytest

from articles import services
from articles.models import Article
from tests.articles.conftest import ADD_URL
from tests.factories import ArticleFactory, AuthorFactory
from tests.forms import list_action

pytestmark = pytest.mark.django_db


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def history_url(article):
    return f"/admin/articles/article/{article.pk}/history/"


def revision_url(article, revision):
    return f"/admin/articles/article/{article.pk}/history/{revision.history_id}/"


@pytest.fixture
def edited(client, new_article_data, admin_form, editor):
    """An article created and then edited by an editor in the admin: new headline, body and a second author."""
    assert client.post(ADD_URL, new_article_data(body="<p>The council voted 40 to 20.</p>")).status_code == 302
    article = Article.objects.get()
    second = AuthorFactory(name="Tomas Lind", slug="tomas-lind")
    data = admin_form(change_url(article)) | {
        "title": "Council approves new library after long debate",
        "body": "<p>The council voted 41 to 19.</p>",
        "bylines-1-author": str(second.pk),
        "bylines-1-position": "1",
        "bylines-TOTAL_FORMS": "2",
    }
    assert client.post(change_url(article), data).status_code == 302
    return Article.objects.get()


def test_every_save_keeps_one_revision_with_who_when_and_authors(edited, editor):
    first, second = edited.history.order_by("history_date")
    assert (first.history_user, second.history_user) == (editor, editor)
    assert first.history_change_reason == "Created · Published"
    assert second.history_change_reason == "Changed headline, body, authors"
    assert first.title == "Council approves new library" and second.title.endswith("after long debate")
    assert list(first.authors.values_list("author__name", flat=True)) == ["Maya Okafor"]
    assert sorted(second.authors.values_list("author__name", flat=True)) == ["Maya Okafor", "Tomas Lind"]


def test_history_lists_revisions_and_what_changed(client, edited):
    html = client.get(history_url(edited)).content.decode()
    assert "2 revisions" in html and "Created" in html
    assert "Changed headline, body, authors" in html and "<td>editor</td>" in html
    changed_fields = html.split("<td>Changed headline, body, authors</td>")[1].split("</td>")[0]
    assert sorted(changed_fields.removeprefix("\n          <td>").split(", ")) == ["Authors", "Body", "Headline"]
    assert 'style="' not in html  # the admin is under the same strict CSP as the site


def test_compare_shows_a_word_diff_against_the_current_version(client, edited):
    first = edited.history.earliest("history_date")
    html = client.get(revision_url(edited, first)).content.decode()
    assert "<del>40</del><ins>41</ins>" in html and "<del>20.</del><ins>19.</ins>" in html
    assert "Council approves new library<ins> after long debate</ins>" in html
    assert "Maya Okafor<ins> and Tomas Lind</ins>" in html
    assert "Restore this revision" in html


def test_compare_two_revisions(client, edited):
    first, second = edited.history.order_by("history_date")
    html = client.get(revision_url(edited, second), {"against": first.history_id}).content.decode()
    assert "<del>41</del><ins>40</ins>" in html  # from the second revision back to the first


def test_restore_brings_back_text_and_authors_but_not_the_publication_state(client, edited, editor):
    first = edited.history.earliest("history_date")
    Article.objects.filter(pk=edited.pk).update(slug="library-vote")  # a later change that restore must keep
    response = client.post(revision_url(edited, first), follow=True)
    assert "Restored the version of" in response.content.decode()
    article = Article.objects.get()
    assert article.title == "Council approves new library"
    assert article.body == article.body_html == "<p>The council voted 40 to 20.</p>"
    assert [author.name for author in article.credited_authors] == ["Maya Okafor"]
    assert article.is_live and article.slug == "library-vote"
    latest = article.history.latest("history_date")
    assert latest.history_user == editor and latest.history_change_reason.startswith("Restored the version of")
    assert article.history.count() == 3  # the replaced text stays in the history: a restore can be undone


def test_moderators_may_compare_but_not_restore(client, edited, moderator):
    first = edited.history.earliest("history_date")
    client.force_login(moderator)
    page = client.get(revision_url(edited, first)).content.decode()
    assert "<del>40</del>" in page and "Restore this revision" not in page
    assert client.post(revision_url(edited, first)).status_code == 403
    assert Article.objects.get().title.endswith("after long debate")


def test_publish_and_unpublish_actions_keep_revisions(client, editor, category):
    story = ArticleFactory(category=category, draft=True)
    client.force_login(editor)
    for action in ("publish_now", "unpublish"):
        list_action(client, action, story)
    reasons = list(story.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[-2:] == ["Published", "Unpublished (back to draft)"]


def test_bad_revision_addresses_give_404(client, edited, editor):
    assert client.get(f"/admin/articles/article/{edited.pk}/history/nonsense/").status_code == 404
    other = ArticleFactory()
    services.article_save(article=other)
    foreign = other.history.latest("history_date")
    assert client.get(revision_url(edited, foreign)).status_code == 404
