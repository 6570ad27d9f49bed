"""Property-based attack on the comment form: whatever a reader (or a bot) sends, nothing breaks or leaks."""

import itertools
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from comments.models import Comment
from tests.comments.conftest import comment_data

pytestmark = pytest.mark.django_db

NASTY = [
    "<script>alert(document.cookie)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "\u202egnp.exe",  # right-to-left override
    "\u200f\u200e\u2066",  # direction marks and isolates
    "\x00",
    "\x1b[31m",
    "{{ 7*7 }}{% debug %}",
    "' OR 1=1 --",
    "\ufeff",
]
# Arbitrary Unicode (no lone surrogates: a browser cannot send them as UTF-8), mixed with known payloads.
text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80),
    st.lists(st.sampled_from(NASTY) | st.text(max_size=10), max_size=6).map("".join),
    st.integers(min_value=2990, max_value=3010).map(lambda n: "é" * n),
    st.just("x" * 20000),
)
readers = itertools.count(1)


class TextOf(HTMLParser):
    """Collect the text inside `<div class="comment__body">`; markup there would not be text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if self.depth:
            self.depth += tag not in ("br",)
        elif tag == "div" and ("class", "comment__body") in attrs:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def shown_text(html):
    parser = TextOf()
    parser.feed(html)
    return "".join(parser.parts)


def squash(value):
    return "".join(value.split())


def submit(client, article, name, email, body):
    # Each example starts afresh (no comments, no claims on texts), so a replayed example behaves the same.
    Comment.objects.all().delete()
    cache.clear()
    ip = f"10.{next(readers) % 250}.{next(readers) % 250}.1"
    data = comment_data(article, author_name=name, author_email=email, body=body)
    response = client.post(f"/{article.category.slug}/{article.slug}/comment/", data, REMOTE_ADDR=ip)
    assert response.status_code in (200, 302), response.status_code
    event(f"answered {response.status_code}")
    if response.status_code == 200:
        html = response.content.decode()
        assert 'class="field__error"' in html or 'class="form-errors"' in html
        assert "<script>alert" not in html and "<img src=x" not in html
        return None
    return response


FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
plain_name = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    str.strip
)


@FUZZ
@given(name=text, email=st.one_of(st.emails(), text), body=text)
def test_any_input_gets_a_page_or_a_field_message_never_an_error(client, article, no_rate_limit, name, email, body):
    submit(client, article, name, email, body)


@FUZZ
@given(name=plain_name, body=text)
def test_accepted_text_is_stored_exactly_and_shown_escaped(client, article, no_rate_limit, name, body):
    response = submit(client, article, name, "fuzz@example.com", body)
    if response is None:
        return
    stored = Comment.objects.get()
    assert stored.body == body.replace("\r\n", "\n").strip()
    assert stored.author_name == name.strip()
    confirmation = client.get(response["Location"]).content.decode()
    assert "<script>alert" not in confirmation and "<img src=x" not in confirmation
    assert squash(shown_text(confirmation)) == squash(stored.body)


@pytest.fixture
def no_rate_limit(site_settings):
    """Let many examples through: no rate limit."""
    site_settings(rate_limit=10**9)
