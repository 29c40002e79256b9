"""Forms of the funding pages. Business rules live in `funding.rules` / `funding.services`; the request
form runs the pure validation in `clean()` so every refusal appears next to its field at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone

from cls_portal.core.concurrency import VersionFormMixin
from cls_portal.core.errors import DomainError
from cls_portal.core.fields import FrenchDecimalField
from cls_portal.core.validation import PortalForm

from . import rules
from .enums import Statut


def money(label, *, required=True, help_text=""):
    return FrenchDecimalField(label=f"{label} (€)", required=required, help_text=help_text)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_between(field, earliest: dt.date | None, what: str) -> None:
    """Say under the label which days a date may take (the service refuses the others), and limit the
    browser's date picker to them."""
    today = timezone.localdate()
    field.help_text = (f"Entre le {earliest:%d/%m/%Y} ({what}) et aujourd'hui." if earliest and earliest <= today
                       else "Aujourd'hui au plus tard.")
    field.widget.attrs["max"] = today.isoformat()
    if earliest:
        field.widget.attrs["min"] = earliest.isoformat()


class AnneeForm(VersionFormMixin):
    """Request of one year. `rule_lookup(year)` returns the rule in force or raises the `DomainError` that
    refuses the year (see `funding.selectors.request_rule`)."""

    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    etp = FrenchDecimalField(label="Temps de travail du coordinateur (ETP)", help_text="1 pour un temps plein, "
                             "0,5 pour un mi-temps.")
    mois_pourvus = forms.IntegerField(label="Mois pendant lesquels le poste est pourvu", min_value=0, max_value=12,
                                      help_text="12 si le poste est pourvu toute l'année ; une vacance réduit le "
                                                "plafond.")
    cout_salaire = money("Salaire brut annuel")
    cout_charges = money("Charges patronales")
    cout_fonctionnement = money("Frais de fonctionnement du poste", help_text="Déplacements, formation, "
                                "matériel…")
    demande_ars = money("Montant demandé à l'ARS")
    demande_collectivite = money("Part de la collectivité", help_text="Au moins égale à la part de l'ARS.")
    demande_autres = money("Part des autres partenaires", required=False)
    autres_partenaires = forms.CharField(label="Autres partenaires", required=False, max_length=255,
                                         help_text="Par exemple : CPAM, conseil départemental.")
    commentaire = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, rule_lookup, fixed_year: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_lookup = rule_lookup
        if fixed_year is not None:
            del self.fields["annee"]
            self.fixed_year = fixed_year

    def clean_demande_autres(self):
        return self.cleaned_data.get("demande_autres") or Decimal("0")

    def clean(self):
        data = super().clean()
        year = data.get("annee", getattr(self, "fixed_year", None))
        keys = ["etp", "mois_pourvus", "cout_salaire", "cout_charges", "cout_fonctionnement", "demande_ars",
                "demande_collectivite", "demande_autres"]
        if year is None or any(data.get(k) is None for k in keys):
            return data
        try:
            regle = self.rule_lookup(year)
        except DomainError as err:  # a year outside the contract's life or before the région's first rule
            self.add_error("annee" if "annee" in self.fields else None, err.message)
            return data
        for refus in rules.validate_demande(regle, etp=data["etp"], mois=data["mois_pourvus"],
                                            **{k: data[k] for k in keys[2:]}):
            self.add_error(refus.field, refus.message)
        return data


class VersionOnlyForm(VersionFormMixin):
    pass


class DecisionForm(VersionFormMixin):
    montant_accorde = money("Montant accordé par l'ARS")
    date_decision = forms.DateField(label="Date de la décision", widget=DateInput())
    document = forms.FileField(label="Décision signée", help_text="Fichier PDF.",
                               validators=[FileExtensionValidator(["pdf"], "La décision doit être un fichier PDF.")])
    motif = forms.CharField(label="Motivation", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text="Obligatoire pour une décision qui en remplace une autre.")

    def __init__(self, *args, remplace: bool = False, annee: int, deposee: dt.date | None, **kwargs):
        """`annee`: the year decided; `deposee`: the day its request was filed (`selectors.request_filed_on`)."""
        super().__init__(*args, **kwargs)
        self.remplace, self.annee, self.deposee = remplace, annee, deposee
        _date_between(self.fields["date_decision"], deposee, "jour de la demande")

    def clean_date_decision(self):
        value = self.cleaned_data["date_decision"]
        refus = rules.refus_date_decision(value, annee=self.annee, deposee=self.deposee, today=timezone.localdate())
        if refus:
            raise forms.ValidationError(refus, code="date_decision")
        return value

    def clean(self):
        data = super().clean()
        if self.remplace and not (data.get("motif") or "").strip():
            self.add_error("motif", "Expliquez pourquoi cette décision remplace la précédente.")
        return data


class VersementForm(PortalForm):
    date = forms.DateField(label="Date du versement", widget=DateInput())
    montant = money("Montant versé")
    reference = forms.CharField(label="Référence (mandat, titre)", required=False, max_length=120)

    def __init__(self, *args, decision: dt.date | None, **kwargs):
        """`decision`: the date of the year's first decision (`selectors.first_decision_date`)."""
        super().__init__(*args, **kwargs)
        self.decision = decision
        _date_between(self.fields["date"], decision, "date de la décision")

    def clean_date(self):
        value = self.cleaned_data["date"]
        refus = rules.refus_date_versement(value, decision=self.decision, today=timezone.localdate())
        if refus:
            raise forms.ValidationError(refus, code="date_versement")
        return value


class BilanForm(VersionFormMixin):
    etp_reel = FrenchDecimalField(label="Temps de travail réel (ETP)")
    mois_pourvus_reels = forms.IntegerField(label="Mois réellement pourvus", min_value=0, max_value=12)
    cout_reel = money("Coût réel du poste", help_text="Salaire, charges et fonctionnement réellement payés.")
    part_collectivite_reelle = money("Part réellement payée par la collectivité")
    part_autres_reelle = money("Part réellement payée par les autres partenaires", required=False)
    commentaire = forms.CharField(label="Commentaire", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_part_autres_reelle(self):
        return self.cleaned_data.get("part_autres_reelle") or Decimal("0")


class DialogueForm(PortalForm):
    annee = forms.IntegerField(label="Année", min_value=2000, max_value=2100)
    date = forms.DateField(label="Date de la rencontre", widget=DateInput())
    participants = forms.CharField(label="Participants", widget=forms.Textarea(attrs={"rows": 2}))
    conclusions = forms.CharField(label="Conclusions", widget=forms.Textarea(attrs={"rows": 4}))
    montant_convenu = money("Montant ARS convenu pour l'année suivante", required=False)


def _rule_latest_start():
    from .services import RULE_YEARS_AHEAD

    return dt.date(timezone.localdate().year + RULE_YEARS_AHEAD, 12, 31)


ETP_RANGE = "Le temps de travail minimum doit être compris entre 0 et 1 ETP."


class RegleForm(PortalForm):
    date_windows = {"valid_from": (dt.date(2000, 1, 1), _rule_latest_start)}

    region = forms.ChoiceField(label="Région")
    valid_from = forms.DateField(label="En vigueur à partir du", widget=DateInput(),
                                 help_text="Les années passées gardent la règle alors en vigueur.")
    taux_pourcent = FrenchDecimalField(label="Taux de cofinancement ARS (%)", min_value=Decimal("0.01"))
    plafond_annuel = money("Plafond annuel")
    cout_reference = money("Coût de référence d'un poste à temps plein")
    etp_minimum = FrenchDecimalField(label="Temps de travail minimum du coordinateur (ETP)", required=False,
                                     help_text="0,5 pour exiger au moins un mi-temps ; vide ou 0 : aucun minimum.")
    part_egale = forms.BooleanField(label="La collectivité cofinance au moins à part égale", required=False,
                                    initial=True)
    commentaire = forms.CharField(label="Motif ou référence (délibération, instruction)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.nom) for r in regions]

    def clean_taux_pourcent(self):
        value = self.cleaned_data["taux_pourcent"]
        if value is not None and value > 100:
            raise forms.ValidationError("Le taux ne peut pas dépasser 100 %.")
        return value

    def clean_etp_minimum(self):
        # The service's bound (`services.regle_create`), said here too so that it comes with the other refusals.
        value = self.cleaned_data.get("etp_minimum") or Decimal("0")
        if not Decimal("0") <= value <= Decimal("1"):
            raise forms.ValidationError(ETP_RANGE)
        return value


STATUT_FILTER = [("", "Tous les états"), ("a_traiter", "À instruire ou à décider"), *Statut.choices]


class FundingFilterForm(PortalForm):
    describes_page = True  # its values go in the page title (cls_portal/core/page.py)
    annee = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)
    statut = forms.ChoiceField(label="État", choices=STATUT_FILTER, required=False)
    departement = forms.ChoiceField(label="Département", required=False)

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = [("", "Tous les départements")] + [
            (d.code, f"{d.code} — {d.nom}") for d in departements]




class EngagementForm(PortalForm):
    """The ARS's planned amount for each year of the contract (empty: no commitment for that year)."""

    def __init__(self, *args, years=(), current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for year in years:
            name = f"annee_{year}"
            self.fields[name] = FrenchDecimalField(label=f"Montant ARS prévu pour {year} (€)", required=False,
                                                   min_value=Decimal("0"))
            if year in current:
                self.initial.setdefault(name, current[year])

    def montants(self) -> dict[int, Decimal | None]:
        return {int(name.removeprefix("annee_")): value for name, value in self.cleaned_data.items()}
