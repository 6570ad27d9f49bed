from django import template
from django.conf import settings
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from comments import moderation
from comments.models import Comment
from comments.text import render_comment_body
from newsportal.params import positive_int

register = template.Library()

# What the comment section shows of each comment.
SHOWN_FIELDS = ("pk", "author_name", "body_html", "created_at", "edited_at", "is_pick")


def counted(comments):
    """Return a subquery counting the given comments, to annotate another query with (evaluated once)."""
    count = comments.order_by().values("article").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(count), 0)


@register.inclusion_tag("comments/includes/comment_section.html", takes_context=True)
def comment_section(context, article):
    """Render the comment section of an article in at most two queries, whatever the number of comments.

    The first reads one page of threads together with the counts (two subqueries the database runs once each);
    the second, only when that page has threads, reads their replies.
    """
    page_size = settings.COMMENTS_PER_PAGE
    request = context.get("request")
    page = positive_int(request.GET.get("comments") if request else None, default=1, maximum=10**6)
    threads_with_counts = (
        Comment.objects.threads_of(article)
        .annotate(thread_count=counted(Comment.objects.threads_of(article)))
        .annotate(reply_count=counted(Comment.objects.replies_of(article)))
        .only(*SHOWN_FIELDS)
    )
    threads = list(threads_with_counts[(page - 1) * page_size : page * page_size])
    if not threads and page > 1:  # past the last page: show the first
        page = 1
        threads = list(threads_with_counts[:page_size])

    thread_count = threads[0].thread_count if threads else 0
    total = thread_count + (threads[0].reply_count if threads else 0)
    replies = {}
    if threads:
        answers = Comment.objects.filter(parent__in=threads, status=Comment.Status.APPROVED)
        for reply in answers.order_by("created_at", "pk").only(*SHOWN_FIELDS, "parent_id"):
            replies.setdefault(reply.parent_id, []).append(reply)
    for thread in threads:
        thread.reply_list = replies.get(thread.pk, [])
    return {
        "article": article,
        "form_url": reverse("comments:form", kwargs={"category": article.category.slug, "slug": article.slug}),
        "total": total,
        "threads": threads,
        "is_open": moderation.comments_are_open(article),
        "page": page,
        "pages": max(1, -(-thread_count // page_size)),
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
