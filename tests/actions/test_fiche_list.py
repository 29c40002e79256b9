import pytest
from django.urls import reverse

from actions.enums import FicheStatut
from actions.models import LigneBudget
from tests import factories as f
from tests.queries import assert_snapshot_queries

pytestmark = pytest.mark.django_db


def _url(world, query=""):
    return reverse("actions:fiche_list", kwargs={"contract_pk": world.own.contract.pk}) + query


def test_filters_by_status_axe_and_review_state(client, world):
    own = world.own
    axe2 = f.AxeFactory(contract=own.contract, numero=2, titre="Prévention")
    f.FicheActionFactory(axe=axe2, numero=1, titre="Dépistage", statut=FicheStatut.EN_COURS)
    client.force_login(own.people["coordinateur"])
    titles = lambda r: {fi.titre for fi in r.context["page_obj"]}  # noqa: E731
    assert titles(client.get(_url(world, f"?axe={axe2.pk}"))) == {"Dépistage"}
    assert titles(client.get(_url(world, "?statut=soumise"))) == {"Permanences de soins"}
    validated = titles(client.get(_url(world, "?revue=validee")))
    assert validated == {"Dépistage", "Dépistage du diabète", "Prévention des chutes"}
    r = client.get(_url(world, "?statut=inconnu"))
    assert r.status_code == 200 and r.context["filterset"].errors


def test_csv_export_with_chosen_columns(client, world):
    own = world.own
    LigneBudget.objects.create(fiche=own.fiche_validee, annee=2025, type="autre", montant_prevu="1234.50")
    client.force_login(own.people["delegation"])
    r = client.get(_url(world, "?statut=validee&format=csv&colonnes=code&colonnes=titre&colonnes=budget"))
    assert r["Content-Type"].startswith("text/csv")
    lines = b"".join(r.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "N°;Fiche action;Budget prévu (€)"
    assert "1.12;Dépistage du diabète;1234,50" in lines and "1.13;Prévention des chutes;0,00" in lines
    assert len(lines) == 3  # header + the two validated sheets


def test_xlsx_export(client, world):
    client.force_login(world.own.people["coordinateur"])
    r = client.get(_url(world, "?format=xlsx"))
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert r.content[:2] == b"PK"


def test_list_query_count_does_not_grow(client, world, snapshot):
    client.force_login(world.own.people["coordinateur"])
    for i in range(30):
        fiche = f.FicheActionFactory(axe=world.own.axe, numero=50 + i, pilote_organisation=world.own.pilote_org)
        LigneBudget.objects.create(fiche=fiche, annee=2025, type="autre", montant_prevu=100)
    with assert_snapshot_queries(snapshot):
        r = client.get(_url(world))
    assert len(r.context["page_obj"].object_list) == 25
