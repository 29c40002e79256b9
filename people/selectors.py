"""Reads of the people page: a contract's people and roles, and its invitations."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404

from actions.models import FicheAction
from cls_portal.accounts.models import Invitation, Role, RoleMembership
from cls_portal.accounts.permissions import can_invite
from cls_portal.territories.models import Delegation, Organisation
from contracts.models import ContactRole, Contract, PendingContact
from contracts.permissions import can_designate_referent
from contracts.selectors import referent_candidates


def contract_for_people(user, pk) -> Contract:
    """The contract (another tenant's: 404) with what the predicates read."""
    qs = (Contract.objects.visible_to(user).select_related("collectivite", "ars")
          .prefetch_related("coordinators", Prefetch("delegations", queryset=Delegation.objects.only(
              "id", "departement_id", "nom"))))
    return get_object_or_404(qs, pk=pk)


@dataclass
class Person:
    user: object
    role: str
    detail: str = ""
    membership: object = None  # the membership a "remove" button removes (élus, pilots)
    coordinator: bool = False
    sheets: list = field(default_factory=list)


def people_of(contract: Contract) -> list[Person]:
    """Coordinators, délégation référents, élus of the collectivité, pilots and co-pilots of its sheets."""
    out = [Person(user=u, role="Coordinateur ou coordinatrice", coordinator=True)
           for u in contract.coordinators.all()]
    deps = [d.departement_id for d in contract.delegations.all()]
    for m in (RoleMembership.objects.filter(role=Role.DELEGATION, departements__code__in=deps, user__is_active=True)
              .select_related("user").distinct()):
        out.append(Person(user=m.user, role=m.get_role_display(),
                          detail="référent du contrat" if m.user_id == contract.referent_id else ""))
    for m in RoleMembership.objects.filter(role=Role.ELU, organisation=contract.collectivite).select_related("user"):
        out.append(Person(user=m.user, role=m.get_role_display(), detail=contract.collectivite.nom, membership=m))
    sheets = (FicheAction.objects.filter(contract=contract)
              .filter(Q(pilote_personne__isnull=False) | Q(copilotes_personnes__isnull=False))
              .select_related("axe", "pilote_personne").prefetch_related("copilotes_personnes").distinct())
    pilots: dict[int, Person] = {}
    for fiche in sheets:
        for user, label in [(fiche.pilote_personne, "pilote")] + [(u, "co-pilote")
                                                                   for u in fiche.copilotes_personnes.all()]:
            if user is None:
                continue
            person = pilots.setdefault(user.pk, Person(user=user, role="Pilote d'action"))
            person.sheets.append(f"{fiche.code} ({label})")
    memberships = {m.user_id: m for m in RoleMembership.objects.filter(role=Role.PILOTE, user_id__in=list(pilots))
                   .select_related("organisation")}
    for pk, person in pilots.items():
        m = memberships.get(pk)
        person.membership = m
        person.detail = m.organisation.nom if m and m.organisation else ""
        out.append(person)
    return out


def invitations_of(contract: Contract):
    return (Invitation.objects.filter(contract=contract).select_related("invited_by", "organisation", "contract")
            .order_by("-created_at", "-id")[:100])


def pending_contact_scope(contact: PendingContact) -> dict:
    """The invitation an imported contact becomes: a coordinator of the contract, or a référent ARS (the
    délégation role for the contract's départements; the délégation then names the contract's référent)."""
    contract = contact.contract
    if contact.role == ContactRole.COORDINATEUR:
        return {"role": Role.COORDINATEUR, "contract": contract, "departements": []}
    return {"role": Role.DELEGATION, "contract": contract,
            "departements": [d.departement_id for d in contract.delegations.all()]}


def pending_contacts_of(contract: Contract, user) -> list[dict]:
    """The contract's imported contacts not invited yet, each with whether `user` may invite them. A référent whose
    address is already that of a délégation agent of the contract needs no invitation (it would e-mail an agent,
    often `user` himself, a link to a role he holds): his entry names that `agent`, whom the ARS designates on the
    référent page. Two queries (the contacts; the agents among the référents' addresses) whatever their number."""
    out, verdicts = [], {}
    contacts = list(contract.pending_contacts.filter(invited_at__isnull=True).order_by("role", "email"))
    referent_emails = {c.email.lower() for c in contacts if c.role == ContactRole.REFERENT}
    agents = {}
    if referent_emails:
        q = Q()
        for email in referent_emails:
            q |= Q(email__iexact=email)
        agents = {a.email.lower(): a for a in referent_candidates(contract).filter(q)}
    designate = can_designate_referent(user, contract)[0] and contract.referent_id is None
    for contact in contacts:
        contact.contract = contract  # the prefetched contract (delegations), not a new query per contact
        scope = pending_contact_scope(contact)
        if contact.role not in verdicts:  # the same scope for every contact of a role: asked once per role
            verdicts[contact.role] = can_invite(user, **scope)
        allowed, reason = verdicts[contact.role]
        label = "Coordinateur" if scope["role"] == Role.COORDINATEUR else "Référent ARS (délégation)"
        agent = agents.get(contact.email.lower()) if contact.role == ContactRole.REFERENT else None
        if agent is not None and agent.pk == contract.referent_id:
            continue  # done: the agent is the contract's référent
        out.append({"contact": contact, "can_invite": allowed and agent is None, "reason": reason, "role_label": label,
                    "agent": agent, "designate": designate and agent is not None})
    return out


def partner_organisations(contract: Contract):
    """The organisations a pilot of this contract may represent: those of its région (as every organisation
    list of a form, `OrganisationQuerySet.offered`)."""
    return Organisation.objects.offered(contract.ars.region_id)


def sheets_of(contract: Contract):
    return FicheAction.objects.filter(contract=contract).select_related("axe").order_by("axe__numero", "numero")
