"""Optimistic concurrency: versioned models refuse a save based on a stale version."""

from __future__ import annotations

from django import forms
from django.db import models

from .errors import ConcurrentEditError
from .history import diff, snapshot
from .validation import InputRulesMixin


class VersionedModel(models.Model):
    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        abstract = True


def lock_for_update(model: type[models.Model], pk, *, expected_version: int | None, submitted: dict | None = None):
    """Lock the row and check it is still at `expected_version`.

    Must run inside `transaction.atomic()`. Raises ConcurrentEditError listing what the other person
    changed compared with what the user is trying to save (`submitted`: field -> value).
    """
    obj = model.objects.select_for_update().get(pk=pk)
    if expected_version is not None and obj.version != int(expected_version):
        current = snapshot(obj)
        changes = {}
        if submitted:
            mine = {k: v for k, v in snapshot_values(submitted).items() if k in current}
            changes = {k: [mine[k], current[k]] for k in mine if mine[k] != current[k]}
        raise ConcurrentEditError(changes=changes)
    return obj


def snapshot_values(values: dict) -> dict:
    from .history import _display

    return {k: _display(v) for k, v in values.items()}


def bump(obj: VersionedModel) -> None:
    obj.version = (obj.version or 0) + 1


class VersionFormMixin(InputRulesMixin, forms.Form):
    """Adds the hidden `version` the user's edit started from (and the portal's input rules)."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


__all__ = ["VersionedModel", "lock_for_update", "bump", "VersionFormMixin", "diff", "snapshot"]
