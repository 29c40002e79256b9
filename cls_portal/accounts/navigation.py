"""Main navigation by role. Each entry: label, url name, roles that see it (None: everyone signed in)."""

from django.urls import NoReverseMatch, reverse

from .models import Role

NAV_ITEMS = [
    ("Mes CLS", "contracts:list", None),
]


def navigation_for(user, current_path: str) -> list[dict]:
    roles = user.roles()
    items = []
    for label, url_name, allowed in NAV_ITEMS:
        if allowed is not None and not (user.is_portal_admin or roles & set(allowed)):
            continue
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "link": url, "active": current_path.startswith(url)})
    if user.is_portal_admin:
        items.append({"label": "Administration", "link": reverse("admin:index"), "active": False})
    return items


__all__ = ["navigation_for", "NAV_ITEMS", "Role"]
