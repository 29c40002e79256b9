"""Query parameters are read through forms, never with `int()` in a view (`?annee=²`, `?remplace=abc`,
`?contrat=` and 23 digits answered 500). A value that does not parse is simply absent: the page shows its
default, or the object lookup answers 404.

    annee = query_int(request.GET, "annee", min_value=1990, max_value=2100)   # int or None
    pk = query_id(request.GET, "remplace")                                    # a row id or None

Filter sets (django-filter) use `PortalFilterSetMixin` (their form gets the portal's input rules) and
`IdFilter` / `YearFilter` / `IntegerFilter` instead of `NumberFilter` (a Decimal field: any size, any
exponent, sent as is to the database).
"""

from __future__ import annotations

import django_filters
from django import forms

from .validation import DATE_MAX, DATE_MIN, INT_MAX, PortalForm

YEAR_MIN, YEAR_MAX = DATE_MIN.year, DATE_MAX.year


def query_int(params, name: str, *, min_value: int = 1, max_value: int = INT_MAX) -> int | None:
    """The integer parameter `name` of `params` (a QueryDict), or None when missing or not a valid integer in
    the bounds."""
    form = type("QueryForm", (PortalForm,), {name: forms.IntegerField(required=False, min_value=min_value,
                                                                       max_value=max_value)})(params)
    return form.cleaned_data.get(name) if form.is_valid() else None


def query_id(params, name: str) -> int | None:
    """A row id (1 to 2⁶³ - 1) read from `params`, or None."""
    return query_int(params, name, min_value=1, max_value=INT_MAX)


def query_year(params, name: str = "annee") -> int | None:
    return query_int(params, name, min_value=YEAR_MIN, max_value=YEAR_MAX)


class IntegerFilter(django_filters.NumberFilter):
    """An integer filter, bounded (`min_value`, `max_value` keyword arguments, default: a row id's range)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", INT_MAX)
        super().__init__(*args, **kwargs)


class IdFilter(IntegerFilter):
    pass


class YearFilter(IntegerFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(*args, **kwargs)


class PortalFilterSetMixin:
    """A FilterSet whose form applies the portal's input rules (strict integers, text without control
    characters, dates in their window)."""

    def get_form_class(self):
        base = super().get_form_class()
        return type(base.__name__, (PortalForm, base), {})


__all__ = ["IdFilter", "IntegerFilter", "PortalFilterSetMixin", "YearFilter", "query_id", "query_int", "query_year"]
