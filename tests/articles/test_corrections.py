"""Corrections and updates are data: shown at the end of the story, an "Updated" time at the top, and
corrections listed site-wide on /corrections/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Correction
from tests.factories import ArticleFactory, CorrectionFactory
from tests.html import fragment

pytestmark = pytest.mark.django_db


def test_notes_show_at_the_end_and_the_update_time_at_the_top(client, article):
    noted = timezone.now().replace(microsecond=0)
    CorrectionFactory(article=article, text="We misspelled the mayor's name.", created_at=noted - timedelta(minutes=9))
    CorrectionFactory(article=article, kind="update", text="The council has now replied.", created_at=noted)
    html = client.get(article.get_absolute_url()).content.decode()
    header = fragment(html, ".story__header")
    assert f'<a class="updated" href="#corrections">Updated <time datetime="{noted.isoformat()}">' in header
    notes = fragment(html, "#corrections")
    assert html.index('id="corrections"') > html.index('class="story__body"')
    assert notes.index("We misspelled the mayor's name.") < notes.index("The council has now replied.")
    assert "<strong>Correction</strong>" in notes and "<strong>Update</strong>" in notes


def test_story_without_notes_has_no_update_line(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Updated" not in html and 'id="corrections"' not in html


def test_note_text_is_escaped(client, article):
    CorrectionFactory(article=article, text="<script>alert(1)</script>")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_corrections_page_lists_recent_corrections_of_published_stories(client, category, site_settings):
    site_settings(articles_per_page=2)
    now = timezone.now()
    live = ArticleFactory(category=category, title="Live story")
    CorrectionFactory(article=live, text="Oldest correction.", created_at=now - timedelta(days=2))
    CorrectionFactory(article=live, text="Middle correction.", created_at=now - timedelta(days=1))
    CorrectionFactory(article=live, text="Newest correction.", created_at=now)
    CorrectionFactory(article=live, kind="update", text="Only an update.")
    CorrectionFactory(article=ArticleFactory(category=category, draft=True), text="Correction to a draft.")
    CorrectionFactory(article=ArticleFactory(category=category, scheduled=True), text="Correction to an embargo.")

    first = client.get("/corrections/").content.decode()
    assert first.index("Newest correction.") < first.index("Middle correction.")
    assert f'href="{live.get_absolute_url()}#corrections"' in first and "Live story" in first
    assert "Page 1 of 2" in first
    everything = first + client.get("/corrections/", {"page": 2}).content.decode()
    assert "Oldest correction." in everything
    for hidden in ("Only an update.", "Correction to a draft.", "Correction to an embargo."):
        assert hidden not in everything


def test_corrections_page_without_any_says_so(client, db):
    assert "No corrections so far." in client.get("/corrections/").content.decode()


def test_editor_adds_a_correction_in_the_admin(client, editor, article, admin_form):
    client.force_login(editor)
    url = f"/admin/articles/article/{article.pk}/change/"
    data = admin_form(url)
    assert data["corrections-TOTAL_FORMS"] == "0"
    data |= {
        "corrections-TOTAL_FORMS": "1",
        "corrections-0-kind": "correction",
        "corrections-0-text": "The vote was 41 to 19, not 40 to 20.",
        "corrections-0-created_at_0": timezone.localtime().strftime("%d/%m/%Y"),
        "corrections-0-created_at_1": timezone.localtime().strftime("%H:%M:%S"),
    }
    assert client.post(url, data).status_code == 302
    assert Correction.objects.get().text == "The vote was 41 to 19, not 40 to 20."
    client.logout()
    assert "The vote was 41 to 19" in client.get("/corrections/").content.decode()
    assert "Updated" in client.get(article.get_absolute_url()).content.decode()
