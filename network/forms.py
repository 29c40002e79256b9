from django import forms

from actions.models import ChampAction
from cls_portal.core.concurrency import VersionFormMixin
from cls_portal.core.validation import PortalForm
from cls_portal.territories.models import Departement

from .enums import EventType, Presence

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _time_widget():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DirectoryFilterForm(PortalForm):
    departement = forms.ModelChoiceField(label="Département", queryset=None, required=False, empty_label="Tous")
    champ = forms.ModelChoiceField(label="Thème (champ d'action)", queryset=None, required=False, empty_label="Tous")

    def __init__(self, *args, region_codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = Departement.objects.filter(region_id__in=region_codes).order_by("code")
        self.fields["champ"].queryset = ChampAction.objects.order_by("ordre", "libelle")


class EventFields(forms.Form):
    titre = forms.CharField(label="Titre", max_length=255)
    type = forms.ChoiceField(label="Type", choices=[("", "Choisir un type")] + list(EventType.choices))
    date = forms.DateField(label="Date", widget=DATE)
    heure_debut = forms.TimeField(label="Heure de début", required=False, widget=_time_widget(),
                                  help_text="Facultative. Format : 09:30.")
    heure_fin = forms.TimeField(label="Heure de fin", required=False, widget=_time_widget(),
                                help_text="Facultative. Format : 12:00.")
    lieu = forms.CharField(label="Lieu", required=False, max_length=255,
                           help_text="Une adresse, une salle, ou « en visioconférence ».")
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="Programme, intervenants, ce qu'il faut préparer.")


class EventCreateForm(EventFields, PortalForm):
    region = forms.ModelChoiceField(label="Région", queryset=None, empty_label=None)
    inviter = forms.BooleanField(label="Inviter dès maintenant tous les coordinateurs de la région (ils reçoivent une "
                                       "notification)", required=False, initial=True)

    field_order = ["region", "titre", "type", "date", "heure_debut", "heure_fin", "lieu", "description", "inviter"]

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if len(regions) == 1:
            self.fields["region"].widget = forms.HiddenInput()
            self.initial.setdefault("region", regions[0].pk)


class EventEditForm(EventFields, VersionFormMixin):
    pass


class AttendanceForm(PortalForm):
    """One choice per invitation (`presence_<id>`)."""

    def __init__(self, *args, invitations, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitations = list(invitations)
        choices = [("", "Non renseigné")] + list(Presence.choices)
        for inv in self.invitations:
            self.fields[f"presence_{inv.pk}"] = forms.ChoiceField(label=str(inv.user), choices=choices,
                                                                  required=False, initial=inv.presence)

    def rows(self):
        return [(inv, self[f"presence_{inv.pk}"]) for inv in self.invitations]

    def presences(self) -> dict:
        return {inv.pk: self.cleaned_data[f"presence_{inv.pk}"] for inv in self.invitations}


class ContactForm(PortalForm):
    email = forms.EmailField(label="Adresse électronique de contact", required=False,
                             help_text="Vide : l'adresse de votre compte est affichée.")
    telephone = forms.RegexField(label="Téléphone", required=False, max_length=30,
                                 regex=r"^\+?[0-9 .()-]{6,30}$",
                                 error_messages={"invalid": "Saisissez un numéro de téléphone, par exemple "
                                                            "02 31 00 00 00."},
                                 help_text="Par exemple 02 31 00 00 00.")


class NewsForm(PortalForm):
    region = forms.ModelChoiceField(label="Région", queryset=None, empty_label=None)
    titre = forms.CharField(label="Titre", max_length=255)
    texte = forms.CharField(label="Texte", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}),
                            help_text="Les coordinateurs de la région le reçoivent en notification (les 200 premiers "
                                      "caractères) et le lisent en entier dans les actualités du réseau.")
    lien = forms.URLField(label="Lien", required=False, assume_scheme="https",
                          help_text="Facultatif : une page à lire pour en savoir plus, par exemple "
                                    "https://www.normandie.ars.sante.fr/.")

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if len(regions) == 1:
            self.fields["region"].widget = forms.HiddenInput()
            self.initial.setdefault("region", regions[0].pk)
