"""What waits on the coordination post's funding (work-list source registered in `FundingConfig.ready()`).

Délégation and region: requests to instruct, to decide, payments due, statements filed by the coordinator to
check, dialogues de gestion to hold once the deadline has passed. Coordinator: statements due for a year
that is over, dialogues de gestion to prepare (the délégation records them). Pilots and elected officials never
see funding items.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from cls_portal.core.formatting import format_euros
from cls_portal.core.worklist import COORDINATEUR, DELEGATION, REGION, Pending, WorkItem, url_maker
from contracts.models import Contract, q_owes_year
from contracts.worklist import departement, in_scope, rollup, scope

from .enums import Statut
from .models import AnneeFinancement, BilanFinancier
from .selectors import contracts_without_dialogue
from .services import dialogue_deadline


def _contract_url_maker():
    """The contract's funding page (at a year's anchor), for the many rows of a list: one `reverse()` in all."""
    page = url_maker("funding:contract")
    return lambda contract_id, year=None: f"{page(contract_id)}#annee-{year}" if year else page(contract_id)


# The columns the items of a year read.
YEAR_FIELDS = ("annee", "deposee_le", "instruite_le", "demande_ars", "montant_accorde", "total_verse",
               "montant_a_reverser", "contract__nom")


def _years(user, audience):
    return (AnneeFinancement.objects.filter(in_scope(user, audience)).select_related("contract")
            .only(*YEAR_FIELDS).order_by("contract__nom", "annee"))


def _item(kind, label, url, detail, since=None):
    """How a year of one kind reads as a `WorkItem` (`since`: the item's date)."""
    def item(a):
        return WorkItem(kind, label, f"Poste de coordination {a.annee}", url(a), a.contract_id, a.contract.nom,
                        departement(a), since(a) if since else None, detail(a), rank=35)
    return item


def _pending(rows, audience, kind, label, url, detail, since=None, due=None) -> Pending:
    """One kind of year to handle (`since`: the item's date, from the row's field `due`)."""
    return Pending(rows, _item(kind, label, url, detail, since), departement=rollup(audience), kind=kind,
                   label=label, rank=35, due=due)


def years_to_handle(user, audience) -> list[Pending]:
    """The years waiting for the délégation, and the statements the coordinator filed (to check). The
    délégation's links open the form where it acts; the regional team's the contract's funding page (it
    follows, the délégation acts)."""
    years = _years(user, audience)
    contract_url = _contract_url_maker()

    def year_page(a):
        return contract_url(a.contract_id, a.annee)

    def act(step):
        if audience == REGION:
            return year_page
        step_url = url_maker(f"funding:{step}")
        return lambda a: step_url(a.pk)
    by_coordinator = BilanFinancier.objects.filter(
        annee=OuterRef("pk"),
        recorded_by__in=Contract.coordinators.through.objects.filter(contract_id=OuterRef(OuterRef("contract_id")))
        .values("user_id"))
    # Each kind: the status its years are in (one status a kind: a year is of one kind at most), the rest of its
    # filter, what its items say (`_item`), the field of its due date (the roll-up's order).
    kinds = [
        (Statut.DEPOSEE, Q(), dict(
            kind="financement_a_instruire", label="Demande de financement à instruire", url=year_page,
            detail=lambda a: f"Demandé à l'ARS : {format_euros(a.demande_ars)}",
            since=lambda a: timezone.localdate(a.deposee_le)), "deposee_le"),
        (Statut.EN_INSTRUCTION, Q(), dict(
            kind="financement_a_decider", label="Demande de financement à décider", url=act("year_decide"),
            detail=lambda a: f"Demandé à l'ARS : {format_euros(a.demande_ars)}",
            since=lambda a: timezone.localdate(a.instruite_le) if a.instruite_le else None), "instruite_le"),
        (Statut.DECIDEE, Q(montant_accorde__isnull=False, total_verse__lt=F("montant_accorde")), dict(
            kind="versement_du", label="Versement à enregistrer", url=act("year_payment"),
            detail=lambda a: f"Reste à verser : {format_euros(a.montant_accorde - a.total_verse)}"), None),
        (Statut.SOLDEE, Q(Exists(by_coordinator)), dict(
            kind="bilan_a_verifier", label="Bilan financier à vérifier", url=act("year_statement"),
            detail=lambda a: "Bilan saisi par le coordinateur" + (
                f", à reverser : {format_euros(a.montant_a_reverser)}" if a.montant_a_reverser else "")), None),
    ]
    if audience == REGION:  # the roll-up counts and reads each kind apart: one `Pending` a kind
        return [_pending(years.filter(rest, statut=statut), audience, **kind, due=due)
                for statut, rest, kind, due in kinds]
    # The délégation's list: the four kinds in one query, each row's kind told by its status (one query instead
    # of four: 1.8 ms less of the délégation's work list at 1 255 contracts, mostly the SQL built for each).
    by_status = {statut: _item(**kind) for statut, _, kind, _ in kinds}
    return [Pending(years.filter(reduce(or_, (Q(rest, statut=statut) for statut, rest, _, _ in kinds)))
                    .only(*YEAR_FIELDS, "statut"), lambda a: by_status[a.statut](a))]


def statements_due(user, today: dt.date) -> Pending:
    statement_url = url_maker("funding:year_statement")

    def item(a):
        return WorkItem("bilan_du", "Bilan financier à déposer", f"Poste de coordination {a.annee}",
                        statement_url(a.pk), a.contract_id, a.contract.nom,
                        due=dt.date(a.annee + 1, 1, 1), rank=40)

    return Pending(AnneeFinancement.objects.filter(contract__in=scope(user, COORDINATEUR), statut=Statut.DECIDEE,
                                                   annee__lt=today.year)
                   .select_related("contract").only("annee", "contract__nom").order_by("contract__nom", "annee"),
                   item)


def dialogues_due(user, audience, today: dt.date) -> list[Pending]:
    """Active contracts without this year's dialogue de gestion once the deadline is past. The délégation holds
    it and records it (its link opens the form). The coordinator cannot record it, but the collectivité is the
    other party: the item is « à préparer », and leads to the funding page's dialogue section, which says who
    records it and what to bring. The regional team follows (the same section)."""
    deadline = dialogue_deadline(today.year)
    if today <= deadline:
        return []
    if audience == DELEGATION:
        url = url_maker("funding:dialogue")
        kind = dict(kind="dialogue_a_tenir", label=f"Dialogue de gestion {today.year} à tenir", rank=45)
        detail = f"Échéance du {deadline:%d/%m/%Y} passée"
    else:
        page = _contract_url_maker()

        def url(pk):
            return f"{page(pk)}#dialogue"
        if audience == COORDINATEUR:
            kind = dict(kind="dialogue_a_preparer", label=f"Dialogue de gestion {today.year} à préparer", rank=45)
            detail = (f"Échéance du {deadline:%d/%m/%Y} passée : fixez une date avec la délégation, qui en saisit "
                      f"le compte rendu")
        else:
            kind = dict(kind="dialogue_a_tenir", label=f"Dialogue de gestion {today.year} à tenir", rank=45)
            detail = f"Échéance du {deadline:%d/%m/%Y} passée"

    def item(c):
        return WorkItem(title=f"Dialogue de gestion {today.year}", url=url(c.pk), contract_id=c.pk,
                        contract=c.nom, departement=departement(c), due=deadline, detail=detail, **kind)

    # The year's dialogue is owed by the contracts that run this year, including one whose end date is past.
    contracts = scope(user, audience).filter(q_owes_year(today.year)).only("nom").order_by("nom")
    return [Pending(contracts_without_dialogue(contracts, today.year), item, departement=rollup(audience, "pk"),
                    contract="pk", contract_name="nom", **kind)]


def source(user, audience: str, today: dt.date) -> list[Pending]:
    if audience in (DELEGATION, REGION):
        return [*years_to_handle(user, audience), *dialogues_due(user, audience, today)]
    if audience == COORDINATEUR:
        return [statements_due(user, today), *dialogues_due(user, audience, today)]
    return []
