"""The people of a contract: who holds which role, invitations, removal, handing the coordination over."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cls_portal.accounts import permissions, services
from cls_portal.accounts.models import Role
from cls_portal.core.errors import DomainError, apply_domain_error
from cls_portal.core.permissions import require

from . import selectors
from . import services as people_services
from .forms import ContractInvitationForm, HandOverForm


def _confirm(request, contract, question: str, action: str):
    """A removal is confirmed on a page of its own (RGAA 11.12: a change to someone's access is checked
    before it is made); the form posts the same URL with confirme=1."""
    return render(request, "people/confirm_remove.html", {
        "contract": contract, "question": question, "action": action, "title": question,
        "breadcrumbs": [(contract.nom, reverse("contracts:detail", args=[contract.pk])),
                        ("Personnes", reverse("people:people", args=[contract.pk])), (action, None)]})


def _page(request, contract, form=None, handover=None):
    roles = permissions.roles_grantable(request.user, contract)
    if form is None and roles:
        form = ContractInvitationForm(roles=roles, organisations=selectors.partner_organisations(contract),
                                      sheets=selectors.sheets_of(contract))
    can_hand_over = permissions.coordinates(request.user, contract)
    if handover is None and can_hand_over:
        handover = HandOverForm()
    return render(request, "people/people.html", {
        "contract": contract, "people": selectors.people_of(contract),
        "invitations": selectors.invitations_of(contract),
        "pending_contacts": selectors.pending_contacts_of(contract, request.user),
        "form": form if roles else None, "handover": handover if can_hand_over else None,
        "can_remove_coordinator": permissions.can_invite(request.user, role=Role.COORDINATEUR,
                                                         contract=contract)[0],
        "title": f"Personnes — {contract.nom}",
        "breadcrumbs": [("Contrats", reverse("contracts:list")),
                        (contract.nom, reverse("contracts:detail", kwargs={"pk": contract.pk})), ("Personnes", None)],
    })


def people(request, pk):
    contract = selectors.contract_for_people(request.user, pk)
    require(permissions.can_view_people(request.user, contract))
    if request.method != "POST":
        return _page(request, contract)
    roles = permissions.roles_grantable(request.user, contract)
    require((bool(roles), "Vous ne pouvez inviter personne dans ce contrat."))
    form = ContractInvitationForm(request.POST, roles=roles, organisations=selectors.partner_organisations(contract),
                                  sheets=selectors.sheets_of(contract))
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                actor=request.user, email=data["email"], role=data["role"], contract=contract,
                organisation=data["organisation"] if data["role"] == Role.PILOTE else None, fiche=data["fiche"],
                copilote=data["copilote"],
                first_name=data["first_name"], last_name=data["last_name"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("people:people", pk=contract.pk)
    return _page(request, contract, form=form)


@require_POST
def hand_over(request, pk):
    contract = selectors.contract_for_people(request.user, pk)
    require((permissions.coordinates(request.user, contract),
             "Seul un coordinateur du contrat transmet sa coordination."))
    form = HandOverForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                actor=request.user, email=data["email"], role=Role.COORDINATEUR, contract=contract,
                replaces=request.user, first_name=data["first_name"], last_name=data["last_name"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email} : vous quitterez la coordination "
                                      "quand elle sera acceptée.")
            return redirect("people:people", pk=contract.pk)
    return _page(request, contract, handover=form)


@require_POST
def role_remove(request, pk, membership_pk):
    contract = selectors.contract_for_people(request.user, pk)
    require(permissions.can_view_people(request.user, contract))
    person = next((p for p in selectors.people_of(contract) if p.membership and p.membership.pk == membership_pk),
                  None)
    if person is None:
        raise Http404
    require(permissions.can_remove_role(request.user, person.membership, contract=contract))
    if request.POST.get("confirme") != "1":
        return _confirm(request, contract, f"Retirer le rôle « {person.role} » de {person.user} ?",
                        "Retirer le rôle")
    services.role_remove(actor=request.user, membership=person.membership, contract=contract)
    messages.success(request, f"Rôle retiré à {person.user} : son historique reste dans le portail.")
    return redirect("people:people", pk=contract.pk)


@require_POST
def coordinator_remove(request, pk, user_pk):
    contract = selectors.contract_for_people(request.user, pk)
    require(permissions.can_view_people(request.user, contract))
    user = next((u for u in contract.coordinators.all() if u.pk == user_pk), None)
    if user is None:
        raise Http404
    require(permissions.can_invite(request.user, role=Role.COORDINATEUR, contract=contract))
    if user.pk == request.user.pk:
        require((False, "Pour quitter la coordination, transmettez-la."))
    if request.POST.get("confirme") != "1":
        return _confirm(request, contract, f"Retirer la coordination de ce contrat à {user} ?",
                        "Retirer la coordination")
    try:
        people_services.coordinator_remove(actor=request.user, contract=contract, user=user)
        done = f"{user} ne coordonne plus ce contrat : son historique reste dans le portail."
        if not contract.coordinators.exists():
            done += (" Le contrat n'a plus de coordinateur : jusqu'à ce qu'un coordinateur soit invité, la "
                     "délégation tient son identité et ses documents et change elle-même sa phase.")
        messages.success(request, done)
    except DomainError as err:
        messages.error(request, err.message)
    return redirect("people:people", pk=contract.pk)


@require_POST
def pending_invite(request, pk, contact_pk):
    """One click: the imported contact becomes an invitation (e-mail and role as the import gave them)."""
    contract = selectors.contract_for_people(request.user, pk)
    require(permissions.can_view_people(request.user, contract))
    contact = get_object_or_404(contract.pending_contacts, pk=contact_pk)
    contact.contract = contract
    require(permissions.can_invite(request.user, **selectors.pending_contact_scope(contact)))
    try:
        invitation = people_services.pending_contact_invite(actor=request.user, contact=contact)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"Invitation envoyée à {invitation.email}.")
    return redirect("people:people", pk=contract.pk)
