"""Optimistic concurrency for staff writes: nobody overwrites anybody silently.

Every versioned row (a story, a live update) carries `version`. A form sends back the version it was opened at; the
service moves the stored version on only if it is still that one (`claim_next_version`, a compare in the UPDATE's
WHERE clause, inside the save's transaction), so a save based on an older version fails whatever sent it: the
admin form, a list action, a second tab or a crafted POST.

The refused editor is shown, field by field, what the others changed since their version (who, when, a word diff)
beside what they typed (`describe`); they keep theirs or take the other's per field and save again.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import models
from django.db.models import F
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from newsportal.roles import staff_name

from .revisions import word_diff
from .richtext import text_of

MINE, THEIRS = "mine", "theirs"


class VersionConflict(Exception):
    """A save started from a version that is no longer the stored one (or from a version that never existed)."""

    def __init__(self, instance, current_version):
        self.instance = instance
        self.current_version = current_version
        super().__init__(
            f"{type(instance).__name__} {instance.pk}: saved from version {instance.version}, stored {current_version}"
        )


def claim_next_version(instance: models.Model) -> None:
    """Move the stored version on by one if it still is `instance.version`; else raise VersionConflict.

    Call inside the save's transaction: the UPDATE holds the row until the save commits, so of two saves from the
    same version exactly one gets through.
    """
    model = type(instance)
    claimed = model._default_manager.filter(pk=instance.pk, version=instance.version).update(version=F("version") + 1)
    if not claimed:
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        raise VersionConflict(instance, current)
    instance.version += 1


@dataclass(frozen=True)
class Saver:
    name: str
    at: datetime

    @property
    def when(self) -> str:
        return date_format(localtime(self.at), "H:i")


@dataclass(frozen=True)
class FieldConflict:
    name: str
    label: str
    theirs: str
    mine: str
    their_change: SafeString  # from the version the editor started from to the stored one, as a word diff
    both_changed: bool  # the editor changed it too: they must choose; otherwise theirs is offered first


@dataclass(frozen=True)
class Conflict:
    base_version: int
    current_version: int
    savers: list[Saver] = field(default_factory=list)
    fields: list[FieldConflict] = field(default_factory=list)

    @property
    def needs_choice(self) -> list[str]:
        return [item.name for item in self.fields if item.both_changed]


def display(model_field, value) -> str:
    """Return a field's value as an editor reads it (a category's name, a choice's label, a local time)."""
    if value in (None, ""):
        return ""
    if isinstance(model_field, models.ForeignKey):
        if not isinstance(value, models.Model):
            value = model_field.related_model._default_manager.filter(pk=value).first()
        return str(value) if value is not None else _("(deleted)")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return date_format(localtime(value), "j M Y H:i")
    if isinstance(model_field, models.TextField):
        return text_of(str(value))  # an editor's HTML, compared as the words readers read
    return str(value)


def comparable(value):
    return value.pk if isinstance(value, models.Model) else value


def base_revision(instance, version: int):
    """Return the recorded revision of `instance` at `version` (the newest with it), or None."""
    return instance.history.filter(id=instance.pk, version=version).order_by("-history_date", "-history_id").first()


def savers_since(instance, version: int) -> list[Saver]:
    """Return who saved `instance` after `version`, each once, newest time first."""
    seen = {}
    rows = instance.history.filter(id=instance.pk, version__gt=version).select_related("history_user")
    for row in rows.order_by("-history_date", "-history_id"):
        user = row.history_user
        name = staff_name(user) if user else _("Someone")
        seen.setdefault(name, row.history_date)
    return [Saver(name, at) for name, at in seen.items()]


def describe(*, stored, started_from: int, mine: dict, extra: dict | None = None) -> Conflict:
    """Describe a refused save: what others changed since `started_from`, beside what the editor sent (`mine`).

    `stored` is the row as it is now; `mine` maps field names to the values the editor sent (as the form cleaned
    them). `extra` adds fields that are not columns: {name: (label, base text, stored text, mine text)}, such as a
    story's authors. A version that never existed (forged, or older than the history) counts every difference.
    """
    base = base_revision(stored, started_from)
    fields = []
    for name, value in mine.items():
        model_field = type(stored)._meta.get_field(name)
        theirs = comparable(model_field.value_from_object(stored))
        before = comparable(model_field.value_from_object(base)) if base is not None else None
        value = comparable(value)
        if (base is not None and theirs == before) or value == theirs:
            continue
        fields.append(
            FieldConflict(
                name=name,
                label=str(model_field.verbose_name).capitalize(),
                theirs=display(model_field, theirs),
                mine=display(model_field, value),
                their_change=word_diff(
                    display(model_field, before) if base is not None else "", display(model_field, theirs)
                ),
                both_changed=base is None or value != before,
            )
        )
    for name, (label, before_text, theirs_text, mine_text) in (extra or {}).items():
        if (base is not None and theirs_text == before_text) or mine_text == theirs_text:
            continue
        fields.append(
            FieldConflict(
                name=name,
                label=str(label),
                theirs=theirs_text,
                mine=mine_text,
                their_change=word_diff(before_text if base is not None else "", theirs_text),
                both_changed=base is None or mine_text != before_text,
            )
        )
    return Conflict(
        base_version=started_from,
        current_version=stored.version,
        savers=savers_since(stored, started_from if base is not None else 0),
        fields=fields,
    )
