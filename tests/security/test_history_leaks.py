"""History lines are filtered by the same predicates as the pages they describe (issue 18, item 1).

The funding page answers 403 to the pilot and the élu: the contract page's history (and any other page
showing history lines) must not show them the coordinator's salary, the amounts requested and granted,
the payments with their mandate numbers or the dialogue de gestion minutes.
"""

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from contracts import selectors
from funding import permissions as funding_permissions
from funding import services as funding_services

pytestmark = pytest.mark.django_db

MINUTES = "Conclusions du dialogue : poste maintenu, salaire revalorisé"


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", html.replace("\u202f", " ").replace("\xa0", " "))


@pytest.fixture
def funded(world):
    """The own contract with a decided and paid year (tests/worlds/funding.py) and a dialogue de gestion."""
    t = world.own
    funding_services.dialogue_record(actor=t.people["delegation"], contract=t.contract, annee=2025,
                                     date=dt.date(2025, 11, 4), participants="Mme la Présidente, la DD",
                                     conclusions=MINUTES, montant_convenu=D("24000"), today=dt.date(2026, 6, 1))
    return t


SECRETS = ["Mandat 2025-0412", "32 000 €", "23 000 €", "11 500 €", MINUTES, "Demande de financement 2025",
           "Dialogue de gestion 2025", "Versement enregistré"]


@pytest.mark.parametrize("role", ["pilote", "elu"])
def test_pilot_and_elu_see_no_funding_line_anywhere(client, funded, role):
    user = funded.people[role]
    assert not funding_permissions.can_view_funding(user, funded.contract)[0]
    client.force_login(user)
    assert client.get(reverse("funding:contract", kwargs={"contract_pk": funded.contract.pk})).status_code == 403
    # The contract page sends them to its read-only summary (issue 15), which shows none of it.
    r = client.get(reverse("contracts:detail", args=[funded.contract.pk]), follow=True)
    assert r.status_code == 200 and r.redirect_chain[-1][0] == reverse("directory:summary",
                                                                       args=[funded.contract.pk])
    page = _text(r)
    for secret in SECRETS:
        assert secret not in page, secret
    # Nor does the selector every page uses, whatever the page.
    lines = selectors.history(funded.contract, user)
    shown = " ".join(line.sentence + " " + " ".join(line.details) + " " + line.comment for line in lines)
    for secret in SECRETS:
        assert secret not in shown, secret


@pytest.mark.parametrize("role", ["coordinateur", "delegation", "region"])
def test_those_who_open_the_funding_page_see_its_lines_on_the_contract_page(client, funded, role):
    client.force_login(funded.people[role])
    page = _text(client.get(reverse("contracts:detail", args=[funded.contract.pk])))
    for secret in ("Mandat 2025-0412", "23 000 €", MINUTES, "Versement enregistré sur le financement 2025"):
        assert secret in page, secret


def test_review_exchange_lines_follow_the_review_predicate(client, world):
    """Requests for changes are the review exchange: the sheet's pilot reads them, not the élu."""
    from actions import services as action_services
    from tests.worlds.actions import complete_fiche

    t = world.own
    fiche = complete_fiche(t.fiche)
    action_services.fiche_transition(actor=t.people["coordinateur"], fiche_id=fiche.pk, name="soumettre")
    action_services.fiche_transition(actor=t.people["delegation"], fiche_id=fiche.pk, name="demander_modification",
                                     commentaire="Le budget 2026 est à revoir entièrement.")
    url = reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})
    client.force_login(t.people["elu"])
    r = client.get(url)
    # Issue 15: a sheet sent back for changes is not validated: the elected official does not open it at all.
    assert r.status_code == 403
    assert "Le budget 2026 est à revoir entièrement." not in _text(r)
    client.force_login(t.people["pilote"])  # pilots this sheet
    assert "Le budget 2026 est à revoir entièrement." in _text(client.get(url))
