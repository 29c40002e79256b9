"""The pages every French public site must have (public, no login): legal notice, personal data, the
accessibility statement (RGAA model, generated from the audit in docs/accessibilite/: `rgaa.py`), site map,
help. Publisher, host and contacts are settings."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from . import rgaa
from .navigation import NAV_ITEMS


def _page(request, template, title, **extra):
    return render(request, f"legal/{template}.html", {
        "title": title, "breadcrumbs": [(title, None)], "legal": {
            "publisher": settings.LEGAL_PUBLISHER, "director": settings.LEGAL_PUBLICATION_DIRECTOR,
            "host": settings.LEGAL_HOST, "contact": settings.LEGAL_CONTACT_EMAIL, "dpo": settings.LEGAL_DPO_EMAIL,
        }, **extra})


@login_not_required
def legal_notice(request):
    return _page(request, "mentions_legales", "Mentions légales")


@login_not_required
def personal_data(request):
    return _page(request, "donnees_personnelles", "Données personnelles")


@login_not_required
def accessibility(request):
    audit = rgaa.current()
    rate = audit.rate()
    return _page(request, "accessibilite", "Déclaration d'accessibilité", audit=audit, rate=rate,
                 conformity=rgaa.conformity_label(rate), counts=audit.counts(), average_rate=audit.average_rate(),
                 non_conformities=audit.non_conformities())


def _site_sections() -> list[dict]:
    """Every entry of the main menu with who sees it: the site map follows the navigation (RGAA 12.3)."""
    sections = []
    for label, url_name, roles in NAV_ITEMS:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        who = "toute personne connectée" if roles is None else ", ".join(str(r.label).lower() for r in roles)
        sections.append({"label": label, "url": url, "who": who})
    return sections


@login_not_required
def site_map(request):
    return _page(request, "plan_du_site", "Plan du site", sections=_site_sections())


@login_not_required
def help_page(request):
    return _page(request, "aide", "Aide")
