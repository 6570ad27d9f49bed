import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from articles.models import Article, Author, Category, Correction
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
