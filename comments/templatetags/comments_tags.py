from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import urlize

from comments import moderation
from comments.models import Comment

register = template.Library()


@register.inclusion_tag("comments/includes/comment_section.html", takes_context=True)
def comment_section(context, article):
    """Render the comment section of an article in two queries: the counts, then one page of threads."""
    public = Comment.objects.public().filter(article=article)
    counts = public.aggregate(total=Count("pk"), threads=Count("pk", filter=Q(parent__isnull=True)))
    page_size = settings.COMMENTS_PER_PAGE
    pages = max(1, -(-counts["threads"] // page_size))
    request = context.get("request")
    requested = request.GET.get("comments", "1") if request else "1"
    page = min(int(requested), pages) if requested.isdigit() and int(requested) > 0 else 1

    threads = []
    if counts["total"]:
        start = (page - 1) * page_size
        top_ids = public.filter(parent__isnull=True).order_by("-is_pick", "created_at", "pk").values("pk")
        top_ids = top_ids[start : start + page_size]
        rows = public.filter(Q(pk__in=top_ids) | Q(parent__in=top_ids)).order_by("created_at", "pk")
        rows = list(rows.only("pk", "parent_id", "author_name", "body", "created_at", "edited_at", "is_pick"))
        replies = {}
        for row in rows:
            if row.parent_id:
                replies.setdefault(row.parent_id, []).append(row)
        threads = sorted((row for row in rows if not row.parent_id), key=lambda row: not row.is_pick)
        for thread in threads:
            thread.reply_list = replies.get(thread.pk, [])
    return {
        "article": article,
        "total": counts["total"],
        "threads": threads,
        "is_open": moderation.comments_are_open(article),
        "page": page,
        "pages": pages,
    }


@register.filter(needs_autoescape=True)
def comment_body(text, autoescape=True):
    """Render a reader's text safely: escaped, URLs as nofollow links, line breaks kept."""
    # urlize with autoescape escapes every character of the reader's text; only its own links are markup.
    linked = urlize(text, nofollow=True, autoescape=True)
    # User-generated links also get "ugc", and "noopener" so the target cannot reach our window.
    linked = linked.replace(' rel="nofollow"', ' rel="nofollow ugc noopener"')
    # The text is escaped already, so linebreaks must not escape the links again.
    return linebreaks_filter(linked, autoescape=False)


@register.inclusion_tag("admin/comments/queue_notice.html", takes_context=True)
def moderation_queue_notice(context):
    """Tell a moderator on the admin index how many comments wait (nothing for staff who cannot moderate)."""
    user = context["request"].user
    if not user.has_perm("comments.change_comment"):
        return {"show": False}
    return {"show": True, "waiting": Comment.objects.queue().count()}
