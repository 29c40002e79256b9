import datetime as dt

import pytest
from django.urls import reverse

from actions.models import FicheAction
from actions.permissions import AVENANT_REASON, can_edit_fiche, needs_avenant
from actions.services import fiche_update
from cls_portal.core.errors import DomainError
from cls_portal.core.permissions import OK
from contracts.enums import PlanChangeKind
from contracts.models import Avenant, AvenantChange, Contract

pytestmark = pytest.mark.django_db


def test_validated_sheet_of_a_signed_contract_changes_only_through_an_avenant(client, world):
    own = world.own
    fiche = own.fiche_validee
    client.force_login(own.people["coordinateur"])
    url = reverse("actions:fiche_edit", kwargs={"pk": fiche.pk})
    assert client.get(url).status_code == 403
    page = client.get(reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})).content.decode()
    assert "ne se modifie que si le dernier avenant en vigueur l'ajoute ou la modifie" in page.replace("&#x27;", "'")
    assert url not in page
    with pytest.raises(DomainError, match="avenant"):
        fiche_update(actor=own.people["coordinateur"], fiche_id=fiche.pk, expected_version=fiche.version,
                     data={"titre": "Nouveau"})
    avenant = Avenant.objects.create(contract=own.contract, numero=1, date=dt.date(2025, 6, 1), objet="Réécriture",
                                     plan_version=own.contract.plan_version + 1)
    AvenantChange.objects.create(avenant=avenant, kind=PlanChangeKind.MODIFICATION,
                                 fiche=fiche, description="Réécriture de la fiche")
    # an avenant waiting for initials (its version is ahead of the contract's) does not open the sheet yet
    assert client.get(url).status_code == 403
    Contract.objects.filter(pk=own.contract.pk).update(plan_version=avenant.plan_version)
    assert client.get(url).status_code == 200
    # a draft sheet stays freely editable
    assert client.get(reverse("actions:fiche_edit", kwargs={"pk": own.fiche.pk})).status_code == 200


def _avenant(contract, numero, *changes):
    """An avenant in force (every signatory initialled it): the contract's plan takes its version."""
    avenant = Avenant.objects.create(contract=contract, numero=numero, date=dt.date(2025, 6, numero), objet="x",
                                     plan_version=contract.plan_version + 1)
    for kind, fiche in changes:
        AvenantChange.objects.create(avenant=avenant, kind=kind, fiche=fiche)
    Contract.objects.filter(pk=contract.pk).update(plan_version=avenant.plan_version)
    contract.refresh_from_db()
    return avenant


def test_an_avenant_reopens_a_sheet_only_to_add_or_modify_it_and_only_while_it_is_the_latest_in_force(world):
    """`needs_avenant` reopened a validated sheet for good as soon as any avenant in force mentioned it, a
    retirement included."""
    own = world.own
    fiche = own.fiche_validee
    contract = own.contract
    assert needs_avenant(fiche)
    _avenant(contract, 1, (PlanChangeKind.RETRAIT, fiche))
    fiche = FicheAction.objects.get(pk=fiche.pk)
    assert needs_avenant(fiche), "a retirement does not reopen the sheet"
    _avenant(contract, 2, (PlanChangeKind.MODIFICATION, fiche))
    fiche = FicheAction.objects.get(pk=fiche.pk)
    assert not needs_avenant(fiche) and can_edit_fiche(own.people["coordinateur"], fiche) == OK
    # a later avenant in force that does not list it locks it again…
    _avenant(contract, 3, (PlanChangeKind.MODIFICATION, None))
    fiche = FicheAction.objects.get(pk=fiche.pk)
    assert needs_avenant(fiche) and can_edit_fiche(own.people["coordinateur"], fiche) == (False, AVENANT_REASON)
    with pytest.raises(DomainError, match="dernier avenant en vigueur"):
        fiche_update(actor=own.people["coordinateur"], fiche_id=fiche.pk, expected_version=fiche.version,
                     data={"titre": "Nouveau"})
    # …unless it lists it too (an « ajout » reopens as a « modification » does)
    _avenant(contract, 4, (PlanChangeKind.AJOUT, fiche))
    assert not needs_avenant(FicheAction.objects.get(pk=fiche.pk))
