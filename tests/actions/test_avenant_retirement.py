"""A « Fiche retirée » in force takes effect on the sheet: it becomes « abandonnée », with a history line.

Found in review: an avenant in force retiring a sheet changed nothing on it (still « validée » / « en cours »).
"""

import datetime as dt

import pytest
from django.urls import reverse

from actions.enums import ActionEvent, FicheStatut
from actions.models import FicheAction
from actions.services import fiches_retire_by_avenant
from cls_portal.core import history
from cls_portal.core.models import HistoryEntry
from contracts import services as contract_services
from contracts.enums import PlanChangeKind, SignatoryRole
from tests import factories as f

pytestmark = pytest.mark.django_db


def _retire(contract, fiche, actor, signataires, numero_date=dt.date(2025, 6, 1)):
    return contract_services.avenant_create(actor=actor, contract=contract, date=numero_date,
                                            objet="Action reprise par le département", signataires=signataires,
                                            changes=[{"kind": PlanChangeKind.RETRAIT, "fiche": fiche}])


def _lines(fiche):
    entries = HistoryEntry.objects.filter(action=ActionEvent.FICHE_RETIREE_PAR_AVENANT, object_id=fiche.pk)
    return history.lines(entries.order_by("id"))


def test_the_last_initials_abandon_the_retired_sheet_with_a_history_line(client, world):
    own = world.own
    contract, coordinateur = own.contract, own.people["coordinateur"]
    fiche = own.fiche_validee
    signataires = list(contract.signatories.exclude(role=SignatoryRole.PARTENAIRE))
    assert signataires, "the world's contract has signatories"
    avenant = _retire(contract, fiche, coordinateur, signataires=[])
    # waiting for initials: the sheet is still in the plan
    assert FicheAction.objects.get(pk=fiche.pk).statut == FicheStatut.VALIDEE and not _lines(fiche)
    contract_services.avenant_initials_add(actor=coordinateur, avenant=avenant, signataires=signataires)
    fiche = FicheAction.objects.get(pk=fiche.pk)
    assert (fiche.statut, fiche.abandonnee_apres_validation) == (FicheStatut.ABANDONNEE, True)
    [line] = _lines(fiche)
    assert line.sentence == (f"Fiche {fiche.code} retirée du plan d'action par l'avenant n°{avenant.numero} du "
                             f"01/06/2025 : entrée en vigueur de l'avenant enregistrée par {coordinateur}")
    assert line.details == ["Statut : Validée → Abandonnée"] and line.comment == "Action reprise par le département"
    # the sheet's page reads it
    client.force_login(coordinateur)
    page = client.get(reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})).content.decode().replace(
        "&#x27;", "'")
    assert f"retirée du plan d'action par l'avenant n°{avenant.numero} du 01/06/2025" in page
    # idempotent: applying it again changes and records nothing
    version = fiche.version
    assert fiches_retire_by_avenant(actor=coordinateur, avenant=avenant) == []
    assert len(_lines(fiche)) == 1 and FicheAction.objects.get(pk=fiche.pk).version == version


def test_an_avenant_in_force_at_its_creation_abandons_the_sheets_it_retires_and_no_other(world):
    own = world.own
    contract, coordinateur = own.contract, own.people["coordinateur"]
    running = f.FicheActionFactory(axe=own.fiche_validee.axe, numero=21, statut=FicheStatut.EN_COURS,
                                   pilote_organisation=own.fiche_validee.pilote_organisation)
    signataires = list(contract.signatories.exclude(role=SignatoryRole.PARTENAIRE))
    avenant = contract_services.avenant_create(
        actor=coordinateur, contract=contract, date=dt.date(2025, 6, 1), objet="Révision", signataires=signataires,
        changes=[{"kind": PlanChangeKind.RETRAIT, "fiche": running},
                 {"kind": PlanChangeKind.MODIFICATION, "fiche": own.fiche_validee}])
    contract.refresh_from_db()
    assert contract.plan_version == avenant.plan_version
    assert FicheAction.objects.get(pk=running.pk).statut == FicheStatut.ABANDONNEE
    assert FicheAction.objects.get(pk=own.fiche_validee.pk).statut == FicheStatut.VALIDEE
    [line] = _lines(running)
    assert line.details == ["Statut : En cours → Abandonnée"]
