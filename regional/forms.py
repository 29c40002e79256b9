"""The date of the regional figures ("au 26/03/2025"): a past date or today, never the future."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from cls_portal.core.validation import PortalForm

FIGURES_FROM = dt.date(2010, 1, 1)  # the first CLS were signed in 2010


class FiguresDateForm(PortalForm):
    date_windows = {"au": (FIGURES_FROM, timezone.localdate)}

    au = forms.DateField(label="Chiffres au", required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                         help_text="Laissez vide pour les chiffres d'aujourd'hui.")

    def day(self) -> dt.date | None:
        """The date asked, or None (today's figures, also when the date typed is refused)."""
        return self.cleaned_data.get("au") if self.is_valid() else None
