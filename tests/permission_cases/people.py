"""A contract's people page (issue 14): the contract's coordinators, délégation, région and administrators see
it; the délégation and the coordinators invite; the délégation removes a coordinator."""

from tests.permission_cases import Case

_PK = lambda t: {"pk": t.contract.pk}  # noqa: E731


def _contact(role):
    """An imported contact of the tenant's contract (issue 13), to invite in one click."""
    def kwargs(t):
        from contracts.models import PendingContact

        contact, _ = PendingContact.objects.get_or_create(contract=t.contract, email=f"{role}.importe@example.fr",
                                                          role=role)
        return {"pk": t.contract.pk, "contact_pk": contact.pk}
    return kwargs


CASES = [
    Case("people:people", {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200, "region": 200},
         kwargs=_PK),
    # Inviting an élu of the contract: the délégation, the coordinator, administrators.
    Case("people:people", {"anonymous": 302, "admin": 302, "coordinateur": 302, "delegation": 302}, kwargs=_PK,
         method="post", data=lambda t: {"email": "nouvel.elu@example.fr", "role": "elu"}),
    # An empty invitation form: re-rendered with its errors, nothing written.
    Case("people:people", {"anonymous": 302, "admin": 200, "coordinateur": 200, "delegation": 200}, kwargs=_PK,
         method="post"),
    Case("people:hand_over", {"anonymous": 302, "coordinateur": 302}, kwargs=_PK, method="post",
         data=lambda t: {"email": "successeur@example.fr"}),
    Case("people:role_remove", {"anonymous": 302, "admin": 302, "coordinateur": 302, "delegation": 302},
         kwargs=lambda t: {"pk": t.contract.pk, "membership_pk": t.elu_membership.pk}, method="post",
         data=lambda t: {"confirme": "1"}),
    Case("people:coordinator_remove", {"anonymous": 302, "admin": 302, "delegation": 302},
         kwargs=lambda t: {"pk": t.contract.pk, "user_pk": t.people["coordinateur"].pk}, method="post",
         data=lambda t: {"confirme": "1"}),
    # An imported coordinator becomes an invitation: only who may invite a coordinator (the délégation).
    Case("people:pending_invite", {"anonymous": 302, "admin": 302, "delegation": 302},
         kwargs=_contact("coordinateur"), method="post", data=lambda t: {}),
    # An imported référent ARS (délégation role for the contract's départements): the délégation or the région.
    Case("people:pending_invite", {"anonymous": 302, "admin": 302, "delegation": 302, "region": 302},
         kwargs=_contact("referent"), method="post", data=lambda t: {}),
]
