"""Permission predicates as plain functions: (allowed, reason)."""

import pytest

from diagnostics import permissions as p
from diagnostics.enums import Statut, Transition
from diagnostics.models import Diagnostic
from tests.diagnostics.factories import DiagnosticFactory

pytestmark = pytest.mark.django_db


def _as(world, statut):
    Diagnostic.objects.filter(pk=world.own.diagnostic.pk).update(statut=statut)
    return Diagnostic.objects.select_related("contract", "next_version").get(pk=world.own.diagnostic.pk)


@pytest.mark.parametrize("role,allowed", [("coordinateur", True), ("admin", True), ("delegation", False),
                                          ("region", False), ("elu", False), ("pilote", False)])
def test_only_the_coordinator_edits(world, role, allowed):
    d = _as(world, Statut.BROUILLON)
    ok, reason = p.can_edit_diagnostic(world.users[role], d)
    assert ok is allowed and (ok or reason.startswith("Seul le coordinateur"))


@pytest.mark.parametrize("statut,allowed", [(Statut.BROUILLON, True), (Statut.A_MODIFIER, True),
                                            (Statut.SOUMIS, False), (Statut.VALIDE, False)])
def test_editable_statuses(world, statut, allowed):
    assert p.can_edit_diagnostic(world.users["coordinateur"], _as(world, statut))[0] is allowed


def test_review_actions_follow_the_transition_table(world):
    d = _as(world, Statut.SOUMIS)
    assert p.available_transitions(world.users["delegation"], d) == [
        Transition.COMMENTER, Transition.DEMANDER_MODIFICATIONS, Transition.VALIDER]
    assert p.available_transitions(world.users["coordinateur"], d) == []
    ok, reason = p.can_fire(world.users["coordinateur"], d, Transition.VALIDER)
    assert not ok and "délégation" in reason
    d = _as(world, Statut.A_MODIFIER)
    assert p.available_transitions(world.users["coordinateur"], d) == [Transition.SOUMETTRE]
    assert p.available_transitions(world.users["region"], d) == []
    assert p.can_fire(world.users["delegation"], d, "supprimer") == (False, "Action inconnue.")


def test_new_version_and_axe_link_only_on_the_current_version(world):
    d = _as(world, Statut.VALIDE)
    coord = world.users["coordinateur"]
    assert p.can_new_version(coord, d)[0] and p.can_link_axe(coord, d)[0]
    assert not p.can_new_version(world.users["delegation"], d)[0]
    DiagnosticFactory(contract=d.contract, numero=2, previous=d)
    d = Diagnostic.objects.select_related("contract", "next_version").get(pk=d.pk)
    assert p.can_new_version(coord, d) == (False, "Une version plus récente de ce diagnostic existe déjà.")
    assert not p.can_link_axe(coord, d)[0]


@pytest.mark.parametrize("role", ["coordinateur", "delegation", "region", "elu", "pilote", "admin"])
def test_every_role_seeing_the_contract_reads_the_shared_diagnostic(world, role):
    assert p.can_view_diagnostic(world.users[role], world.own.contract)[0]
