"""The signed plan of a contract signed before it came into the portal: the région imports the contract (phase
« Mise en œuvre et évaluation », signed in 2022), its coordinator imports the plan and confirms, in the preview,
that it is the plan signed with the contract. Its sheets are then validated (the annex was validated and signed
by everyone before the portal: no review, no avenant), locked as every sheet of a signed plan, and followed each
year. Without that confirmation they are drafts, which a signed contract only validates through an avenant.
"""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from actions import permissions, services
from actions.enums import FicheStatut
from actions.models import FicheAction
from cls_portal.core.errors import DomainError
from cls_portal.core.models import HistoryEntry
from contracts.enums import Phase
from contracts.models import Contract
from imports.contracts import COLUMNS as CONTRACT_COLUMNS
from tests import factories as f
from tests.imports.test_plan_import import GOOD, xlsx
from tests.worlds.actions import added_by_avenant

pytestmark = pytest.mark.django_db

QUESTION = "Ce plan est-il celui signé le 12/10/2022"


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


@pytest.fixture
def imported(world):
    """A CLS signed on 12/10/2022, imported by the regional team from its Excel file; the world's coordinator
    coordinates it."""
    epci = f.EPCIFactory(nom="CC Bessin test")
    f.CommuneFactory(departement=world.own.departement, epci=epci, population=5000)
    wb = Workbook()
    ws = wb.active
    ws.append([c.label for c in CONTRACT_COLUMNS])
    ws.append(["CLS du Bessin", epci.code, "", "Mise en œuvre et évaluation", "", "15/03/2021", "12/10/2022",
               "11/10/2027", "", ""])
    buf = io.BytesIO()
    wb.save(buf)
    region = _client(world.users["region"])
    preview = region.post(reverse("imports:contracts"), {"fichier": SimpleUploadedFile("cls.xlsx", buf.getvalue())})
    region.post(reverse("imports:contracts_confirm"), {"token": preview.context["token"]})
    contract = Contract.objects.get(nom="CLS du Bessin")
    assert contract.phase == Phase.MISE_EN_OEUVRE and contract.date_signature == dt.date(2022, 10, 12)
    contract.coordinators.add(world.own.people["coordinateur"])
    return contract


def _preview(client, contract, rows=GOOD):
    return client.post(reverse("imports:plan", args=[contract.pk]), {"fichier": xlsx(rows)})


def _confirm(client, contract, token, **data):
    return client.post(reverse("imports:plan_confirm", args=[contract.pk]), {"token": token, **data}, follow=True)


def _text(response):
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


def test_the_signed_plan_is_recorded_validated_then_followed(world, imported):
    coordinator = _client(world.own.people["coordinateur"])
    response = _preview(coordinator, imported)
    assert QUESTION in _text(response)
    token = response.context["token"]

    # The question has no default: unanswered, the same preview comes back with the error, nothing saved.
    response = _confirm(coordinator, imported, token)
    assert response.status_code == 200
    assert "Indiquez si ce plan est celui signé le 12/10/2022." in _text(response)
    assert not FicheAction.objects.filter(contract=imported).exists()

    response = _confirm(coordinator, imported, token, plan_signe="oui")
    assert "Plan d'action signé le 12/10/2022 enregistré : 2 axes, 2 fiches validées et 2 indicateurs." \
        in _text(response)
    fiches = FicheAction.objects.filter(contract=imported).order_by("axe__numero")
    assert [fi.statut for fi in fiches] == [FicheStatut.VALIDEE, FicheStatut.VALIDEE]
    lines = HistoryEntry.objects.filter(contract_id=imported.pk, action="fiche_plan_signe")
    assert lines.count() == 2
    assert {line.context["date_signature"] for line in lines} == {"12/10/2022"}
    assert HistoryEntry.objects.filter(contract_id=imported.pk, action="plan_signe_enregistre").count() == 1
    sheet_page = _text(coordinator.get(reverse("actions:fiche_detail", args=[fiches[0].pk])))
    assert "elle fait partie du plan d'action signé le 12/10/2022 (version 1 du plan)" in sheet_page

    # The signed plan is locked as any signed plan: changing a sheet takes an avenant.
    assert all(permissions.needs_avenant(fi) for fi in fiches)
    # Its sheets are followed: the last year of the contract's life lists them, each to fill in.
    followup = _text(coordinator.get(reverse("actions:followup_year", args=[imported.pk])))
    assert "Dépistage organisé des cancers" in followup and "Renseigner" in followup
    assert "Aucune fiche validée à suivre" not in followup
    # The délégation has nothing to review, and no sheet waits on the coordinator's side either.
    delegation = _client(world.own.people["delegation"])
    dashboard = delegation.get(reverse("contracts:delegation_dashboard"))
    waiting = {i.kind for _, items in dashboard.context["work_groups"] for i in items if i.contract_id == imported.pk}
    assert "fiche_a_revoir" not in waiting


def test_new_sheets_of_a_signed_plan_already_recorded_still_need_an_avenant(world, imported):
    coordinator = _client(world.own.people["coordinateur"])
    first = [r for r in GOOD if r[0] == 2]
    response = _preview(coordinator, imported, first)
    _confirm(coordinator, imported, response.context["token"], plan_signe="oui")
    assert not permissions.can_record_signed_plan(imported)[0]

    # A second file adds sheets to a signed plan the portal now holds: no question, drafts (avenant needed).
    response = _preview(coordinator, imported, [r for r in GOOD if r[0] == 3])
    assert QUESTION not in _text(response)
    _confirm(coordinator, imported, response.context["token"], plan_signe="oui")  # a forged answer is ignored
    added = FicheAction.objects.get(contract=imported, axe__numero=3)
    assert added.statut == FicheStatut.BROUILLON
    FicheAction.objects.filter(pk=added.pk).update(statut=FicheStatut.SOUMISE)
    with pytest.raises(DomainError, match="avenant"):
        services.fiche_transition(actor=world.own.people["delegation"], fiche_id=added.pk, name="valider")


def test_answering_no_keeps_drafts_and_the_delegation_is_told_how_the_signed_plan_comes_in(world, imported):
    coordinator = _client(world.own.people["coordinateur"])
    response = _preview(coordinator, imported)
    _confirm(coordinator, imported, response.context["token"], plan_signe="non")
    fiche = FicheAction.objects.filter(contract=imported).first()
    assert fiche.statut == FicheStatut.BROUILLON
    assert not HistoryEntry.objects.filter(contract_id=imported.pk, action="fiche_plan_signe").exists()
    FicheAction.objects.filter(pk=fiche.pk).update(statut=FicheStatut.SOUMISE)
    with pytest.raises(DomainError) as err:
        services.fiche_transition(actor=world.own.people["delegation"], fiche_id=fiche.pk, name="valider")
    assert "Le plan signé le 12/10/2022 n'est pas encore dans le portail" in err.value.message


def test_a_contract_signed_in_the_portal_is_never_asked(world):
    """The world's contract holds its signed plan (validated sheets): its plan import is unchanged."""
    coordinator = _client(world.own.people["coordinateur"])
    contract = world.own.contract
    FicheAction.objects.filter(pk=world.own.extra["fiche"].pk).update(statut=FicheStatut.VALIDEE)
    response = _preview(coordinator, contract)
    assert QUESTION[:30] not in _text(response)
    _confirm(coordinator, contract, response.context["token"], plan_signe="oui")
    assert set(FicheAction.objects.filter(contract=contract, axe__numero__in=[2, 3])
               .values_list("statut", flat=True)) == {FicheStatut.BROUILLON}


def test_followup_of_an_imported_contract_without_its_signed_plan_says_what_to_do(world, imported):
    url = reverse("actions:followup_year", args=[imported.pk])
    coordinator = _text(_client(world.own.people["coordinateur"]).get(url))
    assert "Le plan d'action signé n'est pas encore dans le portail" in coordinator
    assert reverse("imports:plan", args=[imported.pk]) in coordinator
    delegation = _text(_client(world.own.people["delegation"]).get(url))
    assert "Le coordinateur du contrat l'importe" in delegation
    assert reverse("imports:plan", args=[imported.pk]) not in delegation


@pytest.mark.parametrize("state,expected", [
    ("signed_empty", True),
    ("unsigned", False),
    ("validated_sheet", False),
    ("abandoned_after_validation", False),
    ("avenant", False),
    ("drafts_only", True),
])
def test_can_record_signed_plan(world, state, expected, django_assert_num_queries):
    """The answer, and in one query at most (avenants and validated sheets read together)."""
    contract = f.ContractFactory(ars=world.own.delegation.ars, delegations=[world.own.delegation])
    axe = f.AxeFactory(contract=contract, numero=1)
    if state == "unsigned":
        Contract.objects.filter(pk=contract.pk).update(phase=Phase.DIAGNOSTIC, date_signature=None)
    elif state == "validated_sheet":
        f.FicheActionFactory(axe=axe, numero=1, statut=FicheStatut.EN_COURS)
    elif state == "abandoned_after_validation":
        f.FicheActionFactory(axe=axe, numero=1, statut=FicheStatut.ABANDONNEE, abandonnee_apres_validation=True)
    elif state == "avenant":
        added_by_avenant(f.FicheActionFactory(axe=axe, numero=1), world.users["admin"])
    elif state == "drafts_only":
        f.FicheActionFactory(axe=axe, numero=1, statut=FicheStatut.SOUMISE)
    contract.refresh_from_db()
    with django_assert_num_queries(0 if state == "unsigned" else 1):
        allowed, reason = permissions.can_record_signed_plan(contract)
    assert allowed is expected and (expected or reason)


def test_the_service_refuses_a_contract_whose_signed_plan_is_in_the_portal(world):
    contract = world.own.contract
    fiche = world.own.extra["fiche"]
    f.FicheActionFactory(axe=fiche.axe, numero=9, statut=FicheStatut.VALIDEE)
    lines = HistoryEntry.objects.count()
    with pytest.raises(DomainError, match="déjà dans le portail"):
        services.plan_record_signed(actor=world.own.people["coordinateur"], contract=contract, fiche_ids=[fiche.pk])
    assert FicheAction.objects.get(pk=fiche.pk).statut == fiche.statut and HistoryEntry.objects.count() == lines
