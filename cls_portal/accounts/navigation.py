"""Main navigation by role. Each entry: label, url name, roles that see it (None: everyone signed in)."""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cls_portal.core import worklist

from .models import Role

NAV_ITEMS = [
    ("Mon CLS", "contracts:my_cls", [Role.COORDINATEUR]),
    ("Contrats", "contracts:list", None),
    ("Tableau de bord", "contracts:delegation_dashboard", [Role.DELEGATION]),
    ("Mes fiches", "actions:my_sheets", [Role.PILOTE]),
    ("Diagnostics", "diagnostics:list", [Role.COORDINATEUR, Role.DELEGATION, Role.REGION]),
    ("Vue régionale", "regional:dashboard", [Role.REGION, Role.DELEGATION]),
    ("Financements", "funding:home", [Role.DELEGATION, Role.REGION, Role.COORDINATEUR]),
    ("Rapports annuels", "reports:home", None),
    ("Ressources", "resources:list", [Role.COORDINATEUR, Role.PILOTE, Role.DELEGATION, Role.REGION]),
    ("Réseau", "network:directory", [Role.COORDINATEUR, Role.DELEGATION, Role.REGION]),
    ("Annuaire public", "directory:index", None),
    ("Inviter", "accounts:invitations", [Role.REGION, Role.DELEGATION]),
]

# A person's own pages: what they coordinate, what they pilot. An administrator who holds neither role would find
# them empty, so the menu offers them to the role's holders only (the administrator still reaches every contract
# through « Contrats » and the délégation's dashboard).
PERSONAL = {"contracts:my_cls", "actions:my_sheets"}

# Landing pages whose menu entry shows the number of items waiting (cls_portal.core.worklist): url name ->
# (the role that must hold it, the work list's audience).
NAV_COUNTS = {
    "contracts:my_cls": (Role.COORDINATEUR, worklist.COORDINATEUR),
    "contracts:delegation_dashboard": (Role.DELEGATION, worklist.DELEGATION),
    "actions:my_sheets": (Role.PILOTE, worklist.PILOTE),
    "regional:dashboard": (Role.REGION, worklist.REGION),
}


def _count(user, roles, url_name) -> int:
    role, audience = NAV_COUNTS.get(url_name, (None, None))
    if role is None or role not in roles:
        return 0
    return worklist.count_for(user, audience, timezone.localdate())


def navigation_for(user, current_path: str) -> list[dict]:
    roles = user.roles()
    items = []
    for label, url_name, allowed in NAV_ITEMS:
        admin_sees = user.is_portal_admin and url_name not in PERSONAL
        if allowed is not None and not (admin_sees or roles & set(allowed)):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "link": url, "active": False, "count": _count(user, roles, url_name)})
    # One entry current at a time: the longest link the page's path starts with (/cls/mon-cls/ is
    # "Mon CLS", not also "Contrats" at /cls/).
    matching = [item for item in items if current_path.startswith(item["link"])]
    if matching:
        max(matching, key=lambda item: len(item["link"]))["active"] = True
    if user.is_portal_admin:
        items.append({"label": "Administration", "link": reverse("admin:index"), "active": False, "count": 0})
    return items


__all__ = ["navigation_for", "NAV_ITEMS", "Role"]
