"""The note « Les champs marqués d'un astérisque (*) sont obligatoires. » (RGAA 11.10): once on every page that
shows a required field's asterisk, never elsewhere, after the page's `<h1>` and its intro, right before the form
that shows the first asterisk; the error summary stays first in `<main>` (focus goes there)."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template import RequestContext, Template
from django.urls import reverse

from cls_portal.core.page import REQUIRED_NOTE, place_required_note
from cls_portal.core.validation import PortalForm

NOTE = REQUIRED_NOTE.strip()
STAR = '<span aria-hidden="true">*</span>'


class _Outline(HTMLParser):
    """What `<main>` holds, in document order, as the landmarks these tests speak of: its first element, the
    `<h1>`, the note, the forms (and the first form that holds an asterisk), the element that follows the note."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.position = 0  # elements met in <main>, in order
        self.first = None  # (tag, id) of main's first element
        self.h1 = self.note = self.star = None  # positions
        self.notes = 0
        self.after_note = None  # (tag, position) of the element after the note's </p>
        self._note_open = False
        self.forms = []  # (start position, end position or None)
        self._open_forms = []
        self.star_form = None  # start position of the form around the first asterisk
        self._hidden_span = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
            return
        if not self.in_main:
            return
        self.position += 1
        if self.first is None:
            self.first = (tag, attrs.get("id"))
        if self.after_note is None and self.note is not None and not self._note_open:
            self.after_note = (tag, self.position)
        if tag == "h1" and self.h1 is None:
            self.h1 = self.position
        if attrs.get("id") == "champs-obligatoires":
            self.notes += 1
            self.note = self.position if self.note is None else self.note
            self._note_open = True
        if tag == "form":
            self._open_forms.append(len(self.forms))
            self.forms.append([self.position, None])
        self._hidden_span = tag == "span" and attrs.get("aria-hidden") == "true"

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif self.in_main and tag == "form" and self._open_forms:
            self.forms[self._open_forms.pop()][1] = self.position
        elif self.in_main and tag == "p" and self._note_open:
            self._note_open = False

    def handle_data(self, data):
        if self.in_main and self._hidden_span and data.strip() == "*" and self.star is None:
            self.star = self.position
            if self._open_forms:
                self.star_form = self.forms[self._open_forms[-1]][0]
        self._hidden_span = False


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    parser.close()
    return parser


def assert_note_placed(html: str, where: str = "", *, errors: bool = False):
    """The page shows an asterisk: one note, after the h1, immediately before the form of the first asterisk."""
    page = outline(html)
    assert page.star is not None, f"{where} : aucun astérisque"
    assert page.notes == 1, f"{where} : {page.notes} notes sur l'astérisque"
    assert page.h1 is not None and page.h1 < page.note, f"{where} : la note précède le titre h1"
    assert page.note < page.star, f"{where} : la note suit le premier astérisque"
    assert page.star_form is not None, f"{where} : le premier astérisque est hors de tout formulaire"
    assert page.after_note == ("form", page.star_form), (
        f"{where} : la note n'est pas juste avant le formulaire du premier astérisque ({page.after_note})")
    if errors:
        assert page.first == ("div", "erreurs"), f"{where} : le résumé d'erreurs n'est pas en tête de <main>"


# --- The placement, on markup --------------------------------------------------------------------------------

def test_the_note_goes_right_before_the_first_form_that_shows_an_asterisk():
    html = ('<h1>Titre</h1><p>Intro</p><form method="get"><input name="q"></form>'
            f'<h2>Saisie</h2><form method="post"><label>Nom{STAR}</label></form>'
            f'<form><label>Autre{STAR}</label></form>')
    placed = place_required_note(html)
    assert placed.count('id="champs-obligatoires"') == 1
    second = '<h2>Saisie</h2><form method="post">'
    assert placed == html.replace(second, f'<h2>Saisie</h2>{REQUIRED_NOTE}<form method="post">')


def test_an_asterisk_outside_any_form_has_its_note_right_after_the_h1():
    rest = f"<p>Intro</p><form><input></form><label>Nom{STAR}</label>"
    assert place_required_note(f"<h1>Titre</h1>{rest}") == f"<h1>Titre</h1>{REQUIRED_NOTE}{rest}"
    assert place_required_note(f"<label>Nom{STAR}</label>") == f"{REQUIRED_NOTE}<label>Nom{STAR}</label>"


def test_no_asterisk_no_note():
    html = '<h1>Aide</h1><form method="post"><label>Note</label><input name="note"></form>'
    assert place_required_note(html) is html


class _Required(PortalForm):
    nom = forms.CharField(label="Nom")
    note = forms.CharField(label="Note", required=False)


class _Optional(PortalForm):
    note = forms.CharField(label="Note", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)  # required but hidden: no asterisk shown


PAGE = Template('{% extends "base.html" %}{% load crispy_forms_tags %}{% block content %}<h1>Titre</h1><p>Intro</p>'
                '<form method="get">{{ filters|crispy }}</form><form method="post">{{ form|crispy }}</form>'
                '{% endblock %}')


@pytest.mark.django_db
def test_the_base_template_places_the_note_from_what_the_fields_draw(rf):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()
    request.csp_nonce = "n"

    def render(**context):
        return PAGE.render(RequestContext(request, context))

    html = render(filters=_Optional(), form=_Required())
    assert_note_placed(html, "filtre facultatif puis formulaire obligatoire")
    assert outline(html).star_form == outline(html).forms[1][0]  # the second form: the filters have no asterisk
    assert 'id="champs-obligatoires"' not in render(filters=_Optional(), form=_Optional())
    assert 'id="champs-obligatoires"' not in render()


def test_the_note_is_on_the_login_page_and_not_on_the_help_page(client):
    note = "Les champs marqués d'un astérisque (*) sont obligatoires."
    login = client.get(reverse("accounts:login")).content.decode()
    assert note in login.replace("&#x27;", "'")
    assert_note_placed(login, "connexion")
    assert note not in client.get(reverse("legal:help")).content.decode().replace("&#x27;", "'")


# --- Every form page of the demo (tests/browser/form_cases.py), shown and rejected ---------------------------

def test_every_form_page_of_the_demo_explains_the_asterisk_below_its_title(demo, client):
    from cls_portal.accounts.models import User
    from tests.browser.form_cases import cases

    checked = set()
    for case in cases():
        client.logout()
        if case.role:
            client.force_login(User.objects.get(username=case.role))
        response = client.get(case.url)
        assert response.status_code == 200, case
        assert_note_placed(response.content.decode(), f"{case.role} {case.url} ({case.template})")
        checked.add(case.template.split(" (")[0])
    assert len(checked) >= 14, checked


def test_a_rejected_form_keeps_the_error_summary_first_and_the_note_below_the_title(demo, client):
    from cls_portal.accounts.models import User
    from contracts.models import Contract

    contract = Contract.objects.filter(coordinators__username="coordinateur").order_by("pk").first()
    client.force_login(User.objects.get(username="coordinateur"))
    response = client.post(reverse("contracts:edit", args=[contract.pk]), {"nom": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="erreurs"' in html
    assert_note_placed(html, "identité du contrat rejetée", errors=True)
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": "", "password": ""})
    assert_note_placed(response.content.decode(), "connexion rejetée", errors=True)
