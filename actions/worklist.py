"""What waits on the action plan (work-list source registered in `ActionsConfig.ready()`).

Délégation and region: sheets submitted for review. Coordinator: sheets sent back for changes, the next move of
the phase of diagnostic (start the diagnostic, finish it, build the plan), and on the running sheets of his contracts
the follow-up and the indicator values missing for the year under review.
Pilot: the same follow-up items and overdue milestones, on the sheets he pilots or co-pilots.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cls_portal.core.worklist import COORDINATEUR, DELEGATION, PILOTE, REGION, Pending, WorkItem, url_maker
from contracts.enums import Phase, StepKind
from contracts.models import Step
from contracts.worklist import departement, in_scope, rollup, scope
from diagnostics.enums import Statut as DiagnosticStatut
from diagnostics.models import Diagnostic

from .enums import FicheStatut
from .models import FicheAction, Indicateur, Jalon, SuiviAnnuel, ValeurIndicateur, sheet_code

# Sheets that run during a year and owe its follow-up.
RUNNING = [FicheStatut.VALIDEE, FicheStatut.EN_COURS]


def review_year(today: dt.date) -> int:
    """The year whose follow-up and indicator values are due: the past year (the COPIL's annual review)."""
    return today.year - 1


def piloted_q(user) -> Q:
    return Q(pilote_personne=user) | Q(copilotes_personnes=user)


def fiches_of_pilot(user):
    """The sheets `user` pilots or co-pilots (ids, as a subquery: no duplicate rows)."""
    return FicheAction.objects.filter(piloted_q(user)).values("pk")


def _title(code: str, titre: str) -> str:
    return f"Fiche {code} — {titre}"


# The columns an item reads (a sheet has some forty, its contract more: building them all was most of the time
# of a long work list).
SHEET_FIELDS = ("numero", "titre", "axe__numero", "contract__nom")


def sheets_to_review(user, audience) -> Pending:
    fiche_url = url_maker("actions:fiche_detail")

    kind = dict(kind="fiche_a_revoir", label="Fiche action à relire", rank=20)

    def item(f):  # a row of `values` (a délégation may have a hundred sheets to review)
        return WorkItem(title=_title(sheet_code(f["axe__numero"], f["numero"]), f["titre"]), url=fiche_url(f["pk"]),
                        contract_id=f["contract_id"], contract=f["contract__nom"], departement=departement(f),
                        due=timezone.localdate(f["updated_at"]),
                        detail=f"Soumise le {timezone.localdate(f['updated_at']):%d/%m/%Y}",
                        fiche_id=f["pk"], **kind)

    sheets = FicheAction.objects.filter(in_scope(user, audience), statut=FicheStatut.SOUMISE)
    return Pending(sheets, item, departement=rollup(audience), due="updated_at",
                   values=("pk", "contract_id", "numero", "titre", "axe__numero", "contract__nom", "updated_at"),
                   **kind)


def sheets_sent_back(user) -> Pending:
    fiche_url = url_maker("actions:fiche_detail")

    def item(f):
        return WorkItem("fiche_a_modifier", "Fiche à modifier (demande de la délégation)", _title(f.code, f.titre),
                        fiche_url(f.pk), f.contract_id, f.contract.nom, due=timezone.localdate(f.updated_at),
                        fiche_id=f.pk, rank=10)

    return Pending(FicheAction.objects.filter(statut=FicheStatut.A_MODIFIER, contract__in=scope(user, COORDINATEUR))
                   .select_related("axe", "contract").only(*SHEET_FIELDS, "updated_at"), item)


def _running(fiches, year: int):
    """The running sheets of `fiches` whose contract was signed by the review year and is not closed."""
    return (fiches.filter(statut__in=RUNNING, contract__date_signature__year__lte=year)
            .exclude(contract__phase=Phase.CLOS).select_related("axe", "contract").only(*SHEET_FIELDS))


def followups_missing(fiches, today: dt.date) -> Pending:
    """Running sheets of `fiches` (a queryset) without their follow-up of the review year."""
    year = review_year(today)
    suivi_url = url_maker("actions:suivi_edit")

    def item(f):
        return WorkItem("suivi_manquant", f"Suivi annuel {year} à saisir", _title(f.code, f.titre),
                        suivi_url(f.pk, year), f.contract_id, f.contract.nom,
                        due=dt.date(year + 1, 1, 1), fiche_id=f.pk, rank=30)

    return Pending(_running(fiches, year).exclude(Exists(SuiviAnnuel.objects.filter(fiche=OuterRef("pk"), annee=year))),
                   item)


def values_missing(fiches, today: dt.date) -> Pending:
    """Running sheets of `fiches` with indicators that have no value for the review year (and how many)."""
    year = review_year(today)
    missing = (Indicateur.objects.filter(fiche=OuterRef("pk"))
               .exclude(Exists(ValeurIndicateur.objects.filter(indicateur=OuterRef("pk"), annee=year)))
               .order_by().values("fiche").annotate(n=Count("pk")).values("n"))
    suivi_url = url_maker("actions:suivi_edit")

    def item(f):
        n = f.missing_values
        return WorkItem("indicateur_sans_valeur", f"Indicateurs sans valeur {year}", _title(f.code, f.titre),
                        suivi_url(f.pk, year), f.contract_id, f.contract.nom,
                        due=dt.date(year + 1, 1, 1), detail=f"{n} indicateur{'s' if n > 1 else ''} sans valeur {year}",
                        fiche_id=f.pk, rank=30)

    count = Coalesce(Subquery(missing, output_field=IntegerField()), 0)
    return Pending(_running(fiches, year).annotate(missing_values=count).filter(missing_values__gt=0), item)


def milestones_overdue(fiches, today: dt.date) -> Pending:
    jalon_url = url_maker("actions:jalon_done")  # where the pilot records the day it was reached

    def item(j):
        f = j.fiche
        return WorkItem("jalon_en_retard", "Jalon en retard", _title(f.code, f.titre), jalon_url(j.pk), f.contract_id,
                        f.contract.nom, due=j.date_prevue,
                        detail=f"« {j.libelle} » prévu le {j.date_prevue:%d/%m/%Y}", fiche_id=f.pk, rank=60)

    return Pending(Jalon.objects.filter(fiche__in=fiches.filter(statut__in=RUNNING), date_prevue__lt=today,
                                        date_realisee__isnull=True)
                   .select_related("fiche", "fiche__axe", "fiche__contract")
                   .only("libelle", "date_prevue", *(f"fiche__{name}" for name in SHEET_FIELDS))
                   .order_by("date_prevue", "id"), item)


def _step_due(kind: str) -> Subquery:
    """The due date of the contract's method step `kind` (`contracts.steps`, laid out from its dates)."""
    return Subquery(Step.objects.filter(contract_id=OuterRef("pk"), kind=kind).order_by("date_prevue")
                    .values("date_prevue")[:1])


def method_next_moves(user) -> Pending:
    """The coordinator's next move in the phase « Diagnostic et élaboration du plan d'action » when nothing else
    says it (fiche pratique n°5: préparation and réalisation of the diagnostic, then construction of the plan):
    « Diagnostic à commencer » while the contract has none, « Diagnostic à terminer » while its first diagnostic
    is a draft (started, not yet submitted), « Plan d'action à construire » once a diagnostic is validated and the
    plan has no sheet (abandoned ones aside). Otherwise the move is someone else's or already listed (a diagnostic
    under review is the délégation's, one sent back is « Diagnostic à modifier »); a new version drafted after a
    validated one is a revision, not the method's step, and lists nothing. Each due date is that of the method's
    step (préparation of the diagnostic, its réalisation, construction of the plan). One query for the three
    kinds, rows of the contracts (at most one item a contract)."""
    diagnostic_url, detail_url = url_maker("diagnostics:contract"), url_maker("diagnostics:detail")
    plan_url = url_maker("actions:plan")

    def item(c):
        if not c.has_diagnostic:
            return WorkItem("diagnostic_a_commencer", "Diagnostic à commencer", "Diagnostic local de santé partagé",
                            diagnostic_url(c.pk), c.pk, c.nom, due=c.due_diagnostic, rank=35,
                            detail=(f"Préparation prévue d'ici le {c.due_diagnostic:%d/%m/%Y}" if c.due_diagnostic
                                    else "Première étape de la phase de diagnostic"))
        if c.draft_pk is not None and not c.diagnostic_valide:
            return WorkItem("diagnostic_a_terminer", "Diagnostic à terminer",
                            f"Diagnostic local de santé (version {c.draft_numero})", detail_url(c.draft_pk), c.pk,
                            c.nom, due=c.due_realisation, rank=35,
                            detail=(f"Réalisation prévue d'ici le {c.due_realisation:%d/%m/%Y}, puis soumission à "
                                    "la délégation" if c.due_realisation
                                    else "Diagnostic commencé : le compléter puis le soumettre à la délégation"))
        return WorkItem("plan_a_construire", "Plan d'action à construire", "Plan d'action : axes et fiches actions",
                        plan_url(c.pk), c.pk, c.nom, due=c.due_plan, rank=35,
                        detail=(f"Diagnostic validé ; construction prévue d'ici le {c.due_plan:%d/%m/%Y}" if c.due_plan
                                else "Diagnostic validé : définir les axes puis rédiger les fiches"))

    diagnostics = Diagnostic.objects.filter(contract_id=OuterRef("pk"))
    sheets = FicheAction.objects.filter(contract_id=OuterRef("pk")).exclude(statut=FicheStatut.ABANDONNEE)
    # At most one version being worked on a contract (constraint `diagnostic_one_open_version`): the draft, if any.
    draft = diagnostics.filter(statut=DiagnosticStatut.BROUILLON)
    contracts = (scope(user, COORDINATEUR).filter(phase=Phase.DIAGNOSTIC)
                 .annotate(has_diagnostic=Exists(diagnostics),
                           diagnostic_valide=Exists(diagnostics.filter(statut=DiagnosticStatut.VALIDE)),
                           has_sheets=Exists(sheets),
                           draft_pk=Subquery(draft.values("pk")[:1]))
                 .filter(Q(has_diagnostic=False) | Q(diagnostic_valide=False, draft_pk__isnull=False)
                         | Q(diagnostic_valide=True, has_sheets=False))
                 .annotate(draft_numero=Subquery(draft.values("numero")[:1]),
                           due_diagnostic=_step_due(StepKind.PREPARATION_DIAGNOSTIC),
                           due_realisation=_step_due(StepKind.REALISATION_DIAGNOSTIC),
                           due_plan=_step_due(StepKind.PLAN_ACTION))
                 .only("nom"))
    return Pending(contracts, item, contract="pk", contract_name="nom")


def source(user, audience: str, today: dt.date) -> list[Pending]:
    if audience in (DELEGATION, REGION):
        return [sheets_to_review(user, audience)]
    if audience == COORDINATEUR:
        theirs = FicheAction.objects.filter(contract__in=scope(user, COORDINATEUR))
        return [sheets_sent_back(user), method_next_moves(user), followups_missing(theirs, today),
                values_missing(theirs, today)]
    if audience == PILOTE:
        mine = FicheAction.objects.filter(pk__in=fiches_of_pilot(user))
        return [followups_missing(mine, today), values_missing(mine, today), milestones_overdue(mine, today)]
    return []
