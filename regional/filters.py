"""Filters of the regional lists; the dashboard's links and the exports use the same ones."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone

from actions.enums import FicheStatut
from actions.models import ChampAction, FicheAction, Indicateur
from cls_portal.core.collation import french_key, search_q
from cls_portal.core.query import IdFilter, PortalFilterSetMixin, YearFilter
from cls_portal.territories.models import Departement, Region
from contracts.enums import Phase
from contracts.models import Contract, in_departements_q
from contracts.selectors import coordinators_at, departements_for, q_post_planned_at
from funding import selectors as funding_selectors
from reports.enums import ReportKind

from . import selectors

OUI_NON = [("oui", "Oui"), ("non", "Non")]
FIRST_FUNDING_YEAR = 2010  # the figures of a past date link to the funding of its year
REPORT_CHOICES = [(f"{k}_{s}", f"{label} {word}") for k, label in ReportKind.choices
                  for s, word in (("publie", "publié"), ("manquant", "manquant"))]


def _departement_choices():
    return [(d.code, str(d)) for d in Departement.objects.order_by("code")]


def _champ_choices():
    return [(c.pk, c.libelle) for c in ChampAction.objects.order_by("ordre", "libelle")]


def _region_choices():
    return [(r.code, r.nom) for r in Region.objects.filter(ars__isnull=False).order_by("nom")]


def scoped_choices(user):
    """(départements, régions) a user may filter on (`contracts.selectors.departements_for`); the
    régions are those of these départements. Administrators: every région with an ARS."""
    if user is None or not user.is_authenticated or user.is_portal_admin:
        return _departement_choices(), _region_choices()
    deps = list(departements_for(user))
    regions = sorted({(d.region_id, d.region.nom) for d in deps}, key=lambda r: french_key(r[1]))
    return [(d.code, str(d)) for d in deps], regions


class ScopedChoicesMixin:
    """Département (and région) choices limited to what the requesting user may see: a shorter list,
    and no other territory's names offered."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departements, regions = scoped_choices(getattr(self.request, "user", None))
        self.filters["departement"].extra["choices"] = departements
        if "region" in self.filters:
            self.filters["region"].extra["choices"] = regions
        if "champ" in self.filters:  # read once (a callable would be read again at each rendering)
            self.filters["champ"].extra["choices"] = _champ_choices()


class ContractFilter(ScopedChoicesMixin, PortalFilterSetMixin, django_filters.FilterSet):
    au = django_filters.DateFilter(
        label="Au (date)", method="filter_noop", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Contrats actifs, postes et coordinateurs à cette date (par défaut : aujourd'hui).")
    q = django_filters.CharFilter(label="Nom du contrat ou collectivité", method="filter_q")
    region = django_filters.ChoiceFilter(label="Région", choices=_region_choices, field_name="ars__region_id")
    departement = django_filters.MultipleChoiceFilter(label="Département", choices=_departement_choices,
                                                      method="filter_departement")
    phase = django_filters.ChoiceFilter(label="Phase", choices=Phase.choices)
    actif = django_filters.ChoiceFilter(label="Signés et actifs", choices=[("1", "Oui")], method="filter_actif",
                                        empty_label="Tous")
    clsm = django_filters.ChoiceFilter(label="Conseil local de santé mentale", choices=OUI_NON, method="filter_bool")
    qpv = django_filters.ChoiceFilter(label="Couvre des QPV", choices=OUI_NON, method="filter_bool")
    poste = django_filters.ChoiceFilter(label="Poste de coordination prévu", choices=[("prevu", "Oui")],
                                        method="filter_poste", empty_label="Tous",
                                        help_text="Dès la lettre d'intention, jusqu'à la clôture.")
    coordination = django_filters.ChoiceFilter(label="Poste de coordination",
                                               choices=[("pourvu", "Pourvu"), ("vacant", "Vacant")],
                                               method="filter_coordination")
    financement = django_filters.ChoiceFilter(label="Financement ARS", choices=lambda: [
        (f"engage_{y}", f"Engagé en {y}") for y in range(timezone.localdate().year, FIRST_FUNDING_YEAR - 1, -1)],
        method="filter_financement")
    champ = django_filters.TypedChoiceFilter(label="Champ d'action", choices=_champ_choices, coerce=int,
                                             method="filter_champ",
                                             help_text="Contrats ayant au moins une fiche dans ce champ.")
    annee_signature = YearFilter(label="Année de signature", field_name="date_signature__year")
    rapport = django_filters.ChoiceFilter(label="Rapport annuel", choices=REPORT_CHOICES, method="filter_rapport")
    annee_rapport = YearFilter(label="Année du rapport", method="filter_noop",
                                                help_text="Par défaut : l'année dernière.")

    class Meta:
        model = Contract
        fields: list = []

    def filter_q(self, qs, name, value):
        return qs.filter(search_q(value, "nom_recherche", "collectivite__nom_recherche"))

    def filter_departement(self, qs, name, value):
        return qs.filter(in_departements_q(value)) if value else qs

    def at(self):
        """The date asked (`au`), or None for today's figures."""
        return self.form.cleaned_data.get("au") if hasattr(self.form, "cleaned_data") else None

    def filter_actif(self, qs, name, value):
        return qs.filter(selectors.q_active(self.at())) if value == "1" else qs

    def filter_champ(self, qs, name, value):
        return qs.filter(selectors.q_contract_in_champ(value))

    def filter_poste(self, qs, name, value):
        return qs.filter(q_post_planned_at(self.at() or timezone.localdate())) if value == "prevu" else qs

    def filter_bool(self, qs, name, value):
        return qs.filter(**{name: value == "oui"})

    def filter_coordination(self, qs, name, value):
        at = self.at()
        day = at or timezone.localdate()
        return funding_selectors.filter_coordination(qs, value, day.year, None if at is None else coordinators_at(at))

    def filter_financement(self, qs, name, value):
        return funding_selectors.filter_committed(qs, int(value.rpartition("_")[2]))

    def filter_noop(self, qs, name, value):
        return qs

    def report_year(self) -> int:
        year = self.form.cleaned_data.get("annee_rapport") if hasattr(self.form, "cleaned_data") else None
        return int(year) if year else timezone.localdate().year - 1

    def filter_rapport(self, qs, name, value):
        kind, _, state = value.rpartition("_")
        year = self.report_year()
        qs = qs.filter(selectors.q_report_expected(year))
        published = selectors.report_published(kind, year)
        return qs.filter(published) if state == "publie" else qs.filter(~published)


class FicheFilter(ScopedChoicesMixin, PortalFilterSetMixin, django_filters.FilterSet):
    contrat = IdFilter(label="Contrat (identifiant)", field_name="contract_id", widget=forms.HiddenInput)
    q = django_filters.CharFilter(label="Titre ou contrat", method="filter_q")
    champ = django_filters.TypedChoiceFilter(label="Champ d'action", choices=_champ_choices, coerce=int,
                                             method="filter_champ", help_text="Sur la fiche ou sur son axe.")
    departement = django_filters.MultipleChoiceFilter(label="Département", choices=_departement_choices,
                                                      method="filter_departement")
    statut = django_filters.ChoiceFilter(label="Statut", choices=FicheStatut.choices)

    class Meta:
        model = FicheAction
        fields: list = []

    def filter_q(self, qs, name, value):
        return qs.filter(search_q(value, "titre_recherche", "contract__nom_recherche"))

    def filter_departement(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(in_departements_q(value, field="contract_id"))

    def filter_champ(self, qs, name, value):
        return qs.filter(selectors.q_fiche_in_champ(value))


class IndicateurFilter(FicheFilter):
    contrat = IdFilter(label="Contrat (identifiant)", field_name="fiche__contract_id", widget=forms.HiddenInput)
    statut = django_filters.ChoiceFilter(label="Statut de la fiche", choices=FicheStatut.choices,
                                         field_name="fiche__statut")

    class Meta:
        model = Indicateur
        fields: list = []

    def filter_q(self, qs, name, value):
        return qs.filter(search_q(value, "libelle_recherche", "fiche__titre_recherche",
                                  "fiche__contract__nom_recherche"))

    def filter_departement(self, qs, name, value):
        if not value:
            return qs
        return qs.filter(in_departements_q(value, field="fiche__contract_id"))

    def filter_champ(self, qs, name, value):
        return qs.filter(selectors.q_fiche_in_champ(value, field="fiche_id"))
