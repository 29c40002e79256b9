"""The public directory (`/annuaire/`): no login, only what an ARS publishes (see selectors); and a contract's
read-only summary for the signed-in people who see it (`summary`)."""

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
from contracts import workflow as contract_workflow

from . import selectors
from .forms import DirectoryQueryForm


@login_not_required
def directory(request):
    params = DirectoryQueryForm(request.GET).values()
    region, departement, q = params["region"], params["departement"], params["q"]
    page = Paginator(selectors.directory(region=region, departement=departement, q=q), 30).get_page(
        request.GET.get("page"))
    return render(request, "directory/index.html", {
        "page_obj": page, "groups": selectors.group_by_departement(page.object_list),
        "region": region, "departement": departement, "q": q, **selectors.filter_choices(region),
        "title": "Annuaire des contrats locaux de santé",
    })


@login_not_required
def directory_contract(request, pk):
    contract = selectors.public_contract(pk)
    return render(request, "directory/contract.html", {
        "contract": contract, "axes": selectors.public_axes(contract),
        "reports": selectors.published_reports(contract), "title": contract.nom,
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
    ctx = contract_workflow.GuardContext(timezone.localdate())
    next_steps = [{"transition": t, "guards": contract_workflow.LIFECYCLE.guard_states(t, contract, ctx)}
                  for t in contract_workflow.transitions_from(contract.phase)]
    return render(request, "directory/summary.html", {
        "contract": contract, "meetings": list(selectors.meetings_held(contract, timezone.localdate())),
        "next_steps": next_steps,
        "plan": plan, "reports": selectors.published_reports(contract),
        "is_pilot": request.user.has_role(Role.PILOTE), "title": f"{contract.nom} — synthèse",
        "breadcrumbs": [("Contrats", reverse("contracts:list")), (contract.nom, None)],
    })


@login_not_required
def directory_report(request, pk):
    report = selectors.public_report(pk)
    return FileResponse(open_stored(report.file), as_attachment=True, filename=report.filename,
                        content_type="application/pdf")
