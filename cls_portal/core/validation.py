"""One validation layer for every input of the portal: every form (and so every import row, every query
parameter read through a form) inherits `InputRulesMixin`, through `PortalForm` / `PortalModelForm` or
`cls_portal.core.concurrency.VersionFormMixin`. After the form's own `__init__`, each field gets:

- text (`CharField` and its subclasses, passwords excepted): control characters removed (kept: line
  breaks and tabs in a textarea), and a length limit when the field has none: `LINE_MAX_CHARS` for a
  one-line field, `TEXT_MAX_CHARS` for a textarea (1 MB of minutes made a 3 MB page; a control
  character in a name made every XLSX export of the région answer 500);
- dates (`DateField`, `DateTimeField`): a plausible window, `DATE_MIN`–`DATE_MAX` by default, narrower
  per field with the form's `date_windows = {"field": (min, max)}` (31/12/9999 and 0001-01-01 made
  the contract pages answer 500 for everyone);
- numbers (`DecimalField`, `IntegerField`): read by `cls_portal.core.numbers` (decimal comma, spaces,
  `€`; no underscores, no non-Latin digits), decimals shown back with a comma, integers bounded to
  what a database column holds.

A test (tests/core/test_input_rules.py) fails on any form of the project that skips the mixin.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator

from .numbers import NumberError, parse_decimal, parse_integer
from .renderers import PortalBoundField

DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)
LINE_MAX_CHARS = 500
TEXT_MAX_CHARS = 20_000
INT_MIN, INT_MAX = -(2**63), 2**63 - 1

# C0 and C1 controls, DEL, and the code points XML 1.0 cannot carry (what openpyxl refuses).
_CONTROLS_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffe\uffff]")
_CONTROLS_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def strip_controls(text: str, *, multiline: bool = False) -> str:
    """`text` without control characters. One-line text: tabs and line breaks become spaces; multi-line
    text keeps them (CRLF and CR become LF)."""
    if not text:
        return text
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _CONTROLS_TEXT.sub("", text)
    return _CONTROLS_LINE.sub(lambda m: " " if m.group() in "\t\n\r" else "", text)


def clean_text(text: str, *, multiline: bool = False, max_chars: int | None = None) -> str:
    """Control characters removed, Unicode composed (NFC), surrounding spaces stripped; ValidationError past
    `max_chars`. For text that does not come through a form (a service's own arguments, an import)."""
    text = unicodedata.normalize("NFC", strip_controls(str(text or ""), multiline=multiline)).strip()
    if max_chars is not None and len(text) > max_chars:
        raise ValidationError(f"Ce texte compte {len(text)} caractères : {max_chars} au plus.", code="max_length")
    return text


def _fr(d: dt.date) -> str:
    return f"{d:%d/%m}/{d.year}"


class DateWindowValidator:
    """Refuses a date outside `[lower, upper]` (dates, or callables returning one: "today")."""

    def __init__(self, lower: dt.date | None = DATE_MIN, upper: dt.date | None = DATE_MAX):
        self.lower, self.upper = lower, upper

    def bounds(self):
        lower = self.lower() if callable(self.lower) else self.lower
        upper = self.upper() if callable(self.upper) else self.upper
        return lower, upper

    def __call__(self, value):
        if value is None:
            return
        day = value.date() if isinstance(value, dt.datetime) else value
        lower, upper = self.bounds()
        if (lower and day < lower) or (upper and day > upper):
            raise ValidationError(f"Saisissez une date entre le {_fr(lower)} et le {_fr(upper)}.", code="date_window")

    def __eq__(self, other):
        return isinstance(other, DateWindowValidator) and self.bounds() == other.bounds()


def check_date(value, *, lower=DATE_MIN, upper=DATE_MAX, field: str | None = None):
    """Service-side check (same message as the forms): raises DomainError on `field`."""
    from .errors import DomainError

    try:
        DateWindowValidator(lower, upper)(value)
    except ValidationError as err:
        raise DomainError(err.messages[0], field=field) from None
    return value


# --- fields ----------------------------------------------------------------------------------------

class _CleanText:
    multiline = False

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            value = unicodedata.normalize("NFC", strip_controls(value, multiline=self.multiline))
            if getattr(self, "strip", True):
                value = value.strip()
        return value


class _FrenchDecimal:
    """DecimalField reading French numbers (`cls_portal.core.numbers`) and showing them with a comma."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value, max_digits=(self.max_digits or 28) + 2)
        except NumberError as err:
            message = self.error_messages["invalid"] if err.code == "invalid" else str(err)  # the field's own words
            raise ValidationError(message, code="invalid") from None

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:f}".replace(".", ",")
        return value


class _StrictInteger:
    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_integer(value)
        except NumberError as err:
            message = self.error_messages["invalid"] if err.code == "invalid" else str(err)
            raise ValidationError(message, code="invalid") from None


_CLASSES: dict[tuple[type, type], type] = {}


def _swap(field, mixin) -> None:
    cls = type(field)
    if issubclass(cls, mixin):
        return
    new = _CLASSES.get((cls, mixin))
    if new is None:
        new = _CLASSES.setdefault((cls, mixin), type(cls.__name__, (mixin, cls), {"__module__": cls.__module__}))
    field.__class__ = new


def harden_field(field, *, date_window=None) -> None:
    """Apply the input rules to one form field (see module doc)."""
    if isinstance(field, forms.CharField):
        if isinstance(field.widget, forms.PasswordInput):
            return
        multiline = isinstance(field.widget, forms.Textarea)
        _swap(field, _CleanText)
        field.multiline = multiline
        if field.max_length is None:
            field.max_length = TEXT_MAX_CHARS if multiline else LINE_MAX_CHARS
            field.validators.append(MaxLengthValidator(field.max_length))
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("maxlength", str(field.max_length))
    elif isinstance(field, (forms.DateField, forms.DateTimeField)):
        window = DateWindowValidator(*date_window) if date_window else DateWindowValidator()
        field.validators = [v for v in field.validators if not isinstance(v, DateWindowValidator)] + [window]
        lower, upper = window.bounds()
        if isinstance(field.widget, forms.DateInput) and field.widget.input_type == "date":
            field.widget.attrs.update(min=lower.isoformat(), max=upper.isoformat())
    elif isinstance(field, forms.DecimalField):
        _swap(field, _FrenchDecimal)
        if isinstance(field.widget, forms.NumberInput):
            attrs = {k: v for k, v in field.widget.attrs.items() if k not in ("step", "min", "max")}
            widget = forms.TextInput(attrs={**attrs, "inputmode": "decimal", "autocomplete": "off"})
            widget.is_required = field.required
            field.widget = widget
    elif isinstance(field, forms.IntegerField):
        _swap(field, _StrictInteger)
        if not any(isinstance(v, MinValueValidator) for v in field.validators):
            field.validators.append(MinValueValidator(INT_MIN))
        if not any(isinstance(v, MaxValueValidator) for v in field.validators):
            field.validators.append(MaxValueValidator(INT_MAX))


class InputRulesMixin:
    """Every form of the portal: see the module doc. `date_windows` narrows the window of some dates."""

    date_windows: dict = {}
    bound_field_class = PortalBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            harden_field(field, date_window=self.date_windows.get(name))


class PortalForm(InputRulesMixin, forms.Form):
    pass


class PortalModelForm(InputRulesMixin, forms.ModelForm):
    pass


__all__ = ["DATE_MAX", "DATE_MIN", "DateWindowValidator", "InputRulesMixin", "LINE_MAX_CHARS", "PortalForm",
           "PortalModelForm", "TEXT_MAX_CHARS", "check_date", "clean_text", "harden_field", "strip_controls"]
