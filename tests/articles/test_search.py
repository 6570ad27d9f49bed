"""Reader search at /search/?q=: what it finds, how it shows it, and that no query can break the page."""

import re

import pytest
from django.core.management import call_command
from django.db import connection

from articles import services
from articles.models import Article
from articles.search import INDEX_NAME, MAX_QUERY_LENGTH, clean_query
from tests.factories import ArticleFactory
from tests.html import fragment, select, text_of

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = pytest.mark.usefixtures("postgresql")  # full-text search is PostgreSQL's
SEARCH_PAGE_BUDGET = 5  # chrome (sections and banner; footer), the count, the page of results; one to spare


def search(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def found_titles(html):
    return re.findall(r'<h2 class="teaser__title"><a href="[^"]+">([^<]+)</a></h2>', html)


def test_search_finds_words_in_headline_standfirst_and_body(client, category):
    ArticleFactory(category=category, title="Harbour cranes return", standfirst="Dockers cheer.", body="Text.")
    ArticleFactory(category=category, title="Budget day", standfirst="The harbour gets a new pier.", body="Text.")
    ArticleFactory(category=category, title="Weather", standfirst="Rain.", body="Boats stayed in the harbour.")
    ArticleFactory(category=category, title="Cricket", standfirst="A win.", body="Nothing about boats.")
    assert sorted(found_titles(search(client, "harbour"))) == ["Budget day", "Harbour cranes return", "Weather"]


def test_search_shows_only_what_readers_may_see(client, category):
    ArticleFactory(category=category, title="Lighthouse reopens", body="The lighthouse is open.")
    ArticleFactory(category=category, title="Lighthouse draft", body="Lighthouse.", draft=True)
    ArticleFactory(category=category, title="Lighthouse tomorrow", body="Lighthouse.", scheduled=True)
    assert found_titles(search(client, "lighthouse")) == ["Lighthouse reopens"]


def test_every_word_must_match(client, category):
    ArticleFactory(category=category, title="Storm hits the coast", body="Waves and wind.")
    ArticleFactory(category=category, title="Storm in the league", body="A row over referees.")
    assert found_titles(search(client, "storm coast")) == ["Storm hits the coast"]


def test_result_shows_a_snippet_with_the_match_marked(client, category):
    ArticleFactory(
        category=category,
        title="Council meets",
        body="The council met on Tuesday. Members argued about the ferry timetable for an hour.",
    )
    html = search(client, "ferry")
    assert "<mark>ferry</mark>" in html
    assert "Council meets" in html and "1 story found." in html


def test_snippet_and_query_are_escaped(client, category):
    ArticleFactory(
        category=category,
        title="Markup",
        body="<p>Write <code>&lt;script&gt;alert(1)&lt;/script&gt;</code> to test &amp; see the ferry.</p>",
    )
    typed = search(client, "<script>ferry</script>")
    assert "<script>ferry" not in typed
    assert "&lt;script&gt;ferry&lt;/script&gt;" in typed  # the query as typed, shown as text
    html = search(client, "ferry")
    results = fragment(html, ".search-results")
    assert not select(html, ".search-results script")
    assert "<mark>ferry</mark>" in results and "alert(1)&lt;/script&gt;" in results


def test_empty_query_shows_the_search_form(client, category):
    ArticleFactory(category=category)
    for query in ("", "   ", "\x00\x01"):
        html = search(client, query)
        assert "<h1>Search</h1>" in html
        assert 'class="search-results"' not in html and "Type a word or two" in html


@pytest.mark.parametrize(
    "query",
    [
        "a" * 10_000,
        "harbour " * 1_500,
        "\x00harbour\x00",
        "".join(chr(code) for code in range(32)) + "harbour",
        "\u202eharbour\u200b\ufeff\ue000\ue001",
        'harbour" OR "',
        "-",
        "or",
        '""',
        "!(harbour & | :*)",
        "'; DROP TABLE articles_article; --",
        "%_\\",
        "🌊🌊🌊",
    ],
    ids=lambda query: repr(query[:20]),
)
def test_absurd_queries_give_a_normal_page(client, category, query):
    ArticleFactory(category=category, title="Harbour cranes return", body="The harbour is busy.")
    html = search(client, query)
    assert html.count("<h1") == 1 and "</html>" in html


def test_query_that_is_not_utf8_gives_a_normal_page(client, category):
    ArticleFactory(category=category, title="Harbour cranes return")
    response = client.get("/search/?q=%ED%A0%80%FF%00harbour")  # a lone surrogate, a stray byte and NUL, as bytes
    assert response.status_code == 200 and response.content.decode().count("<h1") == 1


def test_long_query_is_shortened_and_the_reader_told(client, category):
    ArticleFactory(category=category, title="Harbour cranes return")
    html = search(client, "harbour " + "x" * 10_000)
    assert "Your search was very long" in html
    assert len(clean_query("word " * 1000).text) <= MAX_QUERY_LENGTH


def test_clean_query_drops_controls_and_invisible_characters():
    assert clean_query("  harbour\x00\x07\u200b  cranes\n\t").text == "harbour cranes"
    assert clean_query("\ue000mark\ue001").text == "mark"
    assert not clean_query("\x00\x01\x02")


def test_results_are_paginated_and_keep_the_query(client, category, site_settings):
    site_settings(articles_per_page=3)
    for number in range(5):
        ArticleFactory(category=category, title=f"Regatta day {number}", body="Sails.")
    first = search(client, "regatta")
    assert len(found_titles(first)) == 3 and "5 stories found" in first
    assert 'href="?q=regatta&amp;page=2"' in first
    second = search(client, "regatta", page=2)
    assert len(found_titles(second)) == 2 and 'href="?q=regatta&amp;page=1"' in second
    assert client.get("/search/", {"q": "regatta", "page": 9}).status_code == 404


def test_search_page_is_not_indexed_and_is_accessible(client, category):
    ArticleFactory(category=category, title="Harbour cranes return")
    html = search(client, "harbour")
    assert '<meta name="robots" content="noindex">' in html
    assert html.count("<h1") == 1
    assert '<label class="search-form__label" for="search-page-q">' in html and 'id="search-page-q"' in html
    assert 'rel="canonical"' not in html


def test_every_page_has_a_search_box_in_the_header(client, article):
    for url in ("/", article.category.get_absolute_url(), article.get_absolute_url()):
        html = client.get(url).content.decode()
        (form,) = select(html, ".site-header form[role=search]")
        assert (form.get("action"), form.get("method")) == ("/search/", "get")
        (field,) = form.cssselect("input[type=search][name=q]")
        assert text_of(form.cssselect(f"label[for={field.get('id')}]")[0]) == "Search stories"


def test_search_query_budget(client, category, django_assert_max_num_queries):
    for number in range(30):
        ArticleFactory(category=category, title=f"Harbour story {number}", body="Harbour news.")
    with django_assert_max_num_queries(SEARCH_PAGE_BUDGET):
        html = search(client, "harbour")
    assert "<mark>" in html


def test_search_results_may_be_cached_for_everyone(client, category, settings):
    settings.PAGE_CACHE_SECONDS = 60
    ArticleFactory(category=category, title="Harbour cranes return")
    response = client.get("/search/", {"q": "harbour"})
    assert "public" in response["Cache-Control"] and response.has_header("ETag")
    assert "csrfmiddlewaretoken" not in response.content.decode() and not response.cookies


def test_search_stems_ranks_and_understands_web_syntax(client, category):
    """The same queries, the same answers, on PostgreSQL's full-text search and on SQLite's FTS5 index."""
    for number in range(4):  # an archive around them, so that rare words weigh more than common ones (bm25)
        ArticleFactory(category=category, title=f"Council meeting {number}", body="Budgets and roads.")
    ArticleFactory(category=category, title="Ferries cancelled", body="Storms.", standfirst="No crossings today.")
    ArticleFactory(category=category, title="Island news", body="A ferry was late again.", standfirst="Delays.")
    ArticleFactory(category=category, title="Quiet port", body="Nothing happened at all.", standfirst="Calm.")
    # Stemming: "ferry" finds "Ferries"; the headline match ranks above the body match.
    assert found_titles(search(client, "ferry")) == ["Ferries cancelled", "Island news"]
    assert found_titles(search(client, "ferry -storms")) == ["Island news"]
    assert found_titles(search(client, '"was late again"')) == ["Island news"]
    either = found_titles(search(client, "ferry or calm"))
    assert sorted(either) == ["Ferries cancelled", "Island news", "Quiet port"]
    if connection.vendor == "postgresql":
        # ts_rank: headline (A) above standfirst (B) above body (C). SQLite's bm25 also weighs how rare a word
        # is, so there the one story with the rarer "calm" comes first.
        assert either == ["Ferries cancelled", "Quiet port", "Island news"]


@ON_POSTGRESQL
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_full_text_search_is_answered_by_the_gin_index():
    # tests/articles/test_migrations.py leaves the schema at an older migration; come back to the latest first.
    call_command("migrate", "articles", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX_NAME])
        assert cursor.fetchone(), "the search index is missing"
        # A table this small would be scanned whole, so leave the planner only bitmap scans, which an index must
        # answer: the GIN index can only do so when its expression is exactly the query's.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_indexscan = off")
    try:
        plan = Article.objects.search("harbour cranes").explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_indexscan")
    assert f"Bitmap Index Scan on {INDEX_NAME}" in plan, plan


def test_search_finds_other_forms_of_a_word(client, category):
    ArticleFactory(category=category, title="Flood barriers hold", body="The flooding reached the old town.")
    ArticleFactory(category=category, title="Railways reopen", body="Trains run again on the coast line.")
    ArticleFactory(category=category, title="Budget day", body="Nothing about water or trains.")
    assert found_titles(search(client, "floods")) == ["Flood barriers hold"]
    assert found_titles(search(client, "flooded")) == ["Flood barriers hold"]
    assert found_titles(search(client, "railway")) == ["Railways reopen"]
    assert found_titles(search(client, "train")) == ["Railways reopen", "Budget day"] or found_titles(
        search(client, "train")
    ) == ["Budget day", "Railways reopen"]


def test_the_index_follows_every_save_and_delete(client, category, editor):
    story = ArticleFactory(category=category, title="Harbour news", body="Cranes return.")
    assert found_titles(search(client, "cranes")) == ["Harbour news"]
    story.body = "Ferries return."
    services.article_save(article=story, user=editor, reason="Rewritten")
    assert found_titles(search(client, "cranes")) == [] and found_titles(search(client, "ferry")) == ["Harbour news"]
    services.article_delete(article=story)
    assert found_titles(search(client, "ferry")) == []


def test_search_operators_typed_by_readers_are_only_words(client, category):
    ArticleFactory(category=category, title="Title NEAR body", body="AND OR NOT column:title * ^ ( ) {}")
    for query in ('title:"near"', "NEAR(body)", "*", "^", "(", '"', "AND", "-", "- -x", "{} ( )"):
        assert client.get("/search/", {"q": query}).status_code == 200, query
    assert found_titles(search(client, "near body")) == ["Title NEAR body"]
