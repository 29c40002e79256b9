"""History rows for every write: services call `record()` inside their transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import HistoryEntry


def _display(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_display(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """Concrete, non-relational-m2m field values of `obj` as JSON-friendly display values."""
    data = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in ("id", "version", "created_at", "updated_at"):
            continue
        if f.is_relation:
            data[f.name] = _display(getattr(obj, f.attname))
        else:
            data[f.name] = _display(getattr(obj, f.name))
    return data


def diff(old: dict, new: dict) -> dict:
    """`{field: [old, new]}` for the fields whose value changed."""
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


def record(*, actor, obj: models.Model, action: str, changes: dict | None = None, comment: str = "",
           contract_id: int | None = None) -> HistoryEntry:
    if contract_id is None:
        contract_id = getattr(obj, "contract_id", None)
        if contract_id is None and obj._meta.label_lower == "contracts.contract":
            contract_id = obj.pk
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        contract_id=contract_id,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes={k: [_display(a), _display(b)] for k, (a, b) in (changes or {}).items()},
        comment=comment,
    )


def history_for(obj: models.Model):
    return (
        HistoryEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .select_related("actor")
        .order_by("-at", "-id")
    )
