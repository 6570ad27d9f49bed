"""Article bodies are Markdown, rendered once when an editor saves and sanitized with nh3 to an allow-list."""

import pytest

from articles import services
from articles.models import Article
from articles.richtext import render_markdown
from tests.articles.conftest import ADD_URL
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hostile", "forbidden"),
    [
        ("<script>alert('x')</script>", ["<script", "alert("]),
        ("<img src=x onerror=alert(1)>", ["onerror", "alert("]),
        ('<img src="/media/a.jpg" onload="steal()">', ["onload", "steal()"]),
        ("[click](javascript:alert(1))", ['href="javascript']),
        ('<a href="javascript:alert(1)">click</a>', ["javascript:"]),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', ["data:", "<script"]),
        ("<iframe src=https://evil.example/></iframe>", ["<iframe", "evil.example"]),
        ("<style>body{display:none}</style>", ["<style", "display:none"]),
        ('<p style="position:fixed" onclick="x()">text</p>', ["style=", "onclick"]),
        ("<svg><script>alert(1)</script></svg>", ["<svg", "<script"]),
        ('<form action="/admin/"><input name=q></form>', ["<form", "<input"]),
        ('<object data="x.swf"></object><embed src="x.swf">', ["<object", "<embed"]),
        ("![tracker](https://evil.example/pixel.gif)", ["evil.example", "<img"]),
        ("![inline](data:image/png;base64,iVBORw0KGgo=)", ["data:image", "<img"]),
        ('<img src="/media/../../etc/passwd">', ["passwd"]),
        ('<a href="https://example.org" target="_blank" onmouseover="x()">x</a>', ["target=", "onmouseover"]),
        ("<!-- a note for editors only -->", ["editors only"]),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">', ["<meta", "evil.example"]),
        ('<base href="https://evil.example/">', ["<base", "evil.example"]),
    ],
)
def test_hostile_markdown_and_html_are_neutralised(hostile, forbidden):
    html = render_markdown(f"A paragraph.\n\n{hostile}\n\nAnother paragraph.")
    for text in forbidden:
        assert text not in html, html
    assert "<p>A paragraph.</p>" in html and "<p>Another paragraph.</p>" in html


def test_editorial_formatting_survives():
    html = render_markdown(
        "# Heading\n\n## Subheading\n\nSome *emphasis*, **strong** words.\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n> A quote.\n\n---\n\n"
        '<figure><img src="/media/articles/2026/11/harbour.jpg" alt="The harbour" width="800" height="450">'
        "<figcaption>The harbour at dawn.</figcaption></figure>"
    )
    for fragment in [
        "<h2>Heading</h2>",  # the headline is the page's only <h1>
        "<h2>Subheading</h2>",
        "<em>emphasis</em>",
        "<strong>strong</strong>",
        "<ul>\n<li>one</li>",
        "<ol>\n<li>first</li>",
        "<blockquote>\n<p>A quote.</p>\n</blockquote>",
        "<hr>",
        '<img src="/media/articles/2026/11/harbour.jpg" alt="The harbour" width="800" height="450" loading="lazy">',
        "<figcaption>The harbour at dawn.</figcaption>",
    ]:
        assert fragment in html, fragment


def test_links_to_other_sites_get_rel_and_ours_do_not(settings):
    settings.ALLOWED_HOSTS = ["news.example"]
    html = render_markdown(
        "[elsewhere](https://other.example/report?a=1&b=2) [ours](/politics/) "
        "[ours too](https://news.example/sport/) [mail](mailto:desk@news.example)"
    )
    assert '<a href="https://other.example/report?a=1&amp;b=2" rel="noopener noreferrer">elsewhere</a>' in html
    assert '<a href="/politics/">ours</a>' in html
    assert '<a href="https://news.example/sport/">ours too</a>' in html
    assert '<a href="mailto:desk@news.example">mail</a>' in html


def test_body_is_rendered_once_when_the_editor_saves(client, new_article_data):
    data = new_article_data(body="First *paragraph*.\n\n<script>alert(1)</script>\n\n## Background")
    assert client.post(ADD_URL, data).status_code == 302
    story = Article.objects.get()
    assert story.body_html == "<p>First <em>paragraph</em>.</p>\n\n<h2>Background</h2>\n"
    client.logout()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<p>First <em>paragraph</em>.</p>" in page and "alert(1)" not in page


def test_model_save_alone_does_not_render(category):
    # STYLE.md: save() stays free of side effects; the service renders.
    story = ArticleFactory.build(category=category, body="*new*", body_html="")
    story.save()
    assert Article.objects.get(pk=story.pk).body_html == ""
    services.article_save(article=story)
    assert Article.objects.get(pk=story.pk).body_html == "<p><em>new</em></p>\n"
