"""Reading revisions for editors: what a version of an article said, and a word-level diff between two versions.

A version is either a revision (a row of `Article.history`, recorded by django-simple-history) or the article
as it is now; both are read through `snapshot()` so the compare page treats them alike.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _

from . import publishing
from .models import Article, Author, Category, Image
from .richtext import text_of

# (field, label) in the order the compare page shows them.
COMPARED_FIELDS = [
    ("title", _("Headline")),
    ("standfirst", _("Standfirst")),
    ("body", _("Body")),
    ("authors", _("Authors")),
    ("credit_line", _("Credit line")),
    ("lead_image", _("Lead image")),
    ("slug", _("Slug")),
    ("category", _("Category")),
    ("status", _("Status")),
    ("published_at", _("Publication time")),
]
PLAIN_FIELDS = ("title", "standfirst", "body", "credit_line", "slug")
# What restoring a revision brings back (`services.article_restore`): the story as written, with its authors and
# lead image. Publication state, slug (the URL), category and curation stay as they are now, so restoring an old
# text never unpublishes or moves a live story.
RESTORED_FIELDS = ("title", "standfirst", "body", "credit_line", "lead_image")
RESTORED = {*RESTORED_FIELDS, "authors"}
_WORDS = re.compile(r"\s+|[^\s]+")
# Below this share of words in common (difflib's ratio), a change is shown as a rewrite (see `word_diff`).
REWRITTEN = 0.4


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str
    diff: SafeString
    changed: bool
    restored: bool


def attribute(name: str) -> str:
    """Return the attribute a compared field is read from and written to (a foreign key by its id)."""
    return f"{name}_id" if name == "lead_image" else name


def restored_labels() -> list[str]:
    return [str(label) for name, label in COMPARED_FIELDS if name in RESTORED]


def snapshot(version) -> dict[str, str]:
    """Return the compared fields of a revision or of the current article as display text."""
    values = {name: getattr(version, name) or "" for name in PLAIN_FIELDS}
    values["body"] = text_of(values["body"])  # the text as readers read it: the diff is of words, not of tags
    picture = Image.objects.filter(pk=version.lead_image_id).first() if version.lead_image_id else None
    values["lead_image"] = (
        str(picture) if picture else ("" if not version.lead_image_id else str(_("(deleted picture)")))
    )
    category = Category.objects.filter(pk=version.category_id).values_list("name", flat=True).first()
    values["category"] = category or str(_("(deleted category)"))
    values["status"] = str(Article.Status(version.status).label) if version.status else ""
    values["published_at"] = publishing.describe_time(version.published_at) if version.published_at else ""
    values["authors"] = author_list(author_names(version))
    return values


def author_list(names) -> str:
    """Return names as a byline reads them: "A, B and C"."""
    return get_text_list(list(names), str(_("and")))


def author_names(version) -> list[str]:
    """Return the names of a revision's (or the current article's) authors in byline order."""
    if isinstance(version, Article):
        return [author.name for author in version.credited_authors]
    author_ids = list(version.authors.order_by("position", "pk").values_list("author_id", flat=True))
    names = dict(Author.objects.filter(pk__in=author_ids).values_list("pk", "name"))
    return [names.get(author_id, str(_("(deleted author)"))) for author_id in author_ids]


def compare(old, new) -> list[Change]:
    """Return the compared fields of two versions, each with a word-level diff from `old` to `new`."""
    before, after = snapshot(old), snapshot(new)
    return [
        Change(
            label=str(label),
            old=before[name],
            new=after[name],
            diff=word_diff(before[name], after[name]),
            changed=before[name] != after[name],
            restored=name in RESTORED,
        )
        for name, label in COMPARED_FIELDS
    ]


def word_diff(old: str, new: str) -> SafeString:
    """Return HTML of `new` with words removed since `old` in <del> and words added in <ins>, all escaped.

    A text rewritten through and through reads as the old text struck out and the new one after it: matching the
    odd "in" and "the" between two different sentences would shred both.
    """
    before, after = _WORDS.findall(old), _WORDS.findall(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    if before and after and matcher.ratio() < REWRITTEN:
        return format_html("<del>{}</del> <ins>{}</ins>", old, new)
    parts = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(escape("".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(format_html("<del>{}</del>", "".join(before[i1:i2])))
        if j2 > j1:
            parts.append(format_html("<ins>{}</ins>", "".join(after[j1:j2])))
    return format_html_join("", "{}", ((part,) for part in parts))
