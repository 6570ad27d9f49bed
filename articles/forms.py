from django import forms

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
        """Report the editors' checks (`publishing` decides them); publish now when published without a time."""
        cleaned = super().clean()
        image = {"has_image": bool(cleaned.get("image")), "image_alt": cleaned.get("image_alt", "")}
        problems = publishing.image_problems(**image)
        if cleaned.get("status") == Article.Status.PUBLISHED:
            if not cleaned.get("published_at"):
                cleaned["published_at"] = publishing.publish_time()
            # The authors are an inline: BylineFormSet reports them.
            problems = publishing.publication_problems(
                standfirst=cleaned.get("standfirst", ""), has_byline=True, **image
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
        if article.status != Article.Status.PUBLISHED or article.credit_line.strip():
            return
        named = [
            form
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE", False) and not form.errors
        ]
        if not named:
            raise forms.ValidationError(publishing.byline_problem())


class AuthorAdminForm(forms.ModelForm):
    """The admin's author form, with the photo checked and cleaned like a lead image."""

    class Meta:
        field_classes = {"photo": CleanImageField}
