"""Reads, from the user's point of view: the régions a user belongs to, the région's coordinators, the events."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from actions.models import Axe, ChampAction, FicheAction
from cls_portal.accounts.models import Role
from cls_portal.territories.models import Departement, Region
from contracts.models import Contract
from contracts.selectors import coordinated_region_codes

from .models import Event, Invitation, News


def network_region_codes(user) -> set[str]:
    """The régions whose network `user` belongs to: regional staff's own, a délégation's départements' région,
    the régions of the contracts a coordinator coordinates."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_network_regions"):
        roles = user.roles()
        codes = set(user.region_codes())
        if Role.DELEGATION in roles and user.departement_codes():
            codes |= set(Departement.objects.filter(code__in=user.departement_codes())
                         .values_list("region_id", flat=True))
        if Role.COORDINATEUR in roles:
            codes |= set(coordinated_region_codes(user))
        user._network_regions = codes
    return user._network_regions


def visible_regions(user):
    if user.is_portal_admin:
        return Region.objects.order_by("nom")
    return Region.objects.filter(code__in=network_region_codes(user)).order_by("nom")


def managed_regions(user):
    """The régions in which `user` may organise events."""
    if user.is_portal_admin:
        return Region.objects.order_by("nom")
    return Region.objects.filter(code__in=user.region_codes()).order_by("nom")


def coordinators(region_codes, *, departement=None, champ=None):
    """The coordinators of the contracts of `region_codes` (one row each), with those contracts
    (`network_contracts`, each with its départements) and their contact card; filtered by the département of
    a contract, or by a field of action of a contract's axes or sheets."""
    contracts = Contract.objects.filter(ars__region_id__in=region_codes)
    if departement is not None:
        contracts = contracts.filter(delegations__departement=departement)
    if champ is not None:
        contracts = contracts.filter(Q(axes__champs=champ) | Q(fiches__champs=champ))
    contracts = contracts.distinct()
    users = (get_user_model().objects.filter(is_active=True, contracts_coordonnes__in=contracts).distinct()
             .select_related("network_contact").order_by("last_name", "first_name", "username"))
    shown = (Contract.objects.filter(ars__region_id__in=region_codes).select_related("ars__region")
             .prefetch_related("delegations__departement").order_by("nom"))
    return users.prefetch_related(Prefetch("contracts_coordonnes", queryset=shown, to_attr="network_contracts"))


def attach_themes(users) -> None:
    """Each contract of the rows gets `themes`: the fields of action of its axes and sheets (two queries)."""
    contracts = [c for u in users for c in u.network_contracts]
    ids = {c.pk for c in contracts}
    pairs = set(Axe.champs.through.objects.filter(axe__contract_id__in=ids)
                .values_list("axe__contract_id", "champaction_id"))
    pairs |= set(FicheAction.champs.through.objects.filter(ficheaction__contract_id__in=ids)
                 .values_list("ficheaction__contract_id", "champaction_id"))
    champs = {c.pk: c for c in ChampAction.objects.filter(pk__in={p for _, p in pairs})}
    for contract in contracts:
        contract.themes = sorted((champs[p] for c, p in pairs if c == contract.pk), key=lambda c: (c.ordre, c.libelle))


def events_for_user(user):
    qs = Event.objects.select_related("region")
    if user.is_portal_admin:
        return qs
    return qs.filter(region_id__in=network_region_codes(user))


def event_get_for_user(user, pk) -> Event:
    return get_object_or_404(events_for_user(user), pk=pk)


def event_invitations(event):
    return event.invitations.select_related("user", "user__network_contact").order_by(
        "user__last_name", "user__first_name", "pk")


def my_invitations(user, events) -> dict:
    """{event id: invitation} of `user` among `events`."""
    return {i.event_id: i for i in Invitation.objects.filter(user=user, event__in=[e.pk for e in events])}


def region_coordinators(region_code):
    """Everyone who coordinates a contract of the région (those invited to its events)."""
    return get_user_model().objects.filter(is_active=True, contracts_coordonnes__ars__region_id=region_code).distinct()


def news_for_user(user):
    """The news of the régions whose network `user` belongs to, newest first."""
    qs = News.objects.select_related("region", "created_by").order_by("-created_at", "-pk")
    if user.is_portal_admin:
        return qs
    return qs.filter(region_id__in=network_region_codes(user))
