"""Layers that only point down: the registries through which a lower app asks a higher one."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from actions import enums as actions_enums
from actions import selectors as actions_selectors
from actions import services as actions_services
from cls_portal.accounts.models import Role
from cls_portal.core.registry import Registry, Slot
from contracts import registry as contracts_registry
from diagnostics import registry as diagnostics_registry


def test_a_registry_keeps_each_contribution_once_in_order():
    reg = Registry("test")
    reg.register("a")
    reg.register("b")
    reg.register("a")  # a second ready() in the same process
    assert list(reg) == ["a", "b"] and len(reg) == 2


def test_an_empty_slot_is_a_configuration_error_in_french():
    slot = Slot("test.slot")
    with pytest.raises(ImproperlyConfigured, match="aucune application ne le fournit"):
        slot()
    slot.provide(lambda x: x * 2)
    assert slot(21) == 42


def test_the_action_plan_fills_the_registries_of_the_layers_below():
    assert (Role.PILOTE, actions_selectors.contracts_piloted_by) in list(contracts_registry.visibility)
    assert actions_services.plan_copy_unfinished in list(contracts_registry.renewal)
    assert contracts_registry.validated_sheet_statuses.get() == actions_enums.VALIDATED_STATUSES
    assert contracts_registry.dropped_sheet_statuses.get() == actions_enums.DROPPED_STATUSES
    assert diagnostics_registry.axe_for_priorite.get() == actions_services.axe_create_for_priorite
