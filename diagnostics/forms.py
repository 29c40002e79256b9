from django import forms
from django.utils import timezone

from cls_portal.core.concurrency import VersionFormMixin
from cls_portal.core.tabular import ImportColumn, normalise_header
from cls_portal.core.tabular import ImportConfirmForm as ImportConfirmBase
from cls_portal.core.validation import PortalForm, PortalModelForm
from cls_portal.territories.models import Organisation

from .enums import Outil, Public, Statut, Theme
from .models import (
    ActeurCartographie,
    Consultation,
    Diagnostic,
    ElementPortrait,
    EtapeRetroplanning,
    Indicateur,
    PolitiqueCroisee,
    Priorite,
    RessourceLocale,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class PreparationForm(VersionFormMixin, forms.ModelForm):
    outils = forms.MultipleChoiceField(label="Outils du diagnostic", choices=Outil.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Diagnostic
        fields = ["perimetre_hypothese", "gouvernance_hypothese", "coordination_hypothese", "actions_existantes",
                  "acteurs_a_associer", "outils", "outils_precisions", "appui_externe", "appui_externe_precisions"]
        widgets = {name: TEXTAREA for name in ["perimetre_hypothese", "gouvernance_hypothese",
                                               "coordination_hypothese", "actions_existantes",
                                               "acteurs_a_associer"]}


class VersionForm(VersionFormMixin):
    """The diagnostic's version, posted with every section formset."""


class IndicateurForm(PortalModelForm):
    class Meta:
        model = Indicateur
        fields = ["theme", "libelle", "valeur", "valeur_departement", "valeur_region", "valeur_france", "unite",
                  "source", "annee"]
        localized_fields = ["valeur", "valeur_departement", "valeur_region", "valeur_france"]
        labels = {"valeur_departement": "Valeur du département", "valeur_region": "Valeur de la région",
                  "valeur_france": "Valeur France entière"}
        help_texts = {"source": "Par exemple INSEE, ORS Normandie, Assurance maladie (SNDS)."}

    def clean_annee(self):
        annee = self.cleaned_data.get("annee")
        this_year = timezone.localdate().year
        if annee is not None and not (1950 <= annee <= this_year + 1):
            raise forms.ValidationError(f"L'année doit être comprise entre 1950 et {this_year + 1}.")
        return annee


class ConsultationForm(PortalModelForm):
    publics = forms.MultipleChoiceField(label="Personnes entendues", choices=Public.choices, required=False,
                                        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Consultation
        fields = ["type", "date", "publics", "nb_participants", "synthese"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), "synthese": TEXTAREA}


class EtapeForm(PortalModelForm):
    class Meta:
        model = EtapeRetroplanning
        fields = ["libelle", "date_debut", "date_fin"]
        widgets = {"date_debut": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "date_fin": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        data = super().clean()
        if data.get("date_fin") and data.get("date_debut") and data["date_fin"] < data["date_debut"]:
            self.add_error("date_fin", "La fin de l'étape ne peut pas précéder son début.")
        return data


def share_organisation_choices(formset) -> None:
    """Evaluate the organisation list once for the whole formset (not one query per row)."""
    forms_ = [*formset.forms, formset.empty_form]
    if not forms_:
        return
    choices = list(forms_[0].fields["organisation"].choices)
    for form in forms_:
        form.fields["organisation"].widget.choices = choices


class OrganisationChoiceMixin:
    """Organisations of the contract's région (`Organisation.objects.in_region`), like every form's list."""

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        if contract is not None and "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.offered(
                contract.ars.region_id, keep=getattr(self.instance, "organisation_id", None))


class RessourceForm(OrganisationChoiceMixin, PortalModelForm):
    class Meta:
        model = RessourceLocale
        fields = ["nom", "organisation", "description"]
        widgets = {"description": TEXTAREA}


class PolitiqueForm(PortalModelForm):
    class Meta:
        model = PolitiqueCroisee
        fields = ["politique", "intitule", "implications"]
        widgets = {"implications": TEXTAREA}


class PortraitForm(PortalModelForm):
    class Meta:
        model = ElementPortrait
        fields = ["theme", "nature", "texte"]
        widgets = {"texte": TEXTAREA}


class ActeurForm(OrganisationChoiceMixin, PortalModelForm):
    class Meta:
        model = ActeurCartographie
        fields = ["organisation", "acteur", "role_potentiel", "apports", "interet_partenaire", "risque"]
        labels = {"organisation": "Acteur/Partenaire (organisation)"}
        widgets = {name: TEXTAREA for name in ["role_potentiel", "apports", "interet_partenaire", "risque"]}

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not (data.get("acteur") or "").strip() and not data.get("DELETE"):
            self.add_error("acteur", "Choisissez une organisation ou saisissez le nom de l'acteur.")
        return data


class PrioriteForm(PortalModelForm):
    class Meta:
        model = Priorite
        fields = ["ordre", "intitule", "type_axe", "action_titre", "justification"]
        widgets = {"justification": TEXTAREA}


def section_formset(model, form, **kwargs):
    return forms.inlineformset_factory(Diagnostic, model, form=form, extra=1, can_delete=True, **kwargs)


class ImportConfirmForm(VersionFormMixin, ImportConfirmBase):
    """Confirmation of an import: the preview's token and the diagnostic's version at preview time."""


class TransitionForm(PortalForm):
    commentaire = forms.CharField(label="Commentaire", required=False, widget=TEXTAREA, max_length=5000,
                                  help_text="Obligatoire pour commenter ou demander des modifications.")


class ListFilterForm(PortalForm):
    describes_page = True  # its values go in the page title (cls_portal/core/page.py)
    statut = forms.ChoiceField(label="Statut du diagnostic", required=False)

    def __init__(self, *args, **kwargs):
        from .selectors import NO_DIAGNOSTIC

        super().__init__(*args, **kwargs)
        self.fields["statut"].choices = [("", "Tous"), *Statut.choices, (NO_DIAGNOSTIC, "Pas encore commencé")]


# --- import of indicator tables -----------------------------------------------------------------

IMPORT_COLUMNS = [
    ImportColumn("theme", "Thème"),
    ImportColumn("libelle", "Libellé", aliases=("indicateur",)),
    ImportColumn("valeur", "Valeur", aliases=("valeur_territoire", "territoire")),
    ImportColumn("valeur_departement", "Département", required=False, aliases=("valeur_departement",)),
    ImportColumn("valeur_region", "Région", required=False, aliases=("valeur_region",)),
    ImportColumn("valeur_france", "France", required=False, aliases=("valeur_france",)),
    ImportColumn("unite", "Unité", required=False),
    ImportColumn("source", "Source", required=False),
    ImportColumn("annee", "Année", required=False),
]

_THEMES = {normalise_header(label): value for value, label in Theme.choices} | {v: v for v in Theme.values}


class IndicateurImportRowForm(IndicateurForm):
    """One imported row: the theme may be written as its label ("Offre de soins") or its code."""

    theme = forms.CharField(label="Thème")

    def clean_theme(self):
        theme = _THEMES.get(normalise_header(self.cleaned_data["theme"]))
        if theme is None:
            labels = ", ".join(label for _, label in Theme.choices)
            raise forms.ValidationError(f"thème inconnu (valeurs possibles : {labels}).")
        return theme
