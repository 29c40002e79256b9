from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cls_portal.accounts.models import Role
from cls_portal.core import worklist
from cls_portal.core.collation import search_q
from cls_portal.core.errors import ConcurrentEditError, DomainError, apply_domain_error
from cls_portal.core.exports import Column, ColumnChoiceForm, export_response
from cls_portal.core.files import open_stored
from cls_portal.core.permissions import require
from cls_portal.core.query import query_id
from cls_portal.territories.models import Departement, Organisation

from . import forms, permissions, registry, selectors, services, timeline, workflow
from .enums import DocumentType, Phase, PlanChangeKind, SignatoryRole
from .filters import ContractFilter
from .models import Document, Signatory, Step
from .tabs import tabs_for


def _contract(request, pk, predicate=permissions.can_view_contract):
    contract = selectors.contract_get_for_user(request.user, pk)
    require(predicate(request.user, contract))
    return contract


def _crumbs(contract, *extra):
    return [("Contrats", reverse("contracts:list")), (contract.nom, reverse("contracts:detail", args=[contract.pk])),
            *extra]


def _back(contract, anchor=""):
    return redirect(reverse("contracts:detail", args=[contract.pk]) + anchor)


def _save(request, form, contract, call, *, success, anchor):
    """For a valid POSTed form, run the service `call(cleaned_data)`. Its DomainError is shown next to
    the field it names (a concurrent edit also as `form.conflict`, for the page's banner) and the page
    is rendered again: returns None. Success: a message, then back to the contract page's section."""
    form.conflict = None
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        call(form.cleaned_data)
    except DomainError as err:
        apply_domain_error(form, err)
        form.conflict = err if isinstance(err, ConcurrentEditError) else None
        return None
    messages.success(request, success)
    return _back(contract, anchor)


# --- lists and dashboards ---------------------------------------------------------------------------

EXPORT_COLUMNS = [
    Column("nom", "Contrat", lambda c: c.nom),
    Column("collectivite", "Collectivité porteuse", lambda c: c.collectivite.nom),
    Column("departements", "Département(s)", lambda c: ", ".join(d.departement.nom for d in c.delegations.all())),
    Column("phase", "Phase", lambda c: c.get_phase_display()),
    Column("generation", "Génération", lambda c: c.generation),
    Column("population", "Population", lambda c: c.population),
    Column("signature", "Date de signature", lambda c: c.date_signature),
    Column("fin", "Date de fin", lambda c: c.date_fin),
    Column("echeance", "Prochaine échéance", lambda c: c.next_deadline),
    Column("retard", "Étapes en retard", lambda c: c.overdue_steps),
    Column("rural", "Rural", lambda c: c.rural, default=False),
    Column("qpv", "Nombre de QPV", lambda c: c.nb_qpv, default=False),
    Column("clsm", "CLSM", lambda c: c.clsm, default=False),
]


def _filtered(request, qs, departements):
    f = ContractFilter(request.GET or None, queryset=qs, departements=departements)
    return f, (f.qs if f.is_bound and f.is_valid() else qs)


def contract_list(request):
    today = timezone.localdate()
    qs = selectors.contract_list_for_user(request.user, today)
    user = request.user
    filterset, rows = _filtered(request, qs, selectors.departements_for(user))
    can_export = user.is_portal_admin or user.has_role(Role.REGION) or user.has_role(Role.DELEGATION)
    if can_export and request.GET.get("export"):
        export_form = ColumnChoiceForm(
            {"format": request.GET.get("export"), "colonnes": request.GET.getlist("colonnes")}, columns=EXPORT_COLUMNS)
        if export_form.is_valid():
            return export_response(rows, export_form.selected_columns(), export_form.cleaned_data["format"],
                                   "contrats")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(request, "contracts/contract_list.html", {
        "page_obj": page, "title": "Contrats locaux de santé", "filter": filterset, "today": today,
        "can_export": can_export, "can_create": permissions.can_create_contract(user)[0],
        "can_import": permissions.can_import_contracts(user)[0],
        "can_organisations": permissions.can_create_organisation(user)[0],
    })


def delegation_dashboard(request):
    user = request.user
    if not (user.is_portal_admin or user.has_role(Role.DELEGATION)):
        raise PermissionDenied("Ce tableau de bord est réservé aux délégations départementales.")
    today = timezone.localdate()
    qs = selectors.delegation_contracts(user, today)
    deps = Departement.objects.all() if user.is_portal_admin else Departement.objects.filter(
        code__in=user.departement_codes())
    filterset, rows = _filtered(request, qs, deps)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    items = worklist.items_for(user, worklist.DELEGATION, today)
    # Each contract's row counts what waits for the délégation on it: the items listed above, of every kind.
    waiting = Counter(i.contract_id for i in items)
    page.object_list = list(page.object_list)
    for c in page.object_list:
        c.work_count = waiting[c.pk]
    return render(request, "contracts/delegation_dashboard.html", {
        "page_obj": page, "filter": filterset, "today": today, "title": "Tableau de bord de la délégation",
        "work_groups": worklist.by_kind(items), "work_count": len(items),
        # From an empty database, the way to the délégation's first contract.
        "can_create": permissions.can_create_contract(user)[0],
    })


def my_cls(request):
    user = request.user
    if not (user.is_portal_admin or user.has_role(Role.COORDINATEUR)):
        raise PermissionDenied("« Mon CLS » est réservé aux coordinateurs.")
    today = timezone.localdate()
    contracts = list(selectors.coordinator_contracts(user, today))
    items = worklist.items_for(user, worklist.COORDINATEUR, today)
    for c in contracts:
        c.upcoming = [s for s in c.open_steps if s.date_prevue >= today][:3]
        c.work_groups = worklist.by_kind(i for i in items if i.contract_id == c.pk)
    return render(request, "contracts/my_cls.html", {"contracts": contracts, "today": today, "title": "Mon CLS",
                                                     "work_count": len(items)})


# --- contract page ----------------------------------------------------------------------------------

def _lifecycle(contract, roles, pending, refused) -> dict:
    """The lifecycle box: for each next transition, its prerequisites with their state (in words), whether
    this user may act, and its form; `refused`: the form just posted and refused, (name, bound form), shown
    again with its errors next to its fields and what was typed."""
    can_edit, can_validate = workflow.COORDINATEUR in roles, workflow.DELEGATION in roles
    ctx = workflow.GuardContext(timezone.localdate(), by_delegation=can_validate and not can_edit)
    posted = dict([refused]) if refused else {}

    steps = []
    if pending is None:
        for t in workflow.transitions_from(contract.phase):
            # "direct" also for a proposed transition when the contract has no coordinator (`unproposed`).
            mode, unproposed = workflow.LIFECYCLE.mode_for(t, contract), workflow.LIFECYCLE.unproposed(t, contract)
            step = {"transition": t, "guards": workflow.LIFECYCLE.guard_states(t, contract, ctx), "mode": mode,
                    "unproposed": unproposed,
                    "can_act": bool(roles & set(t.proposed_by if mode == "propose" else t.by)),
                    "form": posted.get(t.name) or forms.transition_form(t, mode=mode, unproposed=unproposed,
                                                                        delegation=can_validate)}
            step["missing"] = sum(1 for g in step["guards"] if not g.met)
            steps.append(step)
    decision = None
    if pending is not None:
        t = workflow.LIFECYCLE.get(pending.transition)
        decision = {"transition": t, "guards": workflow.LIFECYCLE.guard_states(t, contract, ctx),
                    "form": posted.get("decision") or forms.DecisionForm(signing=t.name == "signer")}
        decision["missing"] = sum(1 for g in decision["guards"] if not g.met)
    return {"steps": steps, "decision": decision}


def _with_sheets(contract, meetings) -> list:
    """Each meeting with the sheets it worked on (`registry.meeting_sheets`, filled by actions)."""
    sheets = {}
    for fn in registry.meeting_sheets:
        for meeting_id, labels in fn(contract).items():
            sheets.setdefault(meeting_id, []).extend(labels)
    meetings = list(meetings)
    for m in meetings:
        m.sheets = sheets.get(m.pk, [])
    return meetings


def contract_detail(request, pk):
    contract = selectors.contract_get_for_user(request.user, pk)
    if not permissions.can_view_contract(request.user, contract)[0]:
        # Elected officials and pilots see the contract (it is in their menu): its read-only summary.
        return redirect(permissions.SUMMARY_URL_NAME, pk=contract.pk)
    return _detail_page(request, contract)


def _detail_page(request, contract, refused=None):
    """The contract page; `refused`: a lifecycle form posted and refused, (name, bound form), shown again in the
    box (`_lifecycle`) and, through the context's `cycle_form`, in the page's error summary and title."""
    user = request.user
    today = timezone.localdate()
    avenant_list = list(selectors.avenants(contract))
    roles = permissions.lifecycle_roles(user, contract)
    proposal_list = selectors.proposals(contract)
    pending = selectors.pending_in(proposal_list)
    communes = list(selectors.contract_perimeter(contract))
    step_list = list(selectors.steps(contract))
    for s in step_list:
        s.overdue = s.is_overdue(today)
    signatory_list = list(selectors.signatories(contract))
    for s in signatory_list:
        s.removable = services.signatory_removable(s, contract)  # the service's rule, not a copy in the template
    document_list = list(selectors.documents(contract))
    avenant_rows = selectors.avenant_rows(contract, avenant_list, signatory_list)
    for row in avenant_rows:
        row["form"] = forms.AvenantInitialsForm(signatories=row["missing"]) if row["missing"] else None
    return render(request, "contracts/contract_detail.html", {
        "contract": contract, "title": contract.nom, "today": today,
        "communes": communes,
        "population": sum(c.population for c in communes),
        "contract_tabs": tabs_for(user, contract),
        "signatories": signatory_list,
        "timeline": selectors.timeline(contract, proposal_list),
        "steps": step_list,
        "instances": list(selectors.instances(contract)),
        "meetings": _with_sheets(contract, selectors.meetings(contract)),
        "documents": document_list,
        "fiches_poste": [d for d in document_list if d.type == DocumentType.FICHE_POSTE and not d.n_next],
        "lettres_mission": [d for d in document_list if d.type == DocumentType.LETTRE_MISSION and not d.n_next],
        "avenants": avenant_rows,
        "versions": selectors.plan_versions(contract, avenant_list),
        "version_label": selectors.current_version_label(contract, avenant_list),
        "history": selectors.history(contract, user),
        "pending": pending,
        "pending_label": workflow.TRANSITIONS[pending.transition].label if pending else "",
        "lifecycle": _lifecycle(contract, roles, pending, refused),
        "cycle_form": refused[1] if refused else None,
        "can_edit": workflow.COORDINATEUR in roles,
        "can_keep_records": permissions.can_keep_records(user, contract)[0],
        "can_validate": workflow.DELEGATION in roles,
        "can_plan_steps": permissions.can_plan_steps(user, contract)[0],
        "can_edit_step": permissions.can_edit_step(user, contract)[0],
        "can_record_recruitment": permissions.can_record_recruitment(user, contract)[0],
        "can_designate_referent": permissions.can_designate_referent(user, contract)[0],
        "can_renew": bool(roles) and contract.phase in (Phase.EVALUATION_FINALE, Phase.CLOS),
        "signed_types": selectors.SIGNED,
    })


def retroplanning(request, pk):
    contract = _contract(request, pk)
    today = timezone.localdate()
    groups = [group for fn in registry.timeline_groups if (group := fn(contract, today))]
    chart = timeline.build(contract, list(selectors.steps(contract)), list(selectors.meetings(contract)), today,
                           groups)
    return render(request, "contracts/retroplanning.html", {
        "contract": contract, "chart": chart, "today": today, "title": f"Rétroplanning — {contract.nom}",
        "breadcrumbs": _crumbs(contract, ("Rétroplanning", None)),
    })


def _form_page(request, contract, form, heading, **extra):
    extra.setdefault("hidden", {})
    extra.setdefault("conflict", None)
    extra.setdefault("multipart", False)
    return render(request, "core/form_page.html", {
        "contract": contract, "form": form, "title": heading, "heading": heading, "subtitle": contract.nom,
        "cancel": reverse("contracts:detail", args=[contract.pk]),
        "breadcrumbs": _crumbs(contract, (heading, None)), **extra})


def contract_edit(request, pk):
    contract = _contract(request, pk, permissions.can_keep_records)
    form = forms.ContractIdentityForm(request.POST or None, instance=contract)
    done = _save(request, form, contract, lambda d: services.contract_update(
        actor=request.user, contract=contract, version=d.get("version"),
        data={k: d[k] for k in [*forms.ContractIdentityForm.Meta.fields, "qpvs"]}),
        success="L'identité du contrat a été enregistrée.", anchor="#identite")
    return done or _form_page(request, contract, form, "Modifier l'identité du contrat",
                              conflict=form.conflict)


def referent_edit(request, pk):
    contract = _contract(request, pk, permissions.can_designate_referent)
    form = forms.ReferentForm(request.POST or None, contract=contract, proposed=request.GET.get("referent"))
    done = _save(request, form, contract, lambda d: services.contract_set_referent(
        actor=request.user, contract=contract, referent=d["referent"], version=d.get("version")),
        success="Le référent ARS du contrat a été enregistré.", anchor="#identite")
    return done or render(request, "contracts/referent.html", {
        "contract": contract, "form": form, "title": "Désigner le référent ARS", "heading": "Désigner le référent ARS",
        "subtitle": contract.nom, "conflict": form.conflict, "hidden": {},
        "designations": selectors.referent_history(contract),
        "cancel": reverse("contracts:detail", args=[contract.pk]),
        "breadcrumbs": _crumbs(contract, ("Référent ARS", None))})


def perimeter_edit(request, pk):
    contract = _contract(request, pk, permissions.can_edit_contract)
    communes = list(selectors.contract_perimeter(contract))
    regions = {contract.ars.region_id}
    epci_form = forms.PerimeterEpciForm(request.POST if request.POST.get("form") == "epci" else None,
                                        region_codes=regions, initial={"version": contract.version,
                                                                       "epci": contract.epci_id})
    communes_form = forms.PerimeterCommunesForm(request.POST if request.POST.get("form") == "communes" else None,
                                                communes=communes, initial={"version": contract.version})
    bound = epci_form if epci_form.is_bound else communes_form if communes_form.is_bound else None
    if bound is not None and bound.is_valid():
        data = bound.cleaned_data
        if bound is epci_form:
            codes, epci = list(data["epci"].communes.values_list("code", flat=True)), data["epci"]
        else:
            codes, epci = list(data["garder"]) + data["ajouter"], None
        try:
            services.contract_set_perimeter(actor=request.user, contract=contract, commune_codes=codes, epci=epci,
                                            version=data.get("version"))
        except DomainError as err:
            apply_domain_error(bound, err) if err.field in bound.fields else bound.add_error(
                "ajouter" if bound is communes_form else "epci", err.message)
        else:
            messages.success(request, "Le périmètre a été enregistré.")
            return _back(contract, "#perimetre")
    return render(request, "contracts/perimeter.html", {
        "contract": contract, "epci_form": epci_form, "communes_form": communes_form,
        "population": sum(c.population for c in communes), "communes": communes,
        "title": "Modifier le périmètre", "breadcrumbs": _crumbs(contract, ("Périmètre", None)),
    })


# --- lifecycle --------------------------------------------------------------------------------------

def _transition_or_404(name):
    t = workflow.TRANSITIONS.get(name)
    if t is None:
        raise Http404
    return t


def _cycle_post(request, contract, name, form, call):
    """A form of the lifecycle box posted: `call(cleaned_data)` runs the service and returns the success message,
    then back to the box. Refused (a field, a prerequisite, the phase), the contract page is shown again with the
    form bound: each error next to its field, the prerequisites' reasons above the button, what was typed kept."""
    if form.is_valid():
        try:
            done = call(form.cleaned_data)
        except DomainError as err:
            field = {"commentaire": "comment"}.get(err.field, err.field)  # the engine's name for the comment
            for reason in getattr(err, "reasons", None) or [err.message]:
                form.add_error(field if field in form.fields else None, reason)
        else:
            messages.success(request, done)
            return _back(contract, "#cycle")
    return _detail_page(request, contract, refused=(name, form))


@require_POST
def transition_propose(request, pk, name):
    t = _transition_or_404(name)
    contract = selectors.contract_get_for_user(request.user, pk)
    require(permissions.can_propose(request.user, contract, t))
    form = forms.transition_form(t, mode="propose", unproposed=False, delegation=False, data=request.POST)

    def propose(d):
        services.transition_propose(actor=request.user, contract=contract, transition=t.name, comment=d["comment"])
        return "Votre proposition a été transmise à la délégation départementale."
    return _cycle_post(request, contract, t.name, form, propose)


@require_POST
def transition_fire(request, pk, name):
    t = _transition_or_404(name)
    contract = selectors.contract_get_for_user(request.user, pk)
    require(permissions.can_fire(request.user, contract, t))
    by_delegation = permissions.can_validate_contract(request.user, contract)[0]
    form = forms.transition_form(t, mode="direct", unproposed=workflow.LIFECYCLE.unproposed(t, contract),
                                 delegation=by_delegation, data=request.POST)

    def fire(d):
        services.transition_fire(actor=request.user, contract=contract, transition=t.name, comment=d["comment"],
                                 by_delegation=by_delegation, date_signature=d.get("date_signature"))
        return f"Changement de phase enregistré : « {Phase(t.target).label} »."
    return _cycle_post(request, contract, t.name, form, fire)


@require_POST
def proposal_decide(request, pk, proposal_pk):
    contract = _contract(request, pk, permissions.can_validate_contract)
    signing = contract.proposals.filter(pk=proposal_pk, transition="signer").exists()
    form = forms.DecisionForm(request.POST, signing=signing)

    def decide(d):
        kwargs = {"actor": request.user, "contract": contract, "proposal_pk": proposal_pk, "comment": d["comment"]}
        if d["decision"] == "valider":
            proposal = services.proposal_validate(**kwargs, date_signature=d.get("date_signature")).proposal
            done = "La proposition est validée : le contrat change de phase"
        else:
            proposal = services.proposal_refuse(**kwargs)
            done = "La proposition est refusée"
        # Named: the contract may have no coordinator yet (the proposal's author, an admin, hears of it).
        told = ", ".join(str(u) for u in selectors.decision_recipients(contract, proposal))
        return f"{done} ; la décision est notifiée à {told}." if told else f"{done}."
    return _cycle_post(request, contract, "decision", form, decide)


@require_POST
def contract_renew(request, pk):
    contract = _contract(request, pk, permissions.can_renew)
    form = forms.RenewForm(request.POST)
    form.is_valid()
    try:
        new = services.contract_renew(actor=request.user, contract=contract, nom=form.cleaned_data.get("nom", ""))
    except DomainError as err:
        messages.error(request, f"Renouvellement impossible : {err.message}")
        return _back(contract, "#cycle")
    messages.success(request, "Le contrat de génération suivante est créé, prérempli.")
    return redirect("contracts:detail", pk=new.pk)


# --- documents --------------------------------------------------------------------------------------

def document_upload(request, pk):
    contract = _contract(request, pk, permissions.can_keep_records)
    supersedes = None
    raw = request.GET.get("remplace") or request.POST.get("remplace")
    if raw:
        pk_ = query_id({"remplace": raw}, "remplace")
        if pk_ is None:
            raise Http404("Document inconnu.")
        supersedes = get_object_or_404(Document.objects.current(), contract=contract, pk=pk_)
    form = forms.DocumentForm(request.POST or None, request.FILES or None, supersedes=supersedes,
                              initial={"type": request.GET.get("type", "")})
    done = _save(request, form, contract, lambda d: services.document_upload(
        actor=request.user, contract=contract, type=d.get("type") or DocumentType.AUTRE, titre=d["titre"],
        fichier=d["fichier"], date_document=d["date_document"], supersedes=supersedes),
        success="Le document a été déposé.", anchor="#documents")
    heading = f"Nouvelle version de « {supersedes.titre} »" if supersedes else "Déposer un document"
    return done or _form_page(request, contract, form, heading, multipart=True,
                              hidden={"remplace": supersedes.pk} if supersedes else {})


def document_download(request, pk, doc_pk):
    contract = _contract(request, pk)
    doc = get_object_or_404(Document, contract=contract, pk=doc_pk)
    require(permissions.can_download_document(request.user, doc))
    response = FileResponse(open_stored(doc.fichier), as_attachment=True, filename=doc.nom_original,
                            content_type=doc.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def document_delete(request, pk, doc_pk):
    contract = _contract(request, pk)
    doc = get_object_or_404(Document, contract=contract, pk=doc_pk)
    require(permissions.can_delete_document(request.user, doc))
    try:
        services.document_delete(actor=request.user, document=doc)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, "Le document a été supprimé.")
    return _back(contract, "#documents")


# --- signatories ------------------------------------------------------------------------------------

def signatory_add(request, pk):
    contract = _contract(request, pk, permissions.can_edit_contract)
    form = forms.SignatoryForm(request.POST or None, contract=contract)
    done = _save(request, form, contract, lambda d: services.signatory_add(actor=request.user, contract=contract, **d),
                 success="Le signataire ou partenaire a été ajouté.", anchor="#signataires")
    return done or _form_page(request, contract, form, "Ajouter un signataire ou un partenaire")


def _text_section(request, pk, *, predicate, form_class, fields, service, success, anchor, heading):
    """A contract's section of written fields (evaluation method, recruitment, préalable): one versioned form,
    one service, back to its anchor on the contract page; a rejected or stale form keeps what was typed."""
    contract = _contract(request, pk, predicate)
    form = form_class(request.POST or None, initial={
        "version": contract.version, **{k: getattr(contract, k) for k in fields}})
    done = _save(request, form, contract,
                 lambda d: service(actor=request.user, contract=contract, version=d.pop("version"), data=d),
                 success=success, anchor=anchor)
    return done or _form_page(request, contract, form, heading, conflict=form.conflict)


def evaluation_method(request, pk):
    return _text_section(request, pk, predicate=permissions.can_edit_contract, form_class=forms.EvaluationMethodForm,
                         fields=services.EVALUATION_FIELDS, service=services.evaluation_method_update,
                         success="Méthode de l'évaluation finale enregistrée.", anchor="#evaluation",
                         heading="Méthode de l'évaluation finale")


def recruitment(request, pk):
    return _text_section(request, pk, predicate=permissions.can_record_recruitment, form_class=forms.RecruitmentForm,
                         fields=services.RECRUITMENT_FIELDS, service=services.recruitment_update,
                         success="Recrutement du coordinateur enregistré.", anchor="#recrutement",
                         heading="Recrutement du coordinateur")


def prealable(request, pk):
    return _text_section(request, pk, predicate=permissions.can_edit_contract, form_class=forms.PrealableForm,
                         fields=services.PREALABLE_FIELDS, service=services.prealable_update,
                         success="Bilan de la phase préalable enregistré.", anchor="#prealable",
                         heading="Bilan de la phase préalable")


def signatory_commitments(request, pk, signatory_pk):
    contract = _contract(request, pk, permissions.can_edit_contract)
    signatory = get_object_or_404(Signatory.objects.select_related("organisation"), contract=contract,
                                  pk=signatory_pk)
    form = forms.SignatoryCommitmentsForm(request.POST or None, initial={
        k: getattr(signatory, k) for k in services.SIGNATORY_COMMITMENTS})
    done = _save(request, form, contract,
                 lambda d: services.signatory_commitments_update(actor=request.user, signatory=signatory, **d),
                 success=f"Engagements du signataire {signatory.organisation} enregistrés.", anchor="#signataires")
    return done or _form_page(request, contract, form, f"Engagements du signataire {signatory.organisation}")


@require_POST
def signatory_remove(request, pk, signatory_pk):
    contract = _contract(request, pk, permissions.can_edit_contract)
    signatory = get_object_or_404(Signatory, contract=contract, pk=signatory_pk)
    try:
        services.signatory_remove(actor=request.user, signatory=signatory)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, "Le signataire a été retiré.")
    return _back(contract, "#signataires")


# --- steps and governance ---------------------------------------------------------------------------

def step_edit(request, pk, step_pk):
    contract = _contract(request, pk, permissions.can_edit_step)
    step = get_object_or_404(Step, contract=contract, pk=step_pk)
    form = forms.StepForm(request.POST or None, instance=step)
    done = _save(request, form, contract, lambda d: services.step_update(
        actor=request.user, step=step, data=dict(d), version=d.get("version")),
        success="L'étape a été enregistrée.", anchor="#etapes")
    return done or _form_page(request, contract, form, f"Étape : {step.titre}", conflict=form.conflict)


def instance_add(request, pk):
    contract = _contract(request, pk, permissions.can_edit_contract)
    form = forms.InstanceForm(request.POST or None)
    done = _save(request, form, contract,
                 lambda d: services.instance_create(actor=request.user, contract=contract, **d),
                 success="L'instance a été créée.", anchor="#gouvernance")
    # Refused, the form comes back on a page of its own with what was typed and the error next to the field.
    return done or _form_page(request, contract, form, "Créer une instance")


def member_add(request, pk, instance_pk):
    contract = _contract(request, pk, permissions.can_edit_contract)
    instance = get_object_or_404(contract.instances, pk=instance_pk)
    form = forms.MemberForm(request.POST or None, contract=contract)
    done = _save(request, form, contract, lambda d: services.member_add(actor=request.user, instance=instance, **d),
                 success="Le membre a été ajouté.", anchor="#gouvernance")
    return done or _form_page(request, contract, form, f"Ajouter un membre : {instance.nom}")


def meeting_add(request, pk):
    contract = _contract(request, pk, permissions.can_edit_contract)
    form = forms.MeetingForm(request.POST or None, request.FILES or None, contract=contract)
    done = _save(request, form, contract, lambda d: services.meeting_create(actor=request.user, contract=contract, **d),
                 success="La réunion a été enregistrée.", anchor="#gouvernance")
    return done or _form_page(request, contract, form, "Enregistrer une réunion", multipart=True)


# --- avenants ---------------------------------------------------------------------------------------

def avenant_add(request, pk):
    contract = _contract(request, pk, permissions.can_edit_contract)
    sheets = selectors.avenant_sheet_options(contract)
    fiches = {str(f.pk): f for kind in sheets.values() for f in kind}
    # The partners associated with the contract did not sign it: they do not initial its avenants.
    sigs = {str(s.pk): s for s in selectors.signatories(contract).exclude(role=SignatoryRole.PARTENAIRE)}
    docs = {str(d.pk): d for d in contract.documents.current().filter(type=DocumentType.AVENANT)}
    form = forms.AvenantForm(request.POST or None, sheets=sheets, signatories=sigs.values(),
                             documents=docs.values())

    def record(d):
        changes = [{"kind": kind, "fiche": fiches[pk_]} for field, kind in (
            ("ajouts", PlanChangeKind.AJOUT), ("modifications", PlanChangeKind.MODIFICATION),
            ("retraits", PlanChangeKind.RETRAIT)) for pk_ in d[field]]
        changes += [{"kind": PlanChangeKind.MODIFICATION, "description": line.strip()}
                    for line in d["autres"].splitlines() if line.strip()]
        services.avenant_create(actor=request.user, contract=contract, date=d["date"], objet=d["objet"],
                                changes=changes, signataires=[sigs[x] for x in d["signataires"]],
                                document=docs.get(d["document"]))

    done = _save(request, form, contract, record,
                 success="L'avenant a été enregistré : la liste des avenants dit s'il est en vigueur ou quels "
                         "paraphes il attend (il entre en vigueur, et le plan d'action change de version, quand tous "
                         "les signataires l'ont paraphé).", anchor="#avenants")
    return done or _form_page(request, contract, form, "Enregistrer un avenant")


@require_POST
def avenant_initials(request, pk, avenant_pk):
    """Record the initials still missing on an avenant (the last one puts it in force)."""
    contract = _contract(request, pk, permissions.can_edit_contract)
    avenant = get_object_or_404(contract.avenants, pk=avenant_pk)
    missing = selectors.avenant_rows(contract, [avenant], list(selectors.signatories(contract)))[0]["missing"]
    form = forms.AvenantInitialsForm(request.POST, signatories=missing)
    if not form.is_valid():
        messages.error(request, "Cochez au moins un signataire qui n'a pas encore paraphé.")
        return redirect(reverse("contracts:detail", args=[contract.pk]) + "#avenants")
    chosen = [s for s in missing if str(s.pk) in form.cleaned_data["signataires"]]
    try:
        services.avenant_initials_add(actor=request.user, avenant=avenant, signataires=chosen)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        contract.refresh_from_db()
        if avenant.plan_version <= contract.plan_version:
            messages.success(request, f"Avenant n°{avenant.numero} paraphé par tous les signataires : il est en "
                                      f"vigueur, le plan d'action passe en version {contract.plan_version}.")
        else:
            messages.success(request, f"Paraphes enregistrés sur l'avenant n°{avenant.numero}.")
    return redirect(reverse("contracts:detail", args=[contract.pk]) + "#avenants")


# --- starting a région: new contracts, steps of the démarche, partner organisations ------------------

def _page(request, template, form, heading, *, cancel, crumbs, **extra):
    return render(request, template, {"form": form, "title": heading, "heading": heading, "cancel": cancel,
                                      "breadcrumbs": crumbs, "hidden": extra.pop("hidden", {}), **extra})


def _region(request, regions):
    """The région the user works in for this page: the only one, or the one chosen (?region=)."""
    if len(regions) == 1:
        return regions[0]
    code = request.POST.get("region") or request.GET.get("region")
    return next((r for r in regions if r.code == code), None)


def contract_create(request):
    user = request.user
    require(permissions.can_create_contract(user))
    regions = selectors.regions_of(user)
    region = _region(request, regions)
    crumbs = [("Contrats", reverse("contracts:list")), ("Nouveau contrat", None)]
    if region is None:
        return _page(request, "contracts/create_page.html", forms.RegionChoiceForm(regions=regions),
                     "Nouveau contrat local de santé", cancel=reverse("contracts:list"), crumbs=crumbs, method="get")
    form = forms.ContractCreateForm(request.POST or None, region=region)
    if request.method == "POST":
        valid = form.is_valid()
        data = getattr(form, "cleaned_data", {})  # none on an empty POST (an unbound form)
        # The départements within reach are said with the other refusals, as soon as the perimeter is known.
        perimeter_known = "departements" in data and not ({"communes", "epci"} & set(form.errors))
        allowed, reason = permissions.can_create_contract_on(user, data["departements"]) if perimeter_known else (
            True, "")
        if not allowed:
            form.add_error("communes" if data.get("communes") else "epci", reason)
        if valid and allowed:
            try:
                contract = services.contract_open(
                    actor=user, region_code=region.code,
                    **{k: data[k] for k in ("nom", "commune_codes", "collectivite", "collectivite_code", "epci",
                                            "referent", "date_debut_prealable", "date_signature_prevue",
                                            "duree_annees", "prs")})
            except DomainError as err:
                apply_domain_error(form, err)
            else:
                messages.success(request, "Le contrat a été créé en phase préalable ; ses étapes sont datées "
                                          "d'après le plan type. Ajustez-les si besoin.")
                return redirect(reverse("contracts:detail", args=[contract.pk]) + "#etapes")
    return _page(request, "contracts/create_page.html", form, f"Nouveau contrat local de santé — {region.nom}",
                 cancel=reverse("contracts:list"), crumbs=crumbs, hidden={"region": region.code}, method="post")


def _step(request, pk, step_pk):
    contract = _contract(request, pk, permissions.can_plan_steps)
    return contract, get_object_or_404(Step, contract=contract, pk=step_pk)


def step_add(request, pk):
    contract = _contract(request, pk, permissions.can_plan_steps)
    form = forms.StepAddForm(request.POST or None)
    done = _save(request, form, contract, lambda d: services.step_add(actor=request.user, contract=contract, **d),
                 success="L'étape a été ajoutée.", anchor="#etapes")
    return done or _form_page(request, contract, form, "Ajouter une étape")


@require_POST
def step_delete(request, pk, step_pk):
    contract, step = _step(request, pk, step_pk)
    try:
        services.step_delete(actor=request.user, step=step)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"L'étape « {step.titre} » a été supprimée.")
    return _back(contract, "#etapes")


@require_POST
def step_move(request, pk, step_pk):
    contract, step = _step(request, pk, step_pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Choisissez de monter ou de descendre l'étape.")
    else:
        services.step_move(actor=request.user, step=step, direction=direction)
        messages.success(request, f"L'étape « {step.titre} » a été déplacée.")
    return _back(contract, "#etapes")


def organisation_list(request):
    user = request.user
    require(permissions.can_create_organisation(user))
    regions = selectors.regions_of(user)
    qs = Organisation.objects.none()
    for r in regions:
        qs = qs | Organisation.objects.in_region(r.code)
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        qs = qs.filter(search_q(query, "nom_recherche"))  # « evreux » finds « Évreux »
    page = Paginator(qs.select_related("departement").order_by("nom"), 50).get_page(request.GET.get("page"))
    title = "Organisations partenaires" + (f" – recherche « {query} »" if query else "")
    return render(request, "contracts/organisation_list.html", {
        "page_obj": page, "query": query, "regions": regions, "title": title,
        "breadcrumbs": [("Contrats", reverse("contracts:list")), ("Organisations", None)]})


def organisation_create(request):
    user = request.user
    require(permissions.can_create_organisation(user))
    regions = selectors.regions_of(user)
    region = _region(request, regions)
    crumbs = [("Organisations", reverse("contracts:organisation_list")), ("Nouvelle organisation", None)]
    cancel = reverse("contracts:organisation_list")
    if region is None:
        return _page(request, "contracts/create_page.html", forms.RegionChoiceForm(regions=regions),
                     "Nouvelle organisation partenaire", cancel=cancel, crumbs=crumbs, method="get")
    form = forms.OrganisationForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(actor=user, region_code=region.code, **form.cleaned_data)
        except DomainError as err:
            apply_domain_error(form, err)
        else:
            messages.success(request, f"L'organisation « {org.nom} » a été créée : elle est proposée dans les "
                                      f"formulaires des contrats de la région {region.nom}.")
            return redirect(cancel)
    return _page(request, "contracts/create_page.html", form, f"Nouvelle organisation partenaire — {region.nom}",
                 cancel=cancel, crumbs=crumbs, method="post", hidden={"region": region.code})
