from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import images, publishing
from .models import Article


class CleanImageField(forms.FileField):
    """An image upload checked and cleaned by `articles.images.clean_upload` before anything is stored."""

    def to_python(self, data):
        upload = super().to_python(data)
        if upload is None:
            return None
        return images.clean_upload(upload)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ",".join(content_type for _, content_type in images.FORMATS.values())
        return attrs


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form; the admin supplies the model and the fields."""

    class Meta:
        # No model or fields here: the admin supplies them; this only swaps in the checked image field.
        field_classes = {"image": CleanImageField}

    def clean(self):
        """Publish now when an editor publishes without a time; run the editors' checks before publishing."""
        cleaned = super().clean()
        image = cleaned.get("image")
        if image and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the lead image for readers who cannot see it."))
        if cleaned.get("status") == Article.Status.PUBLISHED:
            if not cleaned.get("published_at"):
                # Whole seconds, as the form shows them: saving the form again then changes nothing.
                cleaned["published_at"] = timezone.now().replace(microsecond=0)
            problems = publishing.publication_problems(
                standfirst=cleaned.get("standfirst", ""),
                has_image=bool(image),
                image_alt=cleaned.get("image_alt", ""),
                has_byline=True,  # the authors are an inline: BylineFormSet checks them
            )
            for field, message in problems.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        if cleaned.get("is_breaking") is False and cleaned.get("breaking_until"):
            cleaned["breaking_until"] = None
        return cleaned


class BylineFormSet(forms.BaseInlineFormSet):
    """The authors of an article, in order; publishing needs at least one (or the credit line)."""

    def clean(self):
        super().clean()
        article = self.instance
        if article.status != Article.Status.PUBLISHED or article.byline.strip():
            return
        named = [
            form
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE", False) and not form.errors
        ]
        if not named:
            raise forms.ValidationError(_("Add at least one author (or a credit line) before publishing."))


class AuthorAdminForm(forms.ModelForm):
    """The admin's author form, with the photo checked and cleaned like a lead image."""

    class Meta:
        field_classes = {"photo": CleanImageField}
