"""Funding pages. Views stay thin: fetch through a user-scoped selector (404), check a predicate (403),
bind a form, call one service, message and redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cls_portal.core.errors import ConcurrentEditError, DomainError, apply_domain_error
from cls_portal.core.exports import Column, ColumnChoiceForm, export_response
from cls_portal.core.files import open_stored
from cls_portal.core.formatting import format_euros
from cls_portal.core.permissions import require
from cls_portal.core.query import query_year
from cls_portal.territories.models import Region
from contracts.permissions import is_coordinator
from contracts.selectors import departements_for
from contracts.tabs import tabs_for

from . import forms, permissions, rules, selectors, services
from .models import Decision, RegleFinancement, rule_for, rule_or_none
from .workflow import YEARS, etape_possible

PER_PAGE = 25


def _contract_url(contract_pk, year=None) -> str:
    url = reverse("funding:contract", kwargs={"contract_pk": contract_pk})
    return f"{url}#annee-{year}" if year else url


def _crumbs(contract, label=None):
    crumbs = [("Contrats", reverse("contracts:list")), (contract.nom, reverse("contracts:detail", args=[contract.pk])),
              ("Financement", _contract_url(contract.pk) if label else None)]
    return crumbs + ([(label, None)] if label else [])


def _domain_error(request, form, err: DomainError):
    if isinstance(err, ConcurrentEditError):
        messages.error(request, err.message)
    apply_domain_error(form, err)


def _annee_for_step(request, pk, predicate, step):
    """The year (404 if not visible), the permission (403), then the state: a step not possible now sends the
    user back to the contract page with the reason."""
    annee = selectors.annee_get_for_user(request.user, pk)
    require(predicate(request.user, annee.contract))
    if not etape_possible(step, annee.statut):
        messages.warning(request, f"« {YEARS[step].label} » n'est pas possible : la demande {annee.annee} est à "
                                  f"l'état « {annee.get_statut_display()} ».")
        return annee, redirect(_contract_url(annee.contract_id, annee.annee))
    return annee, None


def _form_page(request, contract, form, *, title, intro="", annee=None, submit="Enregistrer", multipart=False):
    return render(request, "funding/form.html", {
        "contract": contract, "form": form, "title": title, "intro": intro, "annee": annee, "submit": submit,
        "multipart": multipart, "breadcrumbs": _crumbs(contract, title), "cancel_url": _contract_url(contract.pk),
    })


# Contract page --------------------------------------------------------------------------------------------------

def contract_funding(request, contract_pk):
    contract = selectors.contract_for_user(request.user, contract_pk)
    require(permissions.can_view_funding(request.user, contract))
    user = request.user
    today = timezone.localdate()
    dialogues = selectors.contract_dialogues(contract)
    deadline = services.dialogue_deadline(today.year)
    annees = selectors.contract_funding(contract)
    can_dialogue = permissions.can_record_dialogue(user, contract)[0]
    held = any(d.annee == today.year for d in dialogues)
    owes_dialogue = contract.owes_year(today.year)  # this year is one of its life, even past its end date
    # The coordinator prepares the year's dialogue that the délégation records: the page says so, and what to bring.
    preparation = (selectors.dialogue_preparation(contract, annees, today)
                   if owes_dialogue and not held and not can_dialogue and is_coordinator(user, contract)
                   else None)
    return render(request, "funding/contract.html", {
        "contract": contract, "title": f"Financement — {contract.nom}",
        "annees": annees,
        "dialogues": dialogues, "preparation": preparation,
        "engagement": selectors.engagement_rows(contract),
        "missing_dialogue": owes_dialogue and today > deadline and not held,
        "actions_funding": selectors.action_funding_rollup(contract),
        "can_request": permissions.can_request(user, contract)[0],
        "can_instruct": permissions.can_instruct(user, contract)[0],
        "can_statement": permissions.can_record_statement(user, contract)[0],
        "can_dialogue": can_dialogue,
        "contract_tabs": tabs_for(user, contract), "breadcrumbs": _crumbs(contract),
        "dialogue_deadline": deadline, "today": today,
    })


def year_create(request, contract_pk):
    contract = selectors.contract_for_user(request.user, contract_pk)
    require(permissions.can_request(request.user, contract))
    form = forms.AnneeForm(request.POST or None, rule_lookup=lambda y: selectors.request_rule(contract, y),
                           initial={"annee": query_year(request.GET) or timezone.localdate().year, "mois_pourvus": 12,
                                    "etp": 1})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("annee", "version")}
        try:
            annee = services.annee_create(actor=request.user, contract=contract, annee=form.cleaned_data["annee"],
                                          **data)
        except DomainError as err:
            _domain_error(request, form, err)
        else:
            messages.success(request, f"Demande de financement {annee.annee} déposée.")
            return redirect(_contract_url(contract.pk, annee.annee))
    return _form_page(request, contract, form, title="Demande de financement du poste de coordination",
                      intro="Le maximum ARS est calculé selon la règle de votre région ; chaque refus est expliqué "
                            "à côté du champ concerné.", submit="Déposer la demande")


def year_edit(request, pk):
    annee, back = _annee_for_step(request, pk, permissions.can_request, "modifier")
    if back:
        return back
    contract = annee.contract
    initial = {**{k: getattr(annee, k) for k in services.DEMANDE_FIELDS}, "version": annee.version}
    form = forms.AnneeForm(request.POST or None, initial=initial, fixed_year=annee.annee,
                           rule_lookup=lambda y: rule_for(contract.ars.region_id, y))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.annee_update(actor=request.user, annee_id=annee.pk,
                                  expected_version=form.cleaned_data.get("version"), **data)
        except DomainError as err:
            _domain_error(request, form, err)
        else:
            messages.success(request, f"Demande {annee.annee} modifiée.")
            return redirect(_contract_url(contract.pk, annee.annee))
    return _form_page(request, contract, form, title=f"Modifier la demande {annee.annee}", annee=annee)


@require_POST
def year_instruct(request, pk):
    annee = selectors.annee_get_for_user(request.user, pk)
    require(permissions.can_instruct(request.user, annee.contract))
    form = forms.VersionOnlyForm(request.POST)
    version = form.cleaned_data.get("version") if form.is_valid() else None
    try:
        services.annee_instruct(actor=request.user, annee_id=annee.pk, expected_version=version)
    except DomainError as err:
        messages.error(request, err.message)
    else:
        messages.success(request, f"Demande {annee.annee} prise en instruction.")
    return redirect(_contract_url(annee.contract_id, annee.annee))


def year_decide(request, pk):
    annee, back = _annee_for_step(request, pk, permissions.can_instruct, "decider")
    if back:
        return back
    current = annee.decisions.filter(remplacee_par__isnull=True).first()
    form = forms.DecisionForm(request.POST or None, request.FILES or None, remplace=current is not None,
                              annee=annee.annee, deposee=selectors.request_filed_on(annee),
                              initial={"version": annee.version, "montant_accorde": annee.demande_ars,
                                       "date_decision": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_record(actor=request.user, annee_id=annee.pk, expected_version=data.get("version"),
                                     montant_accorde=data["montant_accorde"], date_decision=data["date_decision"],
                                     document=data["document"], motif=data["motif"])
        except DomainError as err:
            _domain_error(request, form, err)
        else:
            messages.success(request, f"Décision {annee.annee} enregistrée.")
            return redirect(_contract_url(annee.contract_id, annee.annee))
    regle = rule_or_none(annee.contract.ars.region_id, annee.annee)
    intro = ("Maximum ARS pour cette demande : " + rules.explication_nommee(
        regle, etp=annee.etp, mois=annee.mois_pourvus, cout_eligible=annee.cout_eligible) + "." if regle
        else f"Aucune règle de financement de la région ne couvre {annee.annee} : aucune décision n'est possible.")
    if current:
        intro += (f" Cette décision remplacera celle du {current.date_decision:%d/%m/%Y}, qui reste consultable "
                  f"dans l'historique.")
    return _form_page(request, annee.contract, form, title=f"Décision de financement {annee.annee}", annee=annee,
                      intro=intro, multipart=True, submit="Enregistrer la décision")


def year_payment(request, pk):
    annee, back = _annee_for_step(request, pk, permissions.can_instruct, "verser")
    if back:
        return back
    form = forms.VersementForm(request.POST or None, decision=selectors.first_decision_date(annee),
                               initial={"date": timezone.localdate(), "montant": annee.reste_a_verser})
    if request.method == "POST" and form.is_valid():
        try:
            services.versement_record(actor=request.user, annee_id=annee.pk, **form.cleaned_data)
        except DomainError as err:
            _domain_error(request, form, err)
        else:
            messages.success(request, f"Versement {annee.annee} enregistré.")
            return redirect(_contract_url(annee.contract_id, annee.annee))
    return _form_page(request, annee.contract, form, title=f"Versement {annee.annee}", annee=annee,
                      intro=f"Accordé : {format_euros(annee.montant_accorde)} ; déjà versé : "
                            f"{format_euros(annee.total_verse)} ; reste à verser : "
                            f"{format_euros(annee.reste_a_verser)}.", submit="Enregistrer le versement")


def year_statement(request, pk):
    annee, back = _annee_for_step(request, pk, permissions.can_record_statement, "bilan")
    if back:
        return back
    bilan = getattr(annee, "bilan", None) if hasattr(annee, "bilan") else None
    initial = {"version": annee.version, "etp_reel": annee.etp, "mois_pourvus_reels": annee.mois_pourvus,
               "cout_reel": annee.cout_eligible, "part_collectivite_reelle": annee.demande_collectivite,
               "part_autres_reelle": annee.demande_autres}
    if bilan:
        initial.update({k: getattr(bilan, k) for k in ("etp_reel", "mois_pourvus_reels", "cout_reel",
                                                       "part_collectivite_reelle", "part_autres_reelle",
                                                       "commentaire")})
    form = forms.BilanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            result = services.bilan_record(actor=request.user, annee_id=annee.pk,
                                           expected_version=form.cleaned_data.get("version"), **data)
        except DomainError as err:
            _domain_error(request, form, err)
        else:
            messages.success(request, f"Bilan financier {annee.annee} enregistré. {result.explication}")
            return redirect(_contract_url(annee.contract_id, annee.annee))
    return _form_page(request, annee.contract, form, title=f"Bilan financier {annee.annee}", annee=annee,
                      intro="Le solde est calculé sur le coût réel : si l'ARS a versé plus que sa part, le montant "
                            "à reverser est indiqué.", submit="Enregistrer le bilan")


def decision_document(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("annee"), pk=pk,
                                 annee__in=selectors.annees_for_user(request.user))
    contract = selectors.contract_for_user(request.user, decision.annee.contract_id)
    require(permissions.can_view_funding(request.user, contract))
    if not decision.document:
        raise Http404("Aucun document.")
    name = decision.document.name.rsplit("/", 1)[-1]
    return FileResponse(open_stored(decision.document), as_attachment=True, filename=name,
                        content_type="application/pdf")


def dialogue(request, contract_pk):
    contract = selectors.contract_for_user(request.user, contract_pk)
    require(permissions.can_record_dialogue(request.user, contract))
    form = forms.DialogueForm(request.POST or None, initial={"annee": timezone.localdate().year,
                                                             "date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.dialogue_record(actor=request.user, contract=contract, **form.cleaned_data)
        except DomainError as err:
            _domain_error(request, form, err)
        else:
            messages.success(request, f"Dialogue de gestion {form.cleaned_data['annee']} enregistré.")
            return redirect(_contract_url(contract.pk) + "#dialogue")
    return _form_page(request, contract, form, title="Dialogue de gestion",
                      intro="Rencontre annuelle entre la collectivité et la délégation : un enregistrement par "
                            "année (le saisir à nouveau pour la même année le complète).")


def engagement(request, contract_pk):
    """The délégation records the ARS's multi-year commitment to the coordination post."""
    contract = selectors.contract_for_user(request.user, contract_pk)
    require(permissions.can_instruct(request.user, contract))
    years = services.engagement_years(contract)
    current = selectors.engagements(contract)
    form = forms.EngagementForm(request.POST or None, years=years, current={e.annee: e.montant_prevu for e in current})
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_record(actor=request.user, contract=contract, montants=form.montants())
        except DomainError as err:
            _domain_error(request, form, err)
        else:
            messages.success(request, "Engagement pluriannuel enregistré : chaque demande et chaque décision "
                                      "annuelles sont vérifiées au regard de ce montant.")
            return redirect(_contract_url(contract.pk) + "#engagement")
    intro = ("L'ARS cofinance le poste de coordination pour toute la durée du contrat : indiquez le montant prévu "
             "pour chaque année (laisser vide : pas d'engagement pour cette année). Une demande ou une décision "
             "au-delà du montant prévu est refusée tant que l'engagement n'est pas révisé.")
    if not years:
        intro = ("La date de la lettre d'intention du contrat n'est pas connue : renseignez-la (identité du "
                 "contrat) pour saisir un engagement.")
    return _form_page(request, contract, form, title="Engagement pluriannuel de l'ARS", intro=intro)


# Home, export --------------------------------------------------------------------------------------------------

def _filters(request):
    departements = list(departements_for(request.user))
    data = request.GET.copy()
    if not data and request.user.has_role("delegation"):
        data["statut"] = "a_traiter"  # the délégation lands on what it has to do
    form = forms.FundingFilterForm(data, departements=departements)
    values = form.cleaned_data if form.is_valid() else {}
    return form, {k: values.get(k) or None for k in ("annee", "statut", "departement")}


EXPORT_COLUMNS = [
    Column("contrat", "Contrat", lambda a: a.contract.nom),
    Column("departements", "Département(s)", lambda a: ", ".join(
        d.departement_id for d in a.contract.delegations.all())),
    Column("annee", "Année", lambda a: a.annee),
    Column("statut", "État", lambda a: a.get_statut_display()),
    Column("etp", "ETP", lambda a: a.etp),
    Column("mois", "Mois pourvus", lambda a: a.mois_pourvus),
    Column("cout", "Coût éligible (€)", lambda a: a.cout_eligible),
    Column("demande_ars", "Demandé à l'ARS (€)", lambda a: a.demande_ars),
    Column("demande_collectivite", "Part collectivité (€)", lambda a: a.demande_collectivite),
    Column("accorde", "Accordé (€)", lambda a: a.montant_accorde),
    Column("verse", "Versé (€)", lambda a: a.total_verse),
    Column("reverser", "À reverser (€)", lambda a: a.montant_a_reverser),
]


def home(request):
    require(permissions.can_view_funding_home(request.user))
    form, filters = _filters(request)
    annees = selectors.annees_for_user(request.user, **filters)
    page = Paginator(annees, PER_PAGE).get_page(request.GET.get("page"))
    year = filters["annee"] or timezone.localdate().year
    total, multi_departement = selectors.totals_overall(request.user, year)
    return render(request, "funding/home.html", {
        "title": "Financement des postes de coordination", "form": form, "page_obj": page, "year": year,
        "totaux": selectors.totals_by_departement(request.user, year), "total": total,
        "multi_departement": multi_departement,
        "export_form": ColumnChoiceForm(columns=EXPORT_COLUMNS),
        "export_filters": [(k, v) for k, v in filters.items() if v],
        "can_edit_rules": permissions.can_edit_rules(request.user)[0],
        "breadcrumbs": [("Financements", None)],
    })


def export(request):
    require(permissions.can_view_funding_home(request.user))
    _, filters = _filters(request)
    form = ColumnChoiceForm(request.GET, columns=EXPORT_COLUMNS)
    fmt = form.cleaned_data["format"] if form.is_valid() else "csv"
    columns = form.selected_columns() if form.is_valid() else [c for c in EXPORT_COLUMNS if c.default]
    return export_response(selectors.annees_for_user(request.user, **filters), columns, fmt, "financements")


# Rules ----------------------------------------------------------------------------------------------------------

def _rule_regions(user):
    codes = permissions.rule_regions(user)
    qs = Region.objects.order_by("nom")
    return qs if codes is None else qs.filter(code__in=codes)


def rules_list(request):
    require(permissions.can_edit_rules(request.user))
    regions = list(_rule_regions(request.user))
    versions = RegleFinancement.objects.filter(region__in=regions).select_related("region", "created_by").order_by(
        "region__nom", "-valid_from")
    return render(request, "funding/rules.html", {
        "title": "Règles de financement", "versions": versions,
        "breadcrumbs": [("Financements", reverse("funding:home")), ("Règles de financement", None)],
    })


def rule_create(request):
    require(permissions.can_edit_rules(request.user))
    regions = list(_rule_regions(request.user))
    form = forms.RegleForm(request.POST or None, regions=regions, initial={
        "taux_pourcent": 50, "plafond_annuel": 25000, "cout_reference": 50000, "part_egale": True,
        "valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = get_object_or_404(Region, code=data["region"])
        require(permissions.can_edit_rules(request.user, region))
        try:
            services.regle_create(actor=request.user, region=region, valid_from=data["valid_from"],
                                  taux=data["taux_pourcent"] / 100, plafond_annuel=data["plafond_annuel"],
                                  cout_reference=data["cout_reference"], etp_minimum=data["etp_minimum"],
                                  part_egale=data["part_egale"], commentaire=data["commentaire"])
        except DomainError as err:
            if err.field == "taux":
                err.field = "taux_pourcent"
            _domain_error(request, form, err)
        else:
            messages.success(request, f"Nouvelle version de la règle {region.nom} enregistrée.")
            return redirect("funding:rules")
    return render(request, "funding/rule_form.html", {
        "title": "Nouvelle version d'une règle de financement", "form": form,
        "breadcrumbs": [("Financements", reverse("funding:home")),
                        ("Règles de financement", reverse("funding:rules")), ("Nouvelle version", None)],
    })
