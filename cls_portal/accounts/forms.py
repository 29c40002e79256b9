from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from cls_portal.core.validation import InputRulesMixin

from . import throttling
from .models import Role


class LoginForm(InputRulesMixin, AuthenticationForm):
    """Failures are counted by django-axes (see `throttling`): a locked account or client gets the login page
    again with `throttling.THROTTLED`, status 429, before any password is checked."""

    username = forms.CharField(label="Identifiant ou adresse électronique", max_length=254,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label="Mot de passe", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
    }


class RateLimitedPasswordResetForm(InputRulesMixin, PasswordResetForm):
    """Password reset limited per client and per e-mail address (`throttling`)."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.request is not None and not throttling.password_reset_allowed(self.request):
            raise forms.ValidationError("Trop de demandes de réinitialisation depuis votre connexion : "
                                        "réessayez dans une heure.", code="throttled")
        return data

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        if throttling.password_reset_email_allowed(to_email):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email,
                              html_email_template_name=html_email_template_name)


class AcceptInvitationForm(InputRulesMixin, forms.Form):
    """A new account for an invitation: the name and a password (the e-mail is the invited one)."""

    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    password1 = forms.CharField(label="Mot de passe", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text="Au moins 8 caractères, pas uniquement des chiffres ni un mot courant.")
    password2 = forms.CharField(label="Confirmation du mot de passe", strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "Les deux mots de passe ne sont pas identiques.")
        return data


class InvitationForm(InputRulesMixin, forms.Form):
    """Invite someone: the address, the name, the role and its scope (the fields the inviter may fill)."""

    email = forms.EmailField(label="Adresse électronique", max_length=254)
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    role = forms.ChoiceField(label="Rôle")
    region = forms.ModelChoiceField(label="Région (équipe régionale)", queryset=None, required=False)
    departements = forms.ModelMultipleChoiceField(
        label="Départements (délégation)", queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Pour un référent de délégation départementale : le ou les départements de sa délégation, "
                  "tous dans une même région (une délégation relève d'une seule ARS).")

    def __init__(self, *args, roles, regions, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["region"].queryset = regions
        # Ordered by région then code: the page shows one group of boxes per région (`{% regroup %}`), not 101
        # boxes in a row.
        self.fields["departements"].queryset = departements.select_related("region").order_by("region__nom", "code")
        if not regions.exists():
            del self.fields["region"]

