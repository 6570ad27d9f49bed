"""The media library in the admin: a grid of pictures to search and filter, where each is used, a focal point set
with one click, and the chooser every picture field uses (the library, or a new upload, in one dialog).

Writes go through `articles.library`: uploads are checked from their header and processed after the save.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import F, Q
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from . import images, library
from .models import Image


class PictureChooser(ForeignKeyRawIdWidget):
    """A picture field: the chosen picture as a thumbnail with its alt text and caption, and buttons to choose
    another from the library (search, thumbnails, or a new upload, in the admin's popup) or to edit this one."""

    template_name = "admin/articles/widgets/picture_chooser.html"

    class Media:
        js = ["admin/js/jquery.init.js", "js/picture-chooser.js"]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = Image.objects.filter(pk=value).first() if str(value or "").isdigit() else None
        context["picture"] = chosen
        context["card"] = card(chosen) if chosen else None
        context["card_url"] = reverse("admin:articles_image_card", args=[0])
        return context


class ChoosesPictures:
    """For admins with picture fields: each is a `PictureChooser` onto the library."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Image:
            kwargs["widget"] = PictureChooser(db_field.remote_field, self.admin_site)
            where = _("Choose from the media library, or upload a new picture there.")
            kwargs["help_text"] = format_lazy("{} {}", db_field.help_text, where) if db_field.help_text else where
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PictureFileField(forms.FileField):
    """A picture upload, checked by `images.check_upload` (our limits and messages), not by Django's Pillow check."""

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "accept": ",".join(kind for _, kind in images.FORMATS.values())}


class ImageAdminForm(forms.ModelForm):
    class Meta:
        model = Image
        fields = ["file", "alt_text", "caption", "credit", "focal_x", "focal_y"]
        field_classes = {"file": PictureFileField}
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.01}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 1, "step": 0.01}),
        }
        help_texts = {
            "focal_x": _("Click the picture to set the focal point; crops keep it in frame."),
        }

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):  # a new file (not the stored one, kept)
            images.check_upload(upload)  # milliseconds: the header only; the pixels wait for the worker
            library.refuse_duplicate(images.checksum(upload), besides=self.instance.pk)
        return upload

    def clean(self):
        cleaned = super().clean()
        for name in ("focal_x", "focal_y"):
            value = cleaned.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, _("Between 0 (left or top edge) and 1 (right or bottom edge)."))
        return cleaned


class OrientationFilter(admin.SimpleListFilter):
    title = _("orientation")
    parameter_name = "orientation"

    def lookups(self, request, model_admin):
        return [("landscape", _("Landscape")), ("portrait", _("Portrait")), ("square", _("Square"))]

    def queryset(self, request, queryset):
        # Within 5 % of each other counts as square (Image.orientation says the same).
        near = Q(width__lte=F("height") * 1.05) & Q(height__lte=F("width") * 1.05)
        match self.value():
            case "square":
                return queryset.filter(near)
            case "landscape":
                return queryset.filter(width__gt=F("height")).exclude(near)
            case "portrait":
                return queryset.filter(height__gt=F("width")).exclude(near)
        return queryset


class UseFilter(admin.SimpleListFilter):
    title = _("use")
    parameter_name = "use"

    def lookups(self, request, model_admin):
        return [("unused", _("Not used anywhere")), ("failed", _("Could not be processed"))]

    def queryset(self, request, queryset):
        match self.value():
            case "unused":
                return queryset.unused()
            case "failed":
                return queryset.filter(rendition_state=Image.RenditionState.FAILED)
        return queryset


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    form = ImageAdminForm
    change_list_template = "admin/articles/image/change_list.html"
    change_form_template = "admin/articles/image/change_form.html"
    list_display = ["__str__", "uploaded_by", "uploaded_at"]
    list_filter = [UseFilter, OrientationFilter, ("uploaded_by", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["alt_text", "caption", "credit", "original_name"]
    date_hierarchy = "uploaded_at"
    list_per_page = 48
    show_full_result_count = False
    readonly_fields = ["where_used", "state", "dimensions", "uploaded_by", "uploaded_at", "original_name"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by").with_usage()

    def get_fieldsets(self, request, obj=None):
        described = [(None, {"fields": ["file", "alt_text", "caption", "credit"]})]
        if obj is None:
            return described
        return [
            *described,
            (_("Focal point"), {"fields": ["focal_x", "focal_y"]}),
            (_("About this picture"), {"fields": self.readonly_fields}),
        ]

    def get_urls(self):
        card = path("<int:pk>/card/", self.admin_site.admin_view(self.card_view), name="articles_image_card")
        return [card, *super().get_urls()]

    def card_view(self, request, pk):
        """What a picture field shows of a chosen picture (its thumbnail, alt text, caption), as JSON."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        image = Image.objects.filter(pk=pk).first()
        if image is None:
            raise Http404
        return JsonResponse(card(image))

    # --- Saving and deleting: through the library's services ------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            library.image_save(image=obj)
            return
        created = library.image_upload(
            file=obj.file,
            user=request.user,
            alt_text=obj.alt_text,
            caption=obj.caption,
            credit=obj.credit,
            focal=(obj.focal_x, obj.focal_y),
        )
        obj.pk, obj.file, obj._state.adding = created.pk, created.file, False

    def get_deleted_objects(self, objs, request):
        """Refuse to delete a picture in use, saying where (the body's pictures too, which no foreign key holds)."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for image in objs:
            where = library.usage(image)
            if where.total:
                protected.append(format_html("{}: {}", image, where.sentence()))
        return deleted, counts, perms_needed, sorted(set(map(str, protected)))

    def delete_model(self, request, obj):
        library.image_delete(image=obj)

    def delete_queryset(self, request, queryset):
        for image in queryset:
            try:
                library.image_delete(image=image)
            except ValidationError as refusal:
                self.message_user(request, " ".join(refusal.messages), messages.ERROR)

    # --- What the form shows --------------------------------------------------------------------------------------

    @admin.display(description=_("used"))
    def where_used(self, image):
        where = library.usage(image)
        if not where.total:
            return _("Not used anywhere yet.")
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((reverse("admin:articles_article_change", args=[story.pk]), story.title) for story in where.stories()),
        )
        return format_html("{}: {}", where.sentence().capitalize(), links)

    @admin.display(description=_("renditions"))
    def state(self, image):
        if image.rendition_state == Image.RenditionState.FAILED:
            return format_html('<span class="picture-state picture-state--failed">{}</span>', image.rendition_error)
        if image.rendition_state == Image.RenditionState.PENDING:
            return _("Being processed: pages show the picture in a moment.")
        widths = ", ".join(str(entry["width"]) for entry in image.renditions)
        return _("Ready: %(widths)s px wide, WebP and JPEG") % {"widths": widths}

    @admin.display(description=_("size"))
    def dimensions(self, image):
        return f"{image.width} × {image.height} px" if image.width else "–"

    def changelist_view(self, request, extra_context=None):
        extra = {"upload_form": ImageAdminForm(), "is_chooser": "_popup" in request.GET}
        return super().changelist_view(request, {**(extra_context or {}), **extra})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["picture"] = obj
        return super().render_change_form(request, context, add, change, form_url, obj)


def card(image) -> dict:
    """Return what a chooser shows of a picture."""
    small = next((entry for entry in image.renditions if entry["width"] <= images.SMALL_RENDITION_WIDTH), None)
    thumb = image.file.storage.url(small["jpeg"]) if small else ""
    return {"id": image.pk, "thumb": thumb, "alt": image.alt_text, "caption": image.caption, "ready": image.is_ready}
