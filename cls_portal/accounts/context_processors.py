from django.conf import settings
from django.urls import reverse

from . import rgaa
from .navigation import navigation_for


def portal(request):
    """Site name and the navigation of the signed-in user's roles."""
    user = getattr(request, "user", None)
    nav, unread = [], 0
    if user is not None and user.is_authenticated:
        nav = navigation_for(user, request.path)
        unread = user.unread_notifications
    return {
        "site_name": settings.SITE_NAME,
        "main_nav": nav,
        "skiplinks": [
            {"link": "#content", "label": "Contenu"},
            {"link": "#main-nav", "label": "Menu"},
            {"link": "#footer", "label": "Pied de page"},
        ],
        "home_url": reverse("accounts:home"),
        "nb_unread_notifications": unread,
        "accessibility_status": rgaa.current_status(),
    }
