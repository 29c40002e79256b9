"""Form fields shared by the apps."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from .formatting import form_number
from .numbers import NumberError, parse_decimal

_ID_MIN, _ID_MAX = -(2**63), 2**63 - 1


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of rows with integer ids that refuses ids no database column can hold.

    Django's field sends every submitted id to a `pk__in` query; on SQLite an id beyond 64 bits raises
    OverflowError there (a 500). Here it is a French error next to the field, like any unknown choice.
    """

    def clean(self, value):
        for item in value or []:
            try:
                number = int(str(item).strip())
            except (TypeError, ValueError):
                continue  # not a number: Django's own check answers
            if not _ID_MIN <= number <= _ID_MAX:
                raise ValidationError("Choix invalide : sélectionnez une valeur de la liste.", code="invalid_choice")
        return super().clean(value)


class FrenchDecimalField(forms.Field):
    """A decimal typed the French way (`23 000,50`, `23000.50 €`), read by `cls_portal.core.numbers`.
    Never a float. `places`: decimals allowed; `min_value`: lower bound; `readable`: a value is shown back as
    the portal writes quantities (`100 000`, `34` for a stored `34.00`, `12,5`) rather than `100000,00`."""

    default_error_messages = {"invalid": "Saisissez un nombre, par exemple 23 000 ou 23 000,50."}

    def __init__(self, *, places: int = 2, min_value: Decimal | None = None, max_digits: int = 12,
                 readable: bool = False, **kwargs):
        self.places, self.min_value, self.max_digits, self.readable = places, min_value, max_digits, readable
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_decimal(value, max_digits=self.max_digits)
        except NumberError as err:
            message = self.error_messages["invalid"] if err.code == "invalid" else str(err)  # the field's own words
            raise ValidationError(message, code="invalid") from None

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if value != value.quantize(Decimal(1).scaleb(-self.places)):
            raise ValidationError(f"{self.places} décimale{'s' if self.places > 1 else ''} au plus.", code="places")
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(f"La valeur ne peut pas être inférieure à {self.min_value}.".replace(".", ","),
                                  code="min_value")

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return form_number(value) if self.readable else f"{value:f}".replace(".", ",")
        return value
