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


class QPVForm(PortalForm):
    """One QPV of the région's reference list, added or updated by its code."""

    code = forms.CharField(label="Code officiel", max_length=12, help_text="Par exemple QN01401M.")
    nom = forms.CharField(label="Nom du quartier", max_length=200)
    departement = forms.ChoiceField(label="Département")
    population = forms.IntegerField(label="Population (facultatif)", required=False, min_value=0,
                                    max_value=10_000_000)

    def __init__(self, *args, departements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [(d.code, f"{d.nom} ({d.code})") for d in departements]


class QPVImportForm(PortalForm):
    lignes = forms.CharField(
        label="Lignes à importer", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Une ligne par quartier : code;nom;département;population (population facultative, séparateur "
                  "point-virgule ou tabulation, comme un copier-coller depuis un tableur). Un code déjà connu est "
                  "mis à jour.")


class ChampForm(PortalForm):
    """A field of action added to the reference list, or renamed / no longer offered (`champ`: its id)."""

    champ = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    libelle = forms.CharField(label="Libellé", max_length=120)
    actif = forms.BooleanField(label="Proposé dans les formulaires des axes et des fiches", required=False,
                               initial=True)


class WorkFilterForm(PortalForm):
    """The regional work list's filters: a département and a kind of item, among those that have items."""

    departement = forms.ChoiceField(label="Département", required=False)
    quoi = forms.ChoiceField(label="À faire", required=False)

    def __init__(self, *args, departements, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "Tous")] + list(departements)
        self.fields["quoi"].choices = [("", "Tout")] + list(kinds)
