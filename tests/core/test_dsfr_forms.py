"""The crispy template pack renders DSFR forms: label, hint, error under the field, DSFR classes."""

import re

from crispy_forms.utils import render_crispy_form
from django import forms

from cls_portal.core.validation import PortalForm


class SampleForm(PortalForm):
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


def test_the_form_itself_shows_only_its_non_field_errors_the_page_summarises_the_rest():
    form = SampleForm(data={"nom": "", "duree": "9", "phase": "a"})
    assert not form.is_valid()
    form.add_error(None, "Ce contrat existe déjà.")
    html = render_crispy_form(form)
    alert = html[html.index('<div class="fr-alert fr-alert--error'):]
    alert = alert[:alert.index("</div>")]
    assert "Ce contrat existe déjà." in alert and "<a href" not in alert  # the links are in the page summary
    assert 'role="alert"' not in html  # focus goes to the page summary: no second announcement


def test_a_hint_is_read_once_inside_the_label_and_errors_are_the_description():
    html = render_crispy_form(SampleForm())
    assert "aria-describedby" not in html  # Django's `id_nom_helptext` would read the hint a second time
    form = SampleForm(data={"nom": "", "duree": "3", "phase": "a"})
    form.fields["rural"].help_text = "Moins de 30 habitants au km²"
    form.fields["rural"].required = True
    assert not form.is_valid()
    html = render_crispy_form(form)
    assert 'aria-describedby="id_nom-messages"' in html and 'id="id_nom-messages"' in html
    assert 'aria-describedby="id_rural-messages"' in html and 'id="id_rural-messages"' in html
    described = re.findall(r'aria-describedby="([^"]*)"', html)
    assert described and all(f'id="{ref}"' in html for value in described for ref in value.split())


def test_a_required_group_of_checkboxes_has_its_asterisk_after_its_legend_not_on_a_line_of_its_own():
    """The legend's asterisk sits after the words, as a label's does: in a `fr-hint-text` (a block in the DSFR) it
    stood alone on the line under « Signataires qui ont paraphé depuis » (the avenant's initials form)."""
    class Initials(PortalForm):
        signataires = forms.MultipleChoiceField(label="Signataires qui ont paraphé depuis",
                                                choices=[("1", "ARS Normandie")], widget=forms.CheckboxSelectMultiple)

    html = render_crispy_form(Initials())
    legend = re.search(r"<legend[^>]*>(.*?)</legend>", html, re.S).group(1)
    assert re.fullmatch(r'\s*Signataires qui ont paraphé depuis <span aria-hidden="true">\*</span>\s*', legend)
