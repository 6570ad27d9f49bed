"""Every teaser shows its story's published comment count (Article.comment_count, kept by comments.services, so a
list page runs no query per teaser), and the home page and sections list the most discussed stories of two days."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone

from articles import popularity, services
from articles.models import Article, ReadCount
from comments.models import Comment
from comments.services import comments_moderate
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, CommentFactory
from tests.html import select, text_of

pytestmark = pytest.mark.django_db

Status = Comment.Status


def moderate(comment, status):
    comments_moderate(comments=Comment.objects.filter(pk=comment.pk), moderator=None, status=status, action=status)


def count_of(article):
    return Article.objects.get(pk=article.pk).comment_count


def test_the_count_follows_every_moderation_decision(article):
    first = CommentFactory(article=article, status=Status.PENDING)
    reply = CommentFactory(article=article, parent=first, status=Status.PENDING)
    CommentFactory(article=article, status=Status.SPAM)
    assert count_of(article) == 0

    moderate(first, Status.APPROVED)
    assert count_of(article) == 1
    moderate(reply, Status.APPROVED)
    assert count_of(article) == 2
    moderate(first, Status.REJECTED)  # its reply is no longer shown either, as in the section
    assert count_of(article) == 0
    moderate(first, Status.APPROVED)
    assert count_of(article) == 2


def test_an_editor_saving_a_form_opened_before_keeps_the_count(article, editor):
    opened = Article.objects.get(pk=article.pk)  # the editor's form
    moderate(CommentFactory(article=article, status=Status.PENDING), Status.APPROVED)
    opened.title = "Harbour cranes return to work"
    services.article_save(article=opened, user=editor)
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Harbour cranes return to work" and stored.comment_count == 1


def test_every_teaser_shows_the_count_linked_to_the_comments(client, category):
    writer = AuthorFactory()
    discussed = ArticleFactory(category=category, title="Ferry timetable rewritten", authors=[writer])
    threads = CommentFactory.create_batch(2, article=discussed)
    CommentFactory(article=discussed, parent=threads[0])
    CommentFactory(article=discussed, status=Status.PENDING)  # not published: not counted
    quiet = ArticleFactory(category=category, published_at=timezone.now() - timedelta(hours=1))
    window = popularity.current_window() - 1
    popularity.record([ReadCount(article=discussed, window_start=popularity.window_start(window), views=9)])

    link = f"{discussed.get_absolute_url()}#comments"
    pages = {
        "home": "/",
        "section": category.get_absolute_url(),
        "author": writer.get_absolute_url(),
        "search": "/search/?q=ferry",
        "another story": quiet.get_absolute_url(),  # Read next, Most read
    }
    for name, path in pages.items():
        html = client.get(path).content
        counts = [text_of(element) for element in select(html, ".comment-count")]
        assert counts and all(text.startswith("3 comments") for text in counts), name
        assert link in [element.get("href") for element in select(html, "a.comment-count")], name
    read_next = select(client.get(quiet.get_absolute_url()).content, ".read-next .comment-count")
    assert [element.text_content() for element in read_next] == ["3 comments"]  # the item is one link already


def test_most_discussed_lists_the_last_two_days_stories_by_their_count(client, category):
    other_section = CategoryFactory()
    now = timezone.now()
    busy = ArticleFactory(category=category, title="Busy", published_at=now - timedelta(hours=30))
    calm = ArticleFactory(category=category, title="Calm", published_at=now - timedelta(hours=2))
    old = ArticleFactory(category=category, title="Old", published_at=now - timedelta(hours=50))
    elsewhere = ArticleFactory(category=other_section, title="Elsewhere", published_at=now - timedelta(hours=1))
    for story, comments in ((busy, 4), (calm, 1), (old, 9), (elsewhere, 2)):
        CommentFactory.create_batch(comments, article=story)

    def most_discussed(path):  # each item as it reads (the link's hidden words name the story for screen readers)
        return [text_of(item) for item in select(client.get(path).content, ".most-discussed li")]

    assert most_discussed("/") == [
        "Busy 4 comments on “Busy”",
        "Elsewhere 2 comments on “Elsewhere”",
        "Calm 1 comment on “Calm”",
    ]
    assert most_discussed(category.get_absolute_url()) == ["Busy 4 comments on “Busy”", "Calm 1 comment on “Calm”"]


def test_the_upgrade_counts_the_comments_stories_already_have(article):
    migration = importlib.import_module("comments.migrations.0014_count_published_comments")
    threads = CommentFactory.create_batch(3, article=article)
    CommentFactory(article=article, parent=threads[0])
    CommentFactory(article=article, parent=CommentFactory(article=article, status=Status.REJECTED))  # hidden reply
    Article.objects.update(comment_count=0)  # as the new column starts
    migration.count_published_comments(apps, None)
    assert count_of(article) == 4
