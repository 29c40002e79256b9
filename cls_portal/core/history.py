"""History in words: services call `record()` inside their transaction; pages show `lines()`.

Every row carries a typed event code (one `TextChoices` per app, as Zulip's `AuditLogEventType`). Each
app registers its enumeration here from its own `history.py` (imported by its `AppConfig.ready`):
- the French sentence of each event (`"Fiche {fiche} soumise à la délégation"`, names from the row's
  `context`, captured when it happened; " par <actor>" is added);
- the *audience* of each event: the page whose permission predicate decides who may read the line
  (`"financement"` lines only for those who may open the funding page, wherever they are shown);
- what the sentence names for each of its models (`subject`), labels for change keys that are not
  model fields, and formatters for values that need one.
Core never imports an app: apps point down to it (layers).

Values are stored as the code does (choice codes, ISO dates, amounts as text) and shown with the
field's label and displayed value: `Date de signature : 12/03/2024 → 14/03/2024`, `Statut : Brouillon
→ Soumise`, `Montant accordé : 25 000 €`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .formatting import format_euros, format_number, format_time
from .models import HistoryEntry

# --- stored values ------------------------------------------------------------------------------------


def _display(value):
    """A JSON-friendly stored value: codes and numbers as they are, dates ISO, objects by their name."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_display(v) for v in value]
    return str(value)


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """Concrete, non-relational-m2m field values of `obj` as JSON-friendly values (foreign keys: ids), generated
    columns aside."""
    data = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in ("id", "version", "created_at", "updated_at") or f.generated:
            continue  # generated columns (a name as searched) follow their source: never a change of their own
        if f.is_relation:
            data[f.name] = _display(getattr(obj, f.attname))
        else:
            data[f.name] = _display(getattr(obj, f.name))
    return data


def diff(old: dict, new: dict) -> dict:
    """`{field: [old, new]}` for the fields whose value changed."""
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


# --- the registry -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EventSpec:
    code: str
    label: str
    sentence: str
    audience: str
    # An edit: written only when something changed (saving an unchanged form writes no line).
    edit: bool = False


@dataclass
class _Registry:
    events: dict[str, EventSpec] = field(default_factory=dict)
    audiences: dict[str, Callable] = field(default_factory=dict)
    subjects: dict[type, Callable] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    formatters: dict[str, Callable] = field(default_factory=dict)


REGISTRY = _Registry()


def register_events(enum: type[models.TextChoices], *, sentences: dict, audience: str | dict,
                    edits=()) -> None:
    """Register an app's event enumeration. `audience`: one key for all, or {member: key} (with a
    `None` entry as the default). Every member needs a sentence."""
    for member in enum:
        if member not in sentences:
            raise ValueError(f"Événement sans phrase : {member.value}")
        aud = audience if isinstance(audience, str) else audience.get(member, audience.get(None))
        if not aud:
            raise ValueError(f"Événement sans audience : {member.value}")
        REGISTRY.events[member.value] = EventSpec(code=member.value, label=member.label,
                                                  sentence=sentences[member], audience=aud,
                                                  edit=member in edits)


def register_audience(key: str, predicate: Callable) -> None:
    """`predicate(user, contract)` -> True (every line of this audience), False (none) or a `Q` on
    `HistoryEntry` restricting them (e.g. to the sheets the user pilots). Use the app's page predicate."""
    REGISTRY.audiences[key] = predicate


def register_subject(model: type[models.Model], fn: Callable[[models.Model], dict]) -> None:
    """What the sentences name for an object of `model`: {"fiche": "2.4", "titre": "…"} (display text)."""
    REGISTRY.subjects[model] = fn


def register_labels(labels: dict[str, str]) -> None:
    """Labels of change keys that are not fields of the recorded model ("fiches_reprises"), or, keyed
    `"app_label.model.key"`, only for that model (a child's fields recorded on its parent)."""
    REGISTRY.labels.update(labels)


def register_formatters(formatters: dict[str, Callable]) -> None:
    """`"app_label.model.field"` (or a plain change key) -> function(stored value) -> displayed text."""
    REGISTRY.formatters.update(formatters)


def event_spec(code: str) -> EventSpec:
    try:
        return REGISTRY.events[str(code)]
    except KeyError:
        raise ValueError(f"Événement d'historique inconnu : {code!r} (déclarez-le dans l'énumération de "
                         f"son application)") from None


# --- writing ------------------------------------------------------------------------------------------

def _resolve_foreign_keys(model, changes: dict) -> dict:
    """Foreign keys are snapshotted as ids (cheap to compare): record the related object's name."""
    out = {}
    for key, (old, new) in changes.items():
        try:
            f = model._meta.get_field(key)
        except Exception:  # noqa: BLE001 — not a field: a summary key
            f = None
        if f is not None and f.many_to_one:
            related = f.related_model._default_manager
            old, new = (str(related.filter(pk=v).first() or "élément supprimé") if isinstance(v, int) else v
                        for v in (old, new))
        out[key] = [old, new]
    return out


def subject_of(obj: models.Model) -> dict:
    for model in type(obj).__mro__:
        fn = REGISTRY.subjects.get(model)
        if fn is not None:
            return {k: _display(v) for k, v in fn(obj).items()}
    return {}


def record(*, actor, obj: models.Model, event, changes: dict | None = None, comment: str = "",
           contract_id: int | None = None, context: dict | None = None) -> HistoryEntry | None:
    """Write one history row for `event` (a registered event code) on `obj`.

    An edit event that changes nothing and says nothing writes no row (returns None).
    """
    spec = event_spec(event)
    changes = {k: [_display(a), _display(b)] for k, (a, b) in (changes or {}).items() if _display(a) != _display(b)}
    if spec.edit and not changes and not (comment or "").strip():
        return None
    changes = _resolve_foreign_keys(type(obj), changes)
    if contract_id is None:
        contract_id = getattr(obj, "contract_id", None)
        if contract_id is None and obj._meta.label_lower == "contracts.contract":
            contract_id = obj.pk
    ctx = subject_of(obj)
    ctx.update({k: _display(v) for k, v in (context or {}).items()})
    return HistoryEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        contract_id=contract_id,
        action=spec.code,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes=changes,
        comment=comment or "",
        context=ctx,
    )


def history_for(obj: models.Model):
    return (
        HistoryEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .select_related("actor", "content_type")
        .order_by("-at", "-id")
    )


# --- who reads what -----------------------------------------------------------------------------------

def visible_q(user, contract) -> Q:
    """The history rows of `contract` that `user` may read: each event's audience predicate (the same
    predicate as the page the line describes). Unknown codes are never shown."""
    if getattr(user, "is_portal_admin", False):
        return Q(action__in=list(REGISTRY.events))
    by_audience: dict[str, list[str]] = {}
    for spec in REGISTRY.events.values():
        by_audience.setdefault(spec.audience, []).append(spec.code)
    codes, q = [], Q(pk__in=[])
    for key, events in sorted(by_audience.items()):
        predicate = REGISTRY.audiences.get(key)
        answer = predicate(user, contract) if predicate is not None and getattr(user, "is_authenticated", False) \
            else False
        if answer is True:
            codes += events
        elif isinstance(answer, Q):
            q |= Q(action__in=events) & answer
    return Q(action__in=codes) | q


def visible(entries, user, contract):
    """Filter a queryset of history rows to those `user` may read on `contract`'s pages."""
    return entries.filter(visible_q(user, contract))


# --- reading ------------------------------------------------------------------------------------------

class _Context(dict):
    def __missing__(self, key):
        return ""


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")
_EXPONENT = re.compile(r"^-?\d+(?:\.\d+)?E[+-]\d+$")  # str(Decimal("1e5")): rows written before it was refused
LONG_TEXT = 160


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _format_date(value) -> str:
    try:
        if isinstance(value, str) and _ISO_DATETIME.match(value):
            moment = dt.datetime.fromisoformat(value)  # stored in UTC: read in the portal's time zone
            return (timezone.localtime(moment) if timezone.is_aware(moment) else moment).strftime("%d/%m/%Y à %H:%M")
        if isinstance(value, str) and _ISO_DATE.match(value):
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except ValueError:
        pass
    return str(value)


def _plain(value) -> str:
    """A value without field knowledge: still never a Python literal, a raw date or a raw decimal."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value) or "—"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if _ISO_DATE.match(text) or _ISO_DATETIME.match(text):
        return _format_date(text)
    if _DECIMAL.match(text) or _EXPONENT.match(text):
        return format_number(text)
    if len(text) > LONG_TEXT:
        return text[:LONG_TEXT].rstrip() + "…"
    return text


def _field(model, key):
    if model is None:
        return None
    try:
        f = model._meta.get_field(key)
    except Exception:  # noqa: BLE001 — a summary key, not a field
        return None
    return f if isinstance(f, models.Field) else None  # a reverse relation is a summary key too


def _is_money(f) -> bool:
    return isinstance(f, models.DecimalField) and f.decimal_places == 2 and f.max_digits >= 10


def display_value(model, key: str, value) -> str:
    """The displayed form of a stored value of `key` on `model` (choice label, French date, euros...)."""
    if model is not None:
        fmt = REGISTRY.formatters.get(f"{model._meta.label_lower}.{key}")
        if fmt is not None and value not in (None, ""):
            return fmt(value)
    fmt = REGISTRY.formatters.get(key)
    if fmt is not None and value not in (None, ""):
        return fmt(value)
    f = _field(model, key)
    if f is None or value is None or value == "":
        return _plain(value)
    choices = dict(f.flatchoices) if f.choices else None
    if choices:
        if isinstance(value, list):
            return ", ".join(str(choices.get(v, _plain(v))) for v in value) or "—"
        return str(choices.get(value, _plain(value)))
    if isinstance(f, models.BooleanField):
        return "oui" if value in (True, "True", "true", 1) else "non"
    if isinstance(f, (models.DateField, models.DateTimeField)):
        return _format_date(value)
    if isinstance(f, models.TimeField):
        return format_time(value)
    if isinstance(f, models.DecimalField):
        try:
            Decimal(str(value))
        except (InvalidOperation, ValueError):
            return _plain(value)
        return format_euros(value) if _is_money(f) else format_number(value)
    return _plain(value)


def field_label(model, key: str) -> str:
    f = _field(model, key)
    scoped = REGISTRY.labels.get(f"{model._meta.label_lower}.{key}") if model is not None else None
    label = str(f.verbose_name) if f is not None else scoped or REGISTRY.labels.get(key)
    if label is None:
        label = key.replace("_", " ")
    return label[:1].upper() + label[1:]


def change_lines(entry: HistoryEntry, model=None) -> list[str]:
    """`Label : old → new` for each change of the row (`Label : new` for a first value)."""
    if model is None:
        model = entry.content_type.model_class() if entry.content_type_id else None
    out = []
    for key, pair in (entry.changes or {}).items():
        old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        label = field_label(model, key)
        shown_new = display_value(model, key, new)
        if old is None or old == "" or old == []:
            out.append(f"{label} : {shown_new}")
        else:
            out.append(f"{label} : {display_value(model, key, old)} → {shown_new}")
    return out


_EMPTY_QUOTES = re.compile(r"\s*«\s*»")
_SPACES = re.compile(r"\s{2,}")


def sentence(entry: HistoryEntry, *, with_actor: bool = True) -> str:
    """The French sentence of a row: `Fiche 2.4 soumise à la délégation par Camille Lefèvre`."""
    spec = REGISTRY.events.get(entry.action)
    text = spec.sentence.format_map(_Context(entry.context or {})) if spec else "Modification enregistrée"
    text = _SPACES.sub(" ", _EMPTY_QUOTES.sub("", text)).strip().replace(" ,", ",").replace("( ", "(")
    text = text.replace(" ()", "")
    if with_actor and entry.actor_id:
        text += f" par {_person(entry.actor)}"
    return text


@dataclass(frozen=True)
class Line:
    """One history line as pages show it."""

    at: dt.datetime
    sentence: str
    details: list
    comment: str
    actor: object
    label: str


def line(entry: HistoryEntry) -> Line:
    spec = REGISTRY.events.get(entry.action)
    return Line(at=entry.at, sentence=sentence(entry), details=change_lines(entry), comment=entry.comment,
                actor=entry.actor, label=spec.label if spec else "Modification")


def lines(entries) -> list[Line]:
    return [line(e) for e in entries]
