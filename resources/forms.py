from django import forms
from django.utils import timezone

from cls_portal.core.concurrency import VersionFormMixin
from cls_portal.core.uploads import ACCEPTED_LABEL
from cls_portal.core.validation import PortalForm

from .enums import ResourceCategory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 4})


def _today():
    return timezone.localdate()


class VersionForm(PortalForm):
    libelle = forms.CharField(label="Version", max_length=60, help_text="Par exemple « 2025 » ou « v2 ».")
    date_version = forms.DateField(label="Date de la version", widget=DATE, initial=_today)
    fichier = forms.FileField(label="Fichier", required=False,
                              help_text=f"{ACCEPTED_LABEL} ; 20 Mo au plus. Un fichier, un lien, ou les deux.")
    lien = forms.URLField(label="Lien", required=False, max_length=500, assume_scheme="https",
                          help_text="Adresse d'une page ou d'un document en ligne, par exemple https://…")

    def clean(self):
        data = super().clean()
        if not data.get("fichier") and not data.get("lien") and not self.errors.get("lien"):
            self.add_error("fichier", "Joignez un fichier ou indiquez un lien (ou les deux).")
        return data


class ResourceFields(forms.Form):
    titre = forms.CharField(label="Titre", max_length=255)
    categorie = forms.ChoiceField(label="Catégorie", choices=[("", "Choisir une catégorie")]
                                  + list(ResourceCategory.choices))
    description = forms.CharField(label="Description", required=False, widget=TEXTAREA)


class ResourceCreateForm(ResourceFields, VersionForm):
    region = forms.ModelChoiceField(label="Région", queryset=None, empty_label=None)

    field_order = ["region", "titre", "categorie", "description", "libelle", "date_version", "fichier", "lien"]

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        if len(regions) == 1:
            self.fields["region"].widget = forms.HiddenInput()
            self.initial.setdefault("region", regions[0].pk)
        self.fields["libelle"].label = "Première version"


class ResourceEditForm(ResourceFields, VersionFormMixin):
    pass


class ArchiveForm(PortalForm):
    archiver = forms.TypedChoiceField(choices=[("1", "archiver"), ("0", "remettre en service")],
                                      coerce=lambda v: v == "1")
