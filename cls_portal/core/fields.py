"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

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
