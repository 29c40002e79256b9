"""Done when (issue 15): for each role of the demo, the pending items are computed from the database (here, by
plain Python over the objects, independently of the work-list selectors) and the landing page lists exactly
those, each link opening for that user; the main menu counts them."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from actions.enums import FicheStatut
from actions.models import FicheAction, Jalon
from cls_portal.accounts.models import User
from contracts.enums import ACTIVE_PHASES, Phase, ProposalStatus, StepStatus
from contracts.models import Contract, Step, TransitionProposal
from diagnostics.enums import Statut as DiagStatut
from diagnostics.models import Diagnostic
from funding.enums import Statut as FundStatut
from funding.models import AnneeFinancement, DialogueGestion
from reports.enums import ANNUAL_KINDS, ReportKind, ReportStatus
from reports.models import Report

ITEM = re.compile(r'<li data-work-item="(?P<kind>[a-z_]+)"><a href="(?P<href>[^"]+)"')
BADGE = re.compile(r'href="(?P<href>[^"]+)"[^>]*>[^<]*<span class="fr-badge[^"]*cls-nav-count" data-count="(\d+)"')


def _contracts_of(user, audience):
    if audience == "delegation":
        codes = user.departement_codes()
        return [c for c in Contract.objects.prefetch_related("delegations")
                if any(d.departement_id in codes for d in c.delegations.all())]
    if audience == "region":
        return list(Contract.objects.filter(ars__region_id__in=user.region_codes()))
    return list(Contract.objects.filter(coordinators=user))


def _deadline(today):
    month, day = (int(x) for x in settings.DIALOGUE_GESTION_DEADLINE.split("-"))
    return dt.date(today.year, month, day)


def expected_for_reviewers(user, audience, today) -> Counter:
    """What the délégation (or, rolled up, the regional team) has to handle, as (kind, url) pairs."""
    ids = {c.pk for c in _contracts_of(user, audience)}
    out = Counter()
    for p in TransitionProposal.objects.filter(status=ProposalStatus.PENDING):
        if p.contract_id in ids:
            out["proposition_a_decider", reverse("contracts:detail", args=[p.contract_id]) + "#cycle"] += 1
    for f in FicheAction.objects.filter(statut=FicheStatut.SOUMISE):
        if f.contract_id in ids:
            out["fiche_a_revoir", reverse("actions:fiche_detail", args=[f.pk])] += 1
    for d in Diagnostic.objects.filter(statut=DiagStatut.SOUMIS):
        if d.contract_id in ids:
            out["diagnostic_a_revoir", reverse("diagnostics:detail", args=[d.pk])] += 1
    region = audience == "region"  # the regional team follows on the funding page; the délégation acts

    def page(a, step):
        return reverse("funding:contract", args=[a.contract_id]) + f"#annee-{a.annee}" if region or not step \
            else reverse(f"funding:{step}", args=[a.pk])

    for a in AnneeFinancement.objects.select_related("contract").prefetch_related("contract__coordinators"):
        if a.contract_id not in ids:
            continue
        if a.statut == FundStatut.DEPOSEE:
            out["financement_a_instruire", page(a, None)] += 1
        elif a.statut == FundStatut.EN_INSTRUCTION:
            out["financement_a_decider", page(a, "year_decide")] += 1
        elif a.statut == FundStatut.DECIDEE and a.montant_accorde and a.total_verse < a.montant_accorde:
            out["versement_du", page(a, "year_payment")] += 1
        elif a.statut == FundStatut.SOLDEE and getattr(a, "bilan", None) and \
                a.bilan.recorded_by in a.contract.coordinators.all():
            out["bilan_a_verifier", page(a, "year_statement")] += 1
    if today > _deadline(today):
        held = set(DialogueGestion.objects.filter(annee=today.year).values_list("contract_id", flat=True))
        for c in Contract.objects.filter(pk__in=ids, phase__in=ACTIVE_PHASES):
            if c.pk not in held and c.owes_year(today.year):
                out["dialogue_a_tenir", reverse("funding:contract", args=[c.pk]) + "#dialogue" if region
                    else reverse("funding:dialogue", args=[c.pk])] += 1
    reports = list(Report.objects.filter(contract_id__in=ids))
    for r in reports:
        if r.status != ReportStatus.PRET or r.published:
            continue
        same = [o for o in reports if (o.contract_id, o.kind, o.year) == (r.contract_id, r.kind, r.year)]
        if any(o.status == ReportStatus.PRET and o.requested_at > r.requested_at for o in same):
            continue
        if any(o.published and o.requested_at >= r.requested_at for o in same):
            continue
        out["rapport_a_publier", reverse("reports:detail", args=[r.pk])] += 1
    for s in Step.objects.filter(contract_id__in=ids).exclude(contract__phase=Phase.CLOS):
        if s.statut != StepStatus.REALISEE and s.date_prevue and s.date_prevue < today:
            out["etape_en_retard", reverse("contracts:retroplanning", args=[s.contract_id])] += 1
    for c in Contract.objects.filter(pk__in=ids, phase__in=ACTIVE_PHASES):
        if c.date_fin and c.date_fin < today:  # past its end date, not closed
            out["contrat_echu", reverse("contracts:detail", args=[c.pk]) + "#cycle"] += 1
    return out


def _running_sheets(fiches, year):
    return [f for f in fiches if f.statut in (FicheStatut.VALIDEE, FicheStatut.EN_COURS)
            and f.contract.date_signature and f.contract.date_signature.year <= year and f.contract.phase != Phase.CLOS]


def _followups(fiches, today) -> Counter:
    year = today.year - 1
    out = Counter()
    for f in _running_sheets(fiches, year):
        url = reverse("actions:suivi_edit", args=[f.pk, year])
        if not f.suivis.filter(annee=year).exists():
            out["suivi_manquant", url] += 1
        if any(not i.valeurs.filter(annee=year).exists() for i in f.indicateurs.all()):
            out["indicateur_sans_valeur", url] += 1
    return out


def expected_for_coordinator(user, today) -> Counter:
    contracts = _contracts_of(user, "coordinateur")
    ids = {c.pk for c in contracts}
    out = Counter()
    for f in FicheAction.objects.filter(contract_id__in=ids, statut=FicheStatut.A_MODIFIER):
        out["fiche_a_modifier", reverse("actions:fiche_detail", args=[f.pk])] += 1
    for d in Diagnostic.objects.filter(contract_id__in=ids, statut=DiagStatut.A_MODIFIER):
        out["diagnostic_a_modifier", reverse("diagnostics:detail", args=[d.pk])] += 1
    for p in TransitionProposal.objects.filter(contract_id__in=ids, status=ProposalStatus.REFUSED):
        later = TransitionProposal.objects.filter(contract_id=p.contract_id, pk__gt=p.pk).exists()
        if not later and p.contract.phase == p.from_phase:
            out["proposition_refusee", reverse("contracts:detail", args=[p.contract_id]) + "#cycle"] += 1
    for s in Step.objects.filter(contract_id__in=ids).exclude(contract__phase=Phase.CLOS):
        if s.statut != StepStatus.REALISEE and s.date_prevue and s.date_prevue < today:
            out["etape_en_retard", reverse("contracts:retroplanning", args=[s.contract_id])] += 1
    out += _followups(list(FicheAction.objects.filter(contract_id__in=ids).select_related("contract")), today)
    for a in AnneeFinancement.objects.filter(contract_id__in=ids, statut=FundStatut.DECIDEE, annee__lt=today.year):
        out["bilan_du", reverse("funding:year_statement", args=[a.pk])] += 1
    if today > _deadline(today):
        held = set(DialogueGestion.objects.filter(annee=today.year).values_list("contract_id", flat=True))
        for c in contracts:
            if c.owes_year(today.year) and c.pk not in held:
                out["dialogue_a_preparer", reverse("funding:contract", args=[c.pk]) + "#dialogue"] += 1
    if (today.month, today.day) >= (3, 1):
        year = today.year - 1
        for c in contracts:
            if c.owes_year(year):
                for kind in ANNUAL_KINDS:
                    if not Report.objects.filter(contract=c, year=year, kind=kind, published=True).exists():
                        out["rapport_du", reverse("reports:contract", args=[c.pk])] += 1
    return out


def expected_for_pilot(user, today) -> Counter:
    fiches = {f.pk: f for f in FicheAction.objects.select_related("contract")
              if f.pilote_personne_id == user.pk or user in f.copilotes_personnes.all()}
    out = _followups(list(fiches.values()), today)
    for j in Jalon.objects.filter(fiche_id__in=fiches, date_realisee__isnull=True, date_prevue__lt=today):
        if j.fiche.statut in (FicheStatut.VALIDEE, FicheStatut.EN_COURS):
            out["jalon_en_retard", reverse("actions:jalon_done", args=[j.pk])] += 1
    return out


def _listed(html) -> Counter:
    return Counter((m["kind"], m["href"].replace("&amp;", "&")) for m in ITEM.finditer(html))


CELL = re.compile(r'<a href="/region/a-traiter/\?departement=[^"&]+&amp;quoi=(?P<kind>[a-z_]+)">(?P<n>\d+)<')


def _counted(html) -> Counter:
    """The regional view's table: its number of items per kind (the cells summed over the départements)."""
    out = Counter()
    for m in CELL.finditer(html):
        out[m["kind"]] += int(m["n"])
    return out


def _menu_count(html, url) -> int:
    for m in BADGE.finditer(html):
        if m["href"] == url:
            return int(m.group(2))
    return 0


def _more_pending_states():
    """The demo as the issue found it: Coutances' diagnostic submitted, a report ready to publish, a second
    sheet sent back for changes, a request under instruction in Calvados."""
    coutances = Contract.objects.get(nom__contains="Coutances")
    Diagnostic.objects.filter(contract=coutances).update(statut=DiagStatut.SOUMIS, soumis_le=timezone.now())
    bayeux = Contract.objects.get(nom__contains="Bayeux")
    Report.objects.create(contract=bayeux, kind=ReportKind.ACTIVITE, year=2025, status=ReportStatus.PRET,
                          finished_at=timezone.now())
    fiche = FicheAction.objects.filter(contract=bayeux, statut=FicheStatut.EN_COURS).order_by("pk").first()
    FicheAction.objects.filter(pk=fiche.pk).update(statut=FicheStatut.A_MODIFIER)
    AnneeFinancement.objects.filter(contract=bayeux, statut=FundStatut.DEPOSEE).update(
        statut=FundStatut.EN_INSTRUCTION, instruite_le=timezone.now())


LANDINGS = {
    "delegation": ("contracts:delegation_dashboard", lambda u, t: expected_for_reviewers(u, "delegation", t)),
    "region": ("regional:dashboard", lambda u, t: expected_for_reviewers(u, "region", t)),
    "coordinateur": ("contracts:my_cls", expected_for_coordinator),
    "pilote": ("actions:my_sheets", expected_for_pilot),
}


@pytest.mark.slow
@pytest.mark.parametrize("username,audience", [
    ("ars14", "delegation"), ("ars50", "delegation"), ("ars52", "delegation"), ("ars-normandie", "region"),
    ("coordinateur", "coordinateur"), ("coordinateur2", "coordinateur"), ("coordinatrice-langres", "coordinateur"),
    ("pilote", "pilote"),
])
def test_each_demo_role_lands_on_exactly_its_pending_items(client, demo, username, audience):
    _more_pending_states()
    user = User.objects.get(username=username)
    today = timezone.localdate()
    url_name, expected_fn = LANDINGS[audience]
    expected = expected_fn(user, today)
    client.force_login(user)
    assert client.get(reverse("accounts:home")).url == reverse(url_name)
    html = client.get(reverse(url_name)).content.decode()
    if audience == "region":  # report campaigns listed, the rest counted per département and kind
        assert _listed(html) == Counter({k: n for k, n in expected.items() if k[0] == "campagne_en_cours"})
        assert _counted(html) == Counter(kind for kind, _ in expected.elements() if kind != "campagne_en_cours")
    else:
        assert _listed(html) == expected
    assert _menu_count(html, reverse(url_name)) == sum(expected.values())
    # the count is the same on another page (computed there in one query)
    assert _menu_count(client.get(reverse("directory:index")).content.decode(), reverse(url_name)) == \
        sum(expected.values())
    for _kind, href in expected:
        assert client.get(href).status_code == 200, href


@pytest.mark.slow
def test_the_demo_gives_every_role_something_to_do(client, demo):
    """Guards the test above against passing on empty lists."""
    _more_pending_states()
    today = timezone.localdate()
    ars14 = expected_for_reviewers(User.objects.get(username="ars14"), "delegation", today)
    ars50 = expected_for_reviewers(User.objects.get(username="ars50"), "delegation", today)
    assert {"fiche_a_revoir", "financement_a_decider", "rapport_a_publier", "proposition_a_decider"} <= {
        k for k, _ in ars14}
    assert {"diagnostic_a_revoir", "fiche_a_revoir", "etape_en_retard"} <= {k for k, _ in ars50}
    coord = expected_for_coordinator(User.objects.get(username="coordinateur"), today)
    assert sum(1 for k, _ in coord.elements() if k == "fiche_a_modifier") == 2
    assert expected_for_pilot(User.objects.get(username="pilote"), today)


@pytest.mark.slow
def test_the_review_queue_is_linked_from_the_delegation_dashboard(client, demo):
    client.force_login(User.objects.get(username="ars14"))
    html = client.get(reverse("contracts:delegation_dashboard")).content.decode()
    assert f'href="{reverse("actions:review_queue")}"' in html


WORK_ITEM_TEXT = re.compile(r'<li data-work-item="[a-z_]+"><a href="[^"]+">(?P<text>[^<]+)</a>')
ROW = re.compile(r'<tr data-contract="(?P<pk>\d+)" data-work-count="(?P<n>\d+)">\s*'
                 r'<td><a href="[^"]+">(?P<nom>[^<]+)</a>.*?</tr>', re.S)


@pytest.mark.slow
@pytest.mark.parametrize("username", ["ars14", "ars50"])
def test_each_contract_of_the_delegation_dashboard_counts_what_waits_on_it(client, demo, username):
    """The table's « À traiter » column agrees with the list above it: each row counts the listed items that name
    its contract (all kinds: sheets, funding, phase changes, overdue steps…), not the phase changes alone."""
    from html import unescape

    _more_pending_states()
    client.force_login(User.objects.get(username=username))
    html = client.get(reverse("contracts:delegation_dashboard")).content.decode()
    listed = [unescape(m["text"]) for m in WORK_ITEM_TEXT.finditer(html)]
    rows = list(ROW.finditer(html))
    assert rows and listed
    for row in rows:
        nom = unescape(row["nom"])
        assert int(row["n"]) == sum(1 for text in listed if text.startswith(f"{nom} — ")), nom
        assert ('href="#a-traiter"' in row[0]) == (int(row["n"]) > 0)
    assert sum(int(row["n"]) for row in rows) == len(listed)  # every listed item belongs to a row of the table
