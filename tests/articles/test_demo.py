from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from articles.models import Article, Author, Category, Correction
from comments.models import Comment
from tests.html import fragment, select

pytestmark = pytest.mark.django_db


def counts():
    return (Category.objects.count(), Article.objects.count(), get_user_model().objects.count())


def test_demo_is_idempotent_and_fills_every_page(client, settings, capsys):
    settings.DEBUG = True
    call_command("demo")
    first = counts()
    printed = capsys.readouterr().out
    assert "Account 'editor' (Editors) password:" in printed
    assert "Account 'reporter' (Reporters) password:" in printed
    call_command("demo")
    assert counts() == first
    assert "password:" not in capsys.readouterr().out  # printed once only

    assert first[0] >= 5
    assert Article.objects.live().count() >= 12
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1
    waiting = Article.objects.in_review().get()  # a reporter's story on the review queue, with its note
    assert waiting.created_by.username == waiting.submitted_by.username == "reporter"
    assert waiting.desk_notes.get().text.startswith("First draft")
    assert sum(article.is_scheduled for article in Article.objects.all()) == 1
    html = client.get("/").content.decode()
    story = Article.objects.live().first()
    assert story.title.replace("&", "&amp;") in html
    article_html = client.get(story.get_absolute_url()).content.decode()
    assert "Read next" in article_html
    assert story.lead_image.is_ready and story.lead_image.alt_text in article_html.replace("&#x27;", "'")


def test_demo_shows_the_newsroom_tools(client, settings):
    settings.DEBUG = True
    call_command("demo")
    joint = Article.objects.annotate(credits=Count("bylines")).filter(credits__gte=2).get()
    joint_html = client.get(joint.get_absolute_url()).content.decode()
    assert ' and <a href="/authors/' in joint_html and "<h2>What happens next</h2>" in joint_html
    assert "Updated" in joint_html and '<source type="image/webp"' in joint_html

    correction = Correction.objects.get(kind=Correction.Kind.CORRECTION)
    assert correction.text[:40] in client.get("/corrections/").content.decode().replace("&#x27;", "'")

    home = client.get("/").content.decode()
    lead = fragment(home, '[aria-label="Lead story"]')
    pinned = Article.objects.live().get(pinned_lead=True)
    assert pinned.title in lead and 'aria-label="Breaking news"' in home
    author = Author.objects.get(slug="maya-okafor")
    assert author.photo and author.bio in client.get(author.get_absolute_url()).content.decode()
    assert all(article.history.exists() for article in Article.objects.all())

    # One running live page, with key points and updates; and something under Most read.
    (live_page,) = [article for article in Article.objects.live() if article.coverage_state() == "running"]
    live_html = client.get(live_page.get_absolute_url()).content
    assert select(live_html, ".key-points li") and len(select(live_html, "[data-update]")) >= 5
    assert select(home.encode(), ".most-read li")


def test_demo_accounts_can_log_in(client, settings, capsys):
    settings.DEBUG = True
    call_command("demo")
    out = capsys.readouterr().out
    password = out.split("Account 'editor' (Editors) password: ")[1].split()[0]
    assert client.login(username="editor", password=password)
    assert client.get("/admin/articles/article/").status_code == 200


def test_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("demo")
    call_command("demo", "--force")
    assert Article.objects.exists()


TIME_OF_DAY_WORDS = ("night", "morning", "afternoon", "evening", "midday", "today", "yesterday", "sunday")


@pytest.mark.parametrize("loaded_at", ["2026-12-04 03:10", "2026-12-04 15:40"], ids=["before-dawn", "afternoon"])
def test_the_demo_reads_true_at_whatever_hour_it_loads(settings, loaded_at):
    """Every time in the demo keeps its distance from the moment it loads, twice in a row (a `make run` two days
    later): nothing is older than the story it belongs to, and a story tells no clock time its page contradicts."""
    settings.DEBUG = True
    first = timezone.make_aware(timezone.datetime.fromisoformat(loaded_at))
    for now in (first, first + timezone.timedelta(days=2, hours=5)):
        with mock.patch("django.utils.timezone.now", return_value=now):
            call_command("demo")

        for article in Article.objects.exclude(published_at=None).exclude(published_at__gt=now):
            for note in article.corrections.all():
                assert article.published_at <= note.created_at <= now, (article.slug, note.text)
            for comment in Comment.objects.filter(article=article):
                assert article.published_at <= comment.created_at <= now, (article.slug, comment.body)
        (live_page,) = Article.objects.exclude(live_from=None)
        updates = list(live_page.live_updates.order_by("published_at"))
        assert live_page.published_at <= live_page.live_from <= updates[0].published_at
        assert updates[-1].published_at <= now and len(updates) == 6  # posted afresh, not added again

        texts = " ".join(
            [live_page.standfirst, live_page.body, live_page.key_points, *(u.headline + u.body for u in updates)]
        )
        assert not [word for word in TIME_OF_DAY_WORDS if word in texts.lower()]
        peak = next(update for update in updates if update.headline == "Tide peaks, barriers hold")
        told = texts.split("the tide peaked at about ")[1][:5]  # the story's clock time ("17:25"), the site's zone
        posted = timezone.localtime(peak.published_at)
        minutes_before_the_update = (posted.hour * 60 + posted.minute - int(told[:2]) * 60 - int(told[3:])) % 1440
        assert minutes_before_the_update <= 10  # the update says the tide "peaked a few minutes ago"
        assert "{" not in texts
