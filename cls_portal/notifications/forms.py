from django import forms

from cls_portal.core.validation import PortalForm

from .kinds import KINDS


class EmailPreferencesForm(PortalForm):
    kinds = forms.MultipleChoiceField(
        label="Je reçois aussi par e-mail les notifications suivantes", required=False,
        widget=forms.CheckboxSelectMultiple, choices=list(KINDS.items()),
        help_text="Les notifications restent toujours visibles dans le portail.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        prefs = user.email_preferences or {}
        self.fields["kinds"].initial = [k for k in KINDS if prefs.get(k, True) is not False]
