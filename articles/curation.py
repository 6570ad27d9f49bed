"""What the home page shows, chosen from two queries: the pinned stories and the newest ones.

The lead is the newest live pinned lead story (else the newest story); the top-story slots come next, in slot
order and filled with the newest stories; then the latest list and, below it, a row of stories per section. A row
is full or absent: a section shows four stories, or two, and a section with fewer folds into the latest list, so
the page has neither empty grid cells nor a lone story under a section heading.
"""

from dataclasses import dataclass, field

from .models import TOP_STORY_SLOTS, Article, Category

# How many recent articles the home page draws its lead, top stories, latest list and sections from.
POOL_SIZE = 60
LATEST_SIZE = 6
LATEST_MAX = 12  # with the stories folded into it
SECTION_ROWS = (4, 2)  # the story counts a section row may have, largest first
# Pins are few; the bound keeps forgotten ones from growing the query.
PINNED_LIMIT = 20


@dataclass
class Section:
    category: Category
    articles: list[Article] = field(default_factory=list)


@dataclass
class FrontPage:
    lead: Article | None
    top_stories: list[Article]
    latest: list[Article]
    sections: list[Section]


def front_page() -> FrontPage:
    """Return the home page's stories: lead, top stories, latest and sections."""
    live = Article.objects.live().teasers()
    pinned = list(live.pinned().order_by("-published_at", "-pk")[:PINNED_LIMIT])
    pool = list(live[:POOL_SIZE])
    lead = next((article for article in pinned if article.pinned_lead), pool[0] if pool else None)
    ranked = sorted(
        (article for article in pinned if article.top_story_rank and article != lead),
        key=lambda article: article.top_story_rank,  # stable: the newest first within a slot
    )
    top = ranked[:TOP_STORY_SLOTS]
    for article in pool:
        if len(top) >= TOP_STORY_SLOTS:
            break
        if article != lead and article not in top:
            top.append(article)
    shown = {lead, *top}
    rest = [article for article in pool if article not in shown]
    grouped = {}
    for article in rest[LATEST_SIZE:]:
        grouped.setdefault(article.category_id, Section(article.category)).articles.append(article)
    latest, sections = rest[:LATEST_SIZE], []
    for section in grouped.values():
        row = next((size for size in SECTION_ROWS if len(section.articles) >= size), 0)
        if row:
            sections.append(Section(section.category, section.articles[:row]))
        else:
            latest.extend(section.articles)  # too few for a row of their own
    latest = sorted(latest, key=lambda article: (article.published_at, article.pk), reverse=True)[:LATEST_MAX]
    sections.sort(key=lambda section: (section.category.position, section.category.name))
    return FrontPage(lead=lead, top_stories=top, latest=latest, sections=sections)
