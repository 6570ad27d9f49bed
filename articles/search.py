"""Reader search: what a query may contain, what is searched, and how a match is shown.

On PostgreSQL the search is full text: the headline, standfirst and rendered body form one weighted document
(`document()`), matched with `websearch_to_tsquery` (the syntax readers know: "exact phrase", -word, or), ranked
with `ts_rank` and shown with `ts_headline` snippets. A GIN index on exactly that expression (migration 0007)
answers the match.

On SQLite (the embedded default) an FTS5 table (`articles_article_fts`, migration 0011) holds the same three texts with
the Porter stemming tokenizer, so "floods" finds "flood" and "flooding" as PostgreSQL's english configuration
does. It is not an index the database keeps by itself: `articles.services` writes an article's row whenever it
saves or deletes one (`index_article`, `unindex_article`), and `rebuild_index()` refills it after bulk loads.
The reader's syntax becomes an FTS5 query (`fts_query`), ranked with bm25 (headline weighs most), with snippets.

Whatever a reader types is cleaned first (`clean_query`): control and formatting characters go (PostgreSQL
refuses NUL in a string), whitespace collapses, and the query is cut to a length that no honest search needs.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape, format_html, format_html_join

# The text-search configuration of the index. Changing it needs a new migration: a query only uses the GIN
# index when its expression is identical to the indexed one.
CONFIG = "english"
INDEX_NAME = "article_search_idx"

MAX_QUERY_LENGTH = 200

# ts_headline marks matches with these private-use characters instead of HTML, so the snippet can be escaped as
# plain text first and the marks turned into <mark> afterwards. Queries are stripped of private-use characters.
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# Unicode categories a search never needs: controls, format characters, surrogates, private use, unassigned.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


@dataclass(frozen=True)
class Query:
    text: str
    shortened: bool = False

    def __bool__(self):
        return bool(self.text)


def clean_query(raw: str) -> Query:
    """Return what is left of a reader's query once it is safe to send to the database."""
    normalised = unicodedata.normalize("NFKC", raw or "")
    kept = "".join(
        " " if char.isspace() else char
        for char in normalised
        if char.isspace() or unicodedata.category(char) not in _DROPPED_CATEGORIES
    )
    text = _SPACE.sub(" ", kept).strip()
    if len(text) <= MAX_QUERY_LENGTH:
        return Query(text)
    return Query(text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0].strip() or text[:MAX_QUERY_LENGTH], shortened=True)


def document():
    """Return the weighted search document of an article: headline (A), standfirst (B), body (C).

    The body is the sanitized HTML: PostgreSQL's parser skips tags, so link targets and markup are not indexed.
    """
    return (
        SearchVector("title", config=CONFIG, weight="A")
        + SearchVector("standfirst", config=CONFIG, weight="B")
        + SearchVector("body_html", config=CONFIG, weight="C")
    )


def full_text(queryset, text: str):
    """Filter and rank a queryset by a PostgreSQL full-text search; annotate `search_headline`."""
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    vector = document()
    return (
        queryset.alias(search_document=vector)
        .filter(search_document=query)
        .annotate(
            search_rank=SearchRank(vector, query),
            search_headline=SearchHeadline(
                "body_html",
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=28,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-search_rank", "-published_at", "-pk")
    )


def plain_text(body_html: str) -> str:
    """Return the text of a rendered body: tags become spaces, entities characters."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", body_html or ""))).strip()


def marked_headline(headline: str, *, markup: bool = True):
    """Turn a snippet into safe HTML: the text escaped, its marked matches in <mark>.

    `markup`: the snippet was cut from HTML (PostgreSQL's ts_headline of the rendered body), so tags go and
    entities become characters; SQLite's index holds the plain text, where a "<" is a reader-visible character.
    """
    text = headline or ""
    if markup:
        text = _TAG.sub(" ", text)
    text = _SPACE.sub(" ", text).strip()
    plain = html.unescape if markup else str
    pieces = []
    position = 0
    for match in _MARKED.finditer(text):
        pieces.append(escape(plain(_unmarked(text[position : match.start()]))))
        pieces.append(format_html("<mark>{}</mark>", plain(match.group(1))))
        position = match.end()
    pieces.append(escape(plain(_unmarked(text[position:]))))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _unmarked(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


# --- SQLite: the FTS5 index ----------------------------------------------------------------------------
# The statements are constants: only values travel as parameters, and the reader's words only inside MATCH's.

# The table itself: migration 0011 (title, standfirst, body; tokenize = 'porter unicode61 remove_diacritics 2').
_FTS_INSERT = "INSERT INTO articles_article_fts (rowid, title, standfirst, body) VALUES (%s, %s, %s, %s)"
_FTS_DELETE = "DELETE FROM articles_article_fts WHERE rowid = %s"
_FTS_CLEAR = "DELETE FROM articles_article_fts"
_FTS_MATCHES = "SELECT rowid FROM articles_article_fts WHERE articles_article_fts MATCH %s"
_FTS_OF_ROW = (
    " FROM articles_article_fts"
    " WHERE articles_article_fts MATCH %s AND articles_article_fts.rowid = articles_article.id"
)
_FTS_RANK = "SELECT bm25(articles_article_fts, 10.0, 4.0, 1.0)" + _FTS_OF_ROW  # headline, standfirst, body
_FTS_SNIPPET = "SELECT snippet(articles_article_fts, 2, %s, %s, ' … ', 28)" + _FTS_OF_ROW

_QUERY_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
_NOT_A_WORD = re.compile(r"[^\w]+")


def uses_fts() -> bool:
    return connection.vendor == "sqlite"


def _row(article):
    return [article.pk, article.title, article.standfirst, plain_text(article.body_html)]


def index_article(article) -> None:
    """Write (or rewrite) an article's row in the SQLite search index; nothing to do on PostgreSQL."""
    if uses_fts():
        with connection.cursor() as cursor:
            cursor.execute(_FTS_DELETE, [article.pk])
            cursor.execute(_FTS_INSERT, _row(article))


def unindex_article(pk) -> None:
    if uses_fts():
        with connection.cursor() as cursor:
            cursor.execute(_FTS_DELETE, [pk])


def rebuild_index(every_article) -> None:
    """Fill the SQLite search index afresh from `every_article` (a queryset; after a bulk load or a restore)."""
    if not uses_fts():
        return
    articles = every_article.only("pk", "title", "standfirst", "body_html").iterator(chunk_size=500)
    with connection.cursor() as cursor:
        cursor.execute(_FTS_CLEAR)
        cursor.executemany(_FTS_INSERT, [_row(article) for article in articles])


def fts_query(text: str) -> str:
    """Turn a reader's query into FTS5 syntax: words and "phrases" all required, -word left out, OR between.

    Every term is quoted, so nothing a reader types is read as an FTS5 operator or column name.
    """
    required, excluded = [], []
    for token in _QUERY_TOKEN.findall(text):
        if token.upper() == "OR":
            if required and required[-1] != "OR":
                required.append("OR")
            continue
        words = _NOT_A_WORD.sub(" ", token.lstrip("-")).strip()
        if words:
            (excluded if token.startswith("-") else required).append(f'"{words}"')
    while required and required[-1] == "OR":
        required.pop()
    if not required:
        return ""
    query = " ".join(required)
    for term in excluded:
        query = f"({query}) NOT {term}"
    return query


def stemmed(queryset, text: str):
    """Filter and rank a queryset by the SQLite FTS5 index, best match first; annotate `search_headline`."""
    match = fts_query(text)
    if not match:
        return queryset.none()
    # Constant SQL; the reader's words travel only as the MATCH parameter.
    matching = RawSQL(_FTS_MATCHES, [match])  # noqa: S611  # nosec B611
    rank = RawSQL(_FTS_RANK, [match])  # noqa: S611  # nosec B611
    snippet = RawSQL(_FTS_SNIPPET, [START, STOP, match])  # noqa: S611  # nosec B611
    return (
        queryset.filter(pk__in=matching)
        .annotate(search_rank=rank, search_headline=snippet, search_headline_is_text=Value(True))
        .order_by("search_rank", "-published_at", "-pk")
    )
