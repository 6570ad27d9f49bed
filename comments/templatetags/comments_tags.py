from django import template
from django.http import Http404
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.templatetags.articles_tags import pubtime
from comments import moderation
from comments.models import SECTION_FILTERS, Comment, first_section_order, section_order, section_page
from comments.text import render_comment_body
from newsportal.params import COMMENT_ORDERS, MAX_PAGE, positive_int
from newsportal.site import id_path
from newsportal.sitesettings import site_settings

register = template.Library()

SORT_LABELS = list(COMMENT_ORDERS.items())
FILTER_LABELS = [("", "All comments"), ("answered", "Answered"), ("newsroom", "Staff replies")]


@register.inclusion_tag("comments/includes/comment_section.html", takes_context=True)
def comment_section(context, article):
    """Render the comment section of an article: one page of it (`CommentQuerySet.section_page`).

    A page past the last is a 404 for the whole article page (raised while it renders), so no address of a comment
    page that does not exist is ever answered, or cached, as if it did.
    """
    page, order, show = _section_page(context, article)
    if page.number > page.pages:
        raise Http404("No such page of comments")
    return {
        "article": article,
        "form_url": reverse("comments:form", kwargs={"category": article.category.slug, "slug": article.slug}),
        "total": page.total,
        "threads": page.threads,
        "is_open": moderation.comments_are_open(article),
        "page": page.number,
        "pages": page.pages,
        "order": order,
        "orders": SORT_LABELS,
        "default_order": first_section_order(),
        "show": show,
        "filters": FILTER_LABELS,
        # New comments are offered on the first page of the whole section (site.js polls the newest).
        "stream_url": (
            reverse("comments:newest", kwargs={"category": article.category.slug, "slug": article.slug})
            if moderation.comments_stream(article) and page.number == 1 and not show
            else ""
        ),
        "poll_seconds": site_settings().live_poll_seconds,
    }


def _section_page(context, article):
    """The page of the comment section the request asks for (`?page=`, `?sort=`, `?show=`), its order and filter:
    read once per render, so the count by the byline and the section below share its two queries and always agree."""
    request = context.get("request")
    number = positive_int(request.GET.get("page") if request else None, default=1, maximum=MAX_PAGE)
    order = section_order(request.GET.get("sort") if request else None)
    show = request.GET.get("show") if request else None
    show = show if show in SECTION_FILTERS else ""
    read = article.__dict__.setdefault("_section_pages", {})
    if (number, order, show) not in read:
        size = site_settings().comments_per_page
        read[number, order, show] = section_page(article, number, size, order, show)
    return read[number, order, show], order, show


@register.inclusion_tag("comments/includes/comment_count_link.html", takes_context=True)
def comment_count_link(context, article):
    """The story's comment count by its byline, a jump to the comment section (on a phone it starts a long scroll
    below the story): "12 comments", or an invitation while there are none and comments are open."""
    page, _order, _show = _section_page(context, article)
    return {"total": page.total, "is_open": moderation.comments_are_open(article)}


@register.simple_tag(takes_context=True)
def comment_card(context, comment, is_reply=False):
    """One comment as the comment section and the newest-comments stream show it: author, badges, time, text,
    and its actions (recommend, reply while comments are open and it is a thread's first, link, report).

    Written here rather than as an included template: a page shows up to a hundred of them, and including a
    template per comment cost more CPU than reading the comments did (issue 27). What a person wrote is escaped
    below, once; the body is HTML that `comments.text` made safe when it was stored; the rest are integers and
    the site's own paths.
    """
    pk, count = int(comment.pk), int(comment.recommend_count)
    author = escape(comment.author_name)
    byline = comment.byline
    name = f'<a href="{escape(byline.get_absolute_url())}">{escape(byline.name)}</a>' if byline else author
    header = [f'<span class="comment__author">{name}</span>']
    if comment.is_pick:
        header.insert(0, '<span class="comment__pick">Editor’s pick</span>')
    if comment.from_newsroom:
        header.append(f'<span class="comment__badge">{"Journalist" if byline else "Staff"}</span>')
    if getattr(comment, "answered", False):
        header.append('<span class="comment__answered">Answered</span>')
    actions = []
    if context.get("is_open") and not is_reply:
        actions.append(
            f'<a href="{escape(context["form_url"])}?reply_to={pk}" data-comment-form>'
            f'Reply<span class="visually-hidden"> to {author}</span></a>'
        )
    actions += [
        f'<a href="{link_path(comment)}" rel="nofollow">Link'
        f'<span class="visually-hidden"> to the comment by {author}</span></a>',
        f'<a href="{report_path(comment)}" rel="nofollow">Report'
        f'<span class="visually-hidden"> comment by {author}</span></a>',
    ]
    pick = " comment--pick" if comment.is_pick else ""
    edited = " · edited by a moderator" if comment.edited_at else ""
    count_label = f" · {count}" if count else ""
    header_html, actions_html = "\n    ".join(header), "\n    ".join(actions)
    html = f"""<article class="comment{pick}" id="comment-{pk}">
  <header class="comment__header">
    {header_html}
    <span class="meta">{pubtime(comment.created_at)}{edited}</span>
  </header>
  <div class="comment__body">{comment.body_html}</div>
  <form class="comment__actions" method="get" action="{recommend_path(comment)}" data-recommend="{pk}" \
data-recommend-count="{count}">
    <button type="submit" class="comment__recommend"><span data-recommend-label>Recommend</span>\
<span class="visually-hidden"> the comment by {author}</span>\
<span class="comment__recommends" data-recommends>{count_label}</span></button>
    {actions_html}
  </form>
</article>"""
    return mark_safe(html)  # noqa: S308  # nosec B308, B703 - escaped above, value by value


@register.filter
def link_path(comment):
    """A comment's own address, to share (`comments.views.comment_link`)."""
    return id_path("comments:link", comment.pk)


@register.filter
def recommend_path(comment):
    """The address of the page that recommends this comment (`comments.views.comment_recommend`)."""
    return id_path("comments:recommend", comment.pk)


@register.filter
def report_path(comment):
    """The address of the form that reports this comment (`newsportal.site.id_path`)."""
    return id_path("comments:report", comment.pk)


@register.filter
def comment_body(text):
    """Render a reader's text safely (for texts not stored as HTML, e.g. a quote being answered)."""
    return render_comment_body(text)


@register.inclusion_tag("admin/comments/queue_notice.html", takes_context=True)
def moderation_queue_notice(context):
    """Tell a moderator on the admin index how many comments wait (nothing for staff who cannot moderate)."""
    user = context["request"].user
    if not user.has_perm("comments.change_comment"):
        return {"show": False}
    return {"show": True, "waiting": Comment.objects.queue().count()}
