"""The public directory (`/annuaire/`): no login, only what an ARS publishes (see selectors)."""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse

from cls_portal.core.files import open_stored

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


@login_not_required
def directory_report(request, pk):
    report = selectors.public_report(pk)
    return FileResponse(open_stored(report.file), as_attachment=True, filename=report.filename,
                        content_type="application/pdf")
