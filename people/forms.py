from django import forms

from cls_portal.accounts.models import Role
from cls_portal.core.validation import InputRulesMixin


class ContractInvitationForm(InputRulesMixin, forms.Form):
    email = forms.EmailField(label="Adresse électronique", max_length=254)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle")
    organisation = forms.ModelChoiceField(label="Organisation du pilote", queryset=None, required=False,
                                          help_text="Pour un pilote : l'organisation partenaire qu'il représente.")
    fiche = forms.ModelChoiceField(label="Fiche action à piloter", queryset=None, required=False,
                                   help_text="Facultatif : la personne en deviendra pilote en acceptant.")
    copilote = forms.BooleanField(label="Co-pilote de cette fiche (plutôt que pilote)", required=False)

    def __init__(self, *args, roles, organisations, sheets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["organisation"].queryset = organisations
        self.fields["fiche"].queryset = sheets


class HandOverForm(InputRulesMixin, forms.Form):
    email = forms.EmailField(label="Adresse électronique du nouveau coordinateur ou de la nouvelle coordinatrice",
                             max_length=254)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
