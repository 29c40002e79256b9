"""The public directory (`/annuaire/`): no login, only what an ARS publishes (see selectors); and a contract's
read-only summary for the signed-in people who see it (`summary`)."""

from decimal import Decimal

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from actions.enums import VALIDATED_STATUSES, Avancement
from actions.selectors import plan_for
from cls_portal.accounts.models import Role
from cls_portal.core.files import open_stored
from cls_portal.core.formatting import format_percent
from contracts import workflow as contract_workflow

from . import selectors
from .forms import DirectoryQueryForm

# The map's colours (DSFR blue scale) by share of the population covered: (upper bound, colour, legend).
SHARES = [(Decimal("0"), "#f6f6f6", "aucun CLS actif"), (Decimal("0.1"), "#cacafb", "moins de 10 %"),
          (Decimal("0.25"), "#8585f6", "de 10 à 25 %"), (Decimal("0.5"), "#6a6af4", "de 25 à 50 %"),
          (None, "#000091", "50 % ou plus")]


def _colour(share: Decimal) -> str:
    if share <= 0:
        return SHARES[0][1]
    return next(colour for bound, colour, _legend in SHARES[1:] if bound is None or share < bound)


def _france_map(coverage: dict, selected: str) -> dict:
    """The SVG map: each département a link to its list, coloured by the share of its population covered."""
    data = selectors.france_map()
    shapes = []
    for code, path in data["departements"].items():
        row = coverage.get(code, {"nom": code, "share": Decimal(0)})
        shapes.append({"code": code, "path": path, "fill": _colour(row["share"]), "selected": code == selected,
                       "share": row["share"],
                       "title": f"{row['nom']} ({code}) : {format_percent(row['share'], 1)} de la population "
                                f"couverte par un CLS actif"})
    # The shares written out beside the map: colour is never the only way to read them (RGAA 3.1).
    covered = [s for s in shapes if s["share"] > 0]
    return {"viewbox": data["viewBox"], "shapes": shapes, "covered": covered,
            "legend": [{"colour": colour, "label": legend} for _b, colour, legend in SHARES]}


@login_not_required
def directory(request):
    form = DirectoryQueryForm(request.GET)
    params = form.values()
    region, departement, q = params["region"], params["departement"], params["q"]
    # A search refused (too long) lists nothing: the whole list under it would read as its results.
    q_error = form.errors.get("q")
    entries = [] if q_error else selectors.directory_entries(region=region, departement=departement, q=q)
    page = Paginator(entries, 30).get_page(request.GET.get("page"))
    coverage = selectors.coverage_by_departement()
    choices = selectors.filter_choices(region)
    return render(request, "directory/index.html", {
        "page_obj": page, "groups": selectors.group_entries(page.object_list),
        "nb_contracts": 0 if q_error else selectors.directory(region=region, departement=departement, q=q).count(),
        "region": region, "departement": departement, "q": q, **choices,
        "q_error": q_error, "q_typed": form.data.get("q", "") if q_error else q, "q_max": form.fields["q"].max_length,
        "communes": selectors.communes_found(q) if q else [],
        **selectors.contacts(region=region, departement=departement),
        "france_map": _france_map(coverage, departement),
        "coverage": [coverage[d.code] for d in choices["departements"] if d.code in coverage],
        "title": _directory_title(choices, region=region, departement=departement, q=q),
        "today": timezone.localdate(),
    })


def _directory_title(choices, *, region, departement, q) -> str:
    """The search in the title (WCAG 2.4.2): « Annuaire… – Calvados, « bayeux » »; the page number is added by
    the base template."""
    where = (next((d.nom for d in choices["departements"] if d.code == departement), "")
             or next((r.nom for r in choices["regions"] if r.code == region), ""))
    what = ", ".join(part for part in (where, f"« {q} »" if q else "") if part)
    return "Annuaire des contrats locaux de santé" + (f" – {what}" if what else "")


@login_not_required
def directory_contract(request, pk):
    contract = selectors.public_contract(pk)
    return render(request, "directory/contract.html", {
        "contract": contract, "axes": selectors.public_axes(contract),
        "reports": selectors.published_reports(contract), "title": f"{contract.nom} – annuaire public",
        "today": timezone.localdate(),
        "breadcrumbs": [("Annuaire des contrats locaux de santé", reverse("directory:index")), (contract.nom, None)],
    })


def summary(request, pk):
    """A contract read-only, for whoever sees it (elected officials and pilots land here from the contract
    list): phase, perimeter, governance and meetings held, the validated plan and its progress, indicators,
    published reports. Never drafts, sheets under review, review comments, funding or internal documents."""
    contract = selectors.summary_contract(request.user, pk)
    plan = plan_for(contract, Q(statut__in=VALIDATED_STATUSES))
    for row in plan.axes:
        for fiche in row.fiches:
            fiche.avancement_label = Avancement(fiche.dernier_avancement).label if fiche.dernier_avancement else ""
    today = timezone.localdate()
    ctx = contract_workflow.GuardContext(today)
    next_steps = [{"transition": t, "guards": contract_workflow.LIFECYCLE.guard_states(t, contract, ctx)}
                  for t in contract_workflow.transitions_from(contract.phase)]
    return render(request, "directory/summary.html", {
        "contract": contract, "meetings": list(selectors.meetings_held(contract, today)),
        "next_steps": next_steps, "today": today,
        "plan": plan, "reports": selectors.published_reports(contract),
        "is_pilot": request.user.has_role(Role.PILOTE), "title": f"{contract.nom} — synthèse",
        "breadcrumbs": [("Contrats", reverse("contracts:list")), (contract.nom, None)],
    })


@login_not_required
def directory_report(request, pk):
    report = selectors.public_report(pk)
    return FileResponse(open_stored(report.file), as_attachment=True, filename=report.filename,
                        content_type="application/pdf")
