"""The newsroom in the thread: a staff member answers from the site under their byline (with a badge linking their
author page) or as the site's staff; the reader's comment is marked "Answered"; readers can narrow the section to
answered comments or to the newsroom's."""

import pytest
from django.urls import reverse

from comments.models import Comment, ModerationLog, OutgoingEmail
from tests.factories import AuthorFactory, CommentFactory, UserFactory
from tests.html import select, text_of

pytestmark = pytest.mark.django_db


def answer(client, article, user, body, parent=None):
    client.force_login(user)
    form_url = reverse("comments:form", kwargs={"category": article.category.slug, "slug": article.slug})
    reply = f"?reply_to={parent.pk}" if parent else ""
    assert "You are signed in for the newsroom" in client.get(form_url + reply).content.decode()
    response = client.post(form_url, {"body": body, "parent": parent.pk if parent else ""})
    client.logout()
    return response


def test_a_journalist_answers_a_reader_under_their_byline(client, article, editor):
    editor.email = "maya@newsportal.example"
    editor.save()
    byline = AuthorFactory(name="Maya Okafor", user=editor)
    question = CommentFactory(article=article, body="When will the cranes be back?", notify_replies=True, verified=True)

    response = answer(client, article, editor, "Next spring, the port says.", parent=question)
    reply = Comment.objects.get(body="Next spring, the port says.")
    assert response.status_code == 302 and response["Location"] == f"/comments/{reply.pk}/"
    assert reply.status == Comment.Status.APPROVED and reply.from_newsroom and reply.byline == byline
    assert ModerationLog.objects.get(comment=reply).moderator == editor  # who published it, on the record
    assert OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.REPLY, to=question.author_email).exists()

    page = client.get(article.get_absolute_url()).content
    shown = select(page, f"#comment-{reply.pk}")[0]
    assert [(a.text, a.get("href")) for a in shown.cssselect(".comment__author a")] == [
        ("Maya Okafor", byline.get_absolute_url())
    ]
    assert text_of(shown.cssselect(".comment__badge")[0]) == "Journalist"
    assert text_of(select(page, f"#comment-{question.pk} .comment__answered")[0]) == "Answered"


def test_staff_without_a_byline_answer_as_the_sites_staff(client, article, moderator):
    answer(client, article, moderator, "We have removed the link.")
    page = client.get(article.get_absolute_url()).content
    comment = select(page, ".comment")[0]
    assert text_of(comment.cssselect(".comment__author")[0]) == "Newsportal staff"
    assert text_of(comment.cssselect(".comment__badge")[0]) == "Staff"


def test_a_reader_cannot_pass_for_the_newsroom(client, article, post_comment):
    CommentFactory(article=article, author_name="Newsportal staff")  # a name, not a badge
    assert not select(client.get(article.get_absolute_url()).content, ".comment__badge")
    inactive = UserFactory(is_staff=True, is_active=False)
    client.force_login(inactive)  # not signed in any more: the reader's form
    form_url = reverse("comments:form", kwargs={"category": article.category.slug, "slug": article.slug})
    assert "You are signed in for the newsroom" not in client.get(form_url).content.decode()


def test_readers_narrow_the_section_to_answered_comments_and_staff_replies(client, article, editor):
    AuthorFactory(name="Maya Okafor", user=editor)
    answered, unanswered = CommentFactory(article=article), CommentFactory(article=article)
    answer(client, article, editor, "Thanks, corrected.", parent=answered)
    answer(client, article, editor, "A note from the newsroom.")
    story = article.get_absolute_url()

    def threads(query=""):
        return [thread.get("id") for thread in select(client.get(story + query).content, ".comment-thread > .comment")]

    newsroom_note = Comment.objects.get(body="A note from the newsroom.")
    assert len(threads()) == 3
    assert threads("?show=answered") == [f"comment-{answered.pk}"]
    assert threads("?show=newsroom") == [f"comment-{answered.pk}", f"comment-{newsroom_note.pk}"]
    labels = [text_of(link) for link in select(client.get(story).content, '[aria-label="Show comments"] a')]
    assert labels == ["All comments", "Answered", "Staff replies"]
    assert "4 comments" in client.get(story + "?show=answered").content.decode()  # the count is still the story's
    assert f"comment-{unanswered.pk}" not in threads("?show=answered")
