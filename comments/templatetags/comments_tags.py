from django import template
from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from comments import moderation
from comments.models import Comment
from comments.text import render_comment_body

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
        rows = list(rows.only("pk", "parent_id", "author_name", "body_html", "created_at", "edited_at", "is_pick"))
        replies = {}
        for row in rows:
            if row.parent_id:
                replies.setdefault(row.parent_id, []).append(row)
        threads = sorted((row for row in rows if not row.parent_id), key=lambda row: not row.is_pick)
        for thread in threads:
            thread.reply_list = replies.get(thread.pk, [])
    return {
        "article": article,
        "form_url": reverse("comments:form", kwargs={"category": article.category.slug, "slug": article.slug}),
        "total": counts["total"],
        "threads": threads,
        "is_open": moderation.comments_are_open(article),
        "page": page,
        "pages": pages,
    }


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
