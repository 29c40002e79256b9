"""Reads, always from the user's point of view (another tenant's diagnostic is a 404)."""

from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404

from contracts.models import Contract
from cls_portal.territories.models import Delegation

from .models import Diagnostic


def contracts_with_diagnostics(user):
    """Contracts the user may see, with their diagnostic versions (three queries whatever the count)."""
    return (
        Contract.objects.visible_to(user)
        .select_related("collectivite", "ars")
        .prefetch_related("coordinators", Prefetch("delegations", queryset=Delegation.objects.all()),
                          Prefetch("diagnostics", queryset=Diagnostic.objects.order_by("-numero")))
        .order_by("nom")
    )


def contract_for_user(user, contract_pk) -> Contract:
    qs = (Contract.objects.visible_to(user).select_related("collectivite", "ars", "epci", "referent")
          .prefetch_related("coordinators", "delegations"))
    return get_object_or_404(qs, pk=contract_pk)


def diagnostic_get_for_user(user, pk) -> Diagnostic:
    qs = (
        Diagnostic.objects.visible_to(user)
        .select_related("contract", "contract__collectivite", "contract__ars", "contract__epci",
                        "contract__referent", "previous", "valide_par")
        .prefetch_related("contract__coordinators", "contract__delegations")
    )
    return get_object_or_404(qs, pk=pk)


def diagnostic_load_sections(diagnostic: Diagnostic) -> Diagnostic:
    """Prefetch every section (one query each, whatever the number of rows)."""
    prefetch_related_objects(
        [diagnostic], "etapes", "indicateurs", "consultations", "politiques", "ressources__organisation",
        "portrait", "acteurs__organisation", "priorites__axe__fiches",
    )
    return diagnostic


def versions_of(diagnostic: Diagnostic):
    return Diagnostic.objects.filter(contract_id=diagnostic.contract_id).only(
        "id", "numero", "statut", "valide_le", "contract_id").order_by("-numero")


def portrait_by_theme(diagnostic: Diagnostic) -> list[dict]:
    """[{theme, forces: [...], faiblesses: [...]}] from the prefetched portrait."""
    from .enums import Nature, Theme

    themes = {}
    for el in diagnostic.portrait.all():
        entry = themes.setdefault(el.theme, {"theme": Theme(el.theme).label, "forces": [], "faiblesses": []})
        entry["forces" if el.nature == Nature.FORCE else "faiblesses"].append(el.texte)
    order = list(Theme.values)
    return [themes[k] for k in sorted(themes, key=order.index)]
