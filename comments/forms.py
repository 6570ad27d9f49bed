import time

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from .models import BODY_MAX_LENGTH, Comment, Report

FORM_STARTED_SALT = "comments.form-started"


def form_started_token(article, now=None):
    """Return a tamper-proof token saying which article's form was shown, and when."""
    moment = int(now if now is not None else time.time())
    return signing.dumps({"article": article.pk, "shown": moment}, salt=FORM_STARTED_SALT)


def form_age_seconds(token, article):
    """Return how long ago this article's form was shown; None for a missing or forged token, or another article's."""
    try:
        shown = signing.loads(token, salt=FORM_STARTED_SALT)
        if shown["article"] != article.pk:
            return None
        return time.time() - float(shown["shown"])
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None


class CommentForm(forms.ModelForm):
    # A field people never see; bots fill in every field they find.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["author_name", "author_email", "body", "parent", "notify_published", "notify_replies"]
        labels = {
            "author_name": _("Your name"),
            "author_email": _("Your e-mail"),
            "body": _("Your comment"),
            "notify_published": _("E-mail me when my comment is published"),
            "notify_replies": _("E-mail me when someone replies"),
        }
        help_texts = {
            "author_email": _("Never shown publicly. We send a link to confirm it is yours."),
            "body": _("Up to %(limit)s characters. Links are allowed; comments are checked by moderators.")
            % {"limit": f"{BODY_MAX_LENGTH:,}"},
        }
        error_messages = {
            "author_name": {"required": _("Please tell us your name.")},
            "author_email": {
                "required": _("Please give your e-mail address; it is never shown."),
                "invalid": _("This does not look like an e-mail address, e.g. name@example.com."),
            },
            "body": {
                "required": _("Please write your comment."),
                "max_length": _("Please keep your comment to %(limit_value)d characters (it has %(show_value)d)."),
            },
        }
        widgets = {
            "parent": forms.HiddenInput,
            "body": forms.Textarea(attrs={"rows": 6}),
            "author_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "author_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.article = article
        self.fields["author_email"].required = True  # blank only once a reader erased it
        # Only published top-level comments of this article can be answered; the queryset enforces it.
        self.fields["parent"].queryset = Comment.objects.threads_of(article)
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "You can reply only to a published comment of this article, not to a reply."
        )
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["started"] = form_started_token(article)

    @property
    def typed_anything(self):
        """Tell whether the reader had written something, so an error page may promise it was kept."""
        return self.is_bound and any(
            str(self.data.get(name, "")).strip() for name in ("author_name", "author_email", "body")
        )

    def renew_token(self):
        """Give the form sent back to the reader a new token (the old one expired or was not this article's)."""
        self.data = self.data.copy()
        self.data["started"] = form_started_token(self.article)

    def clean_author_name(self):
        return self.cleaned_data["author_name"].strip()

    def clean_author_email(self):
        return self.cleaned_data["author_email"].strip().lower()

    def clean_body(self):
        body = self.cleaned_data["body"].replace("\r\n", "\n").strip()
        if not body:
            raise forms.ValidationError(self.Meta.error_messages["body"]["required"], code="required")
        return body


class NewsroomCommentForm(CommentForm):
    """The comment form for a signed-in member of the newsroom: only the text (and the comment answered). They write
    under their byline or as the site's staff (`services.comment_post_for_newsroom`), so no name, address or
    anti-spam timing is asked."""

    class Meta(CommentForm.Meta):
        fields = ["body", "parent"]
        labels = {"body": _("Your answer, for the newsroom")}
        help_texts = {"body": _("Published at once, under your byline (or as staff), with a badge.")}

    def __init__(self, *args, article, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
        self.article = article
        self.fields["parent"].queryset = Comment.objects.threads_of(article)
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "You can reply only to a published comment of this article, not to a reply."
        )
        del self.fields["website"], self.fields["started"]

    @property
    def typed_anything(self):
        return self.is_bound and bool(str(self.data.get("body", "")).strip())


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why should moderators look at this comment?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a reason.")},
    )
