"""Story bodies are HTML from the editor, sanitised on every save with one allow-list; pasted hostile markup never
reaches storage or readers; links to embeddable pages become embeds only for the providers we know."""

import re

import pytest
from django.core.exceptions import ValidationError

from articles import embeds, services
from articles.models import Article
from articles.richtext import BODY_MAX_CHARS, clean_body, embeds_in, markdown_to_html, sanitize, text_of
from tests.articles.conftest import ADD_URL
from tests.factories import ArticleFactory
from tests.html import select

pytestmark = pytest.mark.django_db


# What a word processor or a web page puts on the clipboard, and what may be stored of it.
HOSTILE = [
    ("<script>alert('x')</script>", ["<script", "alert("]),
    ("<img src=x onerror=alert(1)>", ["onerror", "alert("]),
    ('<img src="/media/a.jpg" onload="steal()">', ["onload", "steal()"]),
    ('<a href="javascript:alert(1)">click</a>', ["javascript:"]),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', ["data:", "<script"]),
    ("<iframe src=https://evil.example/></iframe>", ["<iframe", "evil.example"]),
    ("<style>body{display:none}</style>", ["<style", "display:none"]),
    ('<p style="position:fixed" onclick="x()">text</p>', ["style=", "onclick"]),
    ("<svg><script>alert(1)</script></svg>", ["<svg", "<script"]),
    ('<form action="/admin/"><input name=q></form>', ["<form", "<input"]),
    ('<object data="x.swf"></object><embed src="x.swf">', ["<object", "<embed"]),
    ('<img src="https://evil.example/pixel.gif">', ["evil.example", "<img"]),
    ('<img src="data:image/png;base64,' + "iVBORw0KGgo" * 5000 + '">', ["data:image", "<img"]),  # a giant inline image
    ('<img src="/media/../../etc/passwd">', ["passwd"]),
    ('<a href="https://example.org" target="_blank" onmouseover="x()">x</a>', ["target=", "onmouseover"]),
    ("<!-- a note for editors only -->", ["editors only"]),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">', ["<meta", "evil.example"]),
    ('<base href="https://evil.example/">', ["<base", "evil.example"]),
    ('<p class="MsoNormal" style="mso-line-height:12pt"><span lang="EN-GB">Word</span></p>', ["Mso", "mso-", "lang="]),
    ('<blockquote class="evil" onclick="x()">quoted</blockquote>', ['class="evil"', "onclick"]),
    (
        '<figure data-embed="youtube" data-url="https://youtube.com.evil.example/watch?v=abcdefghijk"></figure>',
        ['data-embed="youtube"'],
    ),
    ('<figure data-picture="1 OR 1=1"></figure>', ["OR 1=1"]),
]


@pytest.mark.parametrize(("hostile", "forbidden"), HOSTILE, ids=[str(n) for n in range(len(HOSTILE))])
def test_hostile_pasted_html_is_neutralised(hostile, forbidden):
    html = clean_body(f"<p>A paragraph.</p>{hostile}<p>Another paragraph.</p>")
    for text in forbidden:
        assert text not in html, html
    assert "<p>A paragraph.</p>" in html and "<p>Another paragraph.</p>" in html


def test_a_table_of_inputs_is_stored_as_a_table_of_text():
    pasted = (
        '<table border="1" style="width:100%"><tr><th onclick="x()">Name</th><th>Vote</th></tr>'
        '<tr><td><input name="n" value="Ada"> Ada</td><td><select><option>Yes</option></select></td></tr></table>'
    )
    assert clean_body(pasted) == (
        "<table><tbody><tr><th>Name</th><th>Vote</th></tr><tr><td> Ada</td><td>Yes</td></tr></tbody></table>"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<table><tr><td>" * 50 + "x" + "</td></tr></table>" * 50, "tables inside tables 50 deep"),
        ("<p>" + "x" * (BODY_MAX_CHARS + 1) + "</p>", "a story may have at most"),
        ('<p><a href="htp:/broken">a link</a></p>', "These links are not web addresses: “htp:/broken”"),
    ],
    ids=["nested-tables", "too-long", "malformed-link"],
)
def test_what_is_refused_is_refused_with_a_message_and_the_text_kept(client, new_article_data, body, message):
    with pytest.raises(ValidationError, match=message.split("“")[0]):
        clean_body(body)
    response = client.post(ADD_URL, new_article_data(body=body))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Article.objects.exists()
    assert body[:200] in response.content.decode().replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')


def test_editorial_formatting_survives():
    written = (
        "<h2>Subheading</h2><p>Some <em>emphasis</em>, <strong>strong</strong> and <s>struck</s> words.</p>"
        '<ul><li><p>one</p></li><li><p>two</p></li></ul><ol start="3"><li><p>third</p></li></ol>'
        '<blockquote><p>A quote.</p></blockquote><blockquote class="pull-quote"><p>A pull quote.</p></blockquote>'
        '<hr><table><tbody><tr><th colspan="2">Results</th></tr><tr><td>Yes</td><td>41</td></tr></tbody></table>'
        '<figure data-picture="12" data-size="full"></figure>'
    )
    # Stored in its one canonical form: a list item's only paragraph is unwrapped, nothing else changes.
    assert clean_body(written) == written.replace("<li><p>", "<li>").replace("</p></li>", "</li>")
    assert clean_body(clean_body(written)) == clean_body(written)


def test_links_to_other_sites_get_rel_and_ours_do_not(settings):
    settings.ALLOWED_HOSTS = ["news.example"]
    html = sanitize(
        '<p><a href="https://other.example/report?a=1&amp;b=2">elsewhere</a> <a href="/politics/">ours</a> '
        '<a href="https://news.example/sport/">ours too</a> <a href="mailto:desk@news.example">mail</a></p>'
    )
    assert '<a href="https://other.example/report?a=1&amp;b=2" rel="noopener noreferrer">elsewhere</a>' in html
    assert '<a href="/politics/">ours</a>' in html
    assert '<a href="https://news.example/sport/">ours too</a>' in html
    assert '<a href="mailto:desk@news.example">mail</a>' in html


@pytest.mark.parametrize(
    ("link", "provider", "src"),
    [
        (
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "youtube",
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
        ),
        ("https://youtu.be/dQw4w9WgXcQ", "youtube", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "vimeo", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://x.com/newsportal/status/1234567890123",
            "x",
            "https://platform.twitter.com/embed/Tweet.html?id=1234567890123&dnt=true",
        ),
        ("https://www.instagram.com/p/CxYz123AbC/", "instagram", "https://www.instagram.com/p/CxYz123AbC/embed/"),
        (
            "https://www.tiktok.com/@newsdesk/video/7212345678901234567",
            "tiktok",
            "https://www.tiktok.com/embed/v2/7212345678901234567",
        ),
        (
            "https://bsky.app/profile/newsportal.example/post/3kxyzabc123",
            "bluesky",
            "https://embed.bsky.app/embed/newsportal.example/app.bsky.feed.post/3kxyzabc123",
        ),
        ("https://www.facebook.com/newsportal/posts/123456", "facebook", None),
        (
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
            "spotify",
            "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk",
        ),
        ("https://soundcloud.com/newsportal/the-tide", "soundcloud", None),
        ("https://datawrapper.dwcdn.net/AbC12/3/", "datawrapper", "https://datawrapper.dwcdn.net/AbC12/3/"),
        (
            "https://public.flourish.studio/visualisation/1234567/",
            "flourish",
            "https://flo.uri.sh/visualisation/1234567/embed",
        ),
        (
            "https://www.google.com/maps?q=Varnholm+harbour",
            "googlemaps",
            "https://www.google.com/maps?output=embed&q=Varnholm%20harbour",
        ),
    ],
)
def test_a_link_on_a_line_of_its_own_becomes_its_providers_embed(link, provider, src):
    html = clean_body(f'<p>Watch:</p><p><a href="{link}">{link}</a></p><p>{link}</p>')
    found = embeds_in(html)
    assert [embed.provider.key for embed in found] == [provider, provider]
    if src:
        assert found[0].src == src


@pytest.mark.parametrize(
    "link",
    [
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://evil.example/youtube.com/watch?v=dQw4w9WgXcQ",
        "http://www.youtube.com/watch?v=dQw4w9WgXcQ",  # not https
        "https://user:pass@www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=<script>",
        "https://www.google.com/search?q=maps",
    ],
)
def test_a_link_that_only_looks_allowed_stays_a_link(link):
    html = clean_body(f"<p>{link}</p>")
    assert embeds_in(html) == [] and "<figure" not in html


def test_the_story_page_shows_a_placeholder_and_opens_only_that_providers_origin(client, category):
    story = ArticleFactory(
        category=category, body="<p>Before.</p><p>https://www.youtube.com/watch?v=dQw4w9WgXcQ</p><p>After.</p>"
    )
    plain = ArticleFactory(category=category)
    response = client.get(story.get_absolute_url())
    figure = select(response.content, "figure[data-embed]")[0]
    assert figure.get("data-embed-src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert "YouTube may set cookies" in figure.text_content()
    assert select(figure, "a")[0].get("href") == "https://www.youtube.com/watch?v=dQw4w9WgXcQ"  # without JavaScript
    assert not select(response.content, "iframe")  # nothing loads until the reader asks
    policy = response["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com" in policy and "script-src 'self'" in policy
    assert "frame-src" not in client.get(plain.get_absolute_url())["Content-Security-Policy"]


def test_the_policy_of_a_page_with_embeds_is_kept_by_the_page_cache(client, category, settings):
    settings.PAGE_CACHE_SECONDS = 60
    story = ArticleFactory(category=category, body="<p>https://vimeo.com/76979871</p>")
    first, second = client.get(story.get_absolute_url()), client.get(story.get_absolute_url())
    assert second["X-Cache"] == "HIT"
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"]
    assert embeds.PROVIDERS["vimeo"].frame_origins[0] in second["Content-Security-Policy"]


# --- From Markdown (the body's format before the editor) ---------------------------------------------------


EVERY_MARK = """# A heading
## A subheading

A paragraph with *emphasis*, **strong words** and a [link](https://example.org/report).

- one
- two

1. first
2. second

> A quote
> on two lines.

---

![](image:7 "full")
"""


def test_every_markdown_mark_converts_to_the_editors_html():
    html = markdown_to_html(EVERY_MARK)
    for fragment in [
        "<h2>A heading</h2>",  # the headline is the page's only <h1>
        "<h2>A subheading</h2>",
        "<em>emphasis</em>",
        "<strong>strong words</strong>",
        '<a href="https://example.org/report" rel="noopener noreferrer">link</a>',
        "<ul><li>one</li><li>two</li></ul>",
        "<ol><li>first</li><li>second</li></ol>",
        "<blockquote><p>A quote\non two lines.</p></blockquote>",
        "<hr>",
        '<figure data-picture="7" data-size="full"></figure>',
    ]:
        assert fragment in html, fragment
    assert clean_body(html) == html  # what the migration stores, the editor's allow-list keeps as it is


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_converts_markdown_bodies_their_revisions_and_live_updates():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    before, after = [("articles", "0019_library_roles")], [("articles", "0020_bodies_from_markdown_to_html")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    section = old.get_model("articles", "Category").objects.create(name="World News", slug="world-news")
    story = old.get_model("articles", "Article").objects.create(
        title="Storm",
        slug="storm",
        category=section,
        body=EVERY_MARK,
        key_points="- Gates closed\n- No flooding",
        status="published",
        published_at=timezone.now(),
    )
    old.get_model("articles", "HistoricalArticle").objects.create(
        id=story.pk,
        title="Storm",
        slug="storm",
        category_id=section.pk,
        body="Old *text*.",
        status="draft",
        history_date=timezone.now(),
        history_type="~",
        version=1,
        created_at=timezone.now(),
        updated_at=timezone.now(),
    )
    old.get_model("articles", "LiveUpdate").objects.create(article=story, body="**Gates** closed.")
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(after)
        new = executor.loader.project_state(after).apps
        converted = new.get_model("articles", "Article").objects.get()
        assert clean_body(converted.body) == markdown_to_html(EVERY_MARK).strip()  # the next save adds the rel
        assert converted.key_points == "<ul><li>Gates closed</li><li>No flooding</li></ul>"
        revision = new.get_model("articles", "HistoricalArticle").objects.get()
        assert revision.body == "<p>Old <em>text</em>.</p>"
        assert new.get_model("articles", "LiveUpdate").objects.get().body == "<p><strong>Gates</strong> closed.</p>"
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_demo_bodies_convert_without_losing_a_word(settings):
    from articles.demo_data import ARTICLES

    placed = re.compile(r'^!\[\]\(image:[a-z-]+(?: "full")?\)$|^https://\S+$', re.MULTILINE)  # pictures, embeds
    for data in ARTICLES:
        html = markdown_to_html(data["body"])
        prose = placed.sub("", data["body"])
        words = [word for word in prose.replace("*", "").split() if word not in ("##", "-", ">", "#")]
        text = text_of(html)
        for word in words:
            if not word.startswith(("[", "(")):
                assert word.split("](")[0].strip("[]") in text, (data["slug"], word)
        for url in re.findall(r"^https://\S+$", data["body"], re.MULTILINE):
            assert f'data-url="{url}"' in html  # a link on a line of its own: an embed


def test_body_is_sanitised_once_when_the_editor_saves(client, new_article_data):
    data = new_article_data(body="<p>First <em>paragraph</em>.</p><script>alert(1)</script><h2>Background</h2>")
    assert client.post(ADD_URL, data).status_code == 302
    story = Article.objects.get()
    assert story.body == story.body_html == "<p>First <em>paragraph</em>.</p><h2>Background</h2>"
    client.logout()
    page = client.get(story.get_absolute_url()).content.decode()
    assert "<p>First <em>paragraph</em>.</p>" in page and "alert(1)" not in page


def test_model_save_alone_does_not_render(category):
    # STYLE.md: save() stays free of side effects; the service sanitises.
    story = ArticleFactory.build(category=category, body="<p onclick='x()'>new</p>", body_html="")
    story.save()
    assert Article.objects.get(pk=story.pk).body_html == ""
    services.article_save(article=story)
    assert Article.objects.get(pk=story.pk).body_html == "<p>new</p>"


def test_the_revision_compare_is_a_diff_of_words_not_of_tags(category):
    from articles import revisions

    story = ArticleFactory(category=category, body="<p>The council voted <strong>40</strong> to 20.</p>")
    first = story.history.first()
    story.body = "<p>The council voted <em>41</em> to 19.</p>"
    services.article_save(article=story)
    (body,) = [change for change in revisions.compare(first, Article.objects.get()) if change.label == "Body"]
    assert str(body.diff) == "The council voted <del>40</del><ins>41</ins> to <del>20.</del><ins>19.</ins>"
