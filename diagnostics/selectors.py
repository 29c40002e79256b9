"""Reads, always from the user's point of view (another tenant's diagnostic is a 404)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Sum, prefetch_related_objects
from django.shortcuts import get_object_or_404

from cls_portal.core import history
from cls_portal.core.history import history_for
from cls_portal.territories.models import Delegation
from contracts.models import Contract

from .enums import REVIEW_EVENTS, Nature, Theme
from .models import Diagnostic

NO_DIAGNOSTIC = "aucun"


def perimeter_stats(contract) -> tuple[int, int]:
    """(population, number of communes) of the contract's perimeter, from the reference data."""
    agg = contract.communes.aggregate(population=Sum("population"), nb=Count("code"))
    return agg["population"] or 0, agg["nb"] or 0


def diagnostic_perimeter(diagnostic: Diagnostic) -> tuple[int, int]:
    """The figures a page shows: live while the diagnostic is being written, as submitted/validated after."""
    if diagnostic.is_editable:
        return perimeter_stats(diagnostic.contract)
    return diagnostic.population, diagnostic.nb_communes


def contracts_with_diagnostics(user, *, statut: str = ""):
    """Contracts the user may see, each with its diagnostic versions (latest first), in a fixed number of
    queries whatever the number of contracts. `statut`: keep contracts whose current version has it
    (`NO_DIAGNOSTIC`: contracts without any diagnostic)."""
    qs = (
        Contract.objects.visible_to(user)
        .select_related("collectivite")
        .prefetch_related("coordinators",
                          Prefetch("delegations", queryset=Delegation.objects.select_related("departement")),
                          Prefetch("diagnostics", queryset=Diagnostic.objects.order_by("-numero")))
        .order_by("nom")
    )
    if statut == NO_DIAGNOSTIC:
        qs = qs.filter(~Exists(Diagnostic.objects.filter(contract=OuterRef("pk"))))
    elif statut:
        # The current version is the one no other version points back to.
        current = Diagnostic.objects.filter(contract=OuterRef("pk"), statut=statut, next_version__isnull=True)
        qs = qs.filter(Exists(current))
    return qs


def contract_for_user(user, contract_pk) -> Contract:
    qs = (Contract.objects.visible_to(user).select_related("collectivite", "ars", "epci", "referent")
          .prefetch_related("coordinators", "delegations"))
    return get_object_or_404(qs, pk=contract_pk)


def latest_diagnostic(contract) -> Diagnostic | None:
    return Diagnostic.objects.filter(contract=contract).order_by("-numero").only("id").first()


def diagnostic_get_for_user(user, pk) -> Diagnostic:
    qs = (
        Diagnostic.objects.visible_to(user)
        .select_related("contract", "contract__collectivite", "contract__ars", "contract__epci",
                        "contract__referent", "previous", "next_version", "valide_par")
        .prefetch_related("contract__coordinators", "contract__delegations")
    )
    return get_object_or_404(qs, pk=pk)


def diagnostic_load_sections(diagnostic: Diagnostic) -> Diagnostic:
    """Prefetch every section (one query each, whatever the number of rows)."""
    prefetch_related_objects(
        [diagnostic], "etapes", "indicateurs", "consultations", "politiques", "ressources__organisation",
        "portrait", "acteurs__organisation", "priorites__axe",
    )
    return diagnostic


def versions_of(diagnostic: Diagnostic) -> list[Diagnostic]:
    return list(Diagnostic.objects.filter(contract_id=diagnostic.contract_id).only(
        "id", "numero", "statut", "valide_le", "contract_id").order_by("-numero"))


def review_thread(diagnostic: Diagnostic, user) -> list:
    """Submissions, comments, requests for changes and validation of this version, oldest first (lines)."""
    entries = history.visible(history_for(diagnostic).filter(action__in=REVIEW_EVENTS), user, diagnostic.contract)
    return history.lines(entries.order_by("at", "id"))


def recent_history(diagnostic: Diagnostic, user, limit: int = 20) -> list:
    return history.lines(history.visible(history_for(diagnostic), user, diagnostic.contract)[:limit])


def indicators_by_theme(diagnostic: Diagnostic) -> list[dict]:
    """[{theme, rows}] from the prefetched indicators, in the order of `Theme`."""
    groups: dict[str, list] = {}
    for ind in diagnostic.indicateurs.all():
        groups.setdefault(ind.theme, []).append(ind)
    order = list(Theme.values)
    return [{"theme": Theme(k).label, "code": k, "rows": groups[k]} for k in sorted(groups, key=order.index)]


def portrait_by_theme(diagnostic: Diagnostic) -> list[dict]:
    """[{theme, forces: [...], faiblesses: [...]}] from the prefetched portrait."""
    themes = {}
    for el in diagnostic.portrait.all():
        entry = themes.setdefault(el.theme, {"theme": Theme(el.theme).label, "forces": [], "faiblesses": []})
        entry["forces" if el.nature == Nature.FORCE else "faiblesses"].append(el.texte)
    order = list(Theme.values)
    return [themes[k] for k in sorted(themes, key=order.index)]
