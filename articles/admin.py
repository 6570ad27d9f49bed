import copy

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.dateformat import format as date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import get_text_list
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from newsportal.params import positive_int
from newsportal.roles import staff_name

from . import desk, live, presence, publishing, revisions, richtext, services, versions
from .forms import STORY_FIELDS, ArticleAdminForm, BylineFormSet, StoryEditor, StoryField, VersionedForm
from .library_admin import ChoosesPictures
from .models import (
    FAR_FUTURE,
    PRIVACY_NOTICE,
    Article,
    Author,
    Byline,
    Category,
    Correction,
    LiveUpdate,
    SitePage,
    StoryNote,
)

# Recorded with every revision, but not what an editor means by "what changed".
HISTORY_BOOKKEEPING = ["version", "submitted_at", "submitted_by", "created_by"]
# An autosave bigger than this is refused (the form itself is capped by DATA_UPLOAD_MAX_MEMORY_SIZE).
AUTOSAVE_MAX_BYTES = 2_000_000


class ThroughServices:
    """Admin saves and deletes go through the services, so the page cache hears of them (articles/services.py)."""

    save_service = delete_service = None  # a service taking the object as its one keyword argument
    service_argument = None  # that argument's name; by default the model's name

    def _call(self, service, obj):
        service(**{self.service_argument or self.model._meta.model_name: obj})

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


class SitePageForm(forms.ModelForm):
    class Meta:
        model = SitePage
        fields = ["title", "slug", "body", "footer_position"]
        widgets = {"body": StoryEditor()}
        field_classes = {"body": StoryField}


@admin.register(SitePage)
class SitePageAdmin(ThroughServices, SimpleHistoryAdmin):
    """About, Contact, Privacy, …: editors keep them up to date; an address, once given, stays (links point at it)."""

    form = SitePageForm
    save_service, delete_service = services.site_page_save, services.site_page_delete
    service_argument = "site_page"
    list_display = ["title", "slug", "footer_position", "updated_at"]
    list_editable = ["footer_position"]
    prepopulated_fields = {"slug": ["title"]}
    view_on_site = True

    def get_readonly_fields(self, request, obj=None):
        return ["slug"] if obj else []

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj else self.prepopulated_fields

    def has_delete_permission(self, request, obj=None):
        # The privacy notice is linked from every comment form and e-mail: it may change, never disappear.
        return super().has_delete_permission(request, obj) and not (obj and obj.slug == PRIVACY_NOTICE)


@admin.register(Author)
class AuthorAdmin(ChoosesPictures, ThroughServices, admin.ModelAdmin):
    save_service, delete_service = services.author_save, services.author_delete
    raw_id_fields = ["photo"]
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

    def get_results(self, request):
        """Load the page of stories, then who has each open (one query for the page): the list's "editing" column."""
        super().get_results(request)
        editing = presence.editing(article.pk for article in self.result_list)
        for article in self.result_list:
            article.editing_now = [
                person for person in editing.get(article.pk, []) if person.user_id != request.user.pk
            ]


class StateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("live", _("Live")),
            ("scheduled", _("Scheduled")),
            ("far-future", _("Scheduled far in the future")),
            ("review", _("In review (oldest first)")),
            ("changes", _("Changes requested")),
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
            case "review":
                return queryset.in_review()
            case "changes":
                return queryset.filter(status=Article.Status.CHANGES_REQUESTED)
            case "draft":
                return queryset.drafts()
        return queryset


class VersionedAdmin:
    """Admin for rows with a `version` (`versions`): a save that lost the race at the service becomes the conflict
    page. The service refused it inside the admin's transaction; the form, run once more, now sees the newer version
    and shows both sides with everything the editor sent."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except versions.VersionConflict:
            return super().changeform_view(request, object_id, form_url, extra_context)


@admin.register(Article)
class ArticleAdmin(ChoosesPictures, VersionedAdmin, ThroughServices, SimpleHistoryAdmin):
    form = ArticleAdminForm
    delete_service = services.article_delete  # saves go through `save_related` (article and inlines together)
    inlines = [BylineInline, CorrectionInline]
    list_display = ["title", "state", "credits", "category", "published", "editing", "preview_link"]
    list_filter = [StateFilter, "category", "published_at", "pinned_lead", "is_breaking", "authors"]
    list_select_related = ["category", "submitted_by"]
    raw_id_fields = ["lead_image", "social_image"]
    search_fields = ["title", "slug"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    show_full_result_count = False
    actions = ["publish_now", "unpublish"]
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "standfirst", "body", "credit_line", "version"]}),
        (_("Lead image"), {"fields": ["lead_image"]}),
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
        (
            _("Comments"),
            {"fields": ["comments_open", "comment_moderation", "trusted_commenters_skip_queue", "live_comments"]},
        ),
        (
            _("Search and social"),
            {
                "fields": ["seo_title", "social_title", "social_image"],
                "classes": ["collapse"],
                "description": _("Only when search results or shared cards should read differently from the page."),
            },
        ),
    ]

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_queryset(self, request):
        bylines = Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        return super().get_queryset(request).prefetch_related(bylines)

    def get_object(self, request, object_id, from_field=None):
        """Load one story without the list's byline prefetch: the change form's inline loads the bylines itself."""
        queryset = super().get_queryset(request)
        model = queryset.model
        field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (model.DoesNotExist, ValidationError, ValueError):
            return None

    def get_form(self, request, obj=None, change=False, **kwargs):
        """The form for this request: it needs the user (which states to offer) and the POST (the byline rows)."""
        kwargs["widgets"] = {
            "body": StoryEditor(),
            "key_points": StoryEditor(short=True),
            **kwargs.get("widgets", {}),
        }
        kwargs["field_classes"] = {**STORY_FIELDS, **kwargs.get("field_classes", {})}
        form = super().get_form(request, obj, change, **kwargs)
        form.request = request
        return form

    def get_readonly_fields(self, request, obj=None):
        """Reporters see, but do not set, what only editors decide (`desk.EDITOR_FIELDS`)."""
        if desk.is_editor(request.user):
            return self.readonly_fields
        return [*self.readonly_fields, *desk.EDITOR_FIELDS]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or desk.can_edit(request.user, obj))

    def has_publish_permission(self, request):
        return desk.is_editor(request.user)

    def get_ordering(self, request):
        """The review queue reads oldest submission first; every other view of the list, newest story first."""
        if request.GET.get("state") == "review":
            return ["submitted_at", "pk"]
        return super().get_ordering(request)

    def view_on_site(self, article):
        """Link to the live page only when readers can see it; the Preview button covers the rest."""
        return article.get_absolute_url() if article.is_live else None

    # --- The list ----------------------------------------------------------------------------------------

    @admin.display(description=_("state"), ordering="status")
    def state(self, article):
        """Say at a glance whether readers can see the article (Live, Scheduled for …, In review, Draft) and where it
        is pinned. The row also carries the version the list shows, which the list actions check."""
        current = publishing.state(article)
        label = format_html('<span class="article-state article-state--{}">{}</span>', current.level, current.label)
        version = format_html('<input type="hidden" name="version-{}" value="{}">', article.pk, article.version)
        details = [self.home_page(article)]
        if article.status == Article.Status.IN_REVIEW and article.submitted_at:
            details.append(
                _("submitted by %(who)s, %(when)s")
                % {
                    "who": staff_name(article.submitted_by) if article.submitted_by else _("someone"),
                    "when": publishing.describe_time(article.submitted_at),
                }
            )
        details = ", ".join(str(detail) for detail in details if detail)
        if details:
            return format_html('{}{}<br><span class="article-pins">{}</span>', label, version, details)
        return format_html("{}{}", label, version)

    @admin.display(description=_("byline"))
    def credits(self, article):
        names = [byline.author.name for byline in article.bylines.all()]
        return get_text_list(names, _("and")) if names else article.credit_line

    @admin.display(description=_("open by"))
    def editing(self, article):
        people = getattr(article, "editing_now", [])
        return format_html_join(", ", '<span class="desk-presence">{}</span>', ((person.name,) for person in people))

    def home_page(self, article):
        flags = []
        if article.pinned_lead:
            flags.append(_("pinned lead"))
        if article.top_story_rank:
            flags.append(_("top story %(slot)d") % {"slot": article.top_story_rank})
        if article.is_breaking:
            flags.append(_("breaking"))
        return ", ".join(str(flag) for flag in flags)

    @admin.display(description=_("published"), ordering="published_at")
    def published(self, article):
        """The publication time, short ("09:57 today", "3 Mar 18:56"), so the list keeps its columns on screen."""
        return publishing.describe_time(article.published_at) if article.published_at else "—"

    @admin.display(description=_("preview"))
    def preview_link(self, article):
        return format_html('<a href="{}">{}</a>', reverse("articles:preview", args=[article.pk]), _("Preview"))

    # --- The change form: desk panel, presence, autosave, conflicts -----------------------------------------------

    def get_urls(self):
        own = [
            path(
                "<int:pk>/presence/", self.admin_site.admin_view(self.presence_view), name="articles_article_presence"
            ),
            path("<int:pk>/desk/", self.admin_site.admin_view(self.desk_view), name="articles_article_desk"),
            path(
                "<int:pk>/autosave/", self.admin_site.admin_view(self.autosave_view), name="articles_article_autosave"
            ),
            path("add/autosave/", self.admin_site.admin_view(self.autosave_view), name="articles_article_autosave_new"),
        ]
        return own + super().get_urls()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The admin's change form; it also restores an autosave, and answers a POST from someone who may look at
        the story but not change it with the reason (403)."""
        if request.method == "POST" and object_id:
            article = self.get_object(request, unquote(object_id))
            if article is not None and not desk.can_edit(request.user, article):
                if self.has_view_permission(request, article):
                    raise PermissionDenied(desk.refusal(request.user, article))
            if article is not None and request.POST.get("version") != str(article.version):
                request.POST = unbound_bylines(request.POST)
        if request.method == "GET" and "restore-autosave" in request.GET:
            return self.restore_autosave(request, object_id, form_url, extra_context)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def restore_autosave(self, request, object_id, form_url, extra_context):
        """Show the change form filled with this editor's autosave, saving nothing until they press Save."""
        article = self.get_object(request, unquote(object_id)) if object_id else None
        state = presence.for_form(user=request.user, article_id=article.pk if article else None)
        if state.autosave is None:
            return HttpResponseRedirect(request.path)
        restored = copy.copy(request)
        restored.method = "POST"
        restored._post = presence.as_post(state.autosave)
        restored._files = MultiValueDict()
        restored.restoring = True
        when = date_format(timezone.localtime(state.autosaved_at), "H:i")
        self.message_user(
            request,
            _("Your unsaved changes from %(when)s are back in the form. Nothing is saved until you press Save.")
            % {"when": when},
            messages.INFO,
        )
        with transaction.atomic():
            return self._changeform_view(restored, object_id, form_url, {**(extra_context or {}), "errors": []})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(self.desk_context(request, context["adminform"].form, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def desk_context(self, request, form, article):
        """What the change form shows around the fields: who else is editing, an autosave to restore, the desk."""
        user = request.user
        state = presence.for_form(user=user, article_id=article.pk if article else None)
        restoring = getattr(request, "restoring", False)
        offer = None
        if state.autosave is not None and request.method == "GET" and not restoring:
            offer = autosave_offer(form, state.autosave, state.autosaved_at)
        urls = {"autosave": reverse("admin:articles_article_autosave_new")}
        if article is not None:
            urls = {
                "autosave": reverse("admin:articles_article_autosave", args=[article.pk]),
                "presence": reverse("admin:articles_article_presence", args=[article.pk]),
                "desk": reverse("admin:articles_article_desk", args=[article.pk]),
            }
        can_save = article is None or self.has_change_permission(request, article)
        return {
            "desk": {
                "others": state.others,
                "autosave_offer": offer,
                "urls": urls,
                "heartbeat_seconds": presence.HEARTBEAT_SECONDS,
                "conflict": form.conflict,
                "publish_move": self.publish_move(user, article) if can_save else None,
                "can_submit": can_save
                and (article is None or article.status in desk.REPORTER_EDITABLE)
                and (article is None or desk.owns(user, article)),
                "moves": desk.desk_moves(user, article) if article is not None else [],
                "can_note": article is not None and desk.owns(user, article),
                "notes": article.desk_notes.select_related("author") if article is not None else [],
                "note_limit": StoryNote.MAX_LENGTH,
                "status": article.get_status_display() if article is not None else Article.Status.DRAFT.label,
            }
        }

    @staticmethod
    def publish_move(user, article):
        """The move "Save and publish" makes for an editor (publish a draft, approve a story in review), if any."""
        move = desk.between(article.status if article else Article.Status.DRAFT, Article.Status.PUBLISHED)
        return move if move is not None and user.has_perm(move.permission) else None

    def presence_view(self, request, pk):
        """The change form's heartbeat (POST): note that this editor has the story open; answer who else has.

        `gone=1`: the tab is closing. Lean on purpose (every open form sends one every few seconds): no story is
        loaded, only the presence rows are written and read. JSON, never cached.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.POST.get("gone"):
            presence.leave(user=request.user, article_id=pk)
            return HttpResponse(status=204)
        try:
            others = presence.heartbeat(user=request.user, article_id=pk, opened=bool(request.POST.get("opened")))
        except IntegrityError as error:  # no such story
            raise Http404 from error
        if others is None:  # this editor had left the story: a tab still open says it is open again
            return JsonResponse({"others": [], "rejoin": True})
        return JsonResponse({"others": [presence_json(person) for person in others]})

    def autosave_view(self, request, pk=None):
        """Keep the form's state for this editor (POST, the form's fields), or forget it (`discard=1`)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, str(pk)) if pk is not None else None
        if pk is not None and article is None:
            raise Http404
        allowed = self.has_change_permission(request, article) if article else self.has_add_permission(request)
        if not allowed:
            raise PermissionDenied(desk.refusal(request.user, article))
        article_id = article.pk if article else None
        if request.POST.get("discard"):
            presence.discard(user=request.user, article_id=article_id)
            self.message_user(request, _("Your unsaved changes were discarded."), messages.INFO)
            back = "admin:articles_article_change" if article else "admin:articles_article_add"
            return HttpResponseRedirect(reverse(back, args=[article_id] if article else []))
        if positive_int(request.META.get("CONTENT_LENGTH"), default=0) > AUTOSAVE_MAX_BYTES:
            return JsonResponse({"error": str(_("Too large to keep a copy; save the story instead."))}, status=413)
        saved_at = presence.keep(user=request.user, article_id=article_id, data=request.POST)
        return JsonResponse({"saved_at": date_format(timezone.localtime(saved_at), "H:i:s")})

    def desk_view(self, request, pk):
        """The desk panel's moves on the story as the page showed it (take back, request changes, approve) and notes.

        Refused moves and notes come back on a small page that keeps the note as typed.
        """
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        article = self.get_object(request, str(pk))
        if article is None or not self.has_view_permission(request, article):
            raise Http404
        move = request.POST.get("move", "")
        note = request.POST.get("note", "")
        try:
            if move == "note":
                if not desk.owns(request.user, article):
                    raise PermissionDenied(desk.refusal(request.user, article))
                desk.add_note(user=request.user, article=article, text=note)
                done = _("Note added.")
            elif move in desk.DESK_PANEL_MOVES:
                started = positive_int(request.POST.get("version"))
                article.version = started if started is not None else 0
                services.article_move(article=article, user=request.user, move=move, note=note)
                done = desk.BY_NAME[move].label
            else:
                return HttpResponseBadRequest(_("Unknown desk action."))
        except versions.VersionConflict:
            savers = versions.savers_since(article, positive_int(request.POST.get("version")) or 0)
            who = ", ".join(saver.name for saver in savers) or _("Someone")
            problem = _(
                "%(who)s changed the story after you opened it. Open it again and read their changes first; "
                "your note is kept below."
            ) % {"who": who}
            return self.desk_refused(request, article, problem, note, move)
        except (PermissionDenied, ValidationError) as error:
            problem = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            return self.desk_refused(request, article, problem, note, move)
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def desk_refused(self, request, article, problem, note, move):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Not done: %(title)s") % {"title": article.title},
            "opts": self.model._meta,
            "original": article,
            "problem": problem,
            "note": note,
            "move": move,
            "version": request.POST.get("version", ""),
            "desk_url": reverse("admin:articles_article_desk", args=[article.pk]),
            "note_limit": StoryNote.MAX_LENGTH,
        }
        return TemplateResponse(request, "admin/articles/article/desk_refused.html", context, status=409)

    # --- Saving: the service saves article, inlines and one revision together ------------------------------

    def save_model(self, request, obj, form, change):
        """Save nothing yet: `save_related` hands article and inlines to the service, which records the revision."""

    def save_related(self, request, form, formsets, change):
        article = form.instance
        bylines = next(formset for formset in formsets if formset.model is Byline)
        others = [formset for formset in formsets if formset.model is not Byline]
        if request.POST.get("_move") == "submit":
            article.status = Article.Status.IN_REVIEW

        def save_inlines():
            for formset in others:
                self.save_formset(request, form, formset, change=change)

        services.article_save(
            article=article,
            user=request.user,
            reason=self.revision_reason(form, formsets, change),
            # The byline rows, in order, replace the story's bylines (unless a conflict kept the other's).
            authors=None if "authors" in form.keep_theirs else ordered_authors(bylines),
            save_related=save_inlines,
            note=request.POST.get("desk_note", ""),
        )
        # The admin's change message reads what each formset saved; the bylines were replaced as a whole.
        bylines.new_objects, bylines.changed_objects, bylines.deleted_objects = [], [], []
        if warning := publishing.headline_warning(article):
            messages.warning(request, warning)
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

    def revision_reason(self, form, formsets, change):
        """Sum up an admin save for the revision list: which fields and inlines changed."""
        if not change:
            return str(_("Created"))
        changed = [str(form.fields[name].label).lower() for name in form.changed_data if name in form.fields]
        changed = [name for name in changed if name != "version"]
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

    @admin.action(description=_("Publish selected articles now"), permissions=["publish"])
    def publish_now(self, request, queryset):
        unpublished = queryset.exclude(pk__in=queryset.live().values("pk"))
        done, refused = self.each_as_listed(request, unpublished, services.article_publish)
        self.message_user(request, _("%(count)d article(s) published.") % {"count": done})
        for line in refused:
            self.message_user(request, _("Not published: %(why)s") % {"why": line}, messages.ERROR)

    @admin.action(description=_("Unpublish selected articles (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        published = queryset.filter(status=Article.Status.PUBLISHED)
        done, refused = self.each_as_listed(request, published, services.article_unpublish)
        self.message_user(request, _("%(count)d article(s) moved back to draft.") % {"count": done})
        for line in refused:
            self.message_user(request, _("Not unpublished: %(why)s") % {"why": line}, messages.ERROR)

    def each_as_listed(self, request, articles, service):
        """Apply a desk service to each article as the list showed it; return how many it changed and why others
        were refused."""
        done, refused = 0, []
        for article in articles:
            try:
                self.as_listed(request, article)
                service(article=article, user=request.user)
                done += 1
            except (ValidationError, PermissionDenied, versions.VersionConflict) as error:
                refused.append(f"“{article.title}”: {refusal_text(error)}")
        return done, refused

    @staticmethod
    def as_listed(request, article):
        """Make a list action start from the version the list showed (each row posts it), like a form save."""
        listed = positive_int(request.POST.get(f"version-{article.pk}"))
        article.version = listed if listed is not None else 0

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """List what each revision changed in the story, leaving out the desk's bookkeeping (version, submission)."""
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(
                    current, excluded_fields=HISTORY_BOOKKEEPING, foreign_keys_are_objs=foreign_keys_are_objs
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

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


def ordered_authors(formset):
    """Return the authors of the byline rows an editor sent, in byline order (rows marked for removal left out)."""
    rows = [
        (form.cleaned_data.get("position") or 0, index, form.cleaned_data["author"])
        for index, form in enumerate(formset.forms)
        if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
    ]
    return [author for *_, author in sorted(rows, key=lambda row: row[:2])]


def unbound_bylines(data):
    """Return a stale form's POST with its byline rows detached from the rows they were read from.

    A save replaces the bylines as a whole, so the rows a stale form names are gone; as new rows they are simply
    the authors the editor wants, which the conflict page then compares with the stored ones.
    """
    data = data.copy()
    data["bylines-INITIAL_FORMS"] = "0"
    for name in list(data):
        if name.startswith("bylines-") and name.endswith("-id"):
            data[name] = ""
    return data


def refusal_text(error) -> str:
    """Say why a list action left a story alone."""
    if isinstance(error, versions.VersionConflict):
        return str(_("it changed since you loaded the list; reload the list, check it, and try again."))
    return " ".join(error.messages) if isinstance(error, ValidationError) else str(error)


def presence_json(person) -> dict:
    return {"name": person.name, "opened": date_format(timezone.localtime(person.opened_at), "H:i")}


def autosave_offer(form, autosave: dict, saved_at):
    """Describe an autosave worth restoring: when, and the fields it changes, each as a word diff; None if nothing."""
    changes = []
    for name, field in form.fields.items():
        if name not in autosave or name == "version" or not isinstance(field, forms.CharField):
            continue
        saved = richtext.text_of("\n".join(autosave[name]).replace("\r\n", "\n"))
        current = richtext.text_of(str(form[name].value() or "").replace("\r\n", "\n"))
        if saved != current:
            changes.append({"label": field.label, "diff": revisions.word_diff(current, saved)})
    if not changes:
        return None
    return {"when": date_format(timezone.localtime(saved_at), "j M H:i"), "changes": changes}


class LiveUpdateForm(VersionedForm):
    class Meta:
        model = LiveUpdate
        fields = ["article", "headline", "body", "image", "is_key", "is_pinned", "author_name", "version"]
        widgets = {"body": StoryEditor(attrs={"rows": 6})}
        field_classes = {"body": StoryField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.exclude(live_from=None).order_by("-live_from")

    def clean(self):
        cleaned = super().clean()
        for message in publishing.image_problems(cleaned.get("image")).values():
            self.add_error("image", message)
        return cleaned


@admin.register(LiveUpdate)
class LiveUpdateAdmin(ChoosesPictures, VersionedAdmin, ThroughServices, SimpleHistoryAdmin):
    """The fast form of a live page: post, and the next empty form is ready for the same story.

    Withdrawing keeps the update (and its history) in the admin; editors have no right to delete one.
    """

    form = LiveUpdateForm
    delete_service, service_argument = live.update_delete, "update"  # a superuser's delete refreshes the story
    list_display = ["published_at", "summary", "article", "is_key", "is_pinned", "shown"]
    list_filter = ["article", "is_key", "is_pinned", ("withdrawn_at", admin.EmptyFieldListFilter)]
    list_select_related = ["article"]
    raw_id_fields = ["image"]
    search_fields = ["headline", "body"]
    actions = ["withdraw", "restore"]
    readonly_fields = ["published_at", "edited_at", "withdrawn_at"]
    # The text first: the admin puts the cursor in the first field, and the story is chosen already (`?article=`).
    fieldsets = [
        (None, {"fields": ["body", "headline", "is_key", "is_pinned"]}),
        (_("Picture"), {"fields": ["image"]}),
        (_("Story and byline"), {"fields": ["article", "author_name", "version"]}),
    ]

    def get_changeform_initial_data(self, request):
        """The story chosen last (`?article=`), and the editor's own byline name (`live.byline_name`)."""
        return {**super().get_changeform_initial_data(request), "author_name": live.byline_name(request.user)}

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
