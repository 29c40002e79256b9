"""The crispy template pack renders DSFR forms: label, hint, error under the field, DSFR classes."""

from crispy_forms.utils import render_crispy_form
from django import forms


class SampleForm(forms.Form):
    nom = forms.CharField(label="Nom du contrat", help_text="Tel qu'il figure sur le document signé")
    duree = forms.IntegerField(label="Durée (années)", min_value=3, max_value=5)
    phase = forms.ChoiceField(label="Phase", choices=[("a", "Préalable"), ("b", "Diagnostic")])
    rural = forms.BooleanField(label="Territoire rural", required=False)
    piece = forms.FileField(label="Lettre d'intention", required=False)


def test_valid_fields_render_with_dsfr_markup():
    html = render_crispy_form(SampleForm())
    assert 'class="fr-input-group fr-mb-3w"' in html and 'class="textinput fr-input"' in html
    assert '<label class="fr-label" for="id_nom">Nom du contrat' in html
    assert '<span class="fr-hint-text" id="id_nom_helptext">Tel qu\'il figure sur le document signé</span>' in html
    assert 'class="select fr-select"' in html
    assert 'class="fr-checkbox-group' in html
    assert 'fr-upload' in html


def test_errors_are_shown_under_the_field_in_french():
    form = SampleForm(data={"nom": "", "duree": "9", "phase": "a"})
    assert not form.is_valid()
    html = render_crispy_form(form)
    assert "fr-input-group--error" in html
    assert 'class="numberinput fr-input fr-input--error"' in html
    assert 'aria-describedby="id_duree-messages"' in html
    assert '<p class="fr-message fr-message--error fr-error-text">Ce champ est obligatoire.</p>' in html
    assert "inférieure ou égale à 5" in html


def test_a_form_with_errors_opens_with_a_summary_linking_to_each_field():
    form = SampleForm(data={"nom": "", "duree": "9", "phase": "a"})
    assert not form.is_valid()
    html = render_crispy_form(form)
    summary = html[html.index('<div class="fr-alert fr-alert--error'):]
    summary = summary[:summary.index("</div>")]
    assert "Le formulaire contient 2 erreurs" in summary
    assert '<a href="#id_nom">Nom du contrat</a>' in summary and '<a href="#id_duree">Durée (années)</a>' in summary
    assert "Phase" not in summary  # a valid field is not listed
    assert html.index("fr-alert--error") < html.index('id="id_nom"')  # at the top, before the fields
