"""Reader search: what a query may contain, what is searched, and how a match is shown.

On PostgreSQL the search is full text: the headline, standfirst and rendered body form one weighted document
(`document()`), matched with `websearch_to_tsquery` (the syntax readers know: "exact phrase", -word, or), ranked
with `ts_rank` and shown with `ts_headline` snippets. A GIN index on exactly that expression (migration 0007)
answers the match. On SQLite, which has none of this, every word of the query must occur somewhere in the story
(a case-insensitive substring match) and the snippet is cut in Python around the first hit.

Whatever a reader types is cleaned first (`clean_query`): control and formatting characters go (PostgreSQL
refuses NUL in a string), whitespace collapses, and the query is cut to a length that no honest search needs.
"""

import html
import re
import unicodedata
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db.models import F, Q
from django.utils.html import escape, format_html, format_html_join

# The text-search configuration of the index. Changing it needs a new migration: a query only uses the GIN
# index when its expression is identical to the indexed one.
CONFIG = "english"
INDEX_NAME = "article_search_idx"

MAX_QUERY_LENGTH = 200
MAX_FALLBACK_WORDS = 8  # SQLite: each word is three LIKE scans
SNIPPET_CHARACTERS = 220

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


def fallback_words(text: str) -> list[str]:
    """Return the words a substring search looks for: the query's words, without quotes and operators."""
    words = [word.strip("\"'()") for word in text.split()]
    words = [word.lstrip("-") for word in words if word and word.lower() != "or"]
    return [word for word in dict.fromkeys(words) if word][:MAX_FALLBACK_WORDS]


def plain_text(body_html: str) -> str:
    """Return the text of a rendered body: tags become spaces, entities characters."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", body_html or ""))).strip()


def marked_headline(headline: str):
    """Turn a ts_headline result into safe HTML: the text escaped, its marked matches in <mark>."""
    text = _SPACE.sub(" ", _TAG.sub(" ", headline or "")).strip()
    pieces = []
    position = 0
    for match in _MARKED.finditer(text):
        pieces.append(escape(html.unescape(_unmarked(text[position : match.start()]))))
        pieces.append(format_html("<mark>{}</mark>", html.unescape(match.group(1))))
        position = match.end()
    pieces.append(escape(html.unescape(_unmarked(text[position:]))))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _unmarked(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


def excerpt(text: str, words: list[str]):
    """Cut a snippet of plain text around the first of `words` and mark every occurrence (the SQLite path)."""
    text = text or ""
    # Marks start at the beginning of a word: "the" marks "The" and "thermal", not the middle of "bathe".
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(word) for word in words) + ")", re.I) if words else None
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - SNIPPET_CHARACTERS // 3) if first else 0
    end = start + SNIPPET_CHARACTERS
    if start:
        start = text.find(" ", start) + 1 or start  # begin on a word
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    snippet = text[start:end].strip()
    prefix, suffix = ("… " if start else ""), (" …" if end < len(text) else "")
    pieces = [escape(prefix)]
    position = 0
    for match in pattern.finditer(snippet) if pattern else ():
        pieces.append(escape(snippet[position : match.start()]))
        pieces.append(format_html("<mark>{}</mark>", match.group(0)))
        position = match.end()
    pieces.append(escape(snippet[position:]))
    pieces.append(escape(suffix))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def substring(queryset, text: str):
    """Filter a queryset to the articles containing every word of the query, newest first (the SQLite path).

    Each carries `search_body` (the rendered body, even when the queryset defers it) for `excerpt()`.
    """
    words = fallback_words(text)
    if not words:
        return queryset.none()
    matches = Q()
    for word in words:
        matches &= Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
    return queryset.filter(matches).annotate(search_body=F("body_html")).order_by("-published_at", "-pk")
