"""The regional predicates as plain functions: (allowed, French reason)."""

import pytest

from regional import permissions as p


@pytest.mark.django_db
@pytest.mark.parametrize("role,allowed", [("admin", True), ("region", True), ("delegation", True),
                                          ("coordinateur", False), ("pilote", False), ("elu", False)])
def test_can_view_dashboard(world, role, allowed):
    ok, reason = p.can_view_dashboard(world.users[role])
    assert ok is allowed and (ok or "réservée aux équipes de l'ARS" in reason)
