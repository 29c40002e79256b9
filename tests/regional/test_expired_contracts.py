"""A contract past its end date and not closed is no longer in force: out of « Contrats signés et actifs », of the
population covered, of the `actif=1` list and of the public directory; back in them at a date before its end.
It still owes what its years owe (the report campaign, the reports due, the funding year), and the délégation is
told to evaluate and close it."""

import datetime as dt
from html import unescape

import pytest
from django.urls import reverse

from cls_portal.accounts.models import Role
from cls_portal.core import worklist
from contracts.enums import Phase
from contracts.models import Contract
from directory import selectors as directory_selectors
from funding import selectors as funding_selectors
from regional import selectors as regional_selectors
from regional.coverage import coverage
from reports.reminders import reports_due
from reports.services import campaign_contracts
from tests import factories as f

END = dt.date(2025, 12, 31)  # the expired contract: signed 01/01/2022 for 4 years


@pytest.fixture
def normandie():
    """Calvados: x 4 000 inhabitants in the running contract, y 1 000 in the one that reached its end on
    31/12/2025 (mise en œuvre, never closed in the portal)."""
    reg = f.RegionFactory(code="28", nom="Normandie")
    dep = f.DepartementFactory(code="14", nom="Calvados", region=reg)
    dd = f.DelegationFactory(departement=dep)
    x, y = f.CommuneFactory(departement=dep, population=4000), f.CommuneFactory(departement=dep, population=1000)
    coord = f.UserFactory()
    running = f.ContractFactory(nom="CLS en cours", ars=dd.ars, delegations=[dd], communes=[x],
                                date_signature=dt.date(2024, 3, 15), duree_annees=5)
    expired = f.ContractFactory(nom="CLS échu", ars=dd.ars, delegations=[dd], communes=[y], coordinators=[coord],
                                date_signature=dt.date(2022, 1, 1), duree_annees=4)
    assert expired.date_fin == END
    return {"region": reg, "dep": dep, "running": running, "expired": expired, "coord": coord,
            "user": f.with_role(f.UserFactory(), Role.REGION, region=reg),
            "delegation": f.with_role(f.UserFactory(), Role.DELEGATION, departements=[dep])}


@pytest.mark.django_db
def test_the_figures_of_today_leave_out_a_contract_past_its_end(client, normandie):
    client.force_login(normandie["user"])
    context = client.get(reverse("regional:dashboard")).context
    figures = context["figures"]
    assert figures["active"].value == 1
    assert figures["covered"].value == 4000
    listed = client.get(reverse("regional:contracts"), {"actif": "1"}).context["page_obj"].object_list
    assert [c.nom for c in listed] == ["CLS en cours"]
    assert not normandie["expired"].is_active and normandie["running"].is_active
    assert list(Contract.objects.active()) == [normandie["running"]]


@pytest.mark.django_db
def test_the_figures_at_a_date_before_its_end_count_it_with_the_same_rule(client, normandie):
    client.force_login(normandie["user"])
    figures = client.get(reverse("regional:dashboard"), {"au": "2024-06-30"}).context["figures"]
    assert (figures["active"].value, figures["covered"].value) == (2, 5000)
    listed = client.get(reverse("regional:contracts"), {"actif": "1", "au": "2024-06-30"}).context["page_obj"]
    assert sorted(c.nom for c in listed.object_list) == ["CLS en cours", "CLS échu"]
    region = normandie["region"].code
    covered = {day: coverage(region_code=region, at=day).total.covered
               for day in (END, END + dt.timedelta(days=1), None)}
    assert covered == {END: 5000, END + dt.timedelta(days=1): 4000, None: 4000}  # its last day still counts
    in_force_on_its_last_day = set(Contract.objects.filter(regional_selectors.q_active(END)))
    assert in_force_on_its_last_day == {normandie["running"], normandie["expired"]}


@pytest.mark.django_db
def test_the_public_directory_no_longer_lists_it(normandie):
    assert [c.nom for c in directory_selectors.directory(region="28")] == ["CLS en cours"]
    communes = directory_selectors.communes_found(normandie["expired"].communes.get().nom)
    assert all(not c.active_contracts for c in communes)
    assert directory_selectors.coverage_by_departement()["14"]["covered"] == 4000


@pytest.mark.django_db
def test_it_still_owes_the_reports_and_funding_of_its_last_year(normandie):
    expired, region = normandie["expired"], normandie["region"]
    # The report campaign of 2025 asks it for its reports, not the one of 2026.
    assert expired in campaign_contracts(year=2025, region=region)
    assert expired not in campaign_contracts(year=2026, region=region)
    # The regional figure of reports expected, and the reminder of the reports due in 2026 for 2025.
    assert expired in Contract.objects.filter(regional_selectors.q_report_expected(2025))
    assert expired not in Contract.objects.filter(regional_selectors.q_report_expected(2026))
    assert {(r.contract.pk, r.period) for r in reports_due(dt.date(2026, 3, 2), {})} >= {(expired.pk, "2025")}
    assert expired.pk not in {r.contract.pk for r in reports_due(dt.date(2027, 3, 2), {})}
    # Its 2025 funding year still waits for a decision; 2026 is none of its years.
    assert funding_selectors.totals_overall(normandie["user"], 2025)[0].sans_decision == 2
    assert funding_selectors.totals_overall(normandie["user"], 2026)[0].sans_decision == 1


@pytest.mark.django_db
def test_a_contract_closed_early_is_not_asked_for_the_reports_of_the_years_after(normandie):
    from django.utils import timezone

    from contracts.models import PhaseTransition

    running, region = normandie["running"], normandie["region"]  # signed 15/03/2024 for 5 years
    record = PhaseTransition.objects.create(contract=running, transition="clore", from_phase=Phase.EVALUATION_FINALE,
                                            to_phase=Phase.CLOS)
    PhaseTransition.objects.filter(pk=record.pk).update(at=timezone.make_aware(dt.datetime(2025, 6, 30, 10, 30)))
    Contract.objects.filter(pk=running.pk).update(phase=Phase.CLOS)
    assert running in campaign_contracts(year=2025, region=region)  # closed during 2025: it ran in 2025
    assert running not in campaign_contracts(year=2026, region=region)


@pytest.mark.django_db
def test_the_delegation_is_told_to_evaluate_and_close_it(client, normandie):
    items = [i for i in worklist.items_for(normandie["delegation"], worklist.DELEGATION)
             if i.kind == "contrat_echu"]
    assert [(i.contract, i.title, i.due) for i in items] == [("CLS échu", "Arrivé à échéance le 31/12/2025", END)]
    assert items[0].url == reverse("contracts:detail", args=[normandie["expired"].pk]) + "#cycle"
    client.force_login(normandie["delegation"])
    page = unescape(client.get(reverse("contracts:detail", args=[normandie["expired"].pk])).content.decode())
    assert "Arrivé à échéance le 31/12/2025" in page
    assert "l'évaluation finale puis la clôture sont à mener" in page
    Contract.objects.filter(pk=normandie["expired"].pk).update(phase=Phase.EVALUATION_FINALE)
    page = unescape(client.get(reverse("contracts:detail", args=[normandie["expired"].pk])).content.decode())
    assert "sa clôture est à décider" in page and "l'évaluation finale puis" not in page  # already under way
    running = unescape(client.get(reverse("contracts:detail", args=[normandie["running"].pk])).content.decode())
    assert "Arrivé à échéance" not in running
    client.force_login(normandie["user"])
    listing = unescape(client.get(reverse("regional:contracts")).content.decode())
    assert listing.count("Arrivé à échéance le 31/12/2025") == 1
    # Closed, it is no longer "à traiter".
    Contract.objects.filter(pk=normandie["expired"].pk).update(phase=Phase.CLOS)
    assert not Contract.objects.expired(dt.date(2026, 6, 1)).exists()
