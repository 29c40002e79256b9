from django import forms
from django.utils import timezone

from cls_portal.core.validation import PortalForm
from cls_portal.territories.models import Departement, Region
from resources.models import Resource

from .enums import ANNUAL_KINDS, KIND_RULES, ReportKind


def _years(first: int) -> list[tuple[int, str]]:
    return [(y, str(y)) for y in range(timezone.localdate().year, first - 1, -1)]


class ReportRequestForm(PortalForm):
    kind = forms.ChoiceField(label="Rapport", choices=ReportKind.choices)
    year = forms.TypedChoiceField(label="Année", coerce=int)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        # the kinds this contract may have now (the final evaluation report in its last phases: KIND_RULES)
        self.fields["kind"].choices = [(k.value, k.label) for k, rule in KIND_RULES.items()
                                       if not rule.phases or contract.phase in rule.phases]
        first = contract.date_signature.year if contract.date_signature else timezone.localdate().year
        self.fields["year"].choices = _years(first)
        self.fields["year"].initial = max(first, timezone.localdate().year - 1)


class ReportResourceForm(PortalForm):
    ressource = forms.ModelChoiceField(label="Changer la ressource suivie", queryset=None, required=False,
                                       empty_label="Aucune",
                                       help_text="Le modèle ou le guide de la bibliothèque régionale que suit ce "
                                                 "rapport.")

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ressource"].queryset = Resource.objects.offered(report.contract.ars.region_id,
                                                                     keep=report.ressource_id)
        self.initial.setdefault("ressource", report.ressource_id)


class ReportPublishForm(PortalForm):
    copil_date = forms.DateField(
        label="Date du COPIL ayant validé le rapport", required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Obligatoire lorsque le coordinateur publie sur décision du COPIL.")
    confirme = forms.BooleanField(
        label="Je confirme la publication : le rapport devient public dans l'annuaire des CLS, consultable par "
              "tous sans compte, et il ne pourra plus être modifié (une correction sera publiée comme nouvelle "
              "version).",
        error_messages={"required": "Cochez la case pour confirmer la publication."})

    def __init__(self, *args, require_copil: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copil_date"].required = require_copil


class CampaignForm(PortalForm):
    year = forms.TypedChoiceField(label="Année", coerce=int)
    kind = forms.ChoiceField(label="Rapports", required=False,
                             choices=[("", "Les deux rapports"), *[(k.value, k.label) for k in ANNUAL_KINDS]])
    region = forms.ModelChoiceField(label="Région", queryset=Region.objects.none(), empty_label=None)
    departement = forms.ModelChoiceField(label="Département (facultatif)", queryset=Departement.objects.none(),
                                         required=False, empty_label="Toute la région")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, this_year - 6, -1)]
        self.fields["year"].initial = this_year - 1
        regions = Region.objects.order_by("nom")
        if not user.is_portal_admin:
            regions = regions.filter(code__in=user.region_codes())
        self.fields["region"].queryset = regions
        self.fields["departement"].queryset = Departement.objects.filter(region__in=regions).order_by("code")

    def clean(self):
        data = super().clean()
        dep, region = data.get("departement"), data.get("region")
        if dep and region and dep.region_id != region.pk:
            self.add_error("departement", "Ce département n'appartient pas à la région choisie.")
        return data
