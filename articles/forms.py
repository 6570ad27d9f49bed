from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Article


class ArticleAdminForm(forms.ModelForm):
    """The admin's article form; the admin supplies the model and the fields."""

    def clean(self):
        """Publish now when an editor publishes without a time; require alt text for a lead image."""
        cleaned = super().clean()
        if cleaned.get("status") == Article.Status.PUBLISHED and not cleaned.get("published_at"):
            cleaned["published_at"] = timezone.now()
        if cleaned.get("image") and not cleaned.get("image_alt"):
            self.add_error("image_alt", _("Describe the lead image for readers who cannot see it."))
        return cleaned
