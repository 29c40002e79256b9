"""Reads, always from the user's point of view: another région's resource is a 404."""

from __future__ import annotations

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from cls_portal.accounts.models import Role
from cls_portal.territories.models import Departement, Region

from . import registry
from .models import Resource, ResourceVersion


def user_region_codes(user) -> set[str]:
    """The régions a user belongs to: regional staff's own, a délégation's départements' région, and the
    régions of the contracts he works on (coordinators, pilots: through `registry.member_regions`)."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_resource_regions"):
        roles = user.roles()
        codes = set(user.region_codes())
        if Role.DELEGATION in roles and user.departement_codes():
            codes |= set(Departement.objects.filter(code__in=user.departement_codes())
                         .values_list("region_id", flat=True))
        for role, fn in registry.member_regions:
            if role in roles:
                codes |= set(fn(user))
        user._resource_regions = codes
    return user._resource_regions


def resources_for_user(user):
    qs = Resource.objects.select_related("region", "current_version")
    if user.is_portal_admin:
        return qs
    return qs.in_regions(user_region_codes(user))


def resource_get_for_user(user, pk) -> Resource:
    return get_object_or_404(resources_for_user(user), pk=pk)


def resource_detail(user, pk) -> Resource:
    qs = resources_for_user(user).select_related("created_by").prefetch_related(
        Prefetch("versions", queryset=ResourceVersion.objects.select_related("uploaded_by").order_by("-numero")))
    return get_object_or_404(qs, pk=pk)


def managed_regions(user):
    """The régions in which `user` may create a resource."""
    if user.is_portal_admin:
        return Region.objects.order_by("nom")
    return Region.objects.filter(code__in=user.region_codes()).order_by("nom")
