"""Every page says where you are and what went wrong, from the view's context alone (cls_portal/core/page.py):
the title carries « Erreur : N champs à corriger », the filters applied and the page number; a rejected form
opens with one summary at the top of the page, linking to each field."""

import re

import pytest
from django import forms
from django.forms import formset_factory
from django.template import Context
from django.urls import reverse

from cls_portal.core.page import form_errors, page_title
from cls_portal.core.validation import PortalForm

pytestmark = pytest.mark.django_db


class _Form(PortalForm):
    nom = forms.CharField(label="Nom")
    annee = forms.IntegerField(label="Année", min_value=2020)
    version = forms.IntegerField(widget=forms.HiddenInput)


def _title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_errors_of_every_form_of_the_context_are_collected_with_their_field_ids():
    form = _Form(data={"nom": "", "annee": "1990", "version": "x"})
    rows = formset_factory(_Form, extra=0)(data={"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0",
                                                 "form-0-nom": "a", "form-0-annee": "1", "form-0-version": "1"})
    errors = form_errors(Context({"form": form, "formsets": [{"title": "Jalons", "formset": rows}]}))
    assert errors.title_prefix() == "Erreur : 3 champs à corriger"
    targets = [(e.label, e.target) for e in errors.errors if e.target]
    assert targets == [("Nom", "id_nom"), ("Année", "id_annee"), ("Année (Jalons, ligne 1)", "id_form-0-annee")]
    hidden = [e for e in errors.errors if not e.label]
    assert len(hidden) == 1 and hidden[0].target == ""  # a hidden field: said, not linked
    assert not form_errors(Context({"form": _Form()}))  # an unbound form is no error
    assert form_errors(Context({"form": _Form(data={"nom": "a", "annee": "2021", "version": "1"})})).errors == ()


def test_one_rejected_field_is_singular_and_a_form_error_alone_counts_as_an_error():
    form = _Form(data={"nom": "", "annee": "2021", "version": "1"})
    assert form_errors(Context({"form": form})).title_prefix() == "Erreur : 1 champ à corriger"
    form = _Form(data={"nom": "a", "annee": "2021", "version": "1"})
    form.is_valid()
    form.add_error(None, "Déjà enregistré.")
    assert form_errors(Context({"form": form})).title_prefix() == "Erreur : 1 erreur à corriger"
    assert page_title(Context({"form": form, "title": "Fiche", "site_name": "Portail"})) == (
        "Erreur : 1 erreur à corriger – Fiche – Portail")


def test_a_rejected_form_page_titles_the_error_and_opens_with_a_focusable_summary(client, world):
    contract = world.own.contract
    client.force_login(world.own.people["coordinateur"])
    response = client.post(reverse("reports:request", args=[contract.pk]), {"kind": "activite", "year": "1990"})
    html = response.content.decode()
    assert _title(html).startswith("Erreur : 1 champ à corriger – Rapports annuels")
    summary = html[html.index('id="erreurs"'):]
    summary = summary[:summary.index("</div>")]
    assert 'tabindex="-1"' in summary and "data-error-summary" in summary
    assert '<a href="#id_year">Année : Sélectionnez un choix valide.' in summary
    assert 'id="id_year"' in html
    assert html.index('id="erreurs"') < html.index("<h1")  # first thing in <main>
    assert "js/page.js" in html  # the script that gives it focus
    ok = client.get(reverse("reports:contract", args=[contract.pk])).content.decode()
    assert 'id="erreurs"' not in ok and not _title(ok).startswith("Erreur")


def test_a_list_title_says_its_filters_and_page(client, world):
    """Filters from the django-filter set of the context (labels and displayed values, never codes), then
    the page number: every variant of a list has its own title."""
    client.force_login(world.users["region"])
    plain = _title(client.get(reverse("regional:contracts")).content.decode())
    assert plain == "Liste régionale des contrats locaux de santé – Portail des contrats locaux de santé"
    html = client.get(reverse("regional:contracts"), {"phase": "mise_en_oeuvre", "qpv": "oui"}).content.decode()
    assert _title(html) == ("Liste régionale des contrats locaux de santé – Phase : Mise en œuvre et évaluation, "
                            "Couvre des QPV : Oui – "
                            "Portail des contrats locaux de santé")


def test_the_page_number_is_in_the_title_of_a_list_of_several_pages():
    from django.core.paginator import Paginator

    page = Paginator(list(range(60)), 25).get_page(2)
    assert page_title(Context({"title": "Fiches actions", "page_obj": page, "site_name": "Portail"})) == (
        "Fiches actions – page 2 sur 3 – Portail")
    one = Paginator(list(range(3)), 25).get_page(1)
    assert page_title(Context({"title": "Fiches actions", "page_obj": one, "site_name": "Portail"})) == (
        "Fiches actions – Portail")


@pytest.mark.django_db
def test_a_page_of_one_contract_names_it_in_its_title(client, world):
    """« Ajouter une étape » of two contracts are two pages (WCAG 2.4.2): the title names the contract, unless it
    already does (the contract's own page)."""
    own, other = world.own, world.other
    client.force_login(world.users["admin"])

    def title(url):
        return re.search(r"<title>(.*?)</title>", client.get(url).content.decode(), re.S).group(1).strip()

    assert title(reverse("contracts:step_add", args=[own.contract.pk])) == (
        f"Ajouter une étape – {own.contract.nom} – Portail des contrats locaux de santé")
    assert title(reverse("contracts:step_add", args=[other.contract.pk])) == (
        f"Ajouter une étape – {other.contract.nom} – Portail des contrats locaux de santé")
    assert title(reverse("contracts:detail", args=[own.contract.pk])).count(own.contract.nom) == 1
    assert page_title(Context({"title": "Fiches actions", "site_name": "Portail"})) == "Fiches actions – Portail"


def test_a_filter_form_outside_django_filter_says_it_describes_the_page(client, world):
    client.force_login(world.users["region"])
    html = client.get(reverse("diagnostics:list"), {"statut": "nope"}).content.decode()
    assert _title(html).startswith("Erreur : 1 champ à corriger – Diagnostics locaux de santé")
    html = client.get(reverse("diagnostics:list"), {"statut": "valide"}).content.decode()
    assert "Diagnostics locaux de santé – Statut du diagnostic : Validé – " in _title(html)


def test_a_form_posted_from_a_detail_page_that_redirects_with_an_error_says_it_the_same_way(client, world):
    contract = world.own.contract
    client.force_login(world.own.people["delegation"])
    step = contract.steps.first()
    response = client.post(reverse("contracts:step_move", args=[contract.pk, step.pk]), {"direction": "sideways"},
                           follow=True)
    html = response.content.decode()
    assert _title(html).startswith("Erreur : 1 erreur à corriger – ")
    summary = html[html.index('id="erreurs"'):]
    assert "Choisissez de monter ou de descendre l&#x27;étape." in summary[:summary.index("</div>")]
    assert html.count("Choisissez de monter") == 1  # in the summary, not a second time in the message list


def test_a_success_message_is_a_status_not_an_alert(client, world):
    """RGAA 7.5: a status message is announced politely (role=status); alerts are for errors and warnings."""
    contract = world.own.contract
    client.force_login(world.own.people["coordinateur"])
    response = client.post(reverse("contracts:instance_add", args=[contract.pk]),
                           {"type": "copil", "nom": "COPIL élargi"}, follow=True)
    html = response.content.decode()
    block = html[:html.index("L&#x27;instance a été créée.")]
    assert block[block.rindex("<div"):].endswith('role="status">\n            <p>')


def test_filter_values_are_shown_as_people_read_them():
    from cls_portal.core.page import filters_applied

    class F(PortalForm):
        describes_page = True
        q = forms.CharField(label="Recherche", required=False)
        depuis = forms.DateField(label="Depuis", required=False)
        annee = forms.IntegerField(label="Année", required=False)
        phases = forms.MultipleChoiceField(label="Phase", required=False, choices=[("a", "Préalable"), ("b", "Signé")])
        actif = forms.BooleanField(label="Actifs seulement", required=False)

    form = F(data={"q": "bayeux", "depuis": "01/03/2026", "annee": "2026", "phases": ["a", "b"], "actif": "on"})
    assert filters_applied(form) == ["Recherche : « bayeux »", "Depuis : 01/03/2026", "Année : 2026",
                                     "Phase : Préalable, Signé", "Actifs seulement"]
    assert filters_applied(F(data={})) == []  # nothing chosen, nothing said
