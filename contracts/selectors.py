"""Reads, always from the user's point of view."""

from django.db.models import Count, Prefetch, Sum
from django.shortcuts import get_object_or_404

from cls_portal.territories.models import Commune, Delegation

from .models import Contract


def contract_list_for_user(user):
    """Contracts the user may see, annotated for list pages (constant number of queries)."""
    return (
        Contract.objects.visible_to(user)
        .select_related("collectivite", "ars", "referent")
        .prefetch_related(Prefetch("delegations", queryset=Delegation.objects.select_related("departement")))
        .annotate(population=Sum("communes__population"), nb_communes=Count("communes"))
        .order_by("nom")
    )


def contract_get_for_user(user, pk) -> Contract:
    """The contract if `user` may see it, else 404 (never 403: another tenant's object does not exist)."""
    qs = (
        Contract.objects.visible_to(user)
        .select_related("collectivite", "ars", "ars__region", "referent", "epci", "previous")
        .prefetch_related("coordinators", Prefetch("delegations", queryset=Delegation.objects.select_related("departement")))
    )
    return get_object_or_404(qs, pk=pk)


def contract_perimeter(contract):
    return contract.communes.select_related("departement").order_by("nom")


def contract_population(contract) -> int:
    return contract.communes.aggregate(p=Sum("population"))["p"] or 0


def communes_for(codes):
    return Commune.objects.filter(code__in=codes)
