"""The ARS's multi-year commitment to the coordination post (issue 21 item 9): recorded by the délégation for
the contract's years, and every yearly request and decision checked against it."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from cls_portal.core.errors import DomainError
from cls_portal.core.formatting import format_euros
from cls_portal.core.models import HistoryEntry
from funding import services
from funding.enums import FundingEvent
from funding.models import EngagementAnnuel
from tests.funding.test_services import decide, file_request, instructed
from tests.worlds.funding import TODAY

pytestmark = pytest.mark.django_db


def commit(tenant, **montants):
    return services.engagement_record(actor=tenant.people["delegation"], contract=tenant.contract, today=TODAY,
                                      montants={int(y.removeprefix("a")): m for y, m in montants.items()})


def test_a_request_above_the_commitment_is_refused_with_its_reason(world):
    own = world.own
    years = services.engagement_years(own.contract, today=TODAY)
    assert 2024 in years and years == list(range(years[0], years[-1] + 1))
    commit(own, a2024=D("20000"))
    with pytest.raises(DomainError) as err:
        file_request(own, annee=2024, demande_ars=D("23000"))
    assert err.value.field == "demande_ars"
    assert f"dépasse l'engagement pluriannuel de l'ARS pour 2024 ({format_euros(20000)})" in err.value.message
    # within the commitment: filed; a year without commitment is checked against the rule only
    annee = file_request(own, annee=2024, demande_ars=D("20000"), demande_collectivite=D("26000"))
    assert annee.demande_ars == D("20000")


def test_a_decision_above_the_commitment_is_refused_and_the_commitment_not_below_what_was_granted(world):
    own = world.own
    annee = instructed(own, annee=2024)
    commit(own, a2024=D("21000"))
    with pytest.raises(DomainError, match="Le montant accordé .* dépasse l'engagement pluriannuel"):
        decide(own, annee, montant=D("23000"))
    decide(own, annee, montant=D("21000"))
    with pytest.raises(DomainError, match="l'engagement ne peut pas être inférieur"):
        commit(own, a2024=D("15000"))


def test_commitment_years_amounts_history_and_nothing_written_when_unchanged(world):
    own = world.own
    years = services.engagement_years(own.contract, today=TODAY)
    with pytest.raises(DomainError, match="n'est pas une année du contrat"):
        commit(own, **{f"a{years[-1] + 1}": D("1000")})
    with pytest.raises(DomainError):
        commit(own, a2024=D("-5"))
    commit(own, a2024=D("20000"), a2025=D("25000"))
    line = HistoryEntry.objects.filter(action=FundingEvent.ENGAGEMENT, contract_id=own.contract.pk).get()
    assert line.actor == own.people["delegation"]
    assert f"2024 : {format_euros(20000)} ; 2025 : {format_euros(25000)}" in line.comment
    commit(own, a2024=D("20000"), a2025=D("25000"))  # the same again: nothing written
    assert HistoryEntry.objects.filter(action=FundingEvent.ENGAGEMENT).count() == 1
    commit(own, a2025=None)  # a year emptied is removed
    assert list(EngagementAnnuel.objects.filter(contract=own.contract).values_list("annee", flat=True)) == [2024]


def test_the_delegation_records_it_on_its_page_and_the_funding_page_shows_it(client, world):
    own = world.own
    client.force_login(own.people["delegation"])
    url = reverse("funding:engagement", args=[own.contract.pk])
    page = client.get(url).content.decode()
    assert "Montant ARS prévu pour 2024 (€)" in page
    response = client.post(url, {"annee_2024": "12 500,50", "annee_2025": "abc"})
    assert response.status_code == 200  # a typing error is shown next to its field; nothing saved
    assert not EngagementAnnuel.objects.exists()
    client.post(url, {"annee_2024": "12 500,50"})
    assert EngagementAnnuel.objects.get().montant_prevu == D("12500.50")
    html = client.get(reverse("funding:contract", args=[own.contract.pk])).content.decode()
    assert "Engagement pluriannuel de l'ARS" in html and format_euros(D("12500.50")) in html
    client.force_login(own.people["coordinateur"])
    assert client.get(url).status_code == 403
