import re

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from . import desk, publishing, revisions, richtext, versions
from .models import Article, Author, StoryNote


class StoryEditor(forms.Textarea):
    """The body editor (static/js/story-editor.js on django-prose-editor's build): a plain HTML textarea without
    JavaScript. No import map is needed (our module imports the editor by its path), so the CSP stays strict."""

    template_name = "admin/articles/widgets/story_editor.html"

    class Media:
        css = {
            "all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
            ]
        }
        js = ["admin/js/jquery.init.js", forms.Script("js/story-editor.js", type="module")]

    def __init__(self, attrs=None, *, short=False):
        """`short`: text only (key points): no pictures, embeds, tables or pull quotes in its toolbar."""
        self.short = short
        kind = "short" if short else "story"
        super().__init__({"rows": 6 if short else 16, "data-story-editor": kind, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["short"] = self.short
        context["library_url"] = reverse("admin:articles_image_changelist") + "?_to_field=id"
        context["card_url"] = reverse("admin:articles_image_card", args=[0])
        return context


class StoryField(forms.CharField):
    """A story's text from the editor (body, key points, a live update): refused with the text kept when it cannot
    be stored (`richtext.body_problems`) or places a picture without alt text; changed only when what readers would
    get changed (the editor writes the same text a little differently than it was stored)."""

    def validate(self, value):
        super().validate(value)
        problems = richtext.body_problems(value) or publishing.body_picture_problems(richtext.sanitize(value))
        if problems:
            raise ValidationError(problems)

    def has_changed(self, initial, data):
        return richtext.sanitize(initial or "") != richtext.sanitize(self.to_python(data) or "")


STORY_FIELDS = {"body": StoryField, "key_points": StoryField}


class VersionedForm(forms.ModelForm):
    """A staff form that carries the version it was opened at, and reports a save from an older one as a conflict.

    The conflict keeps everything the editor sent in the form, names who saved meanwhile and, per field, shows their
    change beside the editor's value with a choice: `keep-<field>` = "mine" or "theirs". The re-rendered form
    carries the stored version (and `conflict-base`, the version the editor first started from), so saving again
    applies the choices; a field both changed must be chosen. The service checks the version again on save
    (`versions.claim_next_version`), so a save that slips in between is refused too.
    """

    request = None  # the admin sets it on the class it builds for one request (`get_form`)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        self.keep_theirs = set()
        if "version" in self.fields:
            self.fields["version"].widget = forms.HiddenInput()
            self.fields["version"].required = bool(self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if getattr(self.request, "restoring", False):
            # An autosave shown in the form (ArticleAdmin.restore_autosave): nothing is saved until Save is pressed.
            self.add_error(None, ValidationError(_("Restored from your autosave; not saved yet."), code="restored"))
        if self.instance.pk is None or "version" not in self.fields:
            return cleaned
        started = cleaned.get("version")
        stored = type(self.instance)._default_manager.filter(pk=self.instance.pk).first()
        if stored is None:
            raise ValidationError(_("This was deleted while you were editing it. Copy your text before you leave."))
        if started != stored.version:
            self._report_conflict(stored, started or 0)
            return cleaned
        base = self.data.get("conflict-base")
        if base is not None:
            self._apply_choices(stored, int(base) if base.isdigit() else 0, cleaned)
        return cleaned

    def conflict_rows(self) -> list[tuple]:
        """Return the conflict's fields with the choice to show checked: the editor's, else "theirs" where only the
        others changed the field (keeping the editor's stale copy there would undo their change unseen)."""
        if self.conflict is None:
            return []
        return [
            (item, self.data.get(f"keep-{item.name}") or (None if item.both_changed else versions.THEIRS))
            for item in self.conflict.fields
        ]

    def mine(self) -> dict:
        """Return what the editor sent, per compared field (the form's fields, as cleaned)."""
        model = type(self.instance)
        names = {field.name for field in model._meta.concrete_fields if field.editable} - {"version"}
        return {name: self.cleaned_data[name] for name in self.fields if name in names and name in self.cleaned_data}

    def extra_mine(self, stored, base) -> dict:
        """Fields outside the form (inlines) to compare too: {name: (label, base, stored, mine)} as text."""
        return {}

    def _conflict(self, stored, started):
        base = versions.base_revision(stored, started)
        return versions.describe(
            stored=stored, started_from=started, mine=self.mine(), extra=self.extra_mine(stored, base)
        )

    def _report_conflict(self, stored, started):
        self.conflict = self._conflict(stored, started)
        names = [saver.name for saver in self.conflict.savers] or [_("Someone")]
        self.data = self.data.copy()
        self.data["version"] = str(stored.version)
        self.data["conflict-base"] = str(self.data.get("conflict-base") or started)
        self.add_error(
            None,
            ValidationError(
                _(
                    "%(who)s saved this while you were editing. Nothing you typed is lost: it is all still in the "
                    "form. Choose below, field by field, what to keep, then save again."
                )
                % {"who": ", ".join(names)},
                code="conflict",
            ),
        )

    def _apply_choices(self, stored, base, cleaned):
        """Apply the conflict page's choices: a field kept as "theirs" takes the stored value."""
        conflict = self._conflict(stored, base)
        choices = {item.name: self.data.get(f"keep-{item.name}") for item in conflict.fields}
        undecided = [item.label for item in conflict.fields if item.both_changed and choices[item.name] is None]
        if undecided:
            self.conflict = conflict
            self.add_error(
                None,
                ValidationError(
                    _("Choose whose version to keep for: %(fields)s.") % {"fields": ", ".join(undecided)},
                    code="conflict",
                ),
            )
            return
        self.keep_theirs = {name for name, choice in choices.items() if choice == versions.THEIRS}
        for name in self.keep_theirs & set(self.fields):
            cleaned[name] = getattr(stored, name)


class ArticleAdminForm(VersionedForm):
    """The admin's article form; the admin supplies the model and the fields."""

    class Meta:
        pass  # no model or fields here: the admin supplies them

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.request.user if self.request else None
        if "status" in self.fields and user is not None:
            self.fields["status"].choices = desk.status_choices(user, self.instance)
        # Live counts beside the headline and standfirst (static/js/char-count.js), at the limits that matter.
        counted = {
            "title": (publishing.HEADLINE_SEARCH_LIMIT, publishing.headline_advice()),
            "standfirst": (publishing.STANDFIRST_LIMIT, publishing.standfirst_advice()),
        }
        for name, (limit, advice) in counted.items():
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"data-count-limit": limit, "data-count-advice": advice, "class": "vTextField story-line"}
                )

    def extra_mine(self, stored, base) -> dict:
        """The authors, from the byline rows the editor sent (the inline posts them beside the form)."""
        prefix = "bylines"
        rows = []
        for index in range(int(self.data.get(f"{prefix}-TOTAL_FORMS") or 0)):
            author = self.data.get(f"{prefix}-{index}-author")
            if author and author.isdigit() and not self.data.get(f"{prefix}-{index}-DELETE"):
                position = self.data.get(f"{prefix}-{index}-position") or "0"
                rows.append((int(position) if position.isdigit() else 0, index, int(author)))
        names = dict(Author.objects.filter(pk__in=[author for *_, author in rows]).values_list("pk", "name"))
        mine = [names.get(author, "") for *_, author in sorted(rows)]
        label = _("Authors")
        text = revisions.author_list
        before = text(revisions.author_names(base)) if base is not None else ""
        return {"authors": (label, before, text(revisions.author_names(stored)), text(mine))}

    def clean(self):
        """Report the editors' checks (`publishing` decides them); publish now when published without a time."""
        cleaned = super().clean()
        self._refuse_editor_fields()
        note = self.data.get("desk_note", "")
        if len(note.strip()) > StoryNote.MAX_LENGTH:
            raise ValidationError(
                _("The note for the editor has %(length)d characters; at most %(limit)d fit. Shorten it, save again.")
                % {"length": len(note.strip()), "limit": StoryNote.MAX_LENGTH}
            )
        if self.data.get("_move") == "publish" and "status" in self.fields and desk.is_editor(self.request.user):
            cleaned["status"] = Article.Status.PUBLISHED  # "Save and publish": as if Published had been chosen
        image = {"image": cleaned.get("lead_image")}
        problems = {
            **publishing.image_problems(cleaned.get("social_image"), field="social_image"),
            **publishing.image_problems(**image),
        }
        if cleaned.get("status") == Article.Status.PUBLISHED:
            if not cleaned.get("published_at"):
                cleaned["published_at"] = publishing.publish_time()
            # The authors are an inline: BylineFormSet reports them.
            problems |= publishing.publication_problems(
                standfirst=cleaned.get("standfirst", ""), has_byline=True, **image
            )
        for field, message in problems.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        if cleaned.get("is_breaking") is False and cleaned.get("breaking_until"):
            cleaned["breaking_until"] = None
        return cleaned

    def _refuse_editor_fields(self):
        """Refuse, with a message, a POST setting what only editors set (the form does not offer them to others)."""
        posted = {re.sub(r"_[01]$", "", name) for name in self.data}  # a split date and time posts name_0, name_1
        sent = sorted(posted & set(desk.EDITOR_FIELDS) - set(self.fields))
        if sent:
            labels = ", ".join(str(Article._meta.get_field(name).verbose_name) for name in sent)
            raise ValidationError(
                _("Only editors set %(fields)s. Submit the story for review and an editor will publish it.")
                % {"fields": labels},
                code="editors_only",
            )


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
