"""Per-reader pages of the comment flow: the form, the confirmation and the report form.

The article page itself carries no form and no token (it is the same for everyone and cacheable); everything
personal happens here, on small pages that are never cached.
"""

from urllib.parse import urlencode

from django.core import signing
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from articles.models import Article
from newsportal.http import client_ip, network_of
from newsportal.middleware import RETRY_AFTER_SECONDS
from newsportal.params import positive_int
from newsportal.site import id_path
from newsportal.sitesettings import site_settings

from . import identity, moderation, recommends, services
from .forms import CommentForm, NewsroomCommentForm, ReportForm, form_age_seconds
from .models import Comment, OutgoingEmail, first_section_order, section_order, section_page

CONFIRMATION_SALT = "comments.posted"
CONFIRMATION_MAX_AGE = 7 * 24 * 3600
# What a refused comment answers (the form comes back with the reader's text and the reason).
REFUSAL_STATUS = {
    moderation.Refused.RATE_LIMIT: 429,
    moderation.Refused.SAME_TEXT: 409,
    moderation.Refused.UNAVAILABLE: 503,
    moderation.Refused.FORM: 400,
}


def is_newsroom(user) -> bool:
    """Whether a signed-in account writes for the newsroom (any active staff role): its comments carry a badge."""
    return user.is_authenticated and user.is_active and user.is_staff


def reply_target(article, reply_to):
    """Return the comment a reader answers from `?reply_to=`, or 404 when it cannot be answered."""
    if not reply_to:
        return None
    pk = positive_int(reply_to)
    if pk is None:
        raise Http404("No such comment")
    return get_object_or_404(Comment.objects.threads_of(article), pk=pk)


@never_cache
@require_http_methods(["GET", "POST"])
def comment_form(request, category, slug):
    """Show the comment form (GET) and take a submission (POST), then redirect (Post/Redirect/Get)."""
    article = get_object_or_404(Article.objects.live().select_related("category"), slug=slug)
    if article.category.slug != category:
        return redirect("comments:form", category=article.category.slug, slug=article.slug, permanent=True)
    context = {"article": article, "noindex": True}
    if not moderation.comments_are_open(article):
        return render(request, "comments/comment_closed.html", context, status=403 if request.method == "POST" else 200)

    newsroom = is_newsroom(request.user)
    form_class = NewsroomCommentForm if newsroom else CommentForm
    context["newsroom"] = newsroom
    if request.method == "GET":
        parent = reply_target(article, request.GET.get("reply_to", ""))
        form = form_class(article=article, initial={"parent": parent})
        return render(request, "comments/comment_form.html", context | {"form": form, "parent": parent})

    form = form_class(request.POST, article=article)
    if newsroom and form.is_valid():
        data = form.cleaned_data
        comment = services.comment_post_for_newsroom(
            article=article, user=request.user, body=data["body"], parent=data["parent"]
        )
        return redirect(comment.get_absolute_url())
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        submission = moderation.Submission(
            article=article,
            name=data["author_name"],
            email=data["author_email"],
            body=data["body"],
            parent=data["parent"],
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            form_age_seconds=form_age_seconds(data["started"], article),
            honeypot=data["website"],
            verified=identity.proven_address(request) == data["author_email"],
            notify_published=data["notify_published"],
            notify_replies=data["notify_replies"],
        )
        try:
            comment = services.comment_submit(submission=submission)
        except moderation.Refused as refusal:
            form.add_error(None, refusal.message)
            status = REFUSAL_STATUS[refusal.reason]
            if refusal.new_form:
                form.renew_token()
        else:
            if comment.status == Comment.Status.APPROVED:
                return redirect(comment.get_absolute_url())
            token = signing.dumps(comment.pk, salt=CONFIRMATION_SALT)
            return redirect("comments:posted", token=token)
    parent = form.cleaned_data.get("parent") if hasattr(form, "cleaned_data") else None
    response = render(request, "comments/comment_form.html", context | {"form": form, "parent": parent}, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@never_cache
def comment_posted(request, token):
    """Show a reader the comment they just sent and that it awaits moderation."""
    try:
        pk = signing.loads(token, salt=CONFIRMATION_SALT, max_age=CONFIRMATION_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404("Unknown or expired confirmation") from error
    comment = get_object_or_404(Comment.objects.select_related("article__category"), pk=pk)
    context = {
        "comment": comment,
        "article": comment.article,
        "noindex": True,
        "confirmation_sent": comment.emails.filter(kind=OutgoingEmail.Kind.CONFIRM).exists(),
        # For the site's script to keep in this browser's sessionStorage and show on the (shared, cached)
        # article page until a moderator decides: the article page itself never differs per reader.
        "own_comment": {
            "id": comment.pk,
            "article": comment.article.get_absolute_url(),
            "author": comment.author_name,
            "body": comment.body,
            "at": comment.created_at.isoformat(),
        },
    }
    return render(request, "comments/comment_posted.html", context)


def invalid_link(request, message):
    return render(request, "comments/link_invalid.html", {"message": message, "noindex": True}, status=400)


@never_cache
def confirm_address(request, token):
    """Follow a confirmation link: the comment and its address are verified, and this browser remembers it."""
    try:
        comment_id, email = identity.read_confirmation(token)
    except signing.SignatureExpired:
        return invalid_link(request, _("This link has expired. Your next comment brings a new one."))
    except signing.BadSignature:
        return invalid_link(request, _("This link is not complete. Please copy the whole link from the e-mail."))
    confirmed = services.comment_confirm(comment_id=comment_id, email=email)
    if confirmed is None:
        return invalid_link(request, _("This comment or address is no longer on the site."))
    comment, first_time = confirmed
    response = render(
        request,
        "comments/address_confirmed.html",
        {"comment": comment, "article": comment.article, "first_time": first_time, "noindex": True},
    )
    identity.remember(response, email)
    return response


def address_link(request, token, *, done, ask_template, act):
    """An address link from an e-mail: GET asks (mail scanners follow links), POST does it and says so."""
    try:
        email = identity.read_address(token)
    except signing.BadSignature:
        return invalid_link(request, _("This link is not complete. Please copy the whole link from the e-mail."))
    if request.method != "POST":
        return render(request, ask_template, {"noindex": True})
    act(email=email)
    response = render(request, "comments/address_done.html", {"done": done, "noindex": True})
    if done == "erased" and identity.proven_address(request) == email:
        response.delete_cookie(identity.COOKIE_NAME)
    return response


@csrf_exempt  # RFC 8058: mail programs post the one-click unsubscribe without a form; the signed link is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Stop notification e-mails to an address: one click from the mail program (POST), or the page's button."""
    template = "comments/address_unsubscribe.html"
    return address_link(request, token, done="unsubscribed", ask_template=template, act=services.address_unsubscribe)


@never_cache
@require_http_methods(["GET", "POST"])
def erase(request, token):
    """Erase an address from the site, after asking: comments stay under their name, the address goes."""
    template = "comments/address_erase.html"
    return address_link(request, token, done="erased", ask_template=template, act=services.address_erase)


STREAM_MAX_AGE = 5  # what a browser may keep of the polled newest comments (below any poll interval)
STREAM_SIZE = 20  # the newest threads a poll sends: more than arrive between two polls


def newest_comments(request, category, slug):
    """The newest published threads of a story that offers new comments (`moderation.comments_stream`), as the
    HTML the page's script takes them from: it offers the ones the reader does not have ("3 new comments")."""
    article = get_object_or_404(Article.objects.live().select_related("category"), slug=slug, category__slug=category)
    if not moderation.comments_stream(article):
        raise Http404("This story does not offer new comments")
    page = section_page(article, 1, STREAM_SIZE, "newest")
    form_url = reverse("comments:form", kwargs={"category": article.category.slug, "slug": article.slug})
    context = {"article": article, "threads": page.threads, "is_open": True, "form_url": form_url}
    return render(request, "comments/newest_fragment.html", context)


def comment_link(request, pk):
    """A comment's own address, to share (`/comments/<id>/`): the page of its story's comment section that shows it,
    in the order the link asks for (`?sort=`), at the comment. A comment readers no longer see (or never saw) gets a
    polite page that says so and leads to the story."""
    comment = get_object_or_404(Comment.objects.select_related("article__category"), pk=pk)
    article = comment.article
    if not article.is_live:
        raise Http404("No such comment")
    if not Comment.objects.public().filter(pk=pk).exists():
        return render(request, "comments/comment_gone.html", {"article": article, "noindex": True}, status=404)
    order = section_order(request.GET.get("sort"))
    page = Comment.objects.page_of(comment, site_settings().comments_per_page, order)
    asked = (("page", page), ("sort", order))
    query = urlencode({name: value for name, value in asked if value not in (1, first_section_order())})
    return redirect(f"{article.get_absolute_url()}{'?' if query else ''}{query}#comment-{comment.pk}")


def recommender_key(request):
    """One reader, for recommends: the address their browser proved, else its signed token; None for a browser
    without either (the recommend page gives it a token)."""
    proven = identity.proven_address(request)
    if proven:
        return moderation.pseudonym(f"recommender:address:{proven}")
    token = identity.browser_token(request)
    return moderation.pseudonym(f"recommender:browser:{token}") if token else None


@never_cache
@require_http_methods(["GET", "POST"])
def comment_recommend(request, pk):
    """Recommend a published comment, or take the recommend back (`undo=1`).

    Without script the comment's Recommend button opens this page (GET: one button, and a token for a guest's
    browser), whose form records it and leads back to the comment. With script (site.js asks for JSON) a GET gives
    the form's token and a POST answers in JSON; the page of comments itself stays one cached copy for everyone.
    A recommend itself reads no database (`recommends.mark`: the write-down drops one of a comment not shown).
    """
    wants_json = "application/json" in request.headers.get("Accept", "")

    def page(status=200, message=""):
        comment = get_object_or_404(Comment.objects.public().select_related("article__category"), pk=pk)
        if not comment.article.is_live:
            raise Http404("No such comment")
        context = {"comment": comment, "article": comment.article, "noindex": True, "message": message}
        return render(request, "comments/recommend_form.html", context, status=status)

    if request.method == "GET":
        return identity.remember_browser(request, JsonResponse({"csrf": get_token(request)}) if wants_json else page())

    undo = request.POST.get("undo") == "1"
    reader, status, message = recommender_key(request), 200, ""
    if reader is None:
        status, message = 400, _("Your browser did not keep our cookie; please allow it and try again.")
    else:
        address = client_ip(request)
        try:
            recommends.mark(
                pk,
                reader_key=reader,
                network_key=moderation.pseudonym(f"network:{network_of(address) or address}"),
                undo=undo,
            )
        except recommends.Refused as refusal:
            status, message = 429, str(refusal)
    if wants_json:
        return JsonResponse({"recommended": not undo, "message": message}, status=status)
    if status == 200:
        return redirect(id_path("comments:link", pk))  # back at the comment
    return page(status, message)


@never_cache
@require_http_methods(["GET", "POST"])
def comment_report(request, pk):
    """Show the report form for a published comment (GET) and record a reader's report (POST)."""
    comment = get_object_or_404(Comment.objects.public().select_related("article__category"), pk=pk)
    if not comment.article.is_live:
        raise Http404("No such comment")
    context = {"comment": comment, "article": comment.article, "noindex": True}
    form = ReportForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        address = client_ip(request)
        # One report per browser (its token) or, without one, per address; weighed by what the reader proved.
        reader = identity.browser_token(request) or address
        recorded = services.comment_report(
            comment=comment,
            reason=form.cleaned_data["reason"],
            reporter_key=moderation.reader_key(reader),
            network_key=moderation.pseudonym(f"network:{network_of(address) or address}"),
            weight=moderation.report_weight(identity.proven_address(request)),
        )
        message = (
            _("Thank you. Moderators will look at this comment.")
            if recorded
            else _("You have already reported this comment; moderators will look at it.")
        )
        return render(request, "comments/report_done.html", context | {"message": message})
    return identity.remember_browser(request, render(request, "comments/report_form.html", context | {"form": form}))
