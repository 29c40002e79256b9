"""The dialogue de gestion: the délégation holds it and records it; the coordinator's work item says « à préparer »
and leads to the funding page, which says who records it and what the coordinator brings."""

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from cls_portal.core.worklist import COORDINATEUR, DELEGATION, REGION, items_for
from funding import services
from funding.enums import Statut
from funding.models import AnneeFinancement

pytestmark = pytest.mark.django_db


def _dialogue_items(user, audience, today):
    return [i for i in items_for(user, audience, today) if i.kind.startswith("dialogue_")]


def test_the_coordinators_item_is_to_prepare_and_leads_to_the_page_that_says_who_records(world, settings):
    """Bayeux's coordinator read « Dialogue de gestion 2026 à tenir » and opened a page where only the délégation
    could record it, without a word saying so."""
    t = world.own
    settings.DIALOGUE_GESTION_DEADLINE = "10-31"
    day = dt.date(2026, 12, 6)
    page = reverse("funding:contract", args=[t.contract.pk]) + "#dialogue"
    [item] = _dialogue_items(t.people["coordinateur"], COORDINATEUR, day)
    assert (item.kind, item.label, item.url) == ("dialogue_a_preparer", "Dialogue de gestion 2026 à préparer", page)
    assert item.detail == ("Échéance du 31/10/2026 passée : fixez une date avec la délégation, qui en saisit le "
                           "compte rendu")
    [item] = _dialogue_items(t.people["delegation"], DELEGATION, day)
    assert (item.kind, item.label, item.url) == ("dialogue_a_tenir", "Dialogue de gestion 2026 à tenir",
                                                 reverse("funding:dialogue", args=[t.contract.pk]))
    assert [i.url for i in _dialogue_items(t.people["region"], REGION, day) if i.contract_id == t.contract.pk] \
        == [page]
    assert not _dialogue_items(t.people["coordinateur"], COORDINATEUR, dt.date(2026, 10, 31))  # not yet due


def _page(client, user, contract):
    client.force_login(user)
    response = client.get(reverse("funding:contract", args=[contract.pk]))
    assert response.status_code == 200
    return response, html.unescape(response.content.decode()).replace("\u00a0", " ")


def test_the_funding_page_tells_the_coordinator_what_to_bring_and_who_records(client, world):
    t = world.own
    year = timezone.localdate().year
    response, text = _page(client, t.people["coordinateur"], t.contract)
    assert "Enregistrer un dialogue de gestion" not in text
    assert f"Préparer le dialogue de gestion {year}" in text
    assert ("<strong>C'est la délégation qui en saisit le compte rendu</strong> sur le portail, après la "
            "rencontre") in text
    assert t.delegation.nom in text
    suivi = reverse("actions:followup_year", args=[t.contract.pk]) + f"?annee={year - 1}"
    assert f'href="{suivi}"' in text
    before = AnneeFinancement.objects.filter(contract=t.contract, annee=year - 1).first()
    statement = reverse("funding:year_statement", args=[before.pk]) if before else None
    assert (before is not None and before.statut == Statut.DECIDEE) == (f'href="{statement}">à saisir' in text)
    after = AnneeFinancement.objects.filter(contract=t.contract, annee=year + 1).first()
    create = reverse("funding:year_create", args=[t.contract.pk]) + f"?annee={year + 1}"
    assert (after is None) == (f'href="{create}">à déposer' in text)
    # The link opens the request of that year.
    assert client.get(create).context["form"]["annee"].value() == year + 1
    # The délégation records it: its button, no preparation; the regional team reads who records it.
    _, text = _page(client, t.people["delegation"], t.contract)
    assert "Enregistrer un dialogue de gestion" in text and "Préparer le dialogue" not in text
    _, text = _page(client, t.people["region"], t.contract)
    assert "Le compte rendu de chaque dialogue de gestion est saisi par la délégation départementale." in text
    # Once the year's dialogue is recorded, nothing is left to prepare.
    services.dialogue_record(actor=t.people["delegation"], contract=t.contract, annee=year,
                             date=timezone.localdate(), participants="Collectivité, délégation",
                             conclusions="Poste maintenu.")
    _, text = _page(client, t.people["coordinateur"], t.contract)
    assert "Préparer le dialogue" not in text
