"""The moderators' queue in the admin, and the permission split between moderators and editors."""

from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import BlockedTerm, Comment, ModerationLog
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

QUEUE = "/admin/comments/comment/"


def act(client, action, comments):
    return client.post(QUEUE, {"action": action, "_selected_action": [c.pk for c in comments]}, follow=True)


def test_admin_index_shows_how_many_comments_wait(client, moderator, article):
    CommentFactory.create_batch(3, article=article, status=Comment.Status.PENDING)
    CommentFactory(article=article, status=Comment.Status.APPROVED)
    client.force_login(moderator)
    assert "3 comments wait for moderation" in client.get("/admin/").content.decode()


def test_editor_does_not_see_the_queue_count(client, editor, article):
    CommentFactory(article=article, status=Comment.Status.PENDING)
    client.force_login(editor)
    assert "wait for moderation" not in client.get("/admin/").content.decode()


def test_queue_defaults_to_waiting_comments_oldest_first(client, moderator, article):
    now = timezone.now()
    CommentFactory(
        article=article, status=Comment.Status.PENDING, body="Newer waiting", created_at=now - timedelta(minutes=5)
    )
    CommentFactory(
        article=article, status=Comment.Status.PENDING, body="Older waiting", created_at=now - timedelta(hours=2)
    )
    CommentFactory(article=article, status=Comment.Status.APPROVED, body="Already published")
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert html.index("Older waiting") < html.index("Newer waiting")
    assert "Already published" not in html
    assert "Already published" in client.get(QUEUE, {"status": "all"}).content.decode()


def test_queue_row_shows_what_a_decision_needs(client, moderator, article):
    CommentFactory(article=article, author_email="kim@example.com", status=Comment.Status.APPROVED)
    CommentFactory(article=article, author_email="kim@example.com", status=Comment.Status.REJECTED)
    CommentFactory(
        article=article,
        status=Comment.Status.PENDING,
        author_name="Kim",
        author_email="kim@example.com",
        held_reasons="links first-time",
        created_at=timezone.now() - timedelta(hours=3),
    )
    client.force_login(moderator)
    html = client.get(QUEUE).content.decode()
    assert "Kim" in html and "kim@example.com" in html
    assert f'href="{article.get_absolute_url()}"' in html
    assert "Too many links, First-time commenter" in html
    assert "1 approved, 1 rejected" in html
    assert "3\xa0hours" in html


def test_queue_filters_and_search(client, moderator, article):
    other = ArticleFactory(title="Another story")
    CommentFactory(article=article, status=Comment.Status.PENDING, body="Linky one", held_reasons="links")
    CommentFactory(article=other, status=Comment.Status.PENDING, body="From elsewhere", ip_address="192.0.2.50")
    client.force_login(moderator)
    assert "From elsewhere" not in client.get(QUEUE, {"held": "links"}).content.decode()
    assert "Linky one" not in client.get(QUEUE, {"article": other.pk}).content.decode()
    assert "Linky one" not in client.get(QUEUE, {"q": "192.0.2.50"}).content.decode()
    assert "From elsewhere" in client.get(QUEUE, {"q": "192.0.2.50"}).content.decode()


def test_bulk_approve_records_who_and_when(client, moderator, article):
    waiting = CommentFactory.create_batch(3, article=article, status=Comment.Status.PENDING)
    client.force_login(moderator)
    response = act(client, "approve", waiting)
    assert "3 comment(s): approved." in response.content.decode()
    for comment in Comment.objects.all():
        assert comment.status == Comment.Status.APPROVED
        assert comment.moderated_by == moderator and comment.moderated_at is not None
    assert ModerationLog.objects.filter(moderator=moderator, to_status=Comment.Status.APPROVED).count() == 3


@pytest.mark.parametrize(("action", "status"), [("reject", "rejected"), ("mark_spam", "spam")])
def test_bulk_reject_and_spam_keep_the_comments(client, moderator, article, action, status):
    waiting = CommentFactory.create_batch(2, article=article, status=Comment.Status.PENDING)
    client.force_login(moderator)
    act(client, action, waiting)
    assert list(Comment.objects.values_list("status", flat=True)) == [status, status]


def test_reported_filter_shows_published_comments_readers_reported(client, moderator, article):
    reported = CommentFactory(article=article, status=Comment.Status.APPROVED, body="Reported but published")
    reported.reports.create(reason="abuse", reporter_key="reader-1")
    CommentFactory(article=article, status=Comment.Status.APPROVED, body="Nobody minds this one")
    client.force_login(moderator)
    html = client.get(QUEUE, {"reported": "yes"}).content.decode()
    assert "Reported but published" in html and "Nobody minds this one" not in html


def test_the_list_links_to_the_workspace(client, moderator):
    client.force_login(moderator)
    assert 'href="/admin/comments/comment/workspace/"' in client.get(QUEUE).content.decode()


def test_moderator_edits_a_comment_and_picks_it(client, moderator, article):
    comment = CommentFactory(article=article, body="Original text with a slur")
    client.force_login(moderator)
    inlines = {
        f"{prefix}-{key}": "0" for prefix in ("reports", "decisions") for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    response = client.post(f"{QUEUE}{comment.pk}/change/", {"body": "Original text", "is_pick": "on"} | inlines)
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Original text" and comment.is_pick and comment.edited_at
    assert ModerationLog.objects.get(comment=comment).action == "edit"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "edited by a moderator" in page and "Editor’s pick" in page


def test_moderation_never_deletes(client, moderator, article):
    comment = CommentFactory(article=article)
    client.force_login(moderator)
    assert client.get(f"{QUEUE}{comment.pk}/delete/").status_code == 403
    assert "delete_selected" not in client.get(QUEUE).content.decode()


def test_queue_does_not_count_the_whole_table(client, moderator, article, django_assert_max_num_queries):
    CommentFactory.create_batch(30, article=article, status=Comment.Status.PENDING)
    client.force_login(moderator)
    with django_assert_max_num_queries(12):
        html = client.get(QUEUE).content.decode()
    assert "30 results" in html and " total)" not in html  # no full-table count (show_full_result_count)


# --- The permission split ---


def test_editor_cannot_moderate(client, editor, article):
    comment = CommentFactory(article=article, status=Comment.Status.PENDING)
    client.force_login(editor)
    assert client.get(QUEUE).status_code == 403
    assert client.post(QUEUE, {"action": "approve", "_selected_action": [comment.pk]}).status_code == 403
    assert client.get("/admin/comments/blockedterm/").status_code == 403
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_moderator_cannot_edit_articles(client, moderator, article):
    client.force_login(moderator)
    assert client.get("/admin/articles/article/add/").status_code == 403
    assert client.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}).status_code == 403
    assert "articles.change_article" not in moderator.get_all_permissions()


def test_moderator_manages_block_lists(client, moderator):
    client.force_login(moderator)
    response = client.post("/admin/comments/blockedterm/add/", {"kind": "word", "value": " Scam ", "note": ""})
    assert response.status_code == 302
    term = BlockedTerm.objects.get()
    assert (term.value, term.created_by) == ("scam", moderator)
