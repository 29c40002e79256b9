"""Thin views: user-scoped selectors (404 for other tenants), predicates (403 with a French reason)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from actions import services as actions_services
from actions.models import ChampAction
from cls_portal.accounts.models import Role
from cls_portal.core import charts, worklist
from cls_portal.core.errors import DomainError, apply_domain_error
from cls_portal.core.exports import ColumnChoiceForm, export_response
from cls_portal.core.formatting import format_date_long
from cls_portal.core.permissions import require
from contracts import services as contract_services

from . import exports, filters, forms, permissions, selectors


def dashboard(request):
    require(permissions.can_view_dashboard(request.user))
    scope = selectors.dashboard_scope(request.user, request.GET.get("region") or None)
    date_form = forms.FiguresDateForm(request.GET or None)
    at = date_form.day() if date_form.is_bound else None
    data = selectors.dashboard_data(scope, at=at)
    cov = data["coverage"]
    show_work = request.user.has_role(Role.REGION)
    if show_work:
        work = worklist.RollUp(request.user, worklist.REGION, timezone.localdate())
        work_campaigns, work_table = work.whole(), selectors.work_table(work)
        work_count = work.count + len(work_campaigns)
    else:
        work_campaigns, work_table, work_count = [], None, 0
    setup = (selectors.setup_steps(scope.region, bool(data["figures"]["total"].value))
             if show_work and at is None and scope.region else None)
    return render(request, "regional/dashboard.html", {
        **data, "scope": scope, "date_form": date_form, "show_work": show_work, "setup": setup,
        "work_count": work_count, "show_qpv_link": permissions.can_manage_qpv(request.user)[0],
        "work_table": work_table, "work_campaigns": work_campaigns,
        "coverage_chart": charts.bar_chart(
            [(d.nom, (d.share or 0) * 100) for d in cov.departements], unit="%", decimals=1,
            title=f"Part de la population couverte par un CLS actif, par département — {scope.label}"
                  + (f", au {format_date_long(at)}" if at else ""),
            empty="aucun département n'est couvert par un contrat actif."),
        "phase_chart": charts.bar_chart([(f.label, f.value) for f in data["phases"]],
                                        title=f"Contrats par phase — {scope.label}", empty="aucun contrat."),
        "signed_chart": charts.series_chart([(f.label, f.value) for f in data["signed_years"]],
                                            title=f"Contrats signés par année — {scope.label}"),
        "title": f"Vue régionale — {scope.label}",
    })


WORK_PAGE_SIZE = 50


def work_list(request):
    """Everything that waits for the regional team in its départements (campaigns aside, on the regional
    view), filtered by département and kind, 50 a page: counted per kind and département in one statement,
    and only the page's rows read (SQL OFFSET/LIMIT, one query per kind the page shows)."""
    require(permissions.can_view_dashboard(request.user))
    require(permissions.can_view_work(request.user))
    work = worklist.RollUp(request.user, worklist.REGION, timezone.localdate())
    departements = selectors.work_departement_choices(work)
    kinds = [(k.kind, k.label) for k in work.kinds]
    form = forms.WorkFilterForm(request.GET or None, departements=departements, kinds=kinds)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    departement, kind = data.get("departement", ""), data.get("quoi", "")
    shown = selectors.work_items(work, departement=departement, kind=kind)
    page = Paginator(shown, WORK_PAGE_SIZE).get_page(request.GET.get("page"))
    what = " — ".join(x for x in (dict(kinds).get(kind), dict(departements).get(departement)) if x)
    return render(request, "regional/work_list.html", {
        "form": form, "page_obj": page, "groups": selectors.work_page_groups(page, shown),
        "count": page.paginator.count, "filtered": bool(what),
        "title": "À traiter dans vos départements" + (f" — {what}" if what else ""),
        "breadcrumbs": [("Vue régionale", reverse("regional:dashboard") + "#a-traiter"), ("À traiter", None)],
    })


def qpv_list(request):
    """The région's QPV reference list: add or update one, or import pasted lines."""
    require(permissions.can_manage_qpv(request.user))
    scope = selectors.dashboard_scope(request.user, request.POST.get("region") or request.GET.get("region") or None)
    action = request.POST.get("action")
    departements = selectors.region_departements(scope.region)
    form = forms.QPVForm(request.POST if action == "ajouter" else None, departements=departements)
    import_form = forms.QPVImportForm(request.POST if action == "importer" else None)
    bound = form if form.is_bound else import_form if import_form.is_bound else None
    if bound is not None and bound.is_valid():
        data, region_code = bound.cleaned_data, scope.region.code
        try:
            if bound is form:
                qpv = contract_services.qpv_save(actor=request.user, region_code=region_code, code=data["code"],
                                                 nom=data["nom"], departement_code=data["departement"],
                                                 population=data["population"])
                messages.success(request, f"Le QPV {qpv} est enregistré.")
            else:
                added, updated = contract_services.qpv_import(actor=request.user, region_code=region_code,
                                                              text=data["lignes"])
                messages.success(request, f"Import terminé : {added} QPV ajouté{'s' if added > 1 else ''}, "
                                          f"{updated} mis à jour.")
            return redirect(reverse("regional:qpv") + f"?region={region_code}")
        except DomainError as err:
            apply_domain_error(bound, err)
    return render(request, "regional/qpv_list.html", {
        "scope": scope, "qpvs": selectors.qpvs_of(scope), "form": form, "import_form": import_form,
        "title": f"Quartiers prioritaires (QPV) — {scope.label}",
        "breadcrumbs": [("Vue régionale", reverse("regional:dashboard")), ("Quartiers prioritaires", None)],
    })


def champ_list(request):
    """The fields of action: the reference list the regional teams keep (add, rename, stop offering)."""
    require(permissions.can_manage_champs(request.user))
    form = forms.ChampForm(request.POST or None, auto_id="champ_%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["champ"]:
                get_object_or_404(ChampAction, pk=data["champ"])
                champ = actions_services.champ_update(actor=request.user, champ_id=data["champ"],
                                                      libelle=data["libelle"], actif=data["actif"])
                messages.success(request, f"Le champ d'action « {champ} » est enregistré.")
            else:
                champ = actions_services.champ_create(actor=request.user, libelle=data["libelle"])
                messages.success(request, f"Le champ d'action « {champ} » est ajouté à la liste.")
            return redirect("regional:champs")
        except DomainError as err:
            apply_domain_error(form, err)
    return render(request, "regional/champ_list.html", {
        "champs": selectors.champs_with_counts(), "form": form, "title": "Champs d'action",
        "editing": form.data.get("champ") if form.is_bound else None,
        "breadcrumbs": [("Vue régionale", reverse("regional:dashboard")), ("Champs d'action", None)],
    })


def _filter_params(request):
    return [(k, v) for k, values in request.GET.lists() if k not in ("page", "format", "colonnes") for v in values]


def _list_page(request, *, filterset, columns, template, title, export_url, extra=None, split=False):
    page = Paginator(filterset.qs, 25).get_page(request.GET.get("page"))
    if split:  # a contract on several départements shows its population per département
        page.object_list = list(page.object_list)
        parts = selectors.population_split(page.object_list)
        for contract in page.object_list:
            contract.population_split = parts.get(contract.pk, [])
    return render(request, template, {
        "filter": filterset, "page_obj": page, "title": title,
        "export_form": ColumnChoiceForm(columns=columns, auto_id="export_%s"), "export_url": export_url,
        "filter_params": _filter_params(request),
        "breadcrumbs": [("Vue régionale", reverse("regional:dashboard")), (title, None)]
        if permissions.can_view_dashboard(request.user)[0] else [(title, None)],
        **(extra or {}),
    })


def _export(request, *, filterset, columns, basename):
    require(permissions.can_export(request.user))
    form = ColumnChoiceForm(request.GET, columns=columns)
    if not form.is_valid():
        form = ColumnChoiceForm({"format": "csv"}, columns=columns)
        form.is_valid()
    return export_response(filterset.qs, form.selected_columns(), form.cleaned_data["format"], basename)


def contract_list(request):
    fs = filters.ContractFilter(request.GET or None, request=request,
                                queryset=selectors.contracts_for_list(request.user))
    return _list_page(request, filterset=fs, columns=exports.contract_columns(),
                      template="regional/contract_list.html", title="Liste régionale des contrats locaux de santé",
                      export_url=reverse("regional:contracts_export"), split=True)


def contract_export(request):
    fs = filters.ContractFilter(request.GET or None, request=request,
                                queryset=selectors.contracts_for_export(request.user))
    return _export(request, filterset=fs, columns=exports.contract_columns(selectors.population_split(fs.qs)),
                   basename="contrats")


def fiche_list(request):
    fs = filters.FicheFilter(request.GET or None, request=request, queryset=selectors.fiches_for_list(request.user))
    return _list_page(request, filterset=fs, columns=exports.FICHE_COLUMNS, template="regional/fiche_list.html",
                      title="Fiches actions", export_url=reverse("regional:fiches_export"))


def fiche_export(request):
    fs = filters.FicheFilter(request.GET or None, request=request, queryset=selectors.fiches_for_list(request.user))
    return _export(request, filterset=fs, columns=exports.FICHE_COLUMNS, basename="fiches-actions")


def _indicateur_filter(request):
    fs = filters.IndicateurFilter(request.GET or None, request=request,
                                  queryset=selectors.indicateurs_for_list(request.user))
    return fs, exports.indicateur_columns(selectors.value_years(fs.qs))


def indicateur_list(request):
    fs, columns = _indicateur_filter(request)
    return _list_page(request, filterset=fs, columns=columns, template="regional/indicateur_list.html",
                      title="Indicateurs et leurs valeurs", export_url=reverse("regional:indicateurs_export"))


def indicateur_export(request):
    fs, columns = _indicateur_filter(request)
    return _export(request, filterset=fs, columns=columns, basename="indicateurs")
