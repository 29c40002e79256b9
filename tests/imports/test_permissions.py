"""The import predicates as plain functions: (allowed, French reason)."""

import pytest

from contracts.enums import Phase
from imports import permissions as p


@pytest.mark.django_db
@pytest.mark.parametrize("role,allowed", [("admin", True), ("coordinateur", True), ("delegation", False),
                                          ("region", False), ("pilote", False), ("elu", False)])
def test_can_import_plan(world, role, allowed):
    ok, reason = p.can_import_plan(world.users[role], world.own.contract)
    assert ok is allowed and (ok or reason == "Seul le coordinateur du contrat peut importer un plan d'action.")


@pytest.mark.django_db
def test_closed_contract_refuses_import_even_to_its_coordinator(world):
    contract = world.own.contract
    contract.phase = Phase.CLOS
    assert p.can_import_plan(world.users["coordinateur"], contract) == (
        False, "Ce contrat est clos : son plan d'action ne se modifie plus.")
