"""What the moderation rules look at in a reader's text: one normal form for words, one detector for links.

Tricks that change how a word is written but not how it reads must not walk past the block list. Before the word
rules, text is brought to one normal form (in the spirit of Unicode TR39's skeletons):

- compatibility-normalised (NFKC: full-width `ｃａｓｉｎｏ` becomes `casino`) and case-folded;
- stripped of invisible format characters (zero-width spaces and joiners, soft hyphens, direction marks) and of
  combining marks (`casi\u0301no`);
- each letter that only looks like a Latin one (Cyrillic `а`, Greek `ο`) mapped to that Latin letter, from the
  confusables data of the `confusable-homoglyphs` package.

The normal form keeps, for each of its characters, where it came from, so a moderator sees the reader's own text
with the matched part highlighted. What is stored and shown stays exactly what the reader typed.

Links are found by `linkify-it-py` (bare domains with real top-level domains, e-mail addresses, URLs); the same
matches are counted by the link rule and rendered as links (`comments.text`), so what is counted is what shows.
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs.confusables import confusables_data
from linkify_it import LinkifyIt
from linkify_it.tlds import TLDS

# Marks that change how a letter looks but not which letter it is, and characters that do not show at all.
DROPPED_CATEGORIES = frozenset({"Mn", "Me", "Cf"})


@dataclass(frozen=True)
class NormalText:
    """Text in the normal form, with `origin[i]`: the index in the original text of normal character `i`."""

    text: str
    origin: tuple[int, ...]

    def original_span(self, start, end):
        """Return the span of the original text that normal characters `start:end` came from."""
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=8192)
def _latin_lookalike(char):
    """Return the ASCII letter or digit a character is confusable with, or the character itself."""
    if char.isascii():
        return char
    for glyph in confusables_data.get(char, ()):
        candidate = glyph["c"]
        if len(candidate) == 1 and candidate.isascii() and candidate.isalnum():
            return candidate.lower()
    return char


@lru_cache(maxsize=8192)
def _fold(char):
    """Return what one character of the reader's text becomes in the normal form (possibly nothing)."""
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", char).casefold())
    return "".join(
        _latin_lookalike(part) for part in decomposed if unicodedata.category(part) not in DROPPED_CATEGORIES
    )


def normal_form(text):
    """Return `text` in the normal form the word rules match against."""
    characters, origin = [], []
    for index, char in enumerate(text):
        folded = _fold(char)
        characters.append(folded)
        origin.extend([index] * len(folded))
    return NormalText("".join(characters), tuple(origin))


def word_pattern(word, *, whole_word=False):
    """Return the pattern of a block-list word: at a word start (`casino` finds `casinos`), or as a whole word."""
    return re.compile(rf"(?<!\w){re.escape(normal_form(word).text)}" + (r"(?!\w)" if whole_word else ""))


def find_words(text, entries):
    """Return the original-text spans of every block-list word in `text`; `entries` are (word, whole_word) pairs."""
    normal = normal_form(text)
    spans = []
    for word, whole_word in entries:
        if not normal_form(word).text:
            continue
        for found in word_pattern(word, whole_word=whole_word).finditer(normal.text):
            spans.append(normal.original_span(*found.span()))
    return sorted(spans)


@lru_cache(maxsize=1)
def _linkify():
    """Return the detector, knowing every top-level domain of IANA's list (the default knows only the old ones)."""
    return LinkifyIt().tlds([tld.lower() for tld in TLDS], keep_old=True)


def _missing_space(text):
    """Tell whether a bare domain is rather a sentence run on without a space (`ended.Next`, `Hello.World`)."""
    host = re.split(r"[/:?#]", text, maxsplit=1)[0]
    tld = host.rsplit(".", 1)[-1]
    return len(tld) > 1 and tld[0].isupper() and tld[1:].islower()


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    url: str


def find_links(text):
    """Return the links in a reader's text: URLs, `www.` addresses, bare domains and e-mail addresses."""
    matches = _linkify().match(text) or []
    return [
        Link(match.index, match.last_index, match.url)
        for match in matches
        if match.schema or not _missing_space(match.raw)
    ]
