"""People in both tenants: a pending invitation (a pilot invited by the coordinator) and its token."""

from cls_portal.accounts import services
from cls_portal.accounts.models import Role


def extend(world, tenant):
    invitation = services.invitation_create(
        actor=tenant.people["delegation"], email=f"invite-{tenant.key}@example.fr", role=Role.ELU,
        contract=tenant.contract)
    elu_membership = tenant.people["elu"].memberships.get(role=Role.ELU)
    tenant.extra.update(invitation=invitation, elu_membership=elu_membership)
