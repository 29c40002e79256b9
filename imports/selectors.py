"""Reads of the imports, from the user's point of view (`Contract.objects.visible_to`, 404 otherwise)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from cls_portal.territories.models import Region
from contracts.models import Contract


def contract_for_import(user, pk) -> Contract:
    """The contract (404 if the user does not see it), with what the plan predicates read."""
    return get_object_or_404(Contract.objects.visible_to(user).prefetch_related("coordinators", "delegations"),
                             pk=pk)


def import_regions(user) -> list[Region]:
    """The régions whose existing CLS `user` may import: its own (regional team), every one for an admin."""
    qs = Region.objects.filter(ars__isnull=False).order_by("nom")
    return list(qs if user.is_portal_admin else qs.filter(code__in=user.region_codes()))
