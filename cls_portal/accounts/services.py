"""Writes about people: invitations (create, resend, revoke, accept) and roles (remove).

Callers check the permission predicates (`permissions`); the services enforce the business rules and raise
`DomainError` with a French message. E-mails leave after commit, through a Celery task (`tasks`).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cls_portal.core import history
from cls_portal.core.errors import DomainError
from cls_portal.territories.models import Departement

from . import permissions, registry
from .events import AccountEvent
from .models import INVITATION_DAYS, Invitation, Role, RoleMembership, User


def normalize_email(email: str) -> str:
    """One person, one address: compared without case and surrounding spaces."""
    return (email or "").strip().lower()


def users_with_email(email: str):
    return User.objects.filter(email__iexact=normalize_email(email))


def _enqueue_invitation_email(invitation: Invitation) -> None:
    from . import tasks

    transaction.on_commit(lambda pk=invitation.pk, token=invitation.token: tasks.send_invitation.delay(pk, token))


def _spans_regions(departements) -> bool:
    """Whether `departements` (Departement rows, or codes: an imported contact names its contract's) lie in more
    than one région."""
    if len(departements) < 2:
        return False
    regions = {d.region_id for d in departements if hasattr(d, "region_id")}
    codes = [d for d in departements if not hasattr(d, "region_id")]
    if codes:
        regions |= set(Departement.objects.filter(code__in=codes).values_list("region_id", flat=True))
    return len(regions) > 1


def _scope_check(*, role, region, departements, organisation, contract, fiche) -> None:
    """The scope a role needs, coherent with its contract."""
    if role == Role.REGION and region is None:
        raise DomainError("Choisissez la région.", field="region")
    if role == Role.DELEGATION and not departements:
        raise DomainError("Choisissez au moins un département.", field="departements")
    if role == Role.DELEGATION and _spans_regions(departements):
        raise DomainError("Une délégation départementale relève d'une seule ARS : choisissez des départements d'une "
                          "même région.", field="departements")
    if role in (Role.COORDINATEUR, Role.PILOTE) and contract is None:
        raise DomainError("Ce rôle s'exerce dans un contrat local de santé : choisissez-le.", field="contract")
    if role == Role.ELU and organisation is None and contract is None:
        raise DomainError("Choisissez la collectivité de l'élu.", field="organisation")
    if fiche is not None and (contract is None or fiche.contract_id != contract.pk):
        raise DomainError("Cette fiche action n'appartient pas au contrat.", field="fiche")


@transaction.atomic
def invitation_create(*, actor, email: str, role: str, region=None, departements=(), organisation=None,
                      contract=None, fiche=None, copilote: bool = False, replaces=None, first_name: str = "",
                      last_name: str = "") -> Invitation:
    """Invite `email` to hold `role` in this scope. Preconditions: none (the predicate is checked here too:
    nobody grants more than they hold). Refuses a second pending invitation for the same address and role
    in the same contract, and a role the person already holds there."""
    email = normalize_email(email)
    if not email:
        raise DomainError("Saisissez l'adresse électronique de la personne à inviter.", field="email")
    departements = list(departements)
    if role == Role.COORDINATEUR and contract is not None:
        organisation = contract.collectivite
    if role == Role.ELU and organisation is None and contract is not None:
        organisation = contract.collectivite
    _scope_check(role=role, region=region, departements=departements, organisation=organisation,
                 contract=contract, fiche=fiche)
    allowed, reason = permissions.can_invite(actor, role=role, region=region, departements=departements,
                                             organisation=organisation, contract=contract, replaces=replaces)
    if not allowed:
        raise DomainError(reason, field="role")
    pending = Invitation.objects.pending().filter(email=email, role=role, contract=contract)
    if pending.exists():
        raise DomainError("Une invitation à ce rôle attend déjà cette personne : renvoyez-la plutôt.", field="email")
    if contract is not None and role == Role.COORDINATEUR and contract.coordinators.filter(
            email__iexact=email).exists():
        raise DomainError("Cette personne coordonne déjà ce contrat.", field="email")
    now = timezone.now()
    invitation = Invitation.objects.create(
        email=email, role=role, region=region, organisation=organisation, contract=contract, fiche=fiche,
        copilote=bool(copilote and fiche is not None and role == Role.PILOTE),
        replaces=replaces, first_name=first_name.strip(), last_name=last_name.strip(),
        token=secrets.token_urlsafe(32), invited_by=actor, expires_at=now + dt.timedelta(days=INVITATION_DAYS))
    if departements:
        invitation.departements.set(departements)
    history.record(actor=actor, obj=invitation, event=AccountEvent.INVITATION_ENVOYEE,
                   contract_id=contract.pk if contract else None)
    _enqueue_invitation_email(invitation)
    return invitation


def _locked(invitation_pk) -> Invitation:
    return Invitation.objects.select_for_update().get(pk=invitation_pk)


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    """Send again with a new link, valid `INVITATION_DAYS` from now (the old link stops working).
    Preconditions: the actor may manage it. Refused once accepted or revoked."""
    invitation = _locked(invitation.pk)
    if invitation.accepted_at:
        raise DomainError("Cette invitation a déjà été acceptée.")
    if invitation.revoked_at:
        raise DomainError("Cette invitation a été révoquée : créez-en une nouvelle.")
    invitation.token = secrets.token_urlsafe(32)
    invitation.expires_at = timezone.now() + dt.timedelta(days=INVITATION_DAYS)
    invitation.sent_at = None
    invitation.save(update_fields=["token", "expires_at", "sent_at"])
    history.record(actor=actor, obj=invitation, event=AccountEvent.INVITATION_RENVOYEE,
                   contract_id=invitation.contract_id)
    _enqueue_invitation_email(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    """Revoke a pending (or expired) invitation: its link then says so and creates nothing."""
    invitation = _locked(invitation.pk)
    if invitation.accepted_at:
        raise DomainError("Cette invitation a déjà été acceptée : retirez plutôt le rôle.")
    if invitation.revoked_at:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    history.record(actor=actor, obj=invitation, event=AccountEvent.INVITATION_REVOQUEE,
                   contract_id=invitation.contract_id)
    return invitation


def invitation_problem(invitation: Invitation | None, now=None) -> str:
    """Why this invitation cannot be accepted (French, for the page), or ""."""
    if invitation is None:
        return "Ce lien d'invitation n'est pas valide. Vérifiez l'adresse, ou demandez une nouvelle invitation."
    if invitation.accepted_at:
        return "Cette invitation a déjà été utilisée. Connectez-vous avec votre compte."
    if invitation.revoked_at:
        return "Cette invitation a été annulée par la personne qui vous l'avait envoyée."
    if invitation.expires_at <= (now or timezone.now()):
        return (f"Cette invitation a expiré le {timezone.localtime(invitation.expires_at):%d/%m/%Y}. "
                "Demandez à la personne qui vous l'a envoyée de vous la renvoyer.")
    return ""


def _grant(invitation: Invitation, user: User) -> RoleMembership:
    membership = RoleMembership.objects.filter(user=user, role=invitation.role, organisation=invitation.organisation,
                                               region=invitation.region).first()
    if membership is None:
        membership = RoleMembership.objects.create(user=user, role=invitation.role,
                                                   organisation=invitation.organisation, region=invitation.region)
    deps = list(invitation.departements.all())
    if deps:
        membership.departements.add(*deps)
    user.forget_roles()
    return membership


@transaction.atomic
def invitation_accept(*, token: str, user: User | None = None, password: str = "", first_name: str = "",
                      last_name: str = "", email: str = "", external: bool = False) -> User:
    """Accept the invitation of `token`, all or nothing.

    - `user` given (signed in, or identified by ProConnect): his e-mail must be the invited one (case aside).
    - otherwise a new account is created with `password` (or, `external`: identified by ProConnect with the
      invited address, without a password); refused when an account already uses the address (that person
      signs in first, then accepts).
    Raises DomainError (expired, revoked, used, another address): nothing is created.
    """
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    problem = invitation_problem(invitation)
    if problem:
        raise DomainError(problem)
    if user is not None:
        address = normalize_email(email or user.email)
        if address != invitation.email:
            raise DomainError(f"Cette invitation est adressée à {invitation.email}, pas à {address or 'votre compte'}. "
                              "Connectez-vous avec le compte de cette adresse.")
    else:
        if users_with_email(invitation.email).exists():
            raise DomainError("Un compte existe déjà pour cette adresse : connectez-vous, puis ouvrez de nouveau "
                              "le lien de l'invitation.", field="password1")
        candidate = User(username=invitation.email, email=invitation.email,
                         first_name=(first_name or invitation.first_name).strip(),
                         last_name=(last_name or invitation.last_name).strip())
        if User.objects.filter(username__iexact=candidate.username).exists():
            raise DomainError("Un compte existe déjà pour cette adresse : connectez-vous.", field="password1")
        if external:
            if normalize_email(email) != invitation.email:
                raise DomainError(f"Cette invitation est adressée à {invitation.email}.")
            candidate.set_unusable_password()
        else:
            try:
                validate_password(password, candidate)
            except ValidationError as err:
                raise DomainError(" ".join(err.messages), field="password1") from err
            candidate.set_password(password)
        candidate.save()
        user = candidate
    _grant(invitation, user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    for hook in registry.invitation_accepted:
        hook(invitation, user)
    history.record(actor=user, obj=invitation, event=AccountEvent.INVITATION_ACCEPTEE,
                   contract_id=invitation.contract_id)
    return user


def pending_invitation_for(email: str) -> Invitation | None:
    """The oldest pending invitation of this address (ProConnect sign-in of someone invited)."""
    return Invitation.objects.pending().filter(email=normalize_email(email)).order_by("created_at", "id").first()


def latest_invitation_for(email: str) -> Invitation | None:
    return Invitation.objects.filter(email=normalize_email(email)).order_by("-created_at", "-id").first()


@transaction.atomic
def role_remove(*, actor, membership: RoleMembership, contract=None) -> None:
    """Remove one role (someone left). The person, their history and what they wrote stay.
    Preconditions: `permissions.can_remove_role`."""
    membership = RoleMembership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    history.record(actor=actor, obj=membership, event=AccountEvent.ROLE_RETIRE,
                   contract_id=contract.pk if contract else None)
    user = membership.user
    membership.delete()
    user.forget_roles()
