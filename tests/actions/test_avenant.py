import datetime as dt

import pytest
from django.urls import reverse

from actions.services import fiche_update
from cls_portal.core.errors import DomainError
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
    assert "ne se modifie que par un avenant" in page and url not in page
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
