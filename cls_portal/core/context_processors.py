from django.conf import settings
from django.urls import reverse


def portal(request):
    """Site name and the navigation of the signed-in user's roles."""
    user = getattr(request, "user", None)
    nav = []
    if user is not None and user.is_authenticated:
        from cls_portal.accounts.navigation import navigation_for

        nav = navigation_for(user, request.path)
    return {
        "site_name": settings.SITE_NAME,
        "main_nav": nav,
        "skiplinks": [
            {"link": "#content", "label": "Contenu"},
            {"link": "#main-nav", "label": "Menu"},
            {"link": "#footer", "label": "Pied de page"},
        ],
        "home_url": reverse("accounts:home"),
    }
