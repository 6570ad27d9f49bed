"""Editorial rules: what an article needs before it may be published, and how its state reads in the admin.

Scheduling is a query (`Article.objects.live()` compares `published_at` with now), so nothing here runs on a
timer; these rules only decide what editors are told.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from .models import FAR_FUTURE, Image
from .richtext import pictures_in

# Read next, teasers and search results show the standfirst in full; longer ones get cut off mid-sentence.
STANDFIRST_LIMIT = 160
# Search results cut titles off at about 600 px, some 60 characters: past that, a warning (and a title for them).
HEADLINE_SEARCH_LIMIT = 60


@dataclass(frozen=True)
class State:
    """How the admin shows an article's state: a short label and a level for its colour."""

    label: str
    level: str  # "live", "scheduled", "review", "draft" or "warning"


def publish_time():
    """Return the time "publish now" means: now, in whole seconds (as forms show them, so a resave changes nothing)."""
    return timezone.now().replace(microsecond=0)


def image_problems(image, field="lead_image") -> dict[str, str]:
    """Return what a story's picture (a library picture, or None) lacks, whether or not it is published."""
    if image is not None and not (image.alt_text or "").strip():
        return {
            field: _("This picture has no alt text: describe it in the media library for readers who cannot see it.")
        }
    return {}


def standfirst_advice() -> str:
    return _("Read next and the lists show at most %(limit)d characters.") % {"limit": STANDFIRST_LIMIT}


def headline_advice() -> str:
    return _("Search results cut a headline off after about %(limit)d characters: add a title for search results.") % {
        "limit": HEADLINE_SEARCH_LIMIT
    }


def headline_warning(article) -> str:
    """Warn (never refuse) when search results will cut the headline off and no title for them is set."""
    if article.seo_title.strip() or len(article.title) <= HEADLINE_SEARCH_LIMIT:
        return ""
    return _(
        "The headline has %(length)d characters; search results show about %(limit)d. "
        "A title for search results (under “Search and social”) fixes that."
    ) % {"length": len(article.title), "limit": HEADLINE_SEARCH_LIMIT}


def body_picture_problems(body: str) -> list[str]:
    """Return what the library pictures placed in a body lack: each needs to exist and to have its alt text."""
    placed = pictures_in(body or "")
    found = {image.pk: image for image in Image.objects.filter(pk__in=placed).only("pk", "alt_text", "original_name")}
    problems = []
    for pk in dict.fromkeys(placed):
        image = found.get(pk)
        if image is None:
            problems.append(
                _("Picture %(id)d is no longer in the media library: remove it or choose another.") % {"id": pk}
            )
        elif not image.alt_text.strip():
            problems.append(
                _("The picture “%(name)s” in the text has no alt text: describe it in the media library.")
                % {"name": image.original_name or pk}
            )
    return problems


def byline_problem() -> str:
    return _("Add at least one author (or a credit line) before publishing.")


def publication_problems(*, standfirst: str, image, has_byline: bool) -> dict[str, str]:
    """Return what stops an article from being published, as {field name: message for the editor}."""
    problems = image_problems(image)
    standfirst = (standfirst or "").strip()
    if not standfirst:
        problems["standfirst"] = _(
            "Write a standfirst before publishing: it is the teaser readers see in lists and under Read next."
        )
    elif len(standfirst) > STANDFIRST_LIMIT:
        problems["standfirst"] = _(
            "The standfirst has %(length)d characters; Read next shows at most %(limit)d. Shorten it before publishing."
        ) % {"length": len(standfirst), "limit": STANDFIRST_LIMIT}
    if not has_byline:
        problems["authors"] = byline_problem()
    return problems


def article_problems(article) -> dict[str, str]:
    """Return the publication problems of a saved article (used by the publish action)."""
    return publication_problems(
        standfirst=article.standfirst,
        image=article.lead_image,
        has_byline=bool(article.credit_line.strip()) or article.bylines.exists(),
    )


def is_far_future(published_at, now=None) -> bool:
    """Tell whether a publication time lies so far ahead that it is probably a mistake."""
    return published_at is not None and published_at > (now or timezone.now()) + FAR_FUTURE


def describe_time(moment, now=None) -> str:
    """Say when: `18:56 today`, `07:00 tomorrow`, or `3 Mar 2027 18:56`, in the site's time zone."""
    local = timezone.localtime(moment)
    today = timezone.localtime(now or timezone.now()).date()
    clock = date_format(local, "H:i")
    if local.date() == today:
        return _("%(time)s today") % {"time": clock}
    if local.date() == today + timedelta(days=1):
        return _("%(time)s tomorrow") % {"time": clock}
    return date_format(local, "j M Y H:i")


def state(article, now=None) -> State:
    """Return the admin state of an article: Live, Scheduled for …, In review, Changes requested, Draft, or a
    far-future warning."""
    now = now or timezone.now()
    match article.publication_state(now):
        case "draft" if article.status != article.Status.DRAFT:  # in review, or sent back for changes
            return State(str(article.get_status_display()), "review")
        case "draft":
            return State(_("Draft"), "draft")
        case "scheduled":
            when = describe_time(article.published_at, now)
            if is_far_future(article.published_at, now):
                message = _("Scheduled for %(when)s: far in the future, check the date")
                return State(message % {"when": when}, "warning")
            return State(_("Scheduled for %(when)s") % {"when": when}, "scheduled")
    return State(_("Live"), "live")
