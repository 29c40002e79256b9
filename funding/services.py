"""Writes on funding. Each service is atomic, takes an explicit `actor`, checks the business rules (French
`DomainError` with the field it belongs to) and records history. Callers check permissions first.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from cls_portal.core import history, uploads
from cls_portal.core.concurrency import bump
from cls_portal.core.errors import DomainError
from cls_portal.core.formatting import format_euros
from cls_portal.notifications.services import notify
from contracts.enums import Phase
from contracts.models import Contract

from . import rules, selectors
from .enums import FundingEvent, Statut
from .models import (
    AnneeFinancement,
    BilanFinancier,
    Decision,
    DialogueGestion,
    EngagementAnnuel,
    RegleFinancement,
    Versement,
    contract_start,
    rule_for,
    year_refusal,
)
from .workflow import YEARS

RULE_YEARS_AHEAD = 5
DEMANDE_FIELDS = ["etp", "mois_pourvus", "cout_salaire", "cout_charges", "cout_fonctionnement", "demande_ars",
                  "demande_collectivite", "demande_autres", "autres_partenaires", "commentaire"]


def _today() -> dt.date:
    return timezone.localdate()


def _validate_demande(regle: rules.Regle, values: dict) -> None:
    refus = rules.validate_demande(regle, etp=values["etp"], mois=values["mois_pourvus"],
                                   **{k: values[k] for k in ("cout_salaire", "cout_charges", "cout_fonctionnement",
                                                             "demande_ars", "demande_collectivite", "demande_autres")})
    if refus:
        raise DomainError(refus[0].message, field=refus[0].field or "demande_autres", code="regle")


def _lock_post(contract) -> None:
    """Serialise the requests of one coordination post: the contract's row and its neighbouring generations'
    (the one it renews, the one renewing it) are locked, in the order of their keys (no deadlock), until the
    request is saved. Two generations filing or amending the same year at the same instant would otherwise both
    read the other's year before it is saved, and together pass the 12 months or the annual cap
    (`_check_same_post`); the second now reads the first's saved request. On SQLite, writers already wait for
    each other (IMMEDIATE transactions)."""
    post = Q(pk=contract.pk) | Q(previous_id=contract.pk)
    if contract.previous_id:
        post |= Q(pk=contract.previous_id)
    list(Contract.objects.select_for_update().filter(post).order_by("pk").values_list("pk", flat=True))


def _check_same_post(contract, annee: int, values: dict, regle: rules.Regle) -> None:
    """The other generations of the contract (the one it renews, the one renewing it) asking for the same year
    share the post: `rules.refus_meme_poste`. One query; the caller holds `_lock_post`."""
    neighbours = Q(contract__previous=contract)  # the generation renewing it
    if contract.previous_id:
        neighbours |= Q(contract_id=contract.previous_id)
    autres = [rules.AutreGeneration(nom, mois, accorde if accorde is not None else demande)
              for nom, mois, accorde, demande in AnneeFinancement.objects.filter(neighbours, annee=annee)
              .order_by("contract__generation").values_list("contract__nom", "mois_pourvus", "montant_accorde",
                                                            "demande_ars")]
    refus = rules.refus_meme_poste(regle, annee=annee, mois=values["mois_pourvus"], demande_ars=values["demande_ars"],
                                   autres=autres)
    if refus:
        raise DomainError(refus[0].message, field=refus[0].field, code="regle")


def _url(annee) -> str:
    return reverse("funding:contract", kwargs={"contract_pk": annee.contract_id}) + f"#annee-{annee.annee}"


# Rules ----------------------------------------------------------------------------------------------------------

@transaction.atomic
def regle_create(*, actor, region, valid_from: dt.date, taux: Decimal, plafond_annuel: Decimal,
                 cout_reference: Decimal, etp_minimum: Decimal = Decimal("0"), part_egale: bool = True,
                 commentaire: str = "", today: dt.date | None = None) -> RegleFinancement:
    """A new version of a région's rule. Preconditions: the caller may edit this région's rules.

    A past year keeps the rule in force at the time: a version may not start in a year already over, nor
    before the région's latest version (rules are never edited in place). The région's first rule may start in
    a past year (from 2000): no year before it has a rule.
    """
    today = today or _today()
    if valid_from.year > today.year + RULE_YEARS_AHEAD:
        # A far-future version would block every later version (no version may start before it), for good.
        latest = today.year + RULE_YEARS_AHEAD
        raise DomainError(f"Une nouvelle règle s'applique au plus tard à partir du 31/12/{latest} : les années "
                          f"suivantes recevront leur propre version le moment venu.", field="valid_from")
    latest = RegleFinancement.objects.select_for_update().filter(region=region).order_by("-valid_from").first()
    # The région's first rule may start in a past year: no year before it could be funded (none is served by
    # another région's rule), so it changes no past computation and lets past years be filed or imported.
    if latest and valid_from.year < today.year:
        raise DomainError(f"Une nouvelle règle ne peut pas s'appliquer à une année passée : choisissez une date "
                          f"à partir du 01/01/{today.year}.", field="valid_from")
    if valid_from.year < 2000:
        raise DomainError("Une règle s'applique au plus tôt à partir du 01/01/2000.", field="valid_from")
    if latest and valid_from <= latest.valid_from:
        raise DomainError(f"La version en vigueur date du {latest.valid_from:%d/%m/%Y} : la nouvelle version doit "
                          f"commencer après cette date.", field="valid_from")
    if not Decimal("0") < taux <= Decimal("1"):
        raise DomainError("Le taux doit être compris entre 0 (exclu) et 1 (100 %).", field="taux")
    for field, value in (("plafond_annuel", plafond_annuel), ("cout_reference", cout_reference)):
        refus = rules.check_money(field, value)
        if refus:
            raise DomainError(refus.message.replace("Le montant", "Ce montant"), field=field)
    if cout_reference <= 0:
        raise DomainError("Le coût de référence d'un poste doit être supérieur à 0 €.", field="cout_reference")
    if not Decimal("0") <= etp_minimum <= Decimal("1"):
        raise DomainError("Le temps de travail minimum doit être compris entre 0 et 1 ETP.", field="etp_minimum")
    regle = RegleFinancement.objects.create(
        region=region, valid_from=valid_from, taux=taux, plafond_annuel=plafond_annuel, cout_reference=cout_reference,
        etp_minimum=etp_minimum, part_egale=part_egale, commentaire=commentaire, created_by=actor)
    history.record(actor=actor, obj=regle, event=FundingEvent.REGLE_CREEE, changes={
        "taux": [latest.taux if latest else None, taux],
        "plafond_annuel": [latest.plafond_annuel if latest else None, plafond_annuel],
        "cout_reference": [latest.cout_reference if latest else None, cout_reference],
        "etp_minimum": [latest.etp_minimum if latest else None, etp_minimum],
        "part_egale": [latest.part_egale if latest else None, part_egale],
    })
    return regle


# Request --------------------------------------------------------------------------------------------------------

@transaction.atomic
def annee_create(*, actor, contract, annee: int, today: dt.date | None = None, **values) -> AnneeFinancement:
    """File the request of one year. Preconditions: the actor may request for this contract.

    Refused: a closed contract, a year already filed, a year more than one year ahead, a year outside the
    contract's life or before the région's first rule (`models.year_refusal`), and every rule of
    `funding.rules.validate_demande` under the rule in force for that year.
    """
    today = today or _today()
    values = {k: values.get(k, "" if k in ("autres_partenaires", "commentaire") else Decimal("0"))
              for k in DEMANDE_FIELDS}
    if contract.phase == Phase.CLOS:
        raise DomainError("Ce contrat est clos : il n'est plus possible de demander un financement.", field="annee")
    if not 2000 <= int(annee) <= today.year + 1:
        raise DomainError(f"L'année doit être comprise entre 2000 et {today.year + 1}.", field="annee")
    refusal = year_refusal(contract, int(annee), today=today)
    if refusal:
        raise DomainError(refusal, field="annee")
    _lock_post(contract)  # also makes the check below safe from a double submission
    if AnneeFinancement.objects.filter(contract=contract, annee=annee).exists():
        raise DomainError(f"Une demande existe déjà pour {annee} : modifiez-la plutôt que d'en créer une autre.",
                          field="annee")
    regle = rule_for(contract.ars.region_id, annee)
    _validate_demande(regle, values)
    _check_same_post(contract, int(annee), values, regle)
    _check_engagement(contract, int(annee), values["demande_ars"], field="demande_ars", what="La demande à l'ARS")
    obj = AnneeFinancement.objects.create(contract=contract, annee=annee, statut=Statut.DEPOSEE, deposee_par=actor,
                                          **values)
    history.record(actor=actor, obj=obj, event=FundingEvent.DEMANDE_DEPOSEE,
                   changes={k: [None, v] for k, v in values.items() if v not in ("", None)})
    notify(users=[contract.referent], kind="financement", title=f"Demande de financement {annee} déposée",
           body=f"{contract} : {format_euros(obj.demande_ars)} demandés à l'ARS pour le poste de coordination.",
           url=_url(obj))
    return obj


@transaction.atomic
def annee_update(*, actor, annee_id: int, expected_version: int | None, **values) -> AnneeFinancement:
    """Amend a request still waiting for instruction. Refuses a stale version (someone else saved since)."""
    def apply(obj, ctx):
        new = {k: values[k] for k in DEMANDE_FIELDS if k in values}
        merged = {k: new.get(k, getattr(obj, k)) for k in DEMANDE_FIELDS}
        regle = rule_for(obj.contract.ars.region_id, obj.annee)
        _validate_demande(regle, merged)
        _lock_post(obj.contract)
        _check_same_post(obj.contract, obj.annee, merged, regle)
        _check_engagement(obj.contract, obj.annee, merged["demande_ars"], field="demande_ars",
                          what="La demande à l'ARS")
        changes = {k: [getattr(obj, k), v] for k, v in merged.items() if getattr(obj, k) != v}
        for k, v in merged.items():
            setattr(obj, k, v)
        return changes

    return YEARS.fire("modifier", pk=annee_id, actor=actor, expected_version=expected_version, submitted=values,
                      apply=apply)


# Past years brought in from a file (imports calls this) -----------------------------------------------------------

IMPORT_MOTIF = "Décision antérieure au portail, reprise de l'historique par un import (date non connue : 1er janvier)."
IMPORT_REFERENCE = "Reprise de l'historique (import)"


def is_imported(annee: AnneeFinancement) -> bool:
    """A year whose decisions all came from an import (a decision taken on the portal always has its PDF; a
    request still waiting for its decision is the portal's)."""
    decisions = list(annee.decisions.all())
    return bool(decisions) and all(not d.document for d in decisions)


def annee_import_check(*, contract, annee: int, values: dict, montant_accorde: Decimal, total_verse: Decimal,
                       today: dt.date | None = None) -> str:
    """What importing this past year would do: "creee", "modifiee" or "inchangee". Raises the `DomainError`
    that refuses it (the field is the import column's key)."""
    today = today or _today()
    if int(annee) > today.year:
        raise DomainError(f"{annee} est dans le futur : seules les années passées ou en cours s'importent.",
                          field="annee")
    refusal = year_refusal(contract, int(annee), today=today)
    if refusal:
        raise DomainError(refusal, field="annee")
    _validate_demande(rule_for(contract.ars.region_id, int(annee)), {**values, "demande_ars": montant_accorde})
    for field, value in (("montant_accorde", montant_accorde), ("total_verse", total_verse)):
        refus = rules.check_money("demande_ars", value)
        if refus:
            raise DomainError(refus.message.replace("La demande à l'ARS", "Ce montant"), field=field)
    if total_verse > montant_accorde:
        raise DomainError(f"Le total versé ({format_euros(total_verse)}) dépasse le montant accordé "
                          f"({format_euros(montant_accorde)}).", field="total_verse")
    existing = AnneeFinancement.objects.filter(contract=contract, annee=annee).prefetch_related("decisions").first()
    if existing is None:
        return "creee"
    same = all(getattr(existing, k) == v for k, v in values.items()) \
        and existing.montant_accorde == montant_accorde and existing.total_verse == total_verse
    if same:
        return "inchangee"
    if not is_imported(existing):
        raise DomainError(f"La demande {annee} suit son cours sur le portail ({existing.get_statut_display()}) : "
                          "un import ne la remplace pas.", field="annee")
    if total_verse < existing.total_verse:
        raise DomainError(f"Le total versé ne peut pas baisser ({format_euros(existing.total_verse)} déjà "
                          "enregistrés) : un versement ne s'efface pas.", field="total_verse")
    return "modifiee"


@transaction.atomic
def annee_import(*, actor, contract, annee: int, values: dict, montant_accorde: Decimal, total_verse: Decimal,
                 today: dt.date | None = None) -> str:
    """Bring in one past year of the coordination post as the ARS decided and paid it.

    Preconditions: the caller may import (imports checks its predicate). Checks (`annee_import_check`): the
    year is within the contract's life and under a rule of its région, not in the future; the figures pass
    `rules.validate_demande` with the amount granted as the ARS share; paid ≤ granted. A new year is created
    decided, with a decision without document (`IMPORT_MOTIF`) and one payment of the total paid. An
    identical year changes nothing (no history); an imported year whose figures changed is updated: a new
    decision supersedes the old one if the amount granted changed, a payment adds what the total paid gained.
    A year that went through the portal is never replaced. Returns "creee", "modifiee" or "inchangee".
    """
    today = today or _today()
    Contract.objects.select_for_update().filter(pk=contract.pk).first()  # one import per contract at a time
    values = {k: values.get(k, "" if k in ("autres_partenaires", "commentaire") else Decimal("0"))
              for k in DEMANDE_FIELDS if k != "demande_ars"}
    outcome = annee_import_check(contract=contract, annee=annee, values=values, montant_accorde=montant_accorde,
                                 total_verse=total_verse, today=today)
    if outcome == "inchangee":
        return outcome
    payment_date = min(dt.date(int(annee), 12, 31), today)
    if outcome == "creee":
        obj = AnneeFinancement.objects.create(contract=contract, annee=annee, statut=Statut.DECIDEE,
                                              deposee_par=actor, demande_ars=montant_accorde,
                                              montant_accorde=montant_accorde, total_verse=total_verse, **values)
        Decision.objects.create(annee=obj, montant_accorde=montant_accorde, date_decision=dt.date(int(annee), 1, 1),
                                document="", motif=IMPORT_MOTIF, decided_by=actor)
        if total_verse:
            Versement.objects.create(annee=obj, date=payment_date, montant=total_verse, reference=IMPORT_REFERENCE,
                                     recorded_by=actor)
        changes = {k: [None, v] for k, v in {**values, "montant_accorde": montant_accorde,
                                              "total_verse": total_verse}.items() if v not in ("", None)}
    else:
        obj = AnneeFinancement.objects.select_for_update().get(contract=contract, annee=annee)
        changes = {k: [getattr(obj, k), v] for k, v in values.items() if getattr(obj, k) != v}
        if obj.montant_accorde != montant_accorde:
            current = obj.decisions.filter(remplacee_par__isnull=True).order_by("-created_at", "-id").first()
            Decision.objects.create(annee=obj, montant_accorde=montant_accorde, date_decision=dt.date(int(annee), 1, 1),
                                    document="", motif=IMPORT_MOTIF, decided_by=actor, remplace=current)
            changes["montant_accorde"] = [obj.montant_accorde, montant_accorde]
        if total_verse != obj.total_verse:
            Versement.objects.create(annee=obj, date=payment_date, montant=total_verse - obj.total_verse,
                                     reference=IMPORT_REFERENCE, recorded_by=actor)
            changes["total_verse"] = [obj.total_verse, total_verse]
        for k, v in values.items():
            setattr(obj, k, v)
        obj.demande_ars, obj.montant_accorde, obj.total_verse = montant_accorde, montant_accorde, total_verse
        bump(obj)
        obj.save()
    history.record(actor=actor, obj=obj, event=FundingEvent.ANNEE_IMPORTEE, changes=changes)
    return outcome


# Instruction, decision, payments ----------------------------------------------------------------------------------

@transaction.atomic
def annee_instruct(*, actor, annee_id: int, expected_version: int | None) -> AnneeFinancement:
    """The délégation takes the request into instruction (the coordinator can no longer amend it)."""
    def apply(obj, ctx):
        obj.instruite_par, obj.instruite_le = actor, timezone.now()

    return YEARS.fire("instruire", pk=annee_id, actor=actor, expected_version=expected_version, apply=apply)


def _check_document(document) -> None:
    """The signed decision: a real PDF (content sniffed, not only the extension), bounded like every upload."""
    if not document:
        raise DomainError("Joignez la décision signée (PDF).", field="document")
    uploads.check_upload(document, accepted={".pdf"}, field="document")


@transaction.atomic
def decision_record(*, actor, annee_id: int, expected_version: int | None, montant_accorde: Decimal,
                    date_decision: dt.date, document, motif: str = "", today: dt.date | None = None) -> Decision:
    """Record the decision on a year under instruction, or a new decision superseding the current one.

    A decided amount is never edited: the previous decision stays, linked to the one that replaces it.
    Refused: an amount above the ARS maximum of the request, below what was already paid, not to the cent;
    a decision dated in the future or before the request was filed (`rules.refus_date_decision`); no signed
    document.
    """
    today = today or _today()
    created = {}

    def apply(obj, ctx):
        refus = rules.check_money("demande_ars", montant_accorde)
        if refus:
            raise DomainError(refus.message.replace("La demande à l'ARS", "Le montant accordé"),
                              field="montant_accorde")
        regle = rule_for(obj.contract.ars.region_id, obj.annee)
        maximum = rules.ars_maximum(regle, etp=obj.etp, mois=obj.mois_pourvus, cout_eligible=obj.cout_eligible)
        if montant_accorde > maximum:
            explication = rules.explication(regle, etp=obj.etp, mois=obj.mois_pourvus, cout_eligible=obj.cout_eligible)
            raise DomainError(f"Le montant accordé ({format_euros(montant_accorde)}) dépasse le maximum de "
                              f"{format_euros(maximum)} : {explication}.", field="montant_accorde")
        _check_engagement(obj.contract, obj.annee, montant_accorde, field="montant_accorde",
                          what="Le montant accordé")
        if montant_accorde < obj.total_verse:
            raise DomainError(f"Le montant accordé ne peut pas être inférieur à ce qui a déjà été versé "
                              f"({format_euros(obj.total_verse)}).", field="montant_accorde")
        refus = rules.refus_date_decision(date_decision, annee=obj.annee, deposee=selectors.request_filed_on(obj),
                                          today=today)
        if refus:
            raise DomainError(refus, field="date_decision")
        _check_document(document)
        current = obj.decisions.filter(remplacee_par__isnull=True).order_by("-created_at", "-id").first()
        created["decision"] = Decision.objects.create(
            annee=obj, montant_accorde=montant_accorde, date_decision=date_decision, document=document, motif=motif,
            remplace=current, decided_by=actor)
        created["replaced"] = current is not None
        old_montant, obj.montant_accorde = obj.montant_accorde, montant_accorde
        return {"montant_accorde": [old_montant, montant_accorde], "date_decision": [None, date_decision]}

    replacing = Decision.objects.filter(annee_id=annee_id, remplacee_par__isnull=True).exists()
    obj = YEARS.fire("decider", pk=annee_id, actor=actor, expected_version=expected_version,
                     submitted={"montant_accorde": montant_accorde}, apply=apply, comment=motif,
                     event=FundingEvent.DECISION_REMPLACEE if replacing else FundingEvent.DECISION)
    notify(users=obj.contract.coordinators.all(), kind="financement",
           title=f"Décision de financement {obj.annee}",
           body=f"{obj.contract} : l'ARS accorde {format_euros(montant_accorde)} pour le poste de coordination.",
           url=_url(obj))
    return created["decision"]


@transaction.atomic
def versement_record(*, actor, annee_id: int, date: dt.date, montant: Decimal, reference: str = "",
                     today: dt.date | None = None) -> Versement:
    """Record a payment. The year's row is locked, so two payments at once cannot exceed the granted amount.
    Refused: a payment dated in the future or before the year's first decision (`rules.refus_date_versement`)."""
    today = today or _today()
    created = {}

    def apply(obj, ctx):
        refus = rules.check_money("demande_ars", montant)
        if refus:
            raise DomainError(refus.message.replace("La demande à l'ARS", "Le montant versé"), field="montant")
        if montant <= 0:
            raise DomainError("Le montant versé doit être supérieur à 0 €.", field="montant")
        refus = rules.refus_date_versement(date, decision=selectors.first_decision_date(obj), today=today)
        if refus:
            raise DomainError(refus, field="date")
        total = obj.total_verse + montant
        if total > obj.montant_accorde:
            raise DomainError(f"Ce versement porterait le total versé à {format_euros(total)}, au-delà du montant "
                              f"accordé ({format_euros(obj.montant_accorde)}) : il reste "
                              f"{format_euros(obj.reste_a_verser)} à verser.", field="montant")
        created["versement"] = Versement.objects.create(annee=obj, date=date, montant=montant, reference=reference,
                                                        recorded_by=actor)
        old, obj.total_verse = obj.total_verse, total
        return {"montant_verse": [None, montant], "date_versement": [None, date], "reference": [None, reference],
                "total_verse": [old, total]}

    YEARS.fire("verser", pk=annee_id, actor=actor, apply=apply, history_comment="")
    return created["versement"]


# Statement --------------------------------------------------------------------------------------------------------

@transaction.atomic
def bilan_record(*, actor, annee_id: int, expected_version: int | None, etp_reel: Decimal, mois_pourvus_reels: int,
                 cout_reel: Decimal, part_collectivite_reelle: Decimal, part_autres_reelle: Decimal = Decimal("0"),
                 commentaire: str = "") -> BilanFinancier:
    """Record (or correct) the annual financial statement and compute what the ARS must recover."""
    created = {}

    def apply(obj, ctx):
        for field, value in (("cout_reel", cout_reel), ("part_collectivite_reelle", part_collectivite_reelle),
                             ("part_autres_reelle", part_autres_reelle)):
            refus = rules.check_money(field, value)
            if refus:
                raise DomainError(refus.message.replace("Le montant", "Ce montant"), field=field)
        if not Decimal("0") <= etp_reel <= rules.MAX_ETP:
            raise DomainError(f"Le temps de travail doit être compris entre 0 et {rules.MAX_ETP} ETP.",
                              field="etp_reel")
        if not 0 <= int(mois_pourvus_reels) <= 12:
            raise DomainError("Le nombre de mois doit être compris entre 0 et 12.", field="mois_pourvus_reels")
        if part_collectivite_reelle + part_autres_reelle > cout_reel:
            raise DomainError(f"Les parts de la collectivité et des partenaires "
                              f"({format_euros(part_collectivite_reelle + part_autres_reelle)}) dépassent le coût "
                              f"réel ({format_euros(cout_reel)}).", field="part_collectivite_reelle")
        regle = rule_for(obj.contract.ars.region_id, obj.annee)
        result = rules.solde(regle, etp=etp_reel, mois=int(mois_pourvus_reels), cout_reel=cout_reel,
                             part_collectivite_reelle=part_collectivite_reelle, accorde=obj.montant_accorde or 0,
                             verse=obj.total_verse)
        values = dict(etp_reel=etp_reel, mois_pourvus_reels=int(mois_pourvus_reels), cout_reel=cout_reel,
                      part_collectivite_reelle=part_collectivite_reelle, part_autres_reelle=part_autres_reelle,
                      part_ars_due=result.part_ars_due, montant_a_reverser=result.a_reverser,
                      explication=result.explication, commentaire=commentaire, recorded_by=actor)
        bilan = BilanFinancier.objects.filter(annee=obj).first()
        if bilan is None:
            bilan = BilanFinancier.objects.create(annee=obj, **values)
            changes = {k: [None, v] for k, v in values.items() if k not in ("explication", "recorded_by")}
        else:
            changes = {k: [getattr(bilan, k), v] for k, v in values.items()
                       if k not in ("explication", "recorded_by") and getattr(bilan, k) != v}
            for k, v in values.items():
                setattr(bilan, k, v)
            bump(bilan)
            bilan.save()
        created["bilan"], created["explication"] = bilan, result.explication
        obj.montant_a_reverser = result.a_reverser
        return {f"bilan_{k}": v for k, v in changes.items()}

    # The statement's comment is one of its fields (« Commentaire : old → new » on a correction): not repeated
    # as the row's quoted comment.
    YEARS.fire("bilan", pk=annee_id, actor=actor, expected_version=expected_version,
               submitted={"cout_reel": cout_reel}, apply=apply, history_comment="")
    return created["bilan"]


# Multi-year commitment -------------------------------------------------------------------------------------------

def engagement_years(contract, *, today: dt.date | None = None) -> list[int]:
    """The years a commitment covers: from the start of the post (letter of intent) to the contract's end
    (its planned duration when it is not signed yet). Empty while the start is unknown."""
    today = today or _today()
    start = contract_start(contract)
    if start is None:
        return []
    end = contract.date_fin.year if contract.date_fin else start.year + contract.duree_annees
    return list(range(start.year, end + 1))


def engagement_refusal(contract, annee: int, montant: Decimal, *, what: str) -> str | None:
    """Why `montant` for `annee` goes beyond the ARS's multi-year commitment (None: within it, or no
    commitment recorded for that year)."""
    engagement = EngagementAnnuel.objects.filter(contract=contract, annee=annee).first()
    if engagement is None or montant <= engagement.montant_prevu:
        return None
    return (f"{what} ({format_euros(montant)}) dépasse l'engagement pluriannuel de l'ARS pour {annee} "
            f"({format_euros(engagement.montant_prevu)}) : la délégation révise d'abord l'engagement.")


def _check_engagement(contract, annee: int, montant: Decimal, *, field: str, what: str) -> None:
    refusal = engagement_refusal(contract, annee, montant, what=what)
    if refusal:
        raise DomainError(refusal, field=field)


@transaction.atomic
def engagement_record(*, actor, contract, montants: dict[int, Decimal | None],
                      today: dt.date | None = None) -> list[EngagementAnnuel]:
    """Record the multi-year commitment: one planned amount per year of `engagement_years` (None removes the
    year). Refused: a year outside the contract's life, an amount that is not a sum in euros, an amount
    below what the ARS has already granted that year. An unchanged commitment writes nothing."""
    years = engagement_years(contract, today=today)
    if not years:
        raise DomainError("La date de la lettre d'intention du contrat n'est pas connue : renseignez-la avant "
                          "d'enregistrer un engagement.")
    Contract.objects.select_for_update().filter(pk=contract.pk).first()
    current = {e.annee: e for e in EngagementAnnuel.objects.filter(contract=contract)}
    granted = dict(AnneeFinancement.objects.filter(contract=contract, montant_accorde__isnull=False)
                   .values_list("annee", "montant_accorde"))
    for year, montant in montants.items():
        if year not in years:
            raise DomainError(f"{year} n'est pas une année du contrat ({years[0]} à {years[-1]}).",
                              field=f"annee_{year}")
        if montant is None:
            continue
        refus = rules.check_money("demande_ars", montant)
        if refus:
            raise DomainError(refus.message.replace("La demande à l'ARS", f"Le montant prévu pour {year}"),
                              field=f"annee_{year}")
        if year in granted and montant < granted[year]:
            raise DomainError(f"L'ARS a déjà accordé {format_euros(granted[year])} pour {year} : l'engagement ne "
                              "peut pas être inférieur.", field=f"annee_{year}")
    before = {y: e.montant_prevu for y, e in current.items()}
    after = {y: m for y, m in {**before, **montants}.items() if m is not None}
    if after == before:
        return list(current.values())
    for year, montant in montants.items():
        if montant is None:
            if year in current:
                current.pop(year).delete()
        elif year in current:
            if current[year].montant_prevu != montant:
                current[year].montant_prevu, current[year].recorded_by = montant, actor
                current[year].save()
        else:
            current[year] = EngagementAnnuel.objects.create(contract=contract, annee=year, montant_prevu=montant,
                                                            recorded_by=actor)
    detail = " ; ".join(f"{y} : {format_euros(m)}" for y, m in sorted(after.items())) or "aucune année"
    history.record(actor=actor, obj=contract, event=FundingEvent.ENGAGEMENT, comment=detail,
                   changes={"engagement_total": [sum(before.values(), Decimal(0)) if before else None,
                                                 sum(after.values(), Decimal(0))]})
    return sorted(current.values(), key=lambda e: e.annee)


# Dialogue de gestion ---------------------------------------------------------------------------------------------

@transaction.atomic
def dialogue_record(*, actor, contract, annee: int, date: dt.date, participants: str, conclusions: str,
                    montant_convenu: Decimal | None = None, today: dt.date | None = None) -> DialogueGestion:
    """Record (or complete) the year's dialogue de gestion of a contract."""
    today = today or _today()
    if date > today:
        raise DomainError("La rencontre ne peut pas être enregistrée avant d'avoir eu lieu.", field="date")
    if date.year != int(annee):
        raise DomainError(f"La date doit tomber en {annee}.", field="date")
    if montant_convenu is not None:
        refus = rules.check_money("demande_ars", montant_convenu)
        if refus:
            raise DomainError(refus.message.replace("La demande à l'ARS", "Le montant convenu"),
                              field="montant_convenu")
    if not participants.strip():
        raise DomainError("Indiquez les participants.", field="participants")
    values = dict(date=date, participants=participants, conclusions=conclusions, montant_convenu=montant_convenu)
    dialogue = DialogueGestion.objects.select_for_update().filter(contract=contract, annee=annee).first()
    if dialogue is None:
        dialogue = DialogueGestion.objects.create(contract=contract, annee=annee, recorded_by=actor, **values)
        changes = {k: [None, v] for k, v in values.items()}
    else:
        changes = {k: [getattr(dialogue, k), v] for k, v in values.items() if getattr(dialogue, k) != v}
        for k, v in values.items():
            setattr(dialogue, k, v)
        dialogue.recorded_by = actor
        dialogue.save()
    history.record(actor=actor, obj=dialogue, event=FundingEvent.DIALOGUE, changes=changes)
    return dialogue


def dialogue_deadline(year: int) -> dt.date:
    """Date after which a missing dialogue de gestion is flagged (setting DIALOGUE_GESTION_DEADLINE, "MM-DD")."""
    month, day = (int(x) for x in settings.DIALOGUE_GESTION_DEADLINE.split("-"))
    return dt.date(year, month, day)
