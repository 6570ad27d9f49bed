from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsportal.pagecache import invalidate_pages

from .forms import ArticleAdminForm
from .models import Article, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title", "category", "state", "published_at", "is_featured"]
    list_filter = ["status", "category", "published_at", "is_featured"]
    list_select_related = ["category"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    show_full_result_count = False
    actions = ["publish_now", "unpublish"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "category", "standfirst", "byline", "body"]}),
        (_("Lead image"), {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        (
            _("Publication"),
            {
                "fields": ["status", "published_at", "is_featured"],
                "description": _("Published with a future time means scheduled: readers see it from that time on."),
            },
        ),
        (_("Comments"), {"fields": ["comments_open", "comment_moderation"]}),
    ]

    @admin.display(description=_("state"), ordering="status")
    def state(self, article):
        """Say at a glance whether readers can see the article: Live, Scheduled for …, or Draft."""
        if article.status == Article.Status.DRAFT:
            return _("Draft")
        if article.is_scheduled:
            local = timezone.localtime(article.published_at)
            when = (
                local.strftime("%H:%M today")
                if local.date() == timezone.localdate()
                else local.strftime("%d %b %Y %H:%M")
            )
            return _("Scheduled for %(when)s") % {"when": when}
        return _("Live")

    @admin.action(description=_("Publish selected articles now"), permissions=["change"])
    def publish_now(self, request, queryset):
        now = timezone.now()
        not_live = queryset.exclude(status=Article.Status.PUBLISHED, published_at__lte=now)
        updated = not_live.update(status=Article.Status.PUBLISHED, published_at=now, updated_at=now)
        invalidate_pages()  # update() sends no signals
        self.message_user(request, _("%(count)d article(s) published.") % {"count": updated})

    @admin.action(description=_("Unpublish selected articles (back to draft)"), permissions=["change"])
    def unpublish(self, request, queryset):
        updated = queryset.update(status=Article.Status.DRAFT, updated_at=timezone.now())
        invalidate_pages()  # update() sends no signals
        self.message_user(request, _("%(count)d article(s) moved back to draft.") % {"count": updated})
