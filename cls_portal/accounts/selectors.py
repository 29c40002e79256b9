from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from cls_portal.territories.models import Departement, Region

from . import registry
from .models import Invitation, Role, RoleMembership

# Start pages by role, most specific first. Apps may add entries (url names) as their pages land.
START_PAGES = [
    ("coordinateur", "contracts:my_cls"),
    ("delegation", "contracts:delegation_dashboard"),
    ("region", "regional:dashboard"),  # regional staff come for the coverage figures (issue 8)
    ("region", "contracts:list"),
    ("elu", "reports:home"),  # elected officials come for the published annual reports
    ("pilote", "actions:my_sheets"),  # pilots come for "Mes fiches": their sheets and what is due on them
]


def start_page_for(user) -> str:
    for page in registry.start_pages:  # the apps above know finer start pages (the sheet a pilot pilots)
        url = page(user)
        if url:
            return url
    roles = user.roles()
    for role, url_name in START_PAGES:
        if role in roles:
            return reverse(url_name)
    return reverse("contracts:list")


def invitations_managed_by(user):
    """Invitations `user` may see, resend or revoke outside a contract page: those he sent, and (administrators)
    all of them; regional staff also those of their région's délégations. Anything else answers 404."""
    qs = Invitation.objects.select_related("invited_by", "region", "organisation", "contract", "accepted_by") \
        .prefetch_related("departements")  # the scope of each délégation invitation (`Invitation.scope_text`)
    if user.is_portal_admin:
        return qs
    q = Q(invited_by=user)
    if Role.REGION in user.roles():
        q |= Q(role=Role.DELEGATION, departements__region_id__in=user.region_codes())
    if Role.DELEGATION in user.roles():
        q |= Q(contract__delegations__departement_id__in=user.departement_codes())
    q |= Q(contract__coordinators=user)
    return qs.filter(q).distinct()


def invitation_scope_choices(user):
    """The régions and départements `user` may name in an invitation (never beyond his own)."""
    if user.is_portal_admin:
        return Region.objects.order_by("nom"), Departement.objects.order_by("code")
    codes = set(user.departement_codes())
    if Role.REGION in user.roles():
        codes |= set(Departement.objects.filter(region_id__in=user.region_codes()).values_list("code", flat=True))
    return Region.objects.none(), Departement.objects.filter(code__in=codes).order_by("code")


def invitation_by_token(token: str):
    return Invitation.objects.select_related("invited_by", "region", "organisation", "contract").filter(
        token=token).first()


def delegation_in_region():
    """A condition on a `Region` queryset: whether one of its délégations has an agent, or an invitation to
    become one still open (the regional view's set-up list)."""
    agent = RoleMembership.objects.filter(role=Role.DELEGATION, departements__region=OuterRef("pk"))
    invited = Invitation.objects.pending().filter(role=Role.DELEGATION, departements__region=OuterRef("pk"))
    return Q(Exists(agent)) | Q(Exists(invited))

