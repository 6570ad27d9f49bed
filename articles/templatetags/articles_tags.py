from datetime import datetime
from html import unescape as html_unescape
from urllib.parse import quote, urlsplit

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dates import MONTHS, MONTHS_3
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from articles import embeds, library, metadata, popularity, richtext, search
from articles.images import SMALL_RENDITION_WIDTH
from articles.models import Article, Image
from comments import moderation
from newsportal import pagecache
from newsportal.db.prepared import PreparedQuery
from newsportal.site import site_url
from newsportal.sitesettings import site_settings
from newsportal.templatetags.site import open_graph_locale

register = template.Library()


@register.simple_tag
def read_next(article, size=None):
    """Render the newest other published articles, newest first: one query for the newest, shared by every story
    rendered until they change (`pagecache.fragment`, under the site-wide generation their changes move), and
    rendered once for each list of them a story shows (`rendered_list`)."""
    size = size or site_settings().read_next_size
    newest = pagecache.fragment(
        "read-next",
        lambda: _NEWEST_TEASERS.rows(size + 1, now=timezone.now()),
        depends_on=[pagecache.SITE],
        vary=[size],
    )
    items = [item for item in newest if item.pk != article.pk][:size]
    return rendered_list("includes/read_next.html", items, depends_on=[pagecache.SITE])


def rendered_list(template_name, items, *, depends_on, **context):
    """Render a list of stories beside a page, kept rendered (`pagecache.fragment`) under the generations the
    list itself is kept under: its HTML changes with nothing else than the stories in it, which those generations
    cover (headline, picture, time, comment count), and `context`, which is part of the key."""
    return pagecache.fragment(
        f"list:{template_name}",
        lambda: render_to_string(template_name, {"items": items, **context}),
        depends_on=depends_on,
        vary=[*sorted(context.items()), *(item.pk for item in items)],
    )


# The newest stories as teasers (Read next), compiled once per process and length (`newsportal.db.prepared`).
_NEWEST_TEASERS = PreparedQuery(lambda length, now: Article.objects.live(now).teasers()[:length], now=datetime)


@register.tag
def article_part(parser, token):
    """`{% article_part "story" article %}…{% endarticle_part %}`: one part of a story page, kept under the
    generation it depends on (`pagecache.fragment`), so a new comment re-renders only the comment section and the
    count by the byline (`"discussion"`, `"comment_count"`), and an edit only the story (`"headline"`, `"story"`)."""
    try:
        _tag, kind, article = token.split_contents()
    except ValueError:
        raise template.TemplateSyntaxError("article_part takes a part's name and an article") from None
    if kind.strip("\"'") not in ARTICLE_PARTS:
        raise template.TemplateSyntaxError(f"article_part: no part named {kind}")
    nodelist = parser.parse(("endarticle_part",))
    parser.delete_first_token()
    return ArticlePartNode(kind.strip("\"'"), parser.compile_filter(article), nodelist)


def _story_part(article):
    return pagecache.article_key(article), ()


def _discussion_part(article):
    # The section also shows whether comments are open (and new ones offered) and links the form under the story's
    # section: the story's settings (and its age), which move the story's generation, not the discussion's.
    return pagecache.discussion_key(article), (
        moderation.comments_are_open(article),
        moderation.comments_stream(article),
        article.category.slug,
    )


ARTICLE_PARTS = {
    "headline": _story_part,
    "story": _story_part,
    "comment_count": _discussion_part,  # by the byline: the same figures as the section
    "discussion": _discussion_part,
}


class ArticlePartNode(template.Node):
    def __init__(self, kind, article, nodelist):
        self.kind, self.article, self.nodelist = kind, article, nodelist

    def render(self, context):
        article = self.article.resolve(context)
        key, made_from = ARTICLE_PARTS[self.kind](article)
        request = context.get("request")
        query = request.GET.urlencode() if request else ""  # the view's normal query: the page of comments, …
        return pagecache.fragment(  # the template's own output, escaped as it rendered
            f"article-{self.kind}",
            lambda: self.nodelist.render(context),
            depends_on=[pagecache.SITE, key],
            vary=[article.pk, query, *made_from],
        )


@register.filter
def newstime(value):
    """The site's one rule for showing a time: `18:56` today, `1 Dec, 18:56` this year, `1 Dec 2025` before.

    "Today" is the local date of TIME_ZONE, so a story from 23:50 yesterday reads `1 Dec, 23:50`, not `23:50`.
    Written out directly rather than with Django's `date` format: a list page shows some thirty of them, and the
    format's interpreter cost more than the rest of the teaser.
    """
    if value is None:
        return ""
    local = timezone.localtime(value)
    today = timezone.localdate()
    if local.date() == today:
        return f"{local:%H:%M}"
    month = MONTHS_3[local.month].title()  # "Dec", translated, as the `M` format gives it
    if local.year == today.year:
        return f"{local.day} {month}, {local:%H:%M}"
    return f"{local.day} {month} {local.year}"


@register.filter
def fulltime(value):
    """A time in full, as a byline gives it, with its zone: `1 December 2026, 18:56 GMT`."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {MONTHS[local.month]} {local.year}, {local:%H:%M} {local.tzname()}"


def zoned(value):
    """`newstime` with the zone where it shows a time of day (`18:56 BST`; a date alone needs none): for the times
    a reader may set against a clock, such as live updates and corrections."""
    shown = newstime(value)
    return f"{shown} {timezone.localtime(value).tzname()}" if ":" in shown else shown


@register.filter
def absolute(path):
    """A path of this site as an absolute URL on the site's address (`newsportal.site.site_url`)."""
    return site_url(path)


@register.filter
def on_site(url):
    """An absolute URL that Django built from the request's Host (the sitemap index), on the site's address."""
    parts = urlsplit(url)
    return site_url(f"{parts.path}?{parts.query}" if parts.query else parts.path)


@register.filter
def isotime(value):
    """Return a time as `datetime` attributes and sitemaps take it (see `metadata.isotime`); empty for none."""
    return metadata.isotime(value) or ""


@register.simple_tag
def pubtime(value, full=False, zone=False):
    """Render a time as `<time datetime=…>`: by the site's rule (`newstime`), with its zone (`zone`), or in full
    for a byline (`full`, zone included)."""
    if value is None:
        return ""
    shown = fulltime(value) if full else zoned(value) if zone else newstime(value)
    return format_html('<time datetime="{}">{}</time>', isotime(value), shown)


def join_names(names):
    """Join names (each escaped by format_html) as a byline reads: `A`, `A and B`, `A, B and C`."""
    if len(names) <= 1:
        return format_html_join("", "{}", ((name,) for name in names))
    head = format_html_join(", ", "{}", ((name,) for name in names[:-1]))
    return format_html("{} {} {}", head, _("and"), names[-1])


@register.simple_tag
def byline(article):
    """Render `By A and B` with links to the authors' pages, or the credit line when no author is set."""
    authors = article.credited_authors
    if authors:
        names = [format_html('<a href="{}">{}</a>', author.get_absolute_url(), author.name) for author in authors]
        return format_html('{} <span class="byline">{}</span>', _("By"), join_names(names))
    if article.credit_line:
        return format_html('{} <span class="byline">{}</span>', _("By"), article.credit_line)
    return ""


@register.inclusion_tag("includes/picture.html")
def picture(image, alt=None, sizes="100vw", small=False, loading="lazy", css_class="", priority=False):
    """Render a library picture as <picture> with WebP and JPEG srcsets of its renditions (`small`: ≤ 480 px).

    `alt` defaults to the picture's own alt text ("" for a decorative thumbnail beside a headline). A picture whose
    renditions are not made yet renders nothing: never the full-size original. Cropped pictures (CSS
    `object-fit: cover`) keep the focal point in frame through `fx-*`/`fy-*` classes (`object-position`).
    """
    if image is None or not image.is_ready or not image.renditions:
        return {"renditions": False}
    chosen = [entry for entry in image.renditions if not small or entry["width"] <= SMALL_RENDITION_WIDTH]
    chosen = chosen or image.renditions[:1]
    storage = image.file.storage
    largest = chosen[-1]
    focal = f"fx-{round(image.focal_x * 10)} fy-{round(image.focal_y * 10)}"
    return {
        "renditions": True,
        "alt": image.alt_text if alt is None else alt,
        "sizes": sizes,
        "css_class": f"{css_class} {focal}".strip(),
        # The page's main picture (`priority`) is fetched first; the rest wait until they near the screen.
        "loading": "eager" if priority else loading,
        "priority": priority,
        "src": storage.url(largest["jpeg"]),
        "width": largest["width"],
        "height": largest["height"],
        "webp_srcset": format_html_join(", ", "{} {}w", ((storage.url(e["webp"]), e["width"]) for e in chosen)),
        "jpeg_srcset": format_html_join(", ", "{} {}w", ((storage.url(e["jpeg"]), e["width"]) for e in chosen)),
    }


@register.simple_tag
def rendered_body(html):
    """Return a stored body (a story's, a live update's, key points) with its library pictures and embeds rendered in
    place: pictures with their renditions (one query for all of them), embeds as placeholders that load nothing
    until the reader asks. A picture deleted or not processed yet leaves nothing behind."""
    figures = list(richtext.figures_in(html))
    if not figures:
        # Sanitised by articles.richtext when it was saved.
        return mark_safe(html)  # noqa: S308  # nosec B308, B703
    ids = [int(attributes["data-picture"]) for attributes, _match in figures if "data-picture" in attributes]
    found = {image.pk: image for image in Image.objects.ready().filter(pk__in=ids)} if ids else {}
    parts, last = [], 0
    for attributes, match in figures:
        parts.append(html[last : match.start()])
        parts.append(_placed(attributes, found))
        last = match.end()
    parts.append(html[last:])
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703 - the body sanitised, each figure escaped


def _placed(attributes, pictures):
    if "data-picture" in attributes:
        image = pictures.get(int(attributes["data-picture"]))
        if image is None:
            return ""
        size = attributes.get("data-size") or "column"
        sizes = "(min-width: 76rem) 72rem, 100vw" if size == "full" else "(min-width: 44rem) 42rem, calc(100vw - 2rem)"
        return render_to_string("includes/body_picture.html", {"image": image, "size": size, "sizes": sizes})
    embed = embeds.find(html_unescape(attributes.get("data-url", "")))
    return render_to_string("includes/embed.html", {"embed": embed}) if embed else ""


@register.filter
def picture_usage(image):
    """Say where a library picture (annotated by `ImageQuerySet.with_usage`) is used."""
    sentence = library.usage_sentence(
        leads=image.lead_count,
        shares=image.social_count,
        bodies=image.body_count,
        authors=image.portrait_count,
        updates=image.update_count,
    )
    return sentence[:1].upper() + sentence[1:]


# --- Search results -------------------------------------------------------------------------------


@register.simple_tag
def search_snippet(article):
    """Render the part of a found story that matched, its matches in <mark> (ts_headline's or FTS5's snippet)."""
    return search.marked_headline(
        article.search_headline, markup=not getattr(article, "search_headline_is_text", False)
    )


# --- What search engines and social networks read (articles/metadata.py) --------------------------


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def page_meta(context, title, description, path=None):
    """Render the canonical link and the cards of a page; list pages beyond the first keep their page number."""
    request = context["request"]
    page = context.get("page_obj")
    url = site_url(path or request.path)
    if page is not None and page.number > 1:
        url = f"{url}?page={page.number}"
    return {
        "locale": open_graph_locale(),
        "kind": "website",
        "title": title,
        "description": description,
        "url": url,
        "image": metadata.logo(request),
        "large_image": False,
    }


@register.inclusion_tag("includes/page_meta.html", takes_context=True)
def article_meta(context, article):
    """Render an article's canonical link, OpenGraph and Twitter cards (its social headline and picture when set,
    else its headline and lead image)."""
    request = context["request"]
    image = metadata.card_image(request, article)
    return {
        "locale": open_graph_locale(),
        "kind": "article",
        "title": article.social_title or article.title,
        "description": article.standfirst or article.title,
        "url": site_url(article.get_absolute_url()),
        "image": image or metadata.logo(request),
        "large_image": image is not None,
        "article": article,
        "modified": article.modified_at,
        "author_urls": [site_url(author.get_absolute_url()) for author in article.credited_authors],
    }


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    """Render the NewsArticle (a live page: LiveBlogPosting) and its BreadcrumbList (home → category → story)."""
    request = context["request"]
    trail = metadata.breadcrumbs(
        request,
        (article.category.name, article.category.get_absolute_url()),
        (article.title, article.get_absolute_url()),
    )
    if article.live_from and "live_updates" in context:
        story = metadata.live_blog(request, article, context["live_updates"])
    else:
        story = metadata.news_article(request, article)
    return metadata.json_ld(story) + metadata.json_ld(trail)


@register.simple_tag(takes_context=True)
def category_json_ld(context, category):
    """Render the BreadcrumbList of a category page (home → category) as JSON-LD."""
    request = context["request"]
    return metadata.json_ld(metadata.breadcrumbs(request, (category.name, category.get_absolute_url())))


@register.simple_tag(takes_context=True)
def website_json_ld(context):
    """Render the WebSite with its SearchAction as JSON-LD (the home page carries it)."""
    return metadata.json_ld(metadata.website(context["request"]))


@register.simple_tag
def most_read():
    """Render the stories read most in the last 24 hours (articles.popularity), kept rendered as they are kept."""
    items = popularity.most_read()
    context = {"name": "most-read", "heading": _("Most read")}
    return rendered_list("includes/ranked_stories.html", items, depends_on=popularity.MOST_READ_DEPENDS_ON, **context)


@register.inclusion_tag("includes/ranked_stories.html")
def most_discussed(category=None):
    """Render the stories of the last two days with the most published comments (in one section, or all)."""
    return {"name": "most-discussed", "heading": _("Most discussed"), "items": popularity.most_discussed(category)}


# Plain links to each network's own share page: no script of theirs, no cookie of theirs, until a reader clicks.
SHARE_TARGETS = (
    ("E-mail", "mailto:?subject={title}&body={url}"),
    ("WhatsApp", "https://wa.me/?text={title}%20{url}"),
    ("X", "https://x.com/intent/post?text={title}&url={url}"),
    ("Facebook", "https://www.facebook.com/sharer/sharer.php?u={url}"),
    ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url={url}"),
)


@register.inclusion_tag("includes/share.html", takes_context=True)
def share_links(context, article):
    """Render the share links of a story, pointing at its canonical address."""
    url = site_url(article.get_absolute_url())
    quoted = {"url": quote(url, safe=""), "title": quote(article.title, safe="")}
    return {"url": url, "links": [(name, pattern.format(**quoted)) for name, pattern in SHARE_TARGETS]}


@register.inclusion_tag("admin/articles/review_queue_notice.html", takes_context=True)
def review_queue_notice(context):
    """Tell an editor on the admin index how many stories wait for review (nothing for staff who cannot review)."""
    user = context["request"].user
    if not user.has_perm("articles.review_article"):
        return {"show": False}
    waiting = Article.objects.in_review()
    return {"show": True, "waiting": waiting.count(), "oldest": waiting.values_list("submitted_at", flat=True).first()}
