"""The pages every French public site must have (public, no login): legal notice, personal data, the
accessibility declaration (RGAA model), site map, help. Publisher, host and contacts are settings."""

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

# Known non-conformities (RGAA 4.1 criteria) shown on the declaration, until a full audit replaces them.
NON_CONFORMITIES = [
    ("8.5", "Les documents PDF des rapports annuels, produits automatiquement, n'ont pas été vérifiés pour "
            "l'accessibilité (balisage des titres, ordre de lecture) : ils sont considérés non accessibles."),
    ("13.3", "Les exports XLSX et CSV et les documents déposés par les utilisateurs ne sont pas proposés dans "
             "une version accessible distincte."),
    ("1.1 et 4.1", "Les graphiques éventuels (tableaux de bord) n'ont pas été audités ; leurs chiffres restent "
                   "lisibles dans les tableaux des mêmes pages."),
]


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
    return _page(request, "accessibilite", "Déclaration d'accessibilité",
                 audit_date=dt.date.fromisoformat(settings.ACCESSIBILITY_AUDIT_DATE),
                 non_conformities=NON_CONFORMITIES)


@login_not_required
def site_map(request):
    return _page(request, "plan_du_site", "Plan du site")


@login_not_required
def help_page(request):
    return _page(request, "aide", "Aide")
