import re

from django import forms
from django.contrib.auth import get_user_model

from cls_portal.accounts.models import Role
from cls_portal.core.concurrency import VersionFormMixin
from cls_portal.core.validation import DATE_MIN, PortalForm, PortalModelForm
from cls_portal.territories.models import EPCI, Organisation

from .enums import DocumentType, InstanceType, SignatoryRole
from .models import Contract, Instance, Meeting, Step

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ContractIdentityForm(VersionFormMixin, forms.ModelForm):
    class Meta:
        model = Contract
        # No signature date: the délégation sets it when it validates the signature (DecisionForm).
        fields = ["nom", "prs", "referent", "rural", "qpv", "nb_qpv", "clsm", "date_debut_prealable",
                  "date_lettre_intention", "engagement_confirme", "duree_annees"]
        widgets = {"date_debut_prealable": DATE, "date_lettre_intention": DATE}
        help_texts = {"duree_annees": "De 3 à 5 ans ; la date de fin est calculée à partir de la date de signature, "
                                      "renseignée par la délégation quand elle valide la signature."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contract = self.instance
        deps = [d.departement_id for d in contract.delegations.all()]
        self.fields["referent"].queryset = get_user_model().objects.filter(
            memberships__role=Role.DELEGATION, memberships__departements__in=deps).distinct().order_by("last_name")
        self.fields["duree_annees"].widget.attrs.update(min=3, max=5)
        self.initial.setdefault("version", contract.version)

    def clean_duree_annees(self):
        value = self.cleaned_data["duree_annees"]
        if not 3 <= value <= 5:
            raise forms.ValidationError("La durée d'un CLS est de 3 à 5 ans.")
        return value


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


class CommentForm(PortalForm):
    comment = forms.CharField(label="Commentaire", required=False, widget=TEXTAREA, max_length=4000)


def _today():
    from django.utils import timezone

    return timezone.localdate()


class DecisionForm(PortalForm):
    decision = forms.ChoiceField(label="Décision", choices=[("valider", "Valider"), ("refuser", "Refuser")])
    comment = forms.CharField(label="Commentaire (obligatoire en cas de refus)", required=False, widget=TEXTAREA,
                              max_length=4000)
    date_signature = forms.DateField(label="Date de signature du contrat", required=False, widget=DATE)
    date_windows = {"date_signature": (DATE_MIN, _today)}


class DocumentForm(PortalForm):
    type = forms.ChoiceField(label="Type de document", choices=DocumentType.choices)
    titre = forms.CharField(label="Titre", max_length=255)
    date_document = forms.DateField(label="Date du document", required=False, widget=DATE)
    fichier = forms.FileField(label="Fichier", help_text="PDF, ODT, DOCX, XLSX, PNG ou JPEG ; 20 Mo au plus.")

    def __init__(self, *args, supersedes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if supersedes is not None:
            self.fields["type"].required = False
            self.fields["type"].widget = forms.HiddenInput()
            self.initial.setdefault("titre", supersedes.titre)


class SignatoryForm(PortalForm):
    organisation = forms.ModelChoiceField(label="Organisation", queryset=Organisation.objects.order_by("nom"))
    role = forms.ChoiceField(label="Rôle", choices=SignatoryRole.choices)
    representant = forms.CharField(label="Représentée par", required=False, max_length=200)
    date_signature = forms.DateField(label="Date de signature", required=False, widget=DATE)


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
    organisation = forms.ModelChoiceField(label="Organisation", required=False,
                                          queryset=Organisation.objects.order_by("nom"))
    role = forms.CharField(label="Rôle dans l'instance", required=False, max_length=120)

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
    date = forms.DateField(label="Date de l'avenant", widget=DATE)
    objet = forms.CharField(label="Objet", widget=TEXTAREA)
    ajouts = forms.MultipleChoiceField(label="Fiches ajoutées", required=False, widget=forms.CheckboxSelectMultiple)
    modifications = forms.MultipleChoiceField(label="Fiches modifiées", required=False,
                                              widget=forms.CheckboxSelectMultiple)
    retraits = forms.MultipleChoiceField(label="Fiches retirées", required=False, widget=forms.CheckboxSelectMultiple)
    autres = forms.CharField(label="Autres modifications du plan (une par ligne)", required=False, widget=TEXTAREA)
    signataires = forms.MultipleChoiceField(label="Signataires ayant paraphé l'avenant", required=False,
                                            widget=forms.CheckboxSelectMultiple)
    document = forms.ChoiceField(label="Avenant signé (document déposé)", required=False)

    def __init__(self, *args, fiches=(), signatories=(), documents=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(f.pk), str(f)) for f in fiches]
        for name in ("ajouts", "modifications", "retraits"):
            self.fields[name].choices = choices
        self.fields["signataires"].choices = [(str(s.pk), str(s)) for s in signatories]
        self.fields["document"].choices = [("", "— Aucun pour l'instant —")] + [
            (str(d.pk), f"{d.titre} (v{d.version_doc})") for d in documents]


class RenewForm(PortalForm):
    nom = forms.CharField(label="Nom du contrat de génération suivante", required=False, max_length=255)


