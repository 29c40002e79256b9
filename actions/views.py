"""Thin views: fetch through a user-scoped selector (404), check a predicate (403), call one service."""

from decimal import Decimal

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cls_portal.core import worklist
from cls_portal.core.errors import ConcurrentEditError, DomainError, apply_domain_error
from cls_portal.core.exports import Column, ColumnChoiceForm, export_response
from cls_portal.core.formatting import count_label
from cls_portal.core.permissions import require
from cls_portal.core.query import query_id, query_year
from contracts.tabs import tabs_for
from resources import permissions as resource_permissions

from . import forms, permissions, selectors, services
from .enums import EDITABLE_STATUSES, Acteur, ActionEvent, FicheStatut
from .filters import FicheFilter
from .models import Axe, FicheAction
from .workflow import ADDED_BY_AVENANT, FICHES, TRANSITIONS


def _crumbs(contract, *tail):
    return [("Contrats", reverse("contracts:list")), (contract.nom, reverse("contracts:detail", args=[contract.pk])),
            *tail]


def _plan_crumb(contract):
    return ("Plan d'action", reverse("actions:plan", kwargs={"contract_pk": contract.pk}))


# -- plan and axes --------------------------------------------------------------------------------

def plan(request, contract_pk):
    contract = selectors.contract_for_plan(request.user, contract_pk)
    require(permissions.can_view_plan(request.user, contract))
    return _plan_page(request, contract)


def _signed_plan_box(user, contract, plan_data, form=None):
    """The box offering the coordinator of a contract signed before it came into the portal to record its drafts
    as the signed plan, while `permissions.can_record_signed_plan` holds and there is a draft; None otherwise.
    The rule is read only for a coordinator with drafts on the page (two queries, whatever the plan's size)."""
    drafts = selectors.plan_drafts(plan_data)
    if not drafts or not permissions.can_edit_plan(user, contract)[0]:
        return None
    if not permissions.can_record_signed_plan(contract)[0]:
        return None
    return {"drafts": len(drafts), "in_review": selectors.plan_in_review(plan_data),
            "form": form or forms.SignedPlanForm(contract=contract)}


def _plan_page(request, contract, *, signed_plan_form=None):
    """The plan; a refused confirmation of the signed plan is shown again with its error."""
    plan_data = selectors.plan_for(contract, permissions.plan_scope(request.user, contract))
    plan_submittable = sum(1 for row in plan_data.axes for fi in row.fiches
                           if fi.statut in TRANSITIONS["soumettre"].sources and not fi.missing)
    can_edit = permissions.can_edit_plan(request.user, contract)[0]
    # An empty plan points to the diagnostic's priorities still without an axe, if there are any (one query, only
    # on an empty plan).
    free_priority = selectors.priorites_for(contract).first() if can_edit and not plan_data.axes else None
    return render(request, "actions/plan.html", {
        "contract": contract, "plan": plan_data, "title": f"Plan d'action — {contract.nom}",
        "can_edit": can_edit, "free_priority": free_priority,
        "submittable": plan_submittable,
        "signed_plan": _signed_plan_box(request.user, contract, plan_data, signed_plan_form),
        "contract_tabs": tabs_for(request.user, contract),
        "breadcrumbs": _crumbs(contract, ("Plan d'action", None)),
    })


@require_POST
def plan_record_signed(request, contract_pk):
    """The drafts of a contract signed before it came into the portal, recorded as its signed plan."""
    contract = selectors.contract_for_plan(request.user, contract_pk)
    require(permissions.can_edit_plan(request.user, contract))
    form = forms.SignedPlanForm(request.POST, contract=contract)
    if not form.is_valid():
        return _plan_page(request, contract, signed_plan_form=form)
    try:
        fiches = services.plan_record_signed(actor=request.user, contract=contract,
                                             fiche_ids=selectors.draft_ids(contract))
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"Plan d'action signé le {contract.date_signature:%d/%m/%Y} enregistré : "
                                  f"{count_label(len(fiches), 'fiche validée', 'fiches validées')}. "
                                  "Son suivi annuel peut commencer.")
    return redirect("actions:plan", contract_pk=contract.pk)


def indicator_summary(request, contract_pk):
    """Every indicator of the plan over the contract's life: baseline, each year, target, reached or not
    (the end-of-contract summary the final evaluation starts from)."""
    contract = selectors.contract_for_plan(request.user, contract_pk)
    require(permissions.can_view_plan(request.user, contract))
    years, rows = selectors.indicator_summary(contract, permissions.plan_scope(request.user, contract))
    counts = selectors.summary_counts(rows)
    return render(request, "actions/indicator_summary.html", {
        "contract": contract, "years": years, "rows": rows, "counts": counts,
        "title": f"Bilan des indicateurs — {contract.nom}",
        "contract_tabs": tabs_for(request.user, contract),
        "breadcrumbs": _crumbs(contract, _plan_crumb(contract), ("Bilan des indicateurs", None)),
    })


def _axe_form_page(request, contract, axe=None):
    form = forms.AxeForm(request.POST or None, instance=axe, priorites=selectors.priorites_for(contract, axe))
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in ("titre", "type", "description", "priorite", "champs")}
        try:
            if axe is None:
                axe = services.axe_create(actor=request.user, contract=contract, **data)
                messages.success(request, f"L'axe {axe.numero} a été ajouté au plan.")
            else:
                services.axe_update(actor=request.user, axe_id=axe.pk, expected_version=form.cleaned_data["version"],
                                    **data)
                messages.success(request, "L'axe a été enregistré.")
            return redirect("actions:plan", contract_pk=contract.pk)
        except DomainError as err:
            apply_domain_error(form, err)
            if isinstance(err, ConcurrentEditError):
                form.data = form.data.copy()  # what the user typed stays; the next save starts from now
                form.data["version"] = Axe.objects.values_list("version", flat=True).get(pk=axe.pk)
    title = "Nouvel axe" if axe is None else f"Modifier l'axe {axe.numero}"
    return render(request, "actions/axe_form.html", {
        "form": form, "contract": contract, "axe": axe, "title": title,
        "breadcrumbs": _crumbs(contract, _plan_crumb(contract), (title, None)),
    })


def axe_create(request, contract_pk):
    contract = selectors.contract_for_plan(request.user, contract_pk)
    require(permissions.can_edit_plan(request.user, contract))
    return _axe_form_page(request, contract)


def axe_edit(request, pk):
    axe = selectors.axe_get_for_user(request.user, pk)
    require(permissions.can_edit_plan(request.user, axe.contract))
    return _axe_form_page(request, axe.contract, axe)


@require_POST
def axe_move(request, pk):
    axe = selectors.axe_get_for_user(request.user, pk)
    require(permissions.can_edit_plan(request.user, axe.contract))
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        try:
            services.axe_move(actor=request.user, axe_id=axe.pk, direction=form.cleaned_data["direction"])
            messages.success(request, "L'ordre des axes a été modifié.")
        except DomainError as err:
            messages.error(request, err.message)
    else:
        messages.error(request, "Déplacement inconnu.")
    return redirect("actions:plan", contract_pk=axe.contract_id)


@require_POST
def plan_submit(request, contract_pk):
    contract = selectors.contract_for_plan(request.user, contract_pk)
    require(permissions.can_submit_plan(request.user, contract))
    try:
        submitted, skipped = services.plan_submit(actor=request.user, contract=contract)
        messages.success(request, f"{count_label(len(submitted), 'fiche soumise', 'fiches soumises')} à la délégation.")
        for fiche, missing in skipped:
            messages.warning(request, f"Fiche {fiche.code} non soumise : il manque {', '.join(missing)}.")
    except DomainError as err:
        messages.error(request, err.message)
    return redirect("actions:plan", contract_pk=contract.pk)


# -- sheet form -----------------------------------------------------------------------------------

def _fiche_form_page(request, contract, fiche=None):
    axes = contract.axes.order_by("numero")
    pilots = selectors.pilot_candidates(contract, fiche)
    initial = {}
    if fiche is None and query_id(request.GET, "axe"):
        initial["axe"] = query_id(request.GET, "axe")
    form = forms.FicheForm(request.POST or None, instance=fiche, contract=contract, axes=axes, pilots=pilots,
                           initial={"version": fiche.version if fiche else None, **initial})
    formsets = forms.build_formsets(request.POST or None, instance=fiche, contract=contract)
    conflict = None
    if request.method == "POST" and form.is_valid() and all(f["formset"].is_valid() for f in formsets):
        data = {k: form.cleaned_data[k] for k in services.FICHE_FIELDS}
        kwargs = {"data": data, "copilotes": form.cleaned_data["copilotes_personnes"],
                  "communes": form.cleaned_data["communes"], "champs": form.cleaned_data["champs"],
                  "reunions": form.cleaned_data["reunions"],
                  "children": {f["name"]: forms.formset_rows(f["formset"]) for f in formsets}}
        try:
            if fiche is None:
                fiche = services.fiche_create(actor=request.user, axe=form.cleaned_data["axe"], **kwargs)
                messages.success(request, f"La fiche {fiche.code} a été créée.")
            else:
                services.fiche_update(actor=request.user, fiche_id=fiche.pk, axe=form.cleaned_data["axe"],
                                      expected_version=form.cleaned_data.get("version"), **kwargs)
                messages.success(request, "La fiche a été enregistrée.")
            if form.pilot_warning:
                messages.warning(request, form.pilot_warning)
            return redirect("actions:fiche_detail", pk=fiche.pk)
        except ConcurrentEditError as err:
            current = FicheAction.objects.get(pk=fiche.pk)
            conflict = {"message": err.message, "changes": [
                {"champ": FicheAction._meta.get_field(k).verbose_name if k in services.FICHE_FIELDS else k,
                 "mien": mine, "actuel": theirs} for k, (mine, theirs) in err.changes.items()]}
            # Keep what the user typed; the next save starts from the version they have now seen.
            form.data = form.data.copy()
            form.data["version"] = current.version
        except DomainError as err:
            apply_domain_error(form, err)
    title = "Nouvelle fiche action" if fiche is None else f"Modifier la fiche {fiche.code}"
    tail = [_plan_crumb(contract)]
    if fiche is not None:
        tail.append((f"Fiche {fiche.code}", reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})))
    return render(request, "actions/fiche_form.html", {
        "form": form, "formsets": formsets, "contract": contract, "fiche": fiche, "title": title,
        "conflict": conflict, "has_axes": axes.exists(),
        "requests": selectors.change_requests(fiche) if fiche else [],
        "pilot_warning": form.pilot_warning if (form.is_bound and form.is_valid()) or fiche else "",
        "breadcrumbs": _crumbs(contract, *tail, (title, None)),
    })


def fiche_create(request, contract_pk):
    contract = selectors.contract_for_plan(request.user, contract_pk)
    require(permissions.can_edit_plan(request.user, contract))
    return _fiche_form_page(request, contract)


def fiche_edit(request, pk):
    fiche = selectors.fiche_get_for_edit(request.user, pk)
    require(permissions.can_view_plan(request.user, fiche.contract))
    require(permissions.can_edit_fiche(request.user, fiche))
    return _fiche_form_page(request, fiche.contract, fiche)


@require_POST
def fiche_resource(request, pk):
    """The regional resource the sheet follows: set from the sheet page, whatever its status (no avenant)."""
    fiche = selectors.fiche_get_detail(request.user, pk)
    require(permissions.can_view_plan(request.user, fiche.contract))
    require(permissions.can_edit_plan(request.user, fiche.contract))
    form = forms.FicheResourceForm(request.POST, fiche=fiche, auto_id="id_ressource_%s")
    if form.is_valid():
        try:
            services.fiche_set_resource(actor=request.user, fiche=fiche, ressource=form.cleaned_data["ressource"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "La ressource régionale suivie par la fiche est enregistrée.")
            return redirect(reverse("actions:fiche_detail", args=[fiche.pk]) + "#pilotage")
    return _fiche_page(request, fiche, resource_form=form)


# -- sheet page and workflow ----------------------------------------------------------------------

def _transition_form(transition, data=None):
    return forms.TransitionForm(data, transition=transition, auto_id=f"id_{transition.name}_%s",
                                with_sections=Acteur.DELEGATION in transition.by and transition.needs_comment)


def _transition_forms(user, fiche, refused=None):
    """One form per transition the user may fire; `refused` (a bound form) takes its transition's place, so a
    refused review keeps what was typed, with the reason next to the field. A transition whose prerequisites are
    not met (`blocked`: their reasons) shows them instead of a button that could only be refused."""
    out = []
    for t in selectors.fiche_transitions(fiche):
        if permissions.can_fire(user, fiche, t)[0]:
            mine = refused is not None and refused.transition.name == t.name
            form = refused if mine else _transition_form(t)
            blocked = [] if mine else [g.reason for g in FICHES.guard_states(t, fiche) if not g.met]
            out.append({"transition": t, "form": form, "blocked": blocked})
    return out


def fiche_detail(request, pk):
    return _fiche_page(request, _readable_fiche(request, pk))


def _readable_fiche(request, pk):
    fiche = selectors.fiche_get_detail(request.user, pk)
    require(permissions.can_view_plan(request.user, fiche.contract))
    require(permissions.can_view_fiche(request.user, fiche))
    return fiche


def _fiche_page(request, fiche, *, resource_form=None, refused_transition=None, refused_comment=None):
    """The sheet's page; a refused form (resource, transition, comment) is shown again, bound, with its error."""
    contract = fiche.contract
    missing = selectors.fiche_missing(fiche)
    can_view_review = permissions.can_view_review(request.user, fiche)[0]
    comments = list(fiche.commentaires.all()) if can_view_review else []
    years = selectors.contract_years(contract)
    suivis = {s.annee: s for s in fiche.suivis.all()}
    can_edit, edit_reason = permissions.can_edit_fiche(request.user, fiche)
    can_manage = permissions.can_edit_plan(request.user, contract)[0]
    if can_manage and resource_form is None:
        resource_form = forms.FicheResourceForm(fiche=fiche, auto_id="id_ressource_%s")
    # The coordinator of a signed contract writing a new sheet learns early that it joins the plan by an avenant
    # (the délégation reads it where « Valider la fiche » waits).
    avenant_needed = (can_manage and fiche.statut in [*EDITABLE_STATUSES, FicheStatut.SOUMISE]
                      and ADDED_BY_AVENANT(fiche, None) is not None)
    return render(request, "actions/fiche_detail.html", {
        "fiche": fiche, "contract": contract, "title": f"Fiche {fiche.code} — {fiche.titre}",
        "missing": missing, "completeness": selectors.completeness_percent(missing),
        "budget": selectors.budget_totals(fiche.lignes_budget.all(), fiche.financements.all()),
        "indicateurs": selectors.indicator_charts(fiche),
        "history": selectors.fiche_history(fiche, request.user),
        "can_view_review": can_view_review, "comments": comments,
        "requests": selectors.change_requests(fiche, comments),
        "transitions": _transition_forms(request.user, fiche, refused_transition),
        "can_edit": can_edit, "edit_reason": edit_reason if can_manage else "",
        "can_suivi": permissions.can_fill_suivi(request.user, fiche)[0],
        "can_milestones": permissions.can_record_milestone(request.user, fiche)[0],
        "can_comment": permissions.can_comment(request.user, fiche)[0],
        "comment_form": refused_comment or forms.CommentaireForm(auto_id="id_comment_%s"),
        "suivi_years": [{"annee": y, "suivi": suivis.get(y)} for y in years],
        "pilot_warning": services.pilot_is_coordinator(contract, fiche.pilote_personne),
        "avenant_needed": avenant_needed,
        "can_open_resources": resource_permissions.can_view_library(request.user)[0],
        "resource_form": resource_form if can_manage else None,
        "breadcrumbs": _crumbs(contract, _plan_crumb(contract), (f"Fiche {fiche.code}", None)),
    })


@require_POST
def fiche_transition(request, pk, name):
    fiche = selectors.fiche_get_for_user(request.user, pk)
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise Http404("Action inconnue.")
    require(permissions.can_fire(request.user, fiche, transition))
    form = _transition_form(transition, request.POST)
    if form.is_valid():
        try:
            services.fiche_transition(actor=request.user, fiche_id=fiche.pk, name=name,
                                      commentaire=form.cleaned_data["commentaire"], sections=form.sections())
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            # What happened, as the history says it (« Fiche soumise à la délégation (fiche 1.2). »), not the
            # button's label followed by « c'est fait ».
            messages.success(request, f"{ActionEvent(transition.event).label} (fiche {fiche.code}).")
            return redirect("actions:fiche_detail", pk=fiche.pk)
    return _fiche_page(request, _readable_fiche(request, fiche.pk), refused_transition=form)


@require_POST
def fiche_comment(request, pk):
    fiche = selectors.fiche_get_for_user(request.user, pk)
    require(permissions.can_comment(request.user, fiche))
    form = forms.CommentaireForm(request.POST, auto_id="id_comment_%s")
    if form.is_valid():
        try:
            services.commentaire_add(actor=request.user, fiche=fiche, section=form.cleaned_data["section"],
                                     texte=form.cleaned_data["commentaire"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, "Votre commentaire a été ajouté.")
            return redirect(reverse("actions:fiche_detail", args=[fiche.pk]) + "#revue")
    return _fiche_page(request, _readable_fiche(request, fiche.pk), refused_comment=form)


# -- yearly follow-up -----------------------------------------------------------------------------

def suivi_edit(request, pk, annee):
    fiche = selectors.fiche_get_for_edit(request.user, pk)
    contract = fiche.contract
    require(permissions.can_fill_suivi(request.user, fiche))
    if annee not in selectors.contract_years(contract):
        raise Http404("Cette année n'est pas une année de mise en œuvre du contrat.")
    suivi = selectors.suivi_for(fiche, annee)
    valeurs = selectors.valeurs_for(fiche, annee)
    initial = {f: getattr(suivi, f) for f in services.SUIVI_FIELDS} if suivi else {}
    initial["version"] = suivi.version if suivi else 0
    hint = ""
    if suivi is None:  # a saved follow-up keeps its value; a new one starts from what is known of the sheet
        initial["avancement"], hint = selectors.suivi_proposal(fiche, annee)
    for ind_id, v in valeurs.items():
        initial[f"valeur_{ind_id}"], initial[f"commentaire_{ind_id}"] = v.valeur, v.commentaire
    for (ind_id, n), p in selectors.periodes_for(fiche, annee).items():
        initial[f"periode_{ind_id}_{n}"] = p.valeur
    indicateurs = list(fiche.indicateurs.all())
    form = forms.SuiviForm(request.POST or None, initial=initial, indicateurs=indicateurs, annee=annee,
                           year_values=valeurs, today=services.period_today(), avancement_hint=hint)
    if request.method == "POST" and form.is_valid():
        try:
            services.suivi_save(actor=request.user, fiche=fiche, annee=annee,
                                data={f: form.cleaned_data[f] for f in services.SUIVI_FIELDS},
                                valeurs=form.valeurs(), expected_version=form.cleaned_data["version"])
            messages.success(request, f"Le suivi {annee} de la fiche {fiche.code} a été enregistré.")
            return redirect("actions:fiche_detail", pk=fiche.pk)
        except DomainError as err:
            apply_domain_error(form, err)
            if isinstance(err, ConcurrentEditError):
                form.data = form.data.copy()
                form.data["version"] = getattr(selectors.suivi_for(fiche, annee), "version", 0)
    title = f"Suivi {annee} de la fiche {fiche.code}"
    return render(request, "actions/suivi_form.html", {
        "form": form, "fiche": fiche, "contract": contract, "annee": annee, "suivi": suivi, "title": title,
        "breadcrumbs": _crumbs(contract, _plan_crumb(contract),
                               (f"Fiche {fiche.code}", reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})),
                               (title, None)),
    })


def jalon_done(request, pk):
    """The day a milestone of a running sheet was reached (the pilot's « Jalon en retard » leads here)."""
    jalon = selectors.jalon_get_for_user(request.user, pk)
    fiche, contract = jalon.fiche, jalon.fiche.contract
    require(permissions.can_record_milestone(request.user, fiche))
    form = forms.JalonRealiseForm(request.POST or None, initial={"date_realisee": jalon.date_realisee})
    if request.method == "POST" and form.is_valid():
        try:
            services.jalon_record_done(actor=request.user, jalon_id=jalon.pk,
                                       date_realisee=form.cleaned_data["date_realisee"])
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, f"La réalisation du jalon « {jalon.libelle} » est enregistrée.")
            return redirect(reverse("actions:fiche_detail", args=[fiche.pk]) + "#calendrier")
    fiche_url = reverse("actions:fiche_detail", args=[fiche.pk])
    title = f"Réalisation du jalon « {jalon.libelle} »"
    return render(request, "core/form_page.html", {
        "form": form, "contract": contract, "title": f"{title} — fiche {fiche.code}", "heading": title,
        "subtitle": f"Fiche {fiche.code} — {fiche.titre}",
        "intro": f"Prévu le {jalon.date_prevue:%d/%m/%Y}.", "hidden": {}, "conflict": None, "multipart": False,
        "cancel": fiche_url + "#calendrier",
        "breadcrumbs": _crumbs(contract, _plan_crumb(contract), (f"Fiche {fiche.code}", fiche_url), (title, None)),
    })


def followup_year(request, contract_pk):
    contract = selectors.contract_for_plan(request.user, contract_pk)
    require(permissions.can_view_plan(request.user, contract))
    years = selectors.contract_years(contract)
    annee = query_year(request.GET, "annee")
    if annee in years:
        pass
    elif years:
        annee = years[-1] if timezone.localdate().year > years[-1] or len(years) == 1 else years[-2]
    else:
        annee = None
    rows = selectors.followup_year(contract, annee) if annee else []
    for row in rows:
        row["can_fill"] = permissions.can_fill_suivi(request.user, row["fiche"])[0]
    # Nothing to follow on a contract signed before the portal whose signed plan is still outside it: say how it
    # comes in (the plan import, confirmed as the signed plan), rather than an empty year.
    signed_plan_missing = bool(years) and not rows and permissions.can_record_signed_plan(contract)[0]
    return render(request, "actions/followup_year.html", {
        "contract": contract, "years": years, "annee": annee, "rows": rows,
        "signed_plan_missing": signed_plan_missing, "can_edit": permissions.can_edit_plan(request.user, contract)[0],
        "manquants": sum(1 for r in rows if r["suivi"] is None),
        "title": f"Suivi annuel {annee or ''} — {contract.nom}".replace("  ", " "),
        "contract_tabs": tabs_for(request.user, contract),
        "breadcrumbs": _crumbs(contract, ("Suivi annuel", None)),
    })


# -- pilot ----------------------------------------------------------------------------------------

def my_sheets(request):
    user = request.user
    require(permissions.can_view_my_sheets(user))
    today = timezone.localdate()  # the menu's count reads the same day: it reuses these items
    items = worklist.items_for(user, worklist.PILOTE, today)
    fiches = list(selectors.sheets_of_pilot(user))
    for f in fiches:
        f.work = [i for i in items if i.fiche_id == f.pk]
        f.is_main_pilot = f.pilote_personne_id == user.pk
    fiches.sort(key=lambda f: not f.work)  # the sheets with something due first (stable: by contract and axe)
    return render(request, "actions/my_sheets.html", {
        "fiches": fiches, "work_count": len(items), "title": "Mes fiches",
        "breadcrumbs": [("Mes fiches", None)],
    })


# -- délégation -----------------------------------------------------------------------------------

def review_queue(request):
    require(permissions.can_review(request.user))
    page = Paginator(selectors.review_queue_for(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "actions/review_queue.html", {
        "page_obj": page, "title": "Fiches actions à relire",
        "breadcrumbs": [("Fiches actions à relire", None)],
    })


# -- sheet list and export ------------------------------------------------------------------------

CENTS = Decimal("0.01")
EXPORT_COLUMNS = [
    Column("code", "N°", lambda f: f.code),
    Column("titre", "Fiche action", lambda f: f.titre),
    Column("axe", "Axe", lambda f: f"Axe {f.axe.numero} — {f.axe.titre}"),
    Column("statut", "Statut", lambda f: f.get_statut_display()),
    Column("priorite", "Priorité", lambda f: f.get_priorite_display()),
    Column("pilote_organisation", "Organisation pilote", lambda f: str(f.pilote_organisation or "")),
    Column("pilote", "Pilote", lambda f: str(f.pilote_personne or "")),
    Column("date_debut", "Début", lambda f: f.date_debut, default=False),
    Column("date_fin", "Fin", lambda f: f.date_fin, default=False),
    Column("budget", "Budget prévu (€)", lambda f: Decimal(f.budget_prevu).quantize(CENTS)),
    Column("indicateurs", "Indicateurs", lambda f: f.nb_indicateurs, default=False),
]


def fiche_list(request, contract_pk):
    contract = selectors.contract_for_plan(request.user, contract_pk)
    require(permissions.can_view_plan(request.user, contract))
    fiches = selectors.fiche_list_for(contract)
    scope = permissions.plan_scope(request.user, contract)
    if scope is not None:  # elected officials and pilots: the validated plan (and a pilot's own sheets)
        fiches = fiches.filter(scope)
    filterset = FicheFilter(request.GET or None, queryset=fiches, contract=contract)
    fiches = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    export_form = ColumnChoiceForm(request.GET if "format" in request.GET else None, columns=EXPORT_COLUMNS)
    if export_form.is_bound and export_form.is_valid():
        return export_response(fiches, export_form.selected_columns(), export_form.cleaned_data["format"],
                               f"fiches-actions-{contract.pk}")
    page = Paginator(fiches, 25).get_page(request.GET.get("page"))
    return render(request, "actions/fiche_list.html", {
        "contract": contract, "filterset": filterset, "page_obj": page, "export_form": export_form,
        "title": f"Fiches actions — {contract.nom}", "contract_tabs": tabs_for(request.user, contract),
        "breadcrumbs": _crumbs(contract, _plan_crumb(contract), ("Fiches actions", None)),
    })
