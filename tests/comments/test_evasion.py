"""Tricks that walked past the rules: each one is held now, and the reader's text is stored exactly as typed."""

import time

import pytest

from comments.forms import form_age_seconds, form_started_token
from comments.models import BlockedTerm, Comment
from tests.factories import ArticleFactory, CommentFactory
from tests.html import select

pytestmark = pytest.mark.django_db

EVASIONS = {
    "zero-width space": "Best ca\u200bsino in town",
    "Cyrillic a": "Best c\u0430sino in town",
    "full width": "Best \uff43\uff41\uff53\uff49\uff4e\uff4f in town",
    "soft hyphen": "Best ca\u00adsino in town",
    "combining accent": "Best casi\u0301no in town",
    "plural": "Best casinos in town",
    "capitals": "Best CASINO in town",
    "Greek omicron": "Best casin\u03bf in town",
}


@pytest.fixture
def open_door(article, site_settings):
    """A post-moderated article, a reader the rules trust, and "casino" on the word list."""
    site_settings(hold_first_time=False)
    article.comment_moderation = "post"
    article.save()
    BlockedTerm.objects.create(kind="word", value="casino")
    return article


@pytest.mark.parametrize("body", EVASIONS.values(), ids=EVASIONS.keys())
def test_a_disguised_blocked_word_is_held_and_stored_as_typed(open_door, post_comment, body):
    assert post_comment(open_door, body=body).status_code == 302
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reasons) == ("pending", "blocked-word")
    assert comment.body == body


def test_a_clean_comment_still_goes_through(open_door, post_comment):
    post_comment(open_door, body="Occasionally the best casual chat in town")
    assert Comment.objects.get().status == Comment.Status.APPROVED


@pytest.mark.parametrize(
    "body",
    [
        "Visit spam1.com spam2.com spam3.com spam4.com spam5.com",
        "Write to a@spam1.com b@spam2.com c@spam3.com d@spam4.com e@spam5.com",
        "Cheap at spam1.xyz, spam2.online and spam3.shop",
    ],
    ids=["bare domains", "e-mail addresses", "new top-level domains"],
)
def test_links_without_http_count_as_links(open_door, post_comment, body):
    post_comment(open_door, body=body)
    comment = Comment.objects.get()
    assert (comment.status, comment.held_reasons) == ("pending", "links")


def test_what_counts_as_a_link_is_what_shows_as_one(client, article):
    """The page renders the same links the rule counts, each nofollow ugc."""
    CommentFactory(article=article, body="See spam1.com, mail a@spam2.com or read https://example.org/x.")
    html = client.get(article.get_absolute_url()).content.decode()
    links = select(html, ".comment__body a")
    assert [link.get("href") for link in links] == ["http://spam1.com", "mailto:a@spam2.com", "https://example.org/x"]
    assert {link.get("rel") for link in links} == {"nofollow ugc noopener"}


def test_a_sentence_run_on_without_a_space_is_not_a_link(article):
    from comments.matching import find_links

    assert find_links("I said so.Next time listen") == []
    assert [link.url for link in find_links("Sign up at next.xyz")] == ["http://next.xyz"]


# --- The form's token ---------------------------------------------------------------------------------------


def test_a_token_from_another_article_is_refused_with_the_text_kept(article, post_comment):
    other = ArticleFactory()
    response = post_comment(article, body="Written elsewhere", started=form_started_token(other, time.time() - 60))
    html = response.content.decode()
    assert response.status_code == 400 and "send it again" in html and "Written elsewhere" in html
    assert not Comment.objects.exists()
    renewed = select(html, "input[name=started]")[0].get("value")
    assert form_age_seconds(renewed, article) is not None  # a token of this article's form now


def test_an_expired_form_is_refused_then_accepted_with_its_new_token(article, post_comment, site_settings, monkeypatch):
    site_settings(form_max_age=3600)
    old = form_started_token(article, time.time() - 3601)
    response = post_comment(article, body="Left open over lunch", started=old)
    assert response.status_code == 400 and "opened a while ago" in response.content.decode()
    renewed = select(response.content.decode(), "input[name=started]")[0].get("value")
    later = time.time() + site_settings().min_form_seconds + 1  # the reader reads it over once more
    monkeypatch.setattr(time, "time", lambda: later)
    assert post_comment(article, body="Left open over lunch", started=renewed).status_code == 302
    assert Comment.objects.get().body == "Left open over lunch"


def test_a_forged_token_is_refused_not_filed_as_spam(article, post_comment):
    response = post_comment(article, body="No token at all", started="forged")
    assert response.status_code == 400 and not Comment.objects.exists()


def test_fixing_a_form_error_within_seconds_is_not_spam(article, post_comment):
    """The token of the first opening is kept while the reader fixes an error; sent too soon, they are told so."""
    just_opened = form_started_token(article, time.time() - 1)
    first = post_comment(article, body="", started=just_opened)
    assert first.status_code == 200 and "Please write your comment" in first.content.decode()
    assert select(first.content.decode(), "input[name=started]")[0].get("value") == just_opened
    second = post_comment(article, body="Fixed it quickly", started=just_opened)
    assert second.status_code == 400 and "very quick" in second.content.decode()
    assert not Comment.objects.filter(status=Comment.Status.SPAM).exists()


def test_the_honeypot_stays_silent_spam(client, article, post_comment):
    response = post_comment(article, website="http://bot.example")
    assert response.status_code == 302
    assert "awaits moderation" in client.get(response["Location"]).content.decode()
    assert Comment.objects.get().status == Comment.Status.SPAM
