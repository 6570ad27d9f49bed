from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from newsportal.params import positive_int

from . import live, publishing, revisions, services
from .forms import ArticleAdminForm, AuthorAdminForm, BylineFormSet
from .models import FAR_FUTURE, Article, Author, Byline, Category, Correction, LiveUpdate


class ThroughServices:
    """Admin saves and deletes go through the services, so the page cache hears of them (articles/services.py)."""

    save_service = delete_service = None  # a service taking the object as its one keyword argument

    def _call(self, service, obj):
        service(**{self.model._meta.model_name: obj})

    def save_model(self, request, obj, form, change):
        self._call(type(self).save_service, obj)

    def delete_model(self, request, obj):
        self._call(type(self).delete_service, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._call(type(self).delete_service, obj)


@admin.register(Category)
class CategoryAdmin(ThroughServices, admin.ModelAdmin):
    save_service, delete_service = services.category_save, services.category_delete
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Author)
class AuthorAdmin(ThroughServices, admin.ModelAdmin):
    save_service, delete_service = services.author_save, services.author_delete
    form = AuthorAdminForm
    list_display = ["name", "slug", "user"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    fields = ["name", "slug", "bio", "photo", "user"]

    def get_autocomplete_fields(self, request):
        # Choosing a staff account needs the right to see users; editors without it just skip the field.
        return self.autocomplete_fields if request.user.has_perm("auth.view_user") else []

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if request.user.has_perm("auth.view_user") else [name for name in fields if name != "user"]


class BylineInline(admin.TabularInline):
    model = Byline
    formset = BylineFormSet
    autocomplete_fields = ["author"]
    fields = ["author", "position"]
    extra = 1
    verbose_name = _("author")
    verbose_name_plural = _("authors (the byline reads “By A and B” in this order)")


class CorrectionInline(admin.StackedInline):
    model = Correction
    fields = ["kind", "text", "created_at"]
    extra = 0
    verbose_name_plural = _(
        "corrections and updates (shown at the end of the story; corrections also on /corrections/)"
    )


class ArticleChangeList(ChangeList):
    """The article list, refusing date-hierarchy values Python's dates cannot hold (a year of twenty digits)."""

    def get_filters(self, request):
        for part, largest in (("year", 9999), ("month", 12), ("day", 31)):
            value = request.GET.get(f"{self.date_hierarchy}__{part}")
            if value is not None and positive_int(value, maximum=largest) is None:
                raise IncorrectLookupParameters(f"{part} {value!r}")
        return super().get_filters(request)


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Live")),
            ("scheduled", _("Scheduled")),
            ("far-future", _("Scheduled far in the future")),
            ("draft", _("Draft")),
        ]

    def queryset(self, request, queryset):
        match self.value():
            case "live":
                return queryset.live()
            case "scheduled":
                return queryset.scheduled()
            case "far-future":
                return queryset.far_future()
            case "draft":
                return queryset.drafts()
        return queryset


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    inlines = [BylineInline, CorrectionInline]
    list_display = ["title", "state", "credits", "category", "published_at", "preview_link"]
    list_filter = [StateFilter, "category", "published_at", "pinned_lead", "is_breaking", "authors"]
    list_select_related = ["category"]
    search_fields = ["title", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    show_full_result_count = False
    actions = ["publish_now", "unpublish"]
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "standfirst", "body", "credit_line"]}),
        (_("Lead image"), {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        (
            _("Publication"),
            {
                "fields": ["status", "published_at"],
                "description": _(
                    "Published with a future time means scheduled: readers see it from that time on, "
                    "without anyone pressing a button. Use Preview to see it as readers will."
                ),
            },
        ),
        (
            _("Home page and breaking news"),
            {"fields": ["pinned_lead", "top_story_rank", "is_breaking", "breaking_until"]},
        ),
        (
            _("Live coverage"),
            {
                "fields": ["live_from", "live_until", "key_points"],
                "description": _(
                    "Run this story as a live page: short updates, newest first, that readers follow without "
                    "reloading. Post updates with “Post a live update” at the top of this page."
                ),
            },
        ),
        (_("Comments"), {"fields": ["comments_open", "comment_moderation", "trusted_commenters_skip_queue"]}),
    ]

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_queryset(self, request):
        bylines = Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        return super().get_queryset(request).prefetch_related(bylines)

    def view_on_site(self, article):
        """Link to the live page only when readers can see it; the Preview button covers the rest."""
        return article.get_absolute_url() if article.is_live else None

    # --- The list ----------------------------------------------------------------------------------------

    @admin.display(description=_("state"), ordering="status")
    def state(self, article):
        """Say at a glance whether readers can see the article (Live, Scheduled for …, Draft) and where it is pinned."""
        current = publishing.state(article)
        label = format_html('<span class="article-state article-state--{}">{}</span>', current.level, current.label)
        flags = self.home_page(article)
        return format_html('{}<br><span class="article-pins">{}</span>', label, flags) if flags else label

    @admin.display(description=_("byline"))
    def credits(self, article):
        names = [byline.author.name for byline in article.bylines.all()]
        return get_text_list(names, _("and")) if names else article.credit_line

    def home_page(self, article):
        flags = []
        if article.pinned_lead:
            flags.append(_("pinned lead"))
        if article.top_story_rank:
            flags.append(_("top story %(slot)d") % {"slot": article.top_story_rank})
        if article.is_breaking:
            flags.append(_("breaking"))
        return ", ".join(str(flag) for flag in flags)

    @admin.display(description=_("preview"))
    def preview_link(self, article):
        return format_html('<a href="{}">{}</a>', reverse("articles:preview", args=[article.pk]), _("Preview"))

    # --- Saving: the service saves article, inlines and one revision together ------------------------------

    def save_model(self, request, obj, form, change):
        """Save nothing yet: `save_related` hands article and inlines to the service, which records the revision."""

    def save_related(self, request, form, formsets, change):
        article = form.instance
        services.article_save(
            article=article,
            user=request.user,
            reason=self.revision_reason(form, formsets, change),
            save_related=partial(super().save_related, request, form, formsets, change),
        )
        if article.status == Article.Status.PUBLISHED and publishing.is_far_future(article.published_at):
            messages.warning(
                request,
                _("“%(title)s” is scheduled for %(when)s, more than %(days)d days ahead. Check the date.")
                % {
                    "title": article.title,
                    "when": publishing.describe_time(article.published_at),
                    "days": FAR_FUTURE.days,
                },
            )

    def delete_model(self, request, obj):
        services.article_delete(article=obj)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            services.article_delete(article=article)

    def revision_reason(self, form, formsets, change):
        """Sum up an admin save for the revision list: which fields and inlines changed."""
        if not change:
            return str(_("Created"))
        changed = [str(form.fields[name].label).lower() for name in form.changed_data if name in form.fields]
        changed += ["authors" if formset.model is Byline else "notes" for formset in formsets if formset.has_changed()]
        return str(_("Changed %(fields)s") % {"fields": ", ".join(changed)}) if changed else str(_("Saved unchanged"))

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("articles:preview", args=[obj.pk]))
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return HttpResponseRedirect(reverse("articles:preview", args=[obj.pk]))
        return super().response_change(request, obj)

    # --- Actions -------------------------------------------------------------------------------------------

    @admin.action(description=_("Publish selected articles now"), permissions=["change"])
    def publish_now(self, request, queryset):
        published, refused = 0, []
        for article in queryset.exclude(pk__in=queryset.live().values("pk")):
            try:
                services.article_publish(article=article, user=request.user)
                published += 1
            except ValidationError as error:
                refused.append(f"“{article.title}”: {' '.join(error.messages)}")
        self.message_user(request, _("%(count)d article(s) published.") % {"count": published})
        for line in refused:
            self.message_user(request, _("Not published: %(why)s") % {"why": line}, messages.ERROR)

    @admin.action(description=_("Unpublish selected articles (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        count = 0
        for article in queryset.filter(status=Article.Status.PUBLISHED):
            services.article_unpublish(article=article, user=request.user)
            count += 1
        self.message_user(request, _("%(count)d article(s) moved back to draft.") % {"count": count})

    # --- Revision history: compare and restore -------------------------------------------------------------

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Compare a revision with the current article (or another revision) and offer to restore it."""
        article = self.get_object(request, object_id)
        version = positive_int(str(version_id))
        if article is None or version is None:
            raise Http404
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(Article.history.filter(id=article.pk), history_id=version)
        can_restore = self.has_change_permission(request, article)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            services.article_restore(article=article, revision=revision, user=request.user)
            when = publishing.describe_time(revision.history_date)
            self.log_change(request, article, str(_("Restored the version of %(when)s.") % {"when": when}))
            self.message_user(
                request,
                _("Restored the version of %(when)s. The text it replaced is kept as a revision too.") % {"when": when},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

        others = Article.history.filter(id=article.pk).exclude(history_id=revision.history_id)
        against_id = positive_int(request.GET.get("against"))
        against = others.filter(history_id=against_id).first() if against_id else None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Compare and restore: %(title)s") % {"title": article.title},
            "opts": self.model._meta,
            "original": article,
            "revision": revision,
            "against": against,
            "choices": others.select_related("history_user")[:50],
            "changes": revisions.compare(revision, against or article),
            "restored_fields": revisions.restored_labels(),
            "can_restore": can_restore,
            "preview_url": reverse("articles:preview", args=[article.pk]),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/article/revision_compare.html", context)


class LiveUpdateForm(forms.ModelForm):
    class Meta:
        model = LiveUpdate
        fields = ["article", "headline", "body", "image", "image_alt", "is_key", "is_pinned", "author_name"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.exclude(live_from=None).order_by("-live_from")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not cleaned.get("image_alt", "").strip():
            self.add_error("image_alt", _("Describe the image for readers who cannot see it."))
        return cleaned


@admin.register(LiveUpdate)
class LiveUpdateAdmin(SimpleHistoryAdmin):
    """The fast form of a live page: post, and the next empty form is ready for the same story.

    Withdrawing keeps the update (and its history) in the admin; editors have no right to delete one.
    """

    form = LiveUpdateForm
    list_display = ["published_at", "summary", "article", "is_key", "is_pinned", "shown"]
    list_filter = ["article", "is_key", "is_pinned", ("withdrawn_at", admin.EmptyFieldListFilter)]
    list_select_related = ["article"]
    search_fields = ["headline", "body"]
    actions = ["withdraw", "restore"]
    readonly_fields = ["published_at", "edited_at", "withdrawn_at"]
    # The text first: the admin puts the cursor in the first field, and the story is chosen already (`?article=`).
    fieldsets = [
        (None, {"fields": ["body", "headline", "is_key", "is_pinned"]}),
        (_("Picture"), {"fields": ["image", "image_alt"]}),
        (_("Story and byline"), {"fields": ["article", "author_name"]}),
    ]

    def get_changeform_initial_data(self, request):
        """The story chosen last (`?article=`), and the editor's own name as the byline."""
        return {**super().get_changeform_initial_data(request), "author_name": request.user.get_full_name()}

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        return [*self.fieldsets, (_("History"), {"fields": self.readonly_fields})]

    @admin.display(description=_("update"))
    def summary(self, update):
        return str(update)

    @admin.display(description=_("shown to readers"), boolean=True)
    def shown(self, update):
        return update.withdrawn_at is None

    def save_model(self, request, obj, form, change):
        live.update_save(update=obj, user=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        """Back to an empty form for the same story, at once: the next update is seconds away."""
        if "_continue" in request.POST or "_popup" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(request, _("Update posted: %(update)s") % {"update": obj}, messages.SUCCESS)
        url = reverse("admin:articles_liveupdate_add")
        return HttpResponseRedirect(f"{url}?article={obj.article_id}")

    @admin.action(description=_("Withdraw the selected updates (readers stop seeing them)"), permissions=["change"])
    def withdraw(self, request, queryset):
        for update in queryset.filter(withdrawn_at=None):
            live.update_withdraw(update=update)

    @admin.action(description=_("Show the selected updates again"), permissions=["change"])
    def restore(self, request, queryset):
        for update in queryset.exclude(withdrawn_at=None):
            live.update_restore(update=update)
