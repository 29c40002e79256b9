from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from cls_portal.core.validation import InputRulesMixin

from . import throttling


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
