import re

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import format_html

from cls_portal.accounts.models import Role
from cls_portal.core.concurrency import VersionFormMixin
from cls_portal.core.errors import DomainError
from cls_portal.core.fields import BoundedModelMultipleChoiceField
from cls_portal.core.validation import DATE_MIN, PortalForm, PortalModelForm
from cls_portal.territories.models import COLLECTIVITE_TYPES, EPCI, Commune, Departement, Organisation

from . import dates
from .enums import DocumentType, InstanceType, Phase, SignatoryRole
from .models import QPV, Contract, Instance, Meeting, Step
from .selectors import referent_candidates, territory_for_code
from .services import FUTURE_AVENANT, FUTURE_DOCUMENT, FUTURE_SIGNATURE, check_not_future
from .steps import DEFAULT_PLAN_MONTHS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ContractIdentityForm(VersionFormMixin, forms.ModelForm):
    class Meta:
        model = Contract
        # No signature date: the délégation sets it when it validates the signature (DecisionForm).
        # No référent either: the ARS names him (ReferentForm).
        fields = ["nom", "prs", "rural", "qpv", "nb_qpv", "clsm", "date_debut_prealable",
                  "date_lettre_intention", "engagement_confirme", "duree_annees"]
        widgets = {"date_debut_prealable": DATE, "date_lettre_intention": DATE}
        help_texts = {"duree_annees": "De 3 à 5 ans ; la date de fin est calculée à partir de la date de signature, "
                                      "renseignée par la délégation quand elle valide la signature."}

    qpvs = BoundedModelMultipleChoiceField(
        label="Quartiers prioritaires couverts (QPV)", required=False, queryset=QPV.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Les QPV du référentiel régional (tenu par l'équipe régionale). Quand des QPV sont cochés, "
                  "« couvre des QPV » et leur nombre en découlent.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contract = self.instance
        self.fields["qpvs"].queryset = QPV.objects.filter(departement__region_id=contract.ars.region_id).order_by(
            "departement_id", "nom")
        if contract.pk:
            self.initial.setdefault("qpvs", [q.pk for q in contract.qpvs.all()])
        self.fields["duree_annees"].widget.attrs.update(min=3, max=5)
        _max_today(self.fields["date_lettre_intention"])  # the service says why (`dates.check_letter_date`)
        self.initial.setdefault("version", contract.version)

    def clean_duree_annees(self):
        value = self.cleaned_data["duree_annees"]
        if not 3 <= value <= 5:
            raise forms.ValidationError("La durée d'un CLS est de 3 à 5 ans.")
        return value


class ReferentForm(VersionFormMixin):
    referent = forms.ModelChoiceField(
        label="Référent ARS", required=False, queryset=None, empty_label="— À désigner —",
        help_text="Les agents de la délégation départementale des départements du contrat. Il reçoit les dossiers "
                  "soumis à la revue de l'ARS (diagnostic, fiches actions, rapports).")

    def __init__(self, *args, contract, proposed=None, **kwargs):
        """`proposed`: a candidate's id to preselect (the people page's « Désigner comme référent »), if he is one."""
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referent_candidates(contract)
        if proposed and str(proposed).isdigit() and self.fields["referent"].queryset.filter(pk=proposed).exists():
            self.initial.setdefault("referent", int(proposed))
        self.initial.setdefault("referent", contract.referent_id)
        self.initial.setdefault("version", contract.version)


class PerimeterEpciForm(VersionFormMixin):
    epci = forms.ModelChoiceField(label="EPCI", queryset=EPCI.objects.none(),
                                  help_text="Toutes les communes membres de l'EPCI remplacent le périmètre actuel.")

    def __init__(self, *args, region_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["epci"].queryset = EPCI.objects.filter(communes__region_id__in=region_codes).distinct()


class PerimeterCommunesForm(VersionFormMixin):
    garder = forms.MultipleChoiceField(label="Communes conservées", required=False,
                                       widget=forms.CheckboxSelectMultiple,
                                       help_text="Décochez une commune pour la retirer du périmètre.")
    ajouter = forms.CharField(label="Communes à ajouter (codes INSEE)", required=False,
                              help_text="Codes INSEE à 5 caractères séparés par des espaces ou des virgules, "
                                        "par exemple 14047 14118.")

    def __init__(self, *args, communes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["garder"].choices = [(c.code, f"{c.nom} ({c.code}) — {c.population} hab.") for c in communes]
        self.fields["garder"].initial = [c.code for c in communes]

    def clean_ajouter(self):
        codes = [c.upper() for c in re.split(r"[\s,;]+", self.cleaned_data["ajouter"]) if c]
        bad = [c for c in codes if not re.fullmatch(r"[0-9][0-9AB][0-9]{3}", c)]
        if bad:
            raise forms.ValidationError("Codes INSEE non valides : " + ", ".join(bad) + ".")
        return codes


class _LifecycleErrors:
    """A form of the contract's lifecycle box."""

    @property
    def refusals(self) -> list:
        """Its errors that belong to no field drawn (the prerequisites' reasons, the phase, the decision given by
        the button pressed): drawn above the button, the others next to their field."""
        return [*self.non_field_errors(), *(e for f in self.hidden_fields() for e in f.errors)]


class CommentForm(_LifecycleErrors, PortalForm):
    comment = forms.CharField(label="Commentaire", required=False, widget=TEXTAREA, max_length=4000)


def _today():
    from django.utils import timezone

    return timezone.localdate()


def _not_after_today(value, message):
    """A day that has already come; otherwise `message` (the service's, which checks it again)."""
    try:
        return check_not_future(value, message=message, today=_today())
    except DomainError as err:
        raise forms.ValidationError(err.message) from None


def _max_today(field):
    # The date picker offers no day after today (the window of the input rules stops at 2100).
    field.widget.attrs["max"] = _today().isoformat()


SIGNATURE_DATE_HINT = "Laissez vide pour reprendre la date du contrat signé déposé (à défaut : aujourd'hui)."


class _SignatureDateMixin(_LifecycleErrors):
    """The signature date the délégation may give when a phase change signs the contract; the field is there
    only for the signature (`signing`)."""

    def _signature_date(self, signing: bool):
        if signing:
            self.fields["date_signature"].help_text = SIGNATURE_DATE_HINT
        else:
            del self.fields["date_signature"]


class DecisionForm(_SignatureDateMixin, PortalForm):
    """The délégation's decision on a pending proposal (`signing`: the proposal is the signature)."""

    # Given by the button pressed (« Valider la proposition », « Refuser la proposition »), never drawn as a field.
    decision = forms.ChoiceField(label="Décision", choices=[("valider", "Valider"), ("refuser", "Refuser")],
                                 widget=forms.HiddenInput, error_messages={
                                     "required": "Choisissez de valider ou de refuser la proposition.",
                                     "invalid_choice": "Choisissez de valider ou de refuser la proposition."})
    comment = forms.CharField(label="Commentaire (obligatoire en cas de refus)", required=False,
                              widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    date_signature = forms.DateField(label="Date de signature du contrat", required=False, widget=DATE)
    date_windows = {"date_signature": (DATE_MIN, _today)}

    def __init__(self, *args, signing: bool = False, **kwargs):
        kwargs.setdefault("auto_id", "decision-%s")
        super().__init__(*args, **kwargs)
        self._signature_date(signing)


class FireForm(_SignatureDateMixin, CommentForm):
    """A phase change done at once: the comment, and for the signature its date (the délégation signs a contract
    without coordinator itself, as it validates a proposal)."""

    date_signature = forms.DateField(label="Date de signature du contrat", required=False, widget=DATE)
    date_windows = {"date_signature": (DATE_MIN, _today)}

    def __init__(self, *args, signing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self._signature_date(signing)


def transition_form(transition, *, mode: str, unproposed: bool, delegation: bool, data=None):
    """The form of a next phase change in the contract's lifecycle box, bound to `data` when it was posted: a
    proposal's comment for the délégation (`mode` "propose"), or a phase change done at once, with the signature
    date when the délégation signs a contract without coordinator. Its comment says who reads it."""
    auto_id = f"cycle-{transition.name}-%s"
    if mode == "propose":
        form = CommentForm(data, auto_id=auto_id)
        label = "Commentaire pour la délégation"
    else:
        form = FireForm(data, auto_id=auto_id, signing=transition.name == "signer")
        label = ("Commentaire (facultatif, gardé dans l'historique du contrat)" if unproposed else
                 "Commentaire (motif, obligatoire avant la dernière année)" if delegation else "Commentaire")
    form.fields["comment"].label = label
    form.fields["comment"].widget.attrs["rows"] = 2
    return form


class DocumentForm(PortalForm):
    type = forms.ChoiceField(label="Type de document", choices=DocumentType.choices)
    titre = forms.CharField(label="Titre", max_length=255)
    date_document = forms.DateField(label="Date du document", required=False, widget=DATE)
    fichier = forms.FileField(label="Fichier", help_text="PDF, ODT, DOCX, XLSX, PNG ou JPEG ; 20 Mo au plus.")

    def __init__(self, *args, supersedes=None, **kwargs):
        super().__init__(*args, **kwargs)
        _max_today(self.fields["date_document"])
        if supersedes is not None:
            self.fields["type"].required = False
            self.fields["type"].widget = forms.HiddenInput()
            self.initial.setdefault("titre", supersedes.titre)

    def clean_date_document(self):
        return _not_after_today(self.cleaned_data["date_document"], FUTURE_DOCUMENT)


def region_organisations(contract):
    """The organisations a form of `contract` offers: those of its région only."""
    return Organisation.objects.offered(contract.ars.region_id)


class SignatoryForm(PortalForm):
    organisation = forms.ModelChoiceField(label="Organisation", queryset=Organisation.objects.none())
    role = forms.ChoiceField(label="Rôle", choices=SignatoryRole.choices)
    representant = forms.CharField(label="Représentée par", required=False, max_length=200)
    date_signature = forms.DateField(label="Date de signature", required=False, widget=DATE)
    moyens_droit_commun = forms.CharField(label="Moyens de droit commun mobilisés", required=False, widget=TEXTAREA)
    financement = forms.CharField(label="Financement des actions", required=False, widget=TEXTAREA)
    ingenierie = forms.CharField(label="Ingénierie apportée", required=False, widget=TEXTAREA)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = region_organisations(contract)
        self.fields["organisation"].help_text = format_html(
            "Signataires obligatoires : la collectivité porteuse ({}), l'ARS du contrat ({}) et une préfecture. "
            "Une organisation manque à la liste (la préfecture, un partenaire) : "
            '<a href="{}">créez-la dans les organisations partenaires</a>, puis revenez à ce formulaire.',
            contract.collectivite, contract.ars, reverse("contracts:organisation_create"))
        _max_today(self.fields["date_signature"])

    def clean_date_signature(self):
        return _not_after_today(self.cleaned_data["date_signature"], FUTURE_SIGNATURE)


class EvaluationMethodForm(VersionFormMixin):
    evaluation_questions = forms.CharField(
        label="Questions évaluatives", required=False, widget=TEXTAREA,
        help_text="Ce que l'évaluation finale doit établir (une question par ligne).")
    evaluation_evaluateurs = forms.CharField(
        label="Qui évalue", required=False, widget=TEXTAREA,
        help_text="Comité de pilotage, évaluateur externe, ORS… et qui supervise.")
    evaluation_calendrier = forms.CharField(label="Calendrier de l'évaluation", required=False, widget=TEXTAREA,
                                            help_text="Les grandes dates, la dernière année du contrat.")


class RecruitmentForm(VersionFormMixin):
    recrutement_avis_ars = forms.CharField(
        label="Avis de l'ARS sur le recrutement", required=False, widget=TEXTAREA,
        help_text="La délégation participe au recrutement du coordinateur : son avis sur la fiche de poste et "
                  "sur la candidature retenue.")
    recrutement_prise_de_poste = forms.DateField(label="Prise de poste du coordinateur", required=False,
                                                 widget=DATE)


class PrealableForm(VersionFormMixin):
    specificites_locales = forms.CharField(label="Spécificités locales", required=False, widget=TEXTAREA,
                                           help_text="Ce qui caractérise le territoire et sa population.")
    dispositifs_existants = forms.CharField(
        label="Dispositifs déjà en place", required=False, widget=TEXTAREA,
        help_text="CLSM, contrat de ville, CPTS, maisons de santé… et ce qu'ils couvrent.")
    benefices_attendus = forms.CharField(label="Bénéfices attendus du CLS", required=False, widget=TEXTAREA,
                                         help_text="Identifiés avec la délégation départementale.")


class SignatoryCommitmentsForm(PortalForm):
    moyens_droit_commun = forms.CharField(label="Moyens de droit commun mobilisés", required=False, widget=TEXTAREA,
                                          help_text="Services, dispositifs et personnels que le partenaire mobilise.")
    financement = forms.CharField(label="Financement des actions", required=False, widget=TEXTAREA,
                                  help_text="Actions ou montants que le partenaire finance.")
    ingenierie = forms.CharField(label="Ingénierie apportée", required=False, widget=TEXTAREA,
                                 help_text="Appui méthodologique, données, animation, évaluation…")


class StepForm(VersionFormMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)

    class Meta:
        model = Step
        fields = ["titre", "objectif", "description", "acteurs", "date_debut_prevue", "date_prevue",
                  "date_realisee", "statut"]
        widgets = {"objectif": TEXTAREA, "description": TEXTAREA, "acteurs": TEXTAREA, "date_debut_prevue": DATE,
                   "date_prevue": DATE, "date_realisee": DATE}


class InstanceForm(PortalModelForm):
    class Meta:
        model = Instance
        fields = ["type", "nom", "mission"]
        widgets = {"mission": TEXTAREA}


class MemberForm(PortalForm):
    personne = forms.CharField(label="Personne", required=False, max_length=200)
    organisation = forms.ModelChoiceField(label="Organisation", required=False, queryset=Organisation.objects.none())
    role = forms.CharField(label="Rôle dans l'instance", required=False, max_length=120)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = region_organisations(contract)

    def clean(self):
        data = super().clean()
        if not (data.get("personne") or "").strip() and not data.get("organisation"):
            self.add_error("personne", "Indiquez une personne ou une organisation.")
        return data


class MeetingForm(PortalModelForm):
    fichier = forms.FileField(label="Compte rendu (fichier)", required=False,
                              help_text="PDF, ODT, DOCX, XLSX, PNG ou JPEG ; 20 Mo au plus.")

    class Meta:
        model = Meeting
        fields = ["instance", "date", "lieu", "ordre_du_jour", "participants", "compte_rendu", "decisions",
                  "revue_annuelle"]
        widgets = {"date": DATE, "ordre_du_jour": TEXTAREA, "participants": TEXTAREA, "compte_rendu": TEXTAREA,
                   "decisions": TEXTAREA}

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instance"].queryset = contract.instances.all()

    def clean(self):
        data = super().clean()
        inst = data.get("instance")
        if data.get("revue_annuelle") and inst is not None and inst.type != InstanceType.COPIL:
            self.add_error("revue_annuelle", "Seul le comité de pilotage (COPIL) tient la revue annuelle.")
        return data


class AvenantForm(PortalForm):
    """An avenant: its date, object, the sheets it adds, modifies or retires (each list offers only the sheets
    where that change makes sense, `selectors.avenant_sheet_options`; a sheet in one list only), the
    signatories who already initialled it and its signed document."""

    date = forms.DateField(label="Date de l'avenant", widget=DATE, help_text="Le jour de sa signature.")
    objet = forms.CharField(label="Objet", widget=TEXTAREA)
    ajouts = forms.MultipleChoiceField(
        label="Fiches ajoutées", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Les fiches écrites depuis la signature, pas encore dans le plan signé (brouillon, soumise ou à "
                  "modifier) : la délégation les valide une fois l'avenant en vigueur.")
    modifications = forms.MultipleChoiceField(
        label="Fiches modifiées", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Les fiches du plan signé encore en œuvre (validées, en cours ou reportées) : elles redeviennent "
                  "modifiables tant que cet avenant est le dernier en vigueur.")
    retraits = forms.MultipleChoiceField(
        label="Fiches retirées", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Les fiches du plan signé encore en œuvre (validées, en cours ou reportées) : elles passent "
                  "« abandonnées » quand l'avenant entre en vigueur.")
    autres = forms.CharField(label="Autres modifications du plan (une par ligne)", required=False, widget=TEXTAREA)
    signataires = forms.MultipleChoiceField(label="Signataires ayant paraphé l'avenant", required=False,
                                            widget=forms.CheckboxSelectMultiple)
    document = forms.ChoiceField(label="Avenant signé (document déposé)", required=False)

    SHEET_LISTS = {"ajouts": "ajout", "modifications": "modification", "retraits": "retrait"}
    ONCE = " Une fiche figure dans une seule des trois listes."

    def __init__(self, *args, sheets=None, signatories=(), documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        _max_today(self.fields["date"])
        sheets = sheets or {}
        for name, kind in self.SHEET_LISTS.items():
            field = self.fields[name]
            field.choices = [(str(f.pk), str(f)) for f in sheets.get(kind, ())]
            field.help_text += self.ONCE if field.choices else " Aucune fiche du contrat ne s'y prête aujourd'hui."
        self.fields["signataires"].choices = [(str(s.pk), str(s)) for s in signatories]
        self.fields["document"].choices = [("", "— Aucun pour l'instant —")] + [
            (str(d.pk), f"{d.titre} (v{d.version_doc})") for d in documents]

    def clean_date(self):
        return _not_after_today(self.cleaned_data["date"], FUTURE_AVENANT)

    def clean(self):
        data = super().clean()
        labels = {pk: label for name in self.SHEET_LISTS for pk, label in self.fields[name].choices}
        seen = {}
        for name in self.SHEET_LISTS:
            twice = [pk for pk in data.get(name) or () if pk in seen]
            if twice:
                self.add_error(name, "Une fiche ne figure qu'une fois dans un avenant : " + " ; ".join(
                    f"{labels[pk]} est déjà cochée dans « {self.fields[seen[pk]].label} »" for pk in twice) + ".")
            for pk in data.get(name) or ():
                seen.setdefault(pk, name)
        return data


class AvenantInitialsForm(PortalForm):
    signataires = forms.MultipleChoiceField(label="Signataires qui ont paraphé depuis",
                                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, signatories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signataires"].choices = [(str(s.pk), str(s.organisation)) for s in signatories]


class RenewForm(PortalForm):
    nom = forms.CharField(label="Nom du contrat de génération suivante", required=False, max_length=255)




# --- starting a région ------------------------------------------------------------------------------

INSEE = re.compile(r"[0-9][0-9AB][0-9]{3}")


def parse_communes(text: str) -> list[str]:
    """INSEE codes separated by spaces, commas or semicolons; ValidationError (French) on a bad code."""
    codes = [c.upper() for c in re.split(r"[\s,;]+", text or "") if c]
    bad = [c for c in codes if not INSEE.fullmatch(c)]
    if bad:
        raise forms.ValidationError("Codes INSEE non valides : " + ", ".join(bad) + ".")
    return list(dict.fromkeys(codes))


class ContractCreateForm(PortalForm):
    """A new CLS in the phase préalable. The perimeter is an EPCI, a list of communes, or by default the
    territory of the collectivité porteuse; `clean()` resolves it to INSEE codes (`commune_codes`) and
    their départements, which the view checks against the user's reach."""

    nom = forms.CharField(label="Nom du contrat", max_length=255)
    collectivite = forms.ModelChoiceField(
        label="Collectivité porteuse", required=False, queryset=Organisation.objects.none(),
        empty_label="— Choisir une collectivité déjà connue —")
    collectivite_code = forms.CharField(
        label="… ou la créer à partir d'un EPCI ou d'une commune", required=False, max_length=15,
        help_text="SIREN de l'EPCI (9 chiffres) ou code INSEE de la commune (5 caractères), par exemple "
                  "241400555 (Bayeux Intercom).")
    epci = forms.ModelChoiceField(label="Périmètre : un EPCI entier", required=False, queryset=EPCI.objects.none(),
                                  empty_label="— Pas d'EPCI entier —")
    communes = forms.CharField(
        label="… ou une liste de communes (codes INSEE)", required=False,
        help_text="Codes séparés par des espaces ou des virgules. Sans EPCI ni communes : le territoire de la "
                  "collectivité porteuse.")
    referent = forms.ModelChoiceField(label="Référent ARS", required=False, queryset=None,
                                      empty_label="— À désigner —")
    date_debut_prealable = forms.DateField(label="Début de la phase préalable", widget=DATE, initial=_today)
    date_signature_prevue = forms.DateField(
        label="Signature prévue", required=False, widget=DATE,
        help_text=f"Facultatif. Par défaut, {DEFAULT_PLAN_MONTHS} mois après le début (plan type de la fiche "
                  "pratique n°5 : 6 mois à 1 an de phase préalable, puis le diagnostic et le plan d'action). "
                  "Les étapes sont datées d'après cette échéance.")
    duree_annees = forms.IntegerField(label="Durée prévue (années)", min_value=3, max_value=5, initial=5,
                                      error_messages={"min_value": "La durée d'un CLS est de 3 à 5 ans.",
                                                      "max_value": "La durée d'un CLS est de 3 à 5 ans."})
    prs = forms.CharField(label="PRS mis en œuvre", required=False, max_length=120)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.fields["collectivite"].queryset = Organisation.objects.in_region(region.code).filter(
            type__in=COLLECTIVITE_TYPES).order_by("nom")
        self.fields["epci"].queryset = EPCI.objects.filter(
            code__in=Commune.objects.filter(region_id=region.code).values("epci_id")).order_by("nom")
        self.fields["referent"].queryset = get_user_model().objects.filter(
            memberships__role=Role.DELEGATION, memberships__departements__region_id=region.code,
        ).distinct().order_by("last_name", "username")

    def clean_communes(self):
        return parse_communes(self.cleaned_data["communes"])

    def clean_collectivite_code(self):
        code = self.cleaned_data["collectivite_code"].replace(" ", "").upper()
        if code:
            try:
                territory_for_code(code, self.region.code)
            except DomainError as err:
                raise forms.ValidationError(err.message) from None
        return code

    def clean(self):
        data = super().clean()
        org, code = data.get("collectivite"), (data.get("collectivite_code") or "").strip()
        if org and code:
            self.add_error("collectivite_code", "Choisissez une collectivité connue ou indiquez un code, pas les deux.")
        elif not org and not code and "collectivite_code" not in self.errors:
            self.add_error("collectivite", "Choisissez la collectivité porteuse, ou indiquez le SIREN de l'EPCI ou "
                                           "le code INSEE de la commune pour la créer.")
        # Every refusal at once, not one batch per submission: the expected signature (the service's rule,
        # `dates.check_expected_signature`, checked again there) whatever the other fields say, and the perimeter
        # as soon as its own fields are right.
        debut, prevue = data.get("date_debut_prealable"), data.get("date_signature_prevue")
        if debut and prevue:
            try:
                dates.check_expected_signature(debut, prevue)
            except DomainError as err:
                self.add_error(err.field, err.message)
        if any(name in self.errors for name in ("collectivite", "collectivite_code", "epci", "communes")):
            return data
        if data.get("communes"):
            codes = data["communes"]
        elif data.get("epci"):
            codes = list(data["epci"].communes.values_list("code", flat=True))
        elif org is not None and (org.epci_id or org.commune_id):
            codes = list(Commune.objects.filter(epci_id=org.epci_id).values_list("code", flat=True)) \
                if org.epci_id else [org.commune_id]
        elif code:  # checked by clean_collectivite_code: an EPCI of the région, or one of its communes
            codes = list(Commune.objects.filter(epci_id=code, region_id=self.region.code).values_list(
                "code", flat=True)) or [code]
        else:
            self.add_error("communes", "Indiquez le périmètre : un EPCI ou une liste de communes.")
            return data
        found = dict(Commune.objects.filter(code__in=codes).values_list("code", "region_id"))
        unknown = [c for c in codes if c not in found]
        outside = [c for c in codes if c in found and found[c] != self.region.code]
        field = "communes" if data.get("communes") else "epci"
        if unknown:
            self.add_error(field, "Codes de communes inconnus : " + ", ".join(unknown) + ".")
        elif outside:
            self.add_error(field, f"Ces communes ne sont pas dans la région {self.region.nom} : "
                                  + ", ".join(outside) + ".")
        data["commune_codes"] = codes
        data["departements"] = set(Departement.objects.filter(communes__code__in=codes).values_list("code", flat=True))
        return data


class RegionChoiceForm(PortalForm):
    region = forms.ChoiceField(label="Région")

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.nom) for r in regions]


class StepAddForm(PortalForm):
    titre = forms.CharField(label="Titre de l'étape", max_length=255)
    phase = forms.ChoiceField(label="Phase", choices=[(k, v) for k, v in Phase.choices if k != Phase.CLOS])
    objectif = forms.CharField(label="Objectif", required=False, widget=TEXTAREA)
    acteurs = forms.CharField(label="Acteurs concernés", required=False, widget=TEXTAREA)
    date_debut_prevue = forms.DateField(label="Début prévu", required=False, widget=DATE)
    date_prevue = forms.DateField(label="Échéance prévue", required=False, widget=DATE)


class OrganisationForm(PortalModelForm):
    # Wider than 14: "732 829 320 00074" as printed on a Kbis is accepted, spaces removed before the check.
    siret = forms.CharField(label="SIRET", required=False, max_length=20, help_text="Facultatif : 14 chiffres.")

    class Meta:
        model = Organisation
        fields = ["nom", "type", "siret", "email", "departement"]
        labels = {"departement": "Département (facultatif)"}

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.filter(region=region).order_by("code")
        self.fields["siret"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean_siret(self):
        return "".join(self.cleaned_data["siret"].split())

    def validate_unique(self):
        pass  # the service says it in French, with the région (organisation_create)
