"""The pages measured by the benchmark, and who looks at them."""

from django.urls import reverse


def _first(*candidates):
    """The first URL that resolves (pages are named by the app that owns them)."""
    def build():
        errors = []
        for name, kwargs, query in candidates:
            try:
                return reverse(name, kwargs=kwargs() if callable(kwargs) else kwargs) + query
            except Exception as exc:  # NoReverseMatch or a missing object
                errors.append(f"{name}: {exc}")
        raise LookupError("; ".join(errors))
    return build


def page_specs(contract):
    dep = contract.delegations.first().departement_id
    region = contract.ars.region_id
    coordinator = contract.coordinators.first().username
    fiche = contract.fiches.order_by("pk").first()
    region_user, dd_user = f"echelle-region{region}", f"echelle-dd{dep}"
    return [
        {"name": "Page nue (gabarit de base)", "kind": "baseline", "user": coordinator,
         "url": _first(("accounts:password_reset_done", None, ""))},
        {"name": "Admin Django : liste des contrats", "kind": "admin", "user": "bench-admin",
         "url": "/admin/contracts/contract/"},
        {"name": "Admin Django : fiches d'un contrat", "kind": "admin", "user": "bench-admin",
         "url": f"/admin/actions/ficheaction/?contract__id__exact={contract.pk}"},
        {"name": "Tableau de bord de la délégation", "user": dd_user,
         "url": _first(("contracts:delegation_dashboard", None, ""), ("contracts:list", None, ""))},
        {"name": "Liste régionale des CLS", "user": region_user,
         "url": _first(("regional:contracts", None, ""), ("contracts:list", None, ""))},
        {"name": "Page d'un contrat", "user": coordinator,
         "url": _first(("contracts:detail", {"pk": contract.pk}, ""))},
        {"name": "Fiches d'un contrat (60 fiches)", "user": coordinator,
         "url": _first(("actions:plan", {"contract_pk": contract.pk}, ""))},
        {"name": "Fiche action avec 5 ans de valeurs", "user": coordinator,
         "url": _first(("actions:fiche_detail", {"pk": fiche.pk}, ""))},
        {"name": "Financement du contrat", "user": coordinator,
         "url": _first(("funding:contract", {"contract_pk": contract.pk}, ""))},
        {"name": "Rapports du contrat", "user": coordinator,
         "url": _first(("reports:contract", {"pk": contract.pk}, ""))},
        {"name": "Couverture régionale (tableau de bord)", "user": region_user,
         "url": _first(("regional:dashboard", None, ""))},
        # The région of the biggest contract is the busiest at 1 255 contracts (907 items): page 1, no filter.
        {"name": "À traiter dans la région (liste, page 1)", "user": region_user,
         "url": _first(("regional:work", None, ""))},
    ]
