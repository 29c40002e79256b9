"""What a person's role means inside a contract: coordinators of the contract, the pilot of a sheet.

Called by accounts through its registries (`invitation_accepted`, `start_pages`), and by the people page."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actions.models import FicheAction
from cls_portal.accounts import services as accounts_services
from cls_portal.accounts.events import AccountEvent
from cls_portal.accounts.models import Role, RoleMembership
from cls_portal.core import history
from cls_portal.core.errors import DomainError
from contracts import services as contracts_services
from contracts.models import Contract, PendingContact
from contracts.periods import record_coordinator

from .selectors import pending_contact_scope


def attach_accepted(invitation, user) -> None:
    """Inside the acceptance's transaction: a coordinator joins the contract's coordinators (and the one he
    replaces leaves them); an imported référent becomes the contract's référent when it has none; a pilot
    invited for a sheet becomes its pilot."""
    contract = invitation.contract
    if contract is None:
        return
    if invitation.role == Role.COORDINATEUR:
        contract.coordinators.add(user)
        record_coordinator(contract, user, joined=True, day=timezone.localdate())
        if invitation.replaces_id and invitation.replaces_id != user.pk:
            _coordinator_leave(actor=invitation.replaces, contract=contract, user=invitation.replaces,
                               event=AccountEvent.COORDINATION_TRANSMISE)
    if invitation.role == Role.DELEGATION:  # an imported référent: the contract's référent, if it has none
        contracts_services.referent_from_pending_contact(contract=contract, user=user)
    if invitation.role == Role.PILOTE and invitation.fiche_id:
        fiche = FicheAction.objects.filter(pk=invitation.fiche_id, contract=contract).first()
        if fiche is not None and invitation.copilote:
            fiche.copilotes_personnes.add(user)
        elif fiche is not None:
            FicheAction.objects.filter(pk=fiche.pk).update(pilote_personne=user)


def _coordinator_leave(*, actor, contract: Contract, user, event) -> None:
    contract.coordinators.remove(user)
    record_coordinator(contract, user, joined=False, day=timezone.localdate())
    membership = RoleMembership.objects.filter(user=user, role=Role.COORDINATEUR).first()
    if membership is None:
        return
    history.record(actor=actor, obj=membership, event=event, contract_id=contract.pk)
    if not user.contracts_coordonnes.exists():  # he coordinates no other contract: the role goes
        membership.delete()
        user.forget_roles()


@transaction.atomic
def coordinator_remove(*, actor, contract: Contract, user) -> None:
    """Someone stops coordinating this contract (left, replaced). His history stays. Preconditions: the
    actor may invite a coordinator for this contract (the délégation; the view refuses removing oneself: a
    coordinator who goes hands his coordination over). The last coordinator may be removed too: one who left
    without a successor named must not keep the contract. The contract then has no coordinator
    (`contracts.permissions.has_coordinator`): the délégation keeps its records and changes its phase itself until
    one is invited, and a proposal he left pending is still decided as one."""
    if not contract.coordinators.filter(pk=user.pk).exists():
        raise DomainError("Cette personne ne coordonne pas ce contrat.")
    _coordinator_leave(actor=actor, contract=contract, user=user, event=AccountEvent.ROLE_RETIRE)


def pilot_start_page(user) -> str | None:
    """A pilot or co-pilot (and nothing more) of exactly one sheet lands on that sheet."""
    if user.roles() != {Role.PILOTE}:
        return None
    ids = list(FicheAction.objects.filter(Q(pilote_personne=user) | Q(copilotes_personnes=user))
               .values_list("pk", flat=True).distinct()[:2])
    return reverse("actions:fiche_detail", kwargs={"pk": ids[0]}) if len(ids) == 1 else None


@transaction.atomic
def pending_contact_invite(*, actor, contact: PendingContact):
    """Invite the person of an imported contact (`accounts.services.invitation_create` checks that the actor
    may grant the role) and mark the contact invited. Refused (DomainError) when it already was."""
    if contact.invited_at is not None:
        raise DomainError(f"{contact.email} a déjà été invité le {timezone.localtime(contact.invited_at):%d/%m/%Y}.")
    invitation = accounts_services.invitation_create(actor=actor, email=contact.email,
                                                     **pending_contact_scope(contact))
    contracts_services.pending_contact_mark_invited(actor=actor, contact=contact)
    return invitation

