"""The dated records the regional figures of a past date read: perimeter periods written by the services
that set a perimeter, the closure of a contract imported closed, and the backfill of existing contracts."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cls_portal.accounts.models import Role
from contracts import services
from contracts.enums import Phase
from contracts.models import PerimeterPeriod, PhaseTransition
from tests import factories as f


def _region():
    region = f.RegionFactory(code="28", nom="Normandie")
    dep = f.DepartementFactory(code="14", nom="Calvados", region=region)
    dd = f.DelegationFactory(departement=dep)
    return region, dep, dd


@pytest.mark.django_db
def test_a_perimeter_change_closes_and_opens_dated_periods():
    region, dep, dd = _region()
    a, b, c = (f.CommuneFactory(departement=dep) for _ in range(3))
    user = f.with_role(f.UserFactory(), Role.REGION, region=region)
    contract = services.contract_create(actor=user, nom="CLS", collectivite=f.CollectiviteFactory(), ars=dd.ars,
                                        commune_codes=[a.code, b.code])
    assert set(PerimeterPeriod.objects.filter(contract=contract).values_list("commune_id", "debut", "fin")) == {
        (a.code, None, None), (b.code, None, None)}
    services.contract_set_perimeter(actor=user, contract=contract, commune_codes=[b.code, c.code],
                                    day=dt.date(2025, 5, 2))
    assert set(PerimeterPeriod.objects.filter(contract=contract).values_list("commune_id", "debut", "fin")) == {
        (a.code, None, dt.date(2025, 5, 2)), (b.code, None, None), (c.code, dt.date(2025, 5, 2), None)}
    # The open periods are always the current perimeter; on a date, the perimeter as it was.
    open_ = set(PerimeterPeriod.objects.filter(contract=contract, fin__isnull=True).values_list("commune_id",
                                                                                                flat=True))
    assert open_ == set(contract.communes.values_list("code", flat=True))
    at = lambda day: set(PerimeterPeriod.objects.at(day).filter(contract=contract)  # noqa: E731
                         .values_list("commune_id", flat=True))
    assert at(dt.date(2025, 5, 1)) == {a.code, b.code}
    assert at(dt.date(2025, 5, 2)) == {b.code, c.code}
    renewed_from = f.ContractFactory(ars=dd.ars, delegations=[dd], communes=[a], phase=Phase.EVALUATION_FINALE)
    new = services.contract_renew(actor=user, contract=renewed_from)
    assert list(PerimeterPeriod.objects.filter(contract=new).values_list("commune_id", "debut")) == [(a.code, None)]


@pytest.mark.django_db
def test_a_contract_imported_closed_has_its_closure_in_the_phase_history():
    region, dep, dd = _region()
    commune = f.CommuneFactory(departement=dep, code="14118")
    user = f.with_role(f.UserFactory(), Role.REGION, region=region)
    contract = services.contract_import_existing(
        actor=user, ars=dd.ars, nom="CLS de Caen 2015-2019", collectivite_code=commune.code,
        commune_codes=[commune.code], phase=Phase.CLOS, date_signature=dt.date(2015, 3, 1), duree_annees=4)
    closure = PhaseTransition.objects.get(contract=contract)
    assert closure.to_phase == Phase.CLOS and closure.at.date() == dt.date(2019, 2, 28)


@pytest.mark.django_db(transaction=True)
def test_the_backfill_dates_existing_perimeters_coordinators_and_closures():
    before = [("contracts", "0007_signature_prevue_pending_contacts")]
    region, dep, dd = _region()
    commune = f.CommuneFactory(departement=dep)
    coordinator = f.UserFactory()
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Contract = old.get_model("contracts", "Contract")
    common = {"collectivite_id": f.CollectiviteFactory().pk, "ars_id": dd.ars.pk, "duree_annees": 5}
    running = Contract.objects.create(nom="En cours", phase="mise_en_oeuvre", date_signature=dt.date(2022, 1, 10),
                                      **common)
    running.communes.add(commune.code)
    running.coordinators.add(coordinator.pk)
    closed = Contract.objects.create(nom="Clos", phase="clos", date_signature=dt.date(2015, 6, 1), **common)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # the whole database again, for the next tests

    from contracts.models import CoordinatorTerm
    from contracts.models import PerimeterPeriod as NewPeriod
    from contracts.models import PhaseTransition as NewTransition

    assert list(NewPeriod.objects.filter(contract_id=running.pk).values_list("commune_id", "debut", "fin")) == [
        (commune.code, None, None)]
    assert list(CoordinatorTerm.objects.filter(contract_id=running.pk).values_list("user_id", "debut")) == [
        (coordinator.pk, None)]
    closure = NewTransition.objects.get(contract_id=closed.pk)
    assert (closure.to_phase, closure.at.date()) == ("clos", dt.date(2020, 5, 31))
    assert not NewTransition.objects.filter(contract_id=running.pk).exists()
