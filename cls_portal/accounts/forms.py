from django import forms
from django.contrib.auth.forms import AuthenticationForm

from . import throttling


class LoginForm(AuthenticationForm):
    username = forms.CharField(label="Identifiant ou adresse électronique", max_length=254,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))
    password = forms.CharField(label="Mot de passe", strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect.",
        "inactive": "Ce compte est désactivé.",
        "throttled": "Trop de tentatives de connexion échouées. Réessayez dans quelques minutes.",
    }

    def clean(self):
        username = self.cleaned_data.get("username", "")
        ip = throttling.client_ip(self.request) if self.request else ""
        if throttling.is_locked(username, ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttling.register_failure(username, ip)
            raise
        throttling.reset(username, ip)
        return cleaned
