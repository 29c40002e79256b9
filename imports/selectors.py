"""Reads of the imports, from the user's point of view (`Contract.objects.visible_to`, 404 otherwise)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from contracts.models import Contract


def contract_for_import(user, pk) -> Contract:
    """The contract (404 if the user does not see it), with what the plan predicates read."""
    return get_object_or_404(Contract.objects.visible_to(user).prefetch_related("coordinators", "delegations"),
                             pk=pk)
