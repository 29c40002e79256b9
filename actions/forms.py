
from django import forms
from django.core.validators import MinValueValidator
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone

from cls_portal.core.concurrency import VersionFormMixin
from cls_portal.core.fields import BoundedModelMultipleChoiceField, FrenchDecimalField
from cls_portal.core.validation import PortalForm, PortalModelForm
from cls_portal.territories.models import Organisation
from contracts.enums import InstanceType
from contracts.selectors import life_years
from resources.models import Resource

from .enums import Agregation, Avancement, Section
from .models import (
    Axe,
    ChampAction,
    FicheAction,
    Financement,
    Indicateur,
    Jalon,
    LigneBudget,
    PartenaireFiche,
    ValeurPeriode,
)
from .periods import completeness, is_future, period_label, periods_per_year
from .services import CHILDREN, FREQUENCE_LOCKED, REFERENCE_YEAR_MIN, future_period_message, indicator_year_refusals

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _offer_champs(form) -> None:
    """The fields of action offered: those the regional team keeps active, and those already set."""
    kept = [c.pk for c in form.instance.champs.all()] if form.instance.pk else []
    form.fields["champs"].queryset = ChampAction.objects.filter(Q(actif=True) | Q(pk__in=kept))
    form.fields["champs"].required = False
    form.fields["champs"].help_text = ("Les champs d'action de la liste de référence tenue par l'équipe régionale "
                                       "(accès aux soins, santé mentale…).")


class AxeForm(VersionFormMixin, forms.ModelForm):
    priorite = forms.ModelChoiceField(label="Priorité du diagnostic à laquelle l'axe répond", required=False,
                                      queryset=None, empty_label="— Aucune —")

    class Meta:
        model = Axe
        fields = ["titre", "type", "description", "champs"]
        widgets = {"description": TEXTAREA, "champs": forms.CheckboxSelectMultiple}
        help_texts = {"champs": "La liste de référence est tenue par l'équipe régionale de l'ARS."}
        # An id beyond 64 bits is a French refusal, not an OverflowError on SQLite (found by the form fuzzing).
        field_classes = {"champs": BoundedModelMultipleChoiceField}

    def __init__(self, *args, priorites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priorite"].queryset = priorites
        _offer_champs(self)
        self.fields["priorite"].label_from_instance = lambda p: f"{p.intitule} (diagnostic n°{p.diagnostic.numero})"
        if self.instance.pk and hasattr(self.instance, "priorite_diagnostic"):
            self.fields["priorite"].initial = self.instance.priorite_diagnostic.pk
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)


class FicheResourceForm(PortalForm):
    ressource = forms.ModelChoiceField(label="Changer la ressource suivie", queryset=None, required=False,
                                       empty_label="Aucune",
                                       help_text="Une ressource de la bibliothèque de la région ; elle se change sans "
                                                 "avenant, même après la signature.")

    def __init__(self, *args, fiche, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ressource"].queryset = Resource.objects.offered(fiche.contract.ars.region_id,
                                                                     keep=fiche.ressource_id)
        self.initial.setdefault("ressource", fiche.ressource_id)


class JalonRealiseForm(PortalForm):
    date_realisee = forms.DateField(label="Date de réalisation", widget=DATE,
                                    help_text="Le jour où le jalon a été atteint : ni une date future, ni avant le "
                                              "début du contrat.")


class FicheForm(VersionFormMixin, forms.ModelForm):
    axe = forms.ModelChoiceField(label="Axe", queryset=None, empty_label=None)

    class Meta:
        model = FicheAction
        fields = ["axe", "titre", "priorite", "preexistante", "contexte", "objectif_general", "objectifs_specifiques",
                  "objectifs_operationnels", "description", "public_cible", "tout_le_perimetre", "communes",
                  "objectif_prs", "pilote_organisation", "pilote_personne", "pilote_nom", "pilote_email",
                  "copilotes_personnes", "date_debut",
                  "date_fin", "champs", "groupe_travail", "reunions", "ressource"]
        widgets = {
            **{f: TEXTAREA for f in ["contexte", "objectif_general", "objectifs_specifiques",
                                     "objectifs_operationnels", "description", "public_cible"]},
            "communes": forms.CheckboxSelectMultiple, "copilotes_personnes": forms.CheckboxSelectMultiple,
            "champs": forms.CheckboxSelectMultiple, "reunions": forms.CheckboxSelectMultiple,
            "date_debut": DATE, "date_fin": DATE,
        }
        field_classes = {name: BoundedModelMultipleChoiceField
                         for name in ("copilotes_personnes", "champs", "reunions")}

    def __init__(self, *args, contract, axes, pilots, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.fields["axe"].queryset = axes
        self.fields["communes"].queryset = contract.communes.order_by("nom")
        self.fields["pilote_organisation"].queryset = Organisation.objects.offered(
            contract.ars.region_id, keep=self.instance.pilote_organisation_id)
        self.fields["pilote_personne"].queryset = pilots
        self.fields["pilote_personne"].label = "Pilote (compte du portail)"
        self.fields["pilote_nom"].label = "… ou pilote sans compte : prénom et nom"
        self.fields["pilote_email"].label = "Adresse électronique du pilote sans compte (facultatif)"
        self.fields["copilotes_personnes"].queryset = pilots
        self.fields["copilotes_personnes"].required = False
        _offer_champs(self)
        groups = contract.instances.filter(type=InstanceType.GROUPE_TRAVAIL).order_by("nom")
        self.fields["groupe_travail"].queryset = groups
        self.fields["groupe_travail"].required = False
        self.fields["groupe_travail"].help_text = "Les groupes de travail se créent dans la gouvernance du contrat."
        self.fields["reunions"].queryset = (contract.meetings.filter(instance__type=InstanceType.GROUPE_TRAVAIL)
                                            .select_related("instance").order_by("date"))
        self.fields["reunions"].required = False
        self.fields["ressource"].queryset = Resource.objects.offered(contract.ars.region_id,
                                                                    keep=self.instance.ressource_id)
        self.fields["ressource"].required = False
        self.fields["ressource"].empty_label = "Aucune"
        self.fields["ressource"].help_text = ("Le guide, la fiche pratique ou le modèle de la bibliothèque régionale "
                                              "que suit cette fiche (facultatif).")
        self.fields["reunions"].label = "Réunions des groupes de travail où la fiche a été travaillée"

    def clean(self):
        data = super().clean()
        if data.get("date_debut") and data.get("date_fin") and data["date_fin"] < data["date_debut"]:
            self.add_error("date_fin", "La date de fin doit suivre la date de début.")
        if not data.get("tout_le_perimetre") and not data.get("communes"):
            self.add_error("communes", "Cochez les communes concernées, ou « sur tout le périmètre du contrat ».")
        pilote = data.get("pilote_personne")
        if pilote and (data.get("pilote_nom") or "").strip():
            self.add_error("pilote_nom", "Le pilote a déjà un compte : laissez ce nom vide, ou retirez le compte.")
        if (data.get("pilote_email") or "").strip() and not (data.get("pilote_nom") or "").strip():
            self.add_error("pilote_nom", "Indiquez le nom du pilote dont vous donnez l'adresse.")
        if pilote and pilote in (data.get("copilotes_personnes") or []):
            self.add_error("copilotes_personnes", "Le pilote ne peut pas être aussi co-pilote.")
        return data

    @property
    def pilot_warning(self) -> str:
        from .services import pilot_is_coordinator

        if hasattr(self, "cleaned_data"):
            pilote = self.cleaned_data.get("pilote_personne")
        else:
            pilote = self.instance.pilote_personne
        if pilot_is_coordinator(self.contract, pilote):
            return ("Le pilote choisi est le coordinateur du contrat. Le guide recommande de confier le pilotage "
                    "à un expert du thème plutôt qu'au coordinateur : vérifiez si un partenaire peut le porter.")
        return ""


class _RowForm(PortalModelForm):
    """A row of the sheet's tables. Amounts are never negative; a year is one of the contract's life
    (`contract` given by the formset); each refusal is shown next to its cell."""

    def __init__(self, *args, contract=None, **kwargs):
        self.contract = contract
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.startswith("montant") or name == "financement":
                field.validators.append(MinValueValidator(0, "Un montant ne peut pas être négatif."))
        if contract is not None and "annee" in self.fields:
            first, last = life_years(contract)
            self.fields["annee"].validators.append(_YearOfContract(first, last))
            self.fields["annee"].widget.attrs.update(min=first, max=last)


class _YearOfContract:
    def __init__(self, first, last):
        self.first, self.last = first, last

    def __call__(self, value):
        if value is not None and not self.first <= value <= self.last:
            raise forms.ValidationError(f"Choisissez une année du contrat, de {self.first} à {self.last}.",
                                        code="year_of_contract")


class _OrgForm(_RowForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "organisation" in self.fields:
            orgs = Organisation.objects.order_by("nom")
            if self.contract is not None:  # the organisations of the contract's région only
                orgs = Organisation.objects.offered(self.contract.ars.region_id,
                                                    keep=getattr(self.instance, "organisation_id", None))
            self.fields["organisation"].queryset = orgs


class _IndicateurForm(_RowForm):
    """An indicator row. Its frequency is kept once values per period are entered (`FREQUENCE_LOCKED`); a rate
    (unit in %) of a sub-annual indicator is not summed over its periods."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agregation"].required = False  # only read for a sub-annual indicator
        if self.contract is not None:
            first, last = life_years(self.contract)
            self.fields["annee_cible"].widget.attrs.update(min=first, max=last)
            self.fields["annee_reference"].widget.attrs.update(min=REFERENCE_YEAR_MIN, max=last)

    def clean_agregation(self):
        return self.cleaned_data.get("agregation") or Agregation.SOMME

    def clean(self):
        data = super().clean()
        stored = data.get("id") or (self.instance if self.instance.pk else None)
        if stored is not None and not data.get("DELETE") and data.get("frequence"):
            stored = Indicateur.objects.get(pk=stored.pk)  # as saved (the form changes the instance in place)
            annees = sorted(set(ValeurPeriode.objects.filter(indicateur=stored).values_list("annee", flat=True)))
            if annees and stored.frequence != data["frequence"]:
                self.add_error("frequence", FREQUENCE_LOCKED.format(libelle=stored.libelle,
                                                                    annees=", ".join(map(str, annees))))
        if self.contract is not None and not data.get("DELETE"):
            # Only a year typed now is checked: a row saved before the rule (or imported) stays as it is until
            # someone changes that year.
            typed = {name: data.get(name) for name in ("annee_reference", "annee_cible")}
            for name, message in indicator_year_refusals(self.contract, **typed).items():
                if name in self.changed_data or (name == "annee_cible" and "annee_reference" in self.changed_data):
                    self.add_error(name, message)
        if (periods_per_year(data.get("frequence")) and data.get("agregation") == Agregation.SOMME
                and "%" in (data.get("unite") or "")):
            self.add_error("agregation", "Un pourcentage ne s'additionne pas d'une période à l'autre : choisissez "
                                         "« dernière période renseignée » ou « moyenne des périodes ».")
        return data


class _RowFormSet(BaseInlineFormSet):
    """A tampered row id (another sheet's line, a number that is no line) is said in French, on the row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "id" in form.fields:
            form.fields["id"].error_messages["invalid_choice"] = (
                "Cette ligne n'existe plus ou n'appartient pas à cette fiche : rechargez la page puis recommencez.")


def _fs(model, name, **kwargs):
    # A copy of the field list: inlineformset_factory appends the foreign key to the list it is given.
    kwargs.setdefault("form", _RowForm)
    return inlineformset_factory(FicheAction, model, formset=_RowFormSet, fields=list(CHILDREN[name][1]), extra=1,
                                 can_delete=True, **kwargs)


SHORT_TEXTAREA = forms.Textarea(attrs={"rows": 2})
PartenaireFormSet = _fs(PartenaireFiche, "partenaires", form=_OrgForm,
                        widgets={"moyens_droit_commun": SHORT_TEXTAREA, "ingenierie": SHORT_TEXTAREA},
                        help_texts={"moyens_droit_commun": "Personnels, locaux, dispositifs que le partenaire "
                                                           "mobilise sans financement spécifique.",
                                    "financement": "En euros, sur la durée de l'action.",
                                    "ingenierie": "Appui méthodologique, expertise, animation."})
JalonFormSet = _fs(Jalon, "jalons", widgets={"date_prevue": DATE, "date_realisee": DATE})
LigneBudgetFormSet = _fs(LigneBudget, "lignes_budget")
FinancementFormSet = _fs(Financement, "financements", form=_OrgForm)
IndicateurFormSet = _fs(Indicateur, "indicateurs", form=_IndicateurForm)

FORMSETS = [
    ("partenaires", "Partenaires et leurs engagements", PartenaireFormSet, "grid"),
    ("jalons", "Calendrier : jalons", JalonFormSet, "table"),
    ("lignes_budget", "Budget prévisionnel par année", LigneBudgetFormSet, "table"),
    ("financements", "Financements par année et par financeur", FinancementFormSet, "table"),
    ("indicateurs", "Indicateurs d'évaluation", IndicateurFormSet, "grid"),
]


def build_formsets(data=None, instance=None, contract=None) -> list[dict]:
    instance = instance or FicheAction()
    out = []
    for name, title, cls, layout in FORMSETS:
        kwargs = {}
        if name == "partenaires" and instance.pk:  # the rows' legends name the organisation
            kwargs["queryset"] = PartenaireFiche.objects.filter(fiche=instance).select_related("organisation")
        out.append({"name": name, "title": title, "layout": layout, **GRID_NOUNS.get(name, {}),
                    "formset": cls(data, instance=instance, prefix=name, form_kwargs={"contract": contract},
                                   **kwargs)})
    return out


GRID_NOUNS = {
    "partenaires": {"new": "Nouveau partenaire", "add": "Ajouter un partenaire"},
    "indicateurs": {"new": "Nouvel indicateur", "add": "Ajouter un indicateur"},
}


def formset_rows(formset) -> list[dict]:
    """Cleaned rows worth saving: changed forms and deletions (empty extra forms are skipped)."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.cleaned_data.get("id"):
            continue
        rows.append(form.cleaned_data)
    return rows


class TransitionForm(PortalForm):
    commentaire = forms.CharField(label="Commentaire", required=False, widget=TEXTAREA)

    def __init__(self, *args, transition, with_sections=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        if transition.needs_comment:
            self.fields["commentaire"].label = "Commentaire (obligatoire)"
            if transition.name == "abandonner":
                self.fields["commentaire"].label = "Motif de l'abandon (obligatoire)"
            elif transition.name == "reporter":
                self.fields["commentaire"].label = "Motif du report (obligatoire)"
        self.section_names = []
        if with_sections:
            for value, label in Section.choices:
                if value == Section.GENERAL:
                    continue
                self.fields[f"section_{value}"] = forms.CharField(
                    label=f"Commentaire sur « {label} »", required=False, widget=forms.Textarea(attrs={"rows": 2}))
                self.section_names.append(f"section_{value}")

    def sections(self) -> dict:
        return {name.removeprefix("section_"): self.cleaned_data.get(name, "") for name in self.section_names}


class CommentaireForm(PortalForm):
    """A message in the review conversation (fiche detail page, outside a transition)."""
    section = forms.ChoiceField(label="Section concernée", choices=Section.choices, required=False)
    commentaire = forms.CharField(label="Commentaire", widget=TEXTAREA)

    def clean_section(self):
        return self.cleaned_data.get("section") or Section.GENERAL


def _indicator_value_field(*, label: str, help_text: str = "") -> FrenchDecimalField:
    """An indicator's value typed the French way (`12 345,5`, `12345.5`; no exponent), shown back as the portal
    writes it (`100 000`), within what `ValeurIndicateur.valeur` holds (12 digits, 2 decimals). The fields are
    added after the form's `__init__`: they must be the portal's own number field, the input rules applied in
    `__init__` do not reach them."""
    return FrenchDecimalField(label=label, required=False, max_digits=12, places=2, readable=True,
                              help_text=help_text)


class SuiviForm(VersionFormMixin):
    """The year's follow-up; `version` is the follow-up row's (0: none yet when the page was opened).

    An indicator taking one value a year has one field; a semestrial, quarterly or monthly one has a field per
    period of the year (« 2e trimestre 2025 »), a period not begun refused next to its field."""

    avancement = forms.ChoiceField(label="État d'avancement", choices=Avancement.choices)
    realise = forms.CharField(label="Ce qui a été réalisé", required=False, widget=TEXTAREA)
    difficultes = forms.CharField(label="Difficultés rencontrées", required=False, widget=TEXTAREA)
    perspectives = forms.CharField(label="Perspectives pour l'année suivante", required=False, widget=TEXTAREA)

    def __init__(self, *args, indicateurs=(), annee=None, today=None, year_values=None, avancement_hint="",
                 **kwargs):
        """`avancement_hint`: where the proposed progress of a follow-up not yet saved comes from."""
        super().__init__(*args, **kwargs)
        if avancement_hint:
            self.fields["avancement"].help_text = avancement_hint
        year_values = year_values or {}
        self.annee, self.today = annee, today or timezone.localdate()
        self.indicateur_fields = []
        for ind in indicateurs:
            unit = f" ({ind.unite})" if ind.unite else ""
            cname = f"commentaire_{ind.pk}"
            self.fields[cname] = forms.CharField(label=f"{ind.libelle} : commentaire", required=False,
                                                 max_length=2000)
            figure = year_values.get(ind.pk)
            row = {"ind": ind, "commentaire": self[cname], "valeur": None, "periodes": [], "figure": figure,
                   "completude": completeness(figure.periodes_renseignees, ind.frequence) if figure else ""}
            n_max = periods_per_year(ind.frequence)
            if n_max:
                for n in range(1, n_max + 1):
                    name = f"periode_{ind.pk}_{n}"
                    future = is_future(ind.frequence, annee, n, self.today)
                    self.fields[name] = _indicator_value_field(
                        label=f"{period_label(ind.frequence, annee, n)}{unit}",
                        help_text="Période à venir" if future else "")
                    row["periodes"].append(self[name])
            else:
                vname = f"valeur_{ind.pk}"
                self.fields[vname] = _indicator_value_field(label=f"{ind.libelle} : valeur {annee}{unit}")
                row["valeur"] = self[vname]
            self.indicateur_fields.append(row)

    def clean(self):
        data = super().clean()
        for row in self.indicateur_fields:
            ind = row["ind"]
            for n in range(1, periods_per_year(ind.frequence) + 1):
                name = f"periode_{ind.pk}_{n}"
                if data.get(name) is not None and is_future(ind.frequence, self.annee, n, self.today):
                    self.add_error(name, future_period_message(period_label(ind.frequence, self.annee, n)))
        return data

    def valeurs(self) -> dict:
        out = {}
        for row in self.indicateur_fields:
            ind = row["ind"]
            out[ind.pk] = {"commentaire": self.cleaned_data.get(f"commentaire_{ind.pk}", "")}
            if row["periodes"]:
                out[ind.pk]["periodes"] = {n: self.cleaned_data.get(f"periode_{ind.pk}_{n}")
                                           for n in range(1, len(row["periodes"]) + 1)}
            else:
                out[ind.pk]["valeur"] = self.cleaned_data.get(f"valeur_{ind.pk}")
        return out


class SignedPlanForm(PortalForm):
    """The coordinator's word that the drafts of a contract signed before it came into the portal are the plan
    signed with it (`services.plan_record_signed`): a box to tick, never ticked for them."""
    confirme = forms.BooleanField(required=True)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, auto_id="id_plan_signe_%s", **kwargs)
        signed = f"{contract.date_signature:%d/%m/%Y}"
        field = self.fields["confirme"]
        field.label = f"Ces fiches sont celles du plan signé le {signed}"
        field.error_messages["required"] = (f"Cochez la case pour confirmer que ces fiches sont celles du plan "
                                            f"signé le {signed} : sans cette confirmation, rien n'est enregistré.")


class MoveForm(PortalForm):
    direction = forms.ChoiceField(choices=[("up", "Monter"), ("down", "Descendre")])
