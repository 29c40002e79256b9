"""Two people edit the same action sheet (or funding year) from the same version: no lost update.

Each person has a session of their own and submits the form exactly as the browser would (every
field with the value the page showed, one field changed). The first save wins; the second is refused
with a French message, its typed value kept on screen, and the database still holds the first one.
"""

import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


class BrowserForm(HTMLParser):
    """The fields a browser would submit for the form at `index` (inputs, checked boxes, textareas,
    selected options), in document order."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._textarea, self._select = [], None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {"action": a.get("action") or "", "data": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag == "input" and name and (a.get("type") or "text") not in ("submit", "button", "file", "image", "reset"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["data"].append([name, a.get("value", "on" if a.get("type") == "checkbox" else "")])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self._form["data"].append(self._textarea)
        elif tag == "select" and name:
            self._select = {"name": name, "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            first = [self._select["first"]] if self._select["first"] is not None else []
            for value in self._select["chosen"] or first:
                self._form["data"].append([self._select["name"], value])
            self._select = None
        elif tag == "form":
            self._form = None

    def payload(self, **changes):
        form = next(f for f in self.forms if any(n == "version" for n, _ in f["data"]))
        data = {}
        for name, value in form["data"]:
            data.setdefault(name, []).append(value)
        for name, value in changes.items():
            assert name in data, f"champ {name} absent du formulaire"
            data[name] = [value]
        return data


def _session(user):
    client = Client()
    client.force_login(user)
    return client


def _race(url, user_a, user_b, field, value_a, value_b):
    alice, bob = _session(user_a), _session(user_b)
    page_a, page_b = alice.get(url), bob.get(url)
    assert page_a.status_code == page_b.status_code == 200
    form_a, form_b = BrowserForm(page_a.content.decode()), BrowserForm(page_b.content.decode())
    assert form_a.payload()["version"] == form_b.payload()["version"]
    first = alice.post(url, form_a.payload(**{field: value_a}))
    assert first.status_code == 302, f"première sauvegarde refusée : {first.content.decode()[-3000:]}"
    second = bob.post(url, form_b.payload(**{field: value_b}))
    return second, bob


def _retry_after_reload(bob, url, field, value):
    """Refused only for its stale version: reloaded, the same change goes through."""
    form = BrowserForm(bob.get(url).content.decode())
    assert bob.post(url, form.payload(**{field: value})).status_code == 302


def _assert_refused(response, typed):
    assert response.status_code == 200  # the form again, not a 500 nor a silent success
    text = re.sub(r"\s+", " ", response.content.decode())
    assert "modifié" in text and ("entre-temps" in text or "pendant" in text or "autre" in text), text[-3000:]
    assert typed in text  # what the second person typed is still on screen


def test_two_sessions_on_one_action_sheet_second_save_is_refused_and_first_kept(world):
    fiche = world.own.fiche
    coordinator = world.users["coordinateur"]
    url = reverse("actions:fiche_edit", kwargs={"pk": fiche.pk})
    second, bob = _race(url, coordinator, coordinator, "titre", "Maison de santé pluriprofessionnelle de Lisieux",
                        "Centre de santé de Lisieux")
    _assert_refused(second, "Centre de santé de Lisieux")
    fiche.refresh_from_db()
    assert fiche.titre == "Maison de santé pluriprofessionnelle de Lisieux"
    _retry_after_reload(bob, url, "titre", "Centre de santé de Lisieux")
    fiche.refresh_from_db()
    assert fiche.titre == "Centre de santé de Lisieux"


def test_two_sessions_on_one_funding_year_second_save_is_refused_and_first_kept(world):
    annee = world.own.funding_request
    coordinator = world.users["coordinateur"]
    url = reverse("funding:year_edit", kwargs={"pk": annee.pk})
    second, bob = _race(url, coordinator, coordinator, "commentaire", "Poste pourvu depuis janvier.",
                        "Recrutement en cours.")
    _assert_refused(second, "Recrutement en cours.")
    annee.refresh_from_db()
    assert annee.commentaire == "Poste pourvu depuis janvier."
    assert annee.demande_ars == Decimal("20000.00")
    _retry_after_reload(bob, url, "commentaire", "Recrutement en cours.")
    annee.refresh_from_db()
    assert annee.commentaire == "Recrutement en cours."


def test_two_sessions_on_one_step_second_save_is_refused_and_first_kept(world):
    step = world.own.step
    coordinator = world.users["coordinateur"]
    url = reverse("contracts:step_edit", kwargs={"pk": world.own.contract.pk, "step_pk": step.pk})
    second, bob = _race(url, coordinator, coordinator, "acteurs", "Élus et CPAM", "Élus seulement")
    _assert_refused(second, "Élus seulement")
    step.refresh_from_db()
    assert step.acteurs == "Élus et CPAM"
    _retry_after_reload(bob, url, "acteurs", "Élus seulement")
    step.refresh_from_db()
    assert step.acteurs == "Élus seulement"


def test_two_sessions_on_one_axe_second_save_is_refused_and_first_kept(world):
    axe = world.own.axe
    coordinator = world.users["coordinateur"]
    url = reverse("actions:axe_edit", kwargs={"pk": axe.pk})
    second, bob = _race(url, coordinator, coordinator, "titre", "Accès aux soins de premier recours",
                        "Accès aux soins et à la prévention")
    _assert_refused(second, "Accès aux soins et à la prévention")
    axe.refresh_from_db()
    assert axe.titre == "Accès aux soins de premier recours"
    _retry_after_reload(bob, url, "titre", "Accès aux soins et à la prévention")
    axe.refresh_from_db()
    assert axe.titre == "Accès aux soins et à la prévention"


def test_two_sessions_on_one_yearly_follow_up_second_save_is_refused_and_first_kept(world):
    from actions.models import SuiviAnnuel
    from actions.selectors import contract_years

    fiche = world.own.fiche_validee
    annee = contract_years(fiche.contract)[-1]
    coordinator = world.users["coordinateur"]
    url = reverse("actions:suivi_edit", kwargs={"pk": fiche.pk, "annee": annee})
    second, bob = _race(url, coordinator, coordinator, "realise", "Dix tournées du bus.", "Huit tournées du bus.")
    _assert_refused(second, "Huit tournées du bus.")
    assert SuiviAnnuel.objects.get(fiche=fiche, annee=annee).realise == "Dix tournées du bus."
    _retry_after_reload(bob, url, "realise", "Huit tournées du bus.")
    assert SuiviAnnuel.objects.get(fiche=fiche, annee=annee).realise == "Huit tournées du bus."
