"""What machines read about a page: schema.org JSON-LD for search engines, OpenGraph and Twitter cards for
social networks, and the canonical address.

Everything comes from objects the page has already loaded (the article with `credited_authors`, its lead
picture's renditions, its category and notes), so the reader pages keep their query budgets. URLs are absolute,
built from the request's scheme and host like every other absolute link of the site.

JSON-LD goes into `<script type="application/ld+json">`: a data block, which browsers never execute and which
the Content-Security-Policy therefore allows. Its text is JSON with `<`, `>` and `&` written as `\\u003C`-style
escapes, so no headline or standfirst can close the element or open a comment.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from newsportal.site import site_url
from newsportal.templatetags.site import language_tag

from .search import plain_text

# The publisher's logo (a 512 px square made from the site icon) for NewsArticle.publisher and default cards.
LOGO = "icons/logo.png"
LOGO_SIZE = 512

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data):
    """Return `data` as a JSON-LD script element, escaped so that its text cannot end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    # The text is JSON with every character that HTML could read as markup escaped above; HTML-escaping it
    # instead would break the JSON, since a script element's text is not decoded.
    data_block = mark_safe(text)  # noqa: S308  # nosec B308 B703
    return format_html('<script type="application/ld+json">{}</script>', data_block)


def isotime(moment):
    """Return a time in ISO 8601 to the whole second, or None.

    HTML's `datetime` attributes allow at most three digits of a fraction of a second (`isoformat()` gives six), and
    no reader, feed or crawler needs one; every machine-readable time on the site goes through here.
    """
    return moment.isoformat(timespec="seconds") if moment else None


def logo(request):
    return {"url": site_url(static(LOGO)), "width": LOGO_SIZE, "height": LOGO_SIZE, "alt": ""}


def card_image(request, article):
    """Return the picture for cards: the social picture, else the lead image (None while it is being processed)."""
    return image_data(request, article.social_image or article.lead_image)


def image_data(request, image):
    """Return a library picture's widest JPEG rendition as cards and JSON-LD describe it, or None."""
    if image is None or not image.is_ready or not image.renditions:
        return None
    widest = max(image.renditions, key=lambda rendition: rendition["width"])
    url = image.file.storage.url(widest["jpeg"])
    return {
        "url": site_url(url),
        "width": widest["width"],
        "height": widest["height"],
        "alt": image.alt_text,
    }


def publisher(request):
    image = logo(request)
    return {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": site_url(reverse("articles:home")),
        "logo": {"@type": "ImageObject", "url": image["url"], "width": image["width"], "height": image["height"]},
    }


def authors(request, article):
    """Return every credited author as a Person with their page; a bare credit line names an organisation."""
    people = [
        {"@type": "Person", "name": author.name, "url": site_url(author.get_absolute_url())}
        for author in article.credited_authors
    ]
    if not people and article.credit_line:
        # The credit line is for stories without a named writer ("Staff and agencies").
        return [{"@type": "Organization", "name": article.credit_line}]
    return people or [publisher(request)]


def news_article(request, article):
    url = site_url(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.seo_title or article.title,
        "description": article.standfirst or article.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": isotime(article.published_at),
        "dateModified": isotime(article.modified_at) if article.published_at else None,
        "author": authors(request, article),
        "publisher": publisher(request),
        "articleSection": article.category.name,
        "inLanguage": language_tag(),
    }
    # The social picture (when set) and the lead image: search engines pick the one that suits their layout.
    pictures = dict.fromkeys(image for image in (article.social_image, article.lead_image) if image is not None)
    images = [image for image in (image_data(request, picture) for picture in pictures) if image]
    if images:
        data["image"] = [
            {"@type": "ImageObject", "url": image["url"], "width": image["width"], "height": image["height"]}
            for image in images
        ]
    return {key: value for key, value in data.items() if value is not None}


def live_blog(request, article, updates):
    """Return a live page as LiveBlogPosting (what gives it a "LIVE" badge in search), with its shown updates."""
    data = news_article(request, article)
    url = data["url"]
    data["@type"] = "LiveBlogPosting"
    data["coverageStartTime"] = isotime(article.live_from)
    if article.live_until:
        data["coverageEndTime"] = isotime(article.live_until)
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": update.headline or Truncator(plain_text(update.body_html)).chars(110),
            "articleBody": plain_text(update.body_html),
            "datePublished": isotime(update.published_at),
            "dateModified": isotime(update.edited_at or update.published_at),
            "url": f"{url}#update-{update.pk}",
            **({"author": {"@type": "Person", "name": update.author_name}} if update.author_name else {}),
        }
        for update in updates
    ]
    return data


def breadcrumbs(request, *trail):
    """Return a BreadcrumbList from the home page through `trail`, pairs of (name, path)."""
    steps = [(settings.SITE_NAME, reverse("articles:home")), *trail]
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": number, "name": name, "item": site_url(path)}
            for number, (name, path) in enumerate(steps, start=1)
        ],
    }


def website(request):
    """Return the WebSite with its SearchAction: how a search engine can send a query to our search page."""
    search = site_url(reverse("articles:search"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": site_url(reverse("articles:home")),
        "inLanguage": language_tag(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            # schema.org's Actions shorthand: `query-input` describes the `query` property's input.
            "query-input": "required name=search_term_string",
        },
    }
