"""Writes on contracts. Each service is atomic, takes an explicit `actor` and records history.

The caller (the view) checks permissions; services enforce business rules (DomainError, French).
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone

from cls_portal.core import history, uploads
from cls_portal.core.collation import fold_query
from cls_portal.core.concurrency import bump, lock_for_update
from cls_portal.core.errors import DomainError
from cls_portal.core.validation import DATE_MIN, check_date
from cls_portal.notifications.services import notify
from cls_portal.territories.models import (
    ARS,
    EPCI,
    Commune,
    Delegation,
    Departement,
    Organisation,
    OrganisationType,
    Region,
)

from . import dates, registry, selectors, workflow
from . import steps as method
from .enums import (
    SIGNATORY_ROLES,
    SIGNED_DOCUMENT_TYPES,
    ContractEvent,
    DocumentType,
    InstanceType,
    Phase,
    PlanChangeKind,
    ProposalStatus,
    SignatoryRole,
    StepKind,
    StepStatus,
)
from .models import (
    QPV,
    Avenant,
    AvenantChange,
    ContactRole,
    Contract,
    Document,
    Instance,
    InstanceMember,
    Meeting,
    PendingContact,
    PhaseTransition,
    Signatory,
    Step,
    TransitionProposal,
)
from .periods import record_coordinator, record_perimeter


def _check_in_region(contract: Contract, communes, epci=None) -> None:
    """A perimeter stays inside the région of the contract's ARS: a commune elsewhere would hand the
    contract (its funding, reports, documents) to another région's délégations."""
    region = contract.ars.region
    outside = sorted(c.code for c in communes if c.region_id != region.code)
    if outside:
        raise DomainError(f"Ces communes ne sont pas dans la région {region.nom} (ARS du contrat) : "
                          + ", ".join(outside) + ".", field="communes")
    if epci is not None and not epci.communes.filter(region_id=region.code).exists():
        raise DomainError(f"Cet EPCI n'est pas dans la région {region.nom} (ARS du contrat).", field="epci")


def _delegations_for(communes) -> list[Delegation]:
    deps = {c.departement_id for c in communes}
    return list(Delegation.objects.filter(departement_id__in=deps))


def _today():
    return timezone.localdate()


FUTURE_DOCUMENT = "Un document ne peut pas être daté d'un jour à venir (aujourd'hui : {today})."
FUTURE_AVENANT = ("Un avenant est daté du jour de sa signature, pas d'un jour à venir (aujourd'hui : {today}) : "
                  "enregistrez-le une fois signé.")


def check_not_future(value: dt.date | None, *, message: str, today: dt.date | None = None,
                     field: str | None = None) -> dt.date | None:
    """A day that has already come (a document's date, the day an avenant was signed); DomainError with
    `message` (French, « {today} » filled in) on `field` otherwise. None passes."""
    today = today or _today()
    if value is not None and value > today:
        raise DomainError(message.format(today=f"{today:%d/%m/%Y}"), field=field)
    return value


# --- contract ---------------------------------------------------------------------------------------

@transaction.atomic
def contract_create(*, actor, nom: str, collectivite, ars, epci=None, commune_codes: list[str] | None = None,
                    prs: str = "", duree_annees: int = 5, date_debut_prealable: dt.date | None = None,
                    coordinators=(), referent=None, event=ContractEvent.CREE, **extra) -> Contract:
    """Create a contract on a perimeter (an EPCI's communes, or an explicit list of communes).

    Preconditions: `collectivite` is a collectivité; the perimeter is not empty; duration 3 to 5 years; the
    milestones in order (`dates`: the letter of intent and the signature are days that have come, the letter not
    before the start of the phase préalable, the signature after both), checked here and not only by the forms and
    the import, so that no caller creates a contract signed before it began.
    The délégations concerned are derived from the communes' départements. The steps of the method
    are created with the contract.
    """
    if not collectivite.is_collectivite:
        raise DomainError("La structure porteuse doit être une collectivité.", field="collectivite")
    if not 3 <= int(duree_annees) <= 5:
        raise DomainError("La durée d'un CLS est de 3 à 5 ans.", field="duree_annees")
    today = _today()
    debut = date_debut_prealable or today
    lettre, signature = extra.get("date_lettre_intention"), extra.get("date_signature")
    if lettre is not None:
        dates.check_letter_date(lettre, debut=debut, signature=signature, today=today)
    if signature is not None:
        dates.check_signature_date(signature, debut=debut, lettre=lettre, today=today)
    dates.check_expected_signature(debut, extra.get("date_signature_prevue"))
    if commune_codes:
        communes = list(Commune.objects.filter(code__in=commune_codes))
    elif epci is not None:
        communes = list(epci.communes.all())
    else:
        communes = []
    if not communes:
        raise DomainError("Le périmètre doit comprendre au moins une commune.", field="communes")
    outside = sorted(c.code for c in communes if c.region_id != ars.region_id)
    if outside:
        raise DomainError(f"Ces communes ne sont pas dans la région de l'ARS ({ars}) : " + ", ".join(outside) + ".",
                          field="communes")
    contract = Contract.objects.create(
        nom=nom, collectivite=collectivite, ars=ars, epci=epci, prs=prs, duree_annees=duree_annees,
        date_debut_prealable=debut, referent=referent, **extra,
    )
    contract.communes.set(communes)
    contract.delegations.set(_delegations_for(communes))
    contract.coordinators.set(coordinators)
    record_perimeter(contract, [c.code for c in communes], None)
    for user in coordinators:
        record_coordinator(contract, user, joined=True, day=None)
    steps_create_defaults(contract=contract)
    history.record(actor=actor, obj=contract, event=event)
    return contract


@transaction.atomic
def collectivite_for_territory(*, actor, code: str, region_code: str) -> Organisation:
    """The collectivité porteuse of an EPCI (SIREN, 9 digits) or a commune (INSEE code, 5 characters) of
    région `region_code`: the existing organisation tied to it, or a new one created on the spot."""
    code = (code or "").strip().upper()
    territory = selectors.territory_for_code(code, region_code)
    if isinstance(territory, EPCI):
        epci = territory
        org = Organisation.objects.filter(epci=epci, type=OrganisationType.EPCI).order_by("pk").first()
        nom, kind, link = epci.nom, OrganisationType.EPCI, {"epci": epci}
    else:
        commune = territory
        org = Organisation.objects.filter(commune=commune, type=OrganisationType.COMMUNE).order_by("pk").first()
        nom, kind = f"Commune de {commune.nom}", OrganisationType.COMMUNE
        link = {"commune": commune, "departement_id": commune.departement_id}
    if org is not None:
        return org
    if Organisation.objects.filter(nom=nom, type=kind).exists():
        nom = f"{nom} ({code})"
    org = Organisation.objects.create(nom=nom, type=kind, region_id=region_code, **link)
    history.record(actor=actor, obj=org, event=ContractEvent.ORGANISATION_CREEE)
    return org


@transaction.atomic
def contract_open(*, actor, region_code: str, nom: str, commune_codes: list[str], collectivite=None,
                  collectivite_code: str = "", epci=None, referent=None, date_debut_prealable: dt.date,
                  date_signature_prevue: dt.date | None = None, duree_annees: int = 5, prs: str = "") -> Contract:
    """A new CLS opened from the portal in the phase préalable (ContractCreateForm's cleaned values).

    Preconditions (the view checked the actor may create it on these départements): a collectivité
    porteuse, known or created on the spot from `collectivite_code`; a perimeter in the région. The
    method's steps are laid out from the start date to the expected signature (`contract_create`).
    """
    if collectivite is None:
        collectivite = collectivite_for_territory(actor=actor, code=collectivite_code, region_code=region_code)
    if epci is None and collectivite.epci_id and set(commune_codes) == set(
            collectivite.epci.communes.values_list("code", flat=True)):
        epci = collectivite.epci  # the whole EPCI of the collectivité: its "EPCI de référence"
    ars = ARS.objects.get(region_id=region_code)
    check_date(date_debut_prealable, field="date_debut_prealable")
    return contract_create(actor=actor, nom=nom.strip(), collectivite=collectivite, ars=ars, epci=epci,
                           commune_codes=commune_codes, prs=prs, duree_annees=duree_annees,
                           date_debut_prealable=date_debut_prealable, referent=referent,
                           date_signature_prevue=date_signature_prevue)


@transaction.atomic
def contract_import_existing(*, actor, ars, nom: str, collectivite_code: str, commune_codes: list[str],
                             phase: str, date_debut_prealable: dt.date | None = None,
                             date_lettre_intention: dt.date | None = None, date_signature: dt.date | None = None,
                             duree_annees: int = 5, contacts: dict[str, list[str]] | None = None) -> Contract:
    """A CLS that already runs, brought in by the regional team (one row of the XLSX import).

    Preconditions: the row passed `imports.contracts.ContractRowForm` (codes in the région, dates in order,
    signed phases with a signature date). The steps of the method are laid out from the start to the
    signature; those of the phases already behind the contract, and the yearly reviews of past years, are marked
    done (on their planned date).
    `contacts` ({"coordinateur": [e-mails], "referent": [...]}) are kept as pending contacts, to be
    turned into invitations once people can be invited.
    """
    region_code = ars.region_id
    collectivite = collectivite_for_territory(actor=actor, code=collectivite_code, region_code=region_code)
    epci = collectivite.epci if collectivite.epci_id and not commune_codes else None
    if date_debut_prealable is None:
        if date_lettre_intention:
            date_debut_prealable = method.add_months(date_lettre_intention, -6)
        elif date_signature:
            date_debut_prealable = method.add_months(date_signature, -method.DEFAULT_PLAN_MONTHS)
    prevue = None
    if date_signature and date_debut_prealable:
        months = (date_signature.year - date_debut_prealable.year) * 12 + date_signature.month \
            - date_debut_prealable.month
        prevue = date_signature if method.MIN_PLAN_MONTHS <= months <= method.MAX_PLAN_MONTHS else None
    contract = contract_create(
        actor=actor, nom=nom.strip(), collectivite=collectivite, ars=ars, epci=epci, commune_codes=commune_codes,
        duree_annees=duree_annees, date_debut_prealable=date_debut_prealable, event=ContractEvent.IMPORTE,
        phase=phase, date_signature=date_signature, date_signature_prevue=prevue,
        date_lettre_intention=date_lettre_intention, engagement_confirme=phase != Phase.PREALABLE)
    today = _today()
    steps_close(contract=contract, today=today, phases=method.phases_behind(phase))
    # The yearly reviews of years before this one (« Évaluation continue 2023 » of a contract signed in 2022) were
    # held before the portal followed the contract: done on their planned date, as the phases behind it, instead
    # of a région's first dashboard opening on three to seven « étapes en retard » per imported contract.
    before_this_year = dt.date(today.year, 1, 1)
    steps_close(contract=contract, today=today, kinds=[StepKind.EVALUATION_CONTINUE],
                planned_before=before_this_year)
    if phase == Phase.CLOS:
        record_import_closure(contract, today)
    PendingContact.objects.bulk_create([
        PendingContact(contract=contract, email=email, role=role, source="import")
        for role, emails in (contacts or {}).items() for email in emails
    ], ignore_conflicts=True)
    return contract


@transaction.atomic
def organisation_create(*, actor, region_code: str, nom: str, type: str, siret: str = "", email: str = "",
                        departement=None) -> Organisation:
    """A partner organisation of région `region_code` (the caller checked the actor may create one there).

    Preconditions: a name; the département, when given, is in the région; name and type not taken (accents,
    case, hyphens and apostrophes aside: « Communaute de communes » is « Communauté de Communes »).
    """
    nom = " ".join((nom or "").split())
    if not nom:
        raise DomainError("Indiquez le nom de l'organisation.", field="nom")
    if departement is not None and departement.region_id != region_code:
        raise DomainError("Ce département n'est pas dans la région.", field="departement")
    existing = Organisation.objects.filter(nom_recherche=fold_query(nom), type=type).order_by("pk").first()
    if existing is not None:
        where = "" if Organisation.objects.in_region(region_code).filter(pk=existing.pk).exists() \
            else " (dans une autre région : précisez le nom, par exemple avec la commune)"
        raise DomainError(f"Une organisation « {existing.nom} » de ce type existe déjà{where}.", field="nom")
    org = Organisation.objects.create(nom=nom, type=type, siret=siret, email=email, region_id=region_code,
                                      departement=departement)
    history.record(actor=actor, obj=org, event=ContractEvent.ORGANISATION_CREEE)
    return org


# The signature date is not among them: the délégation sets it when it validates the signature; nor the référent,
# whom the ARS names (`contract_set_referent`).
IDENTITY_FIELDS = ["nom", "prs", "rural", "qpv", "nb_qpv", "clsm", "date_debut_prealable",
                   "duree_annees", "date_lettre_intention", "engagement_confirme"]


@transaction.atomic
def contract_update(*, actor, contract: Contract, version: int | None, data: dict) -> Contract:
    """Update the identity of a contract (optimistic concurrency on `version`).

    Preconditions: duration 3 to 5 years; QPV count only when QPV are covered; the QPV listed (`data["qpvs"]`,
    optional) are of the contract's région: when some are listed, "couvre des QPV" and their number follow.
    """
    obj = lock_for_update(Contract, contract.pk, expected_version=version, submitted=data)
    if "date_signature" in data and data["date_signature"] != obj.date_signature:
        raise DomainError("La date de signature est renseignée par la délégation départementale quand elle valide "
                          "la signature du contrat.", field="date_signature")
    if "referent" in data and getattr(data["referent"], "pk", data["referent"]) != obj.referent_id:
        raise DomainError("Le référent ARS est désigné par la délégation départementale ou l'équipe régionale "
                          "(« Désigner le référent » sur la page du contrat).", field="referent")
    qpvs_in = data.get("qpvs")
    data = {k: v for k, v in data.items() if k in IDENTITY_FIELDS}
    for name in ("date_debut_prealable", "date_lettre_intention"):
        if data.get(name):
            check_date(data[name], field=name)
    _check_milestones(obj, data)
    if "duree_annees" in data and not 3 <= int(data["duree_annees"]) <= 5:
        raise DomainError("La durée d'un CLS est de 3 à 5 ans.", field="duree_annees")
    if data.get("nb_qpv") and not data.get("qpv", obj.qpv):
        raise DomainError("Indiquez que le contrat couvre des QPV avant d'en donner le nombre.", field="nb_qpv")
    qpvs = None
    if qpvs_in is not None:
        qpvs = _contract_qpvs(obj, qpvs_in)
        if qpvs:  # the declared figures follow the list
            data["qpv"], data["nb_qpv"] = True, len(qpvs)
    old = history.snapshot(obj, list(data))
    for k, v in data.items():
        setattr(obj, k, v)
    changes = history.diff(old, history.snapshot(obj, list(data)))
    if qpvs is not None:
        before = sorted(obj.qpvs.values_list("code", flat=True))
        after = sorted(q.code for q in qpvs)
        if before != after:
            obj.qpvs.set(qpvs)
            changes["qpvs"] = [", ".join(before) or None, ", ".join(after) or None]
    if changes:
        bump(obj)
        obj.save()
        history.record(actor=actor, obj=obj, event=ContractEvent.IDENTITE_MODIFIEE, changes=changes)
    return obj


@transaction.atomic
def contract_set_referent(*, actor, contract: Contract, referent, version: int | None = None) -> Contract:
    """Name the contract's ARS référent, or none (`referent` None); optimistic concurrency on `version`.

    Preconditions (the caller checked `permissions.can_designate_referent`): the référent is a délégation agent of
    one of the contract's départements (`selectors.referent_candidates`). The history line says who named whom,
    and when; the same référent again writes nothing.
    """
    obj = lock_for_update(Contract, contract.pk, expected_version=version, submitted={"referent": referent})
    if referent is not None and not selectors.referent_candidates(obj).filter(pk=referent.pk).exists():
        raise DomainError(f"{referent.get_full_name() or referent.username} n'est pas un agent de la délégation "
                          "départementale d'un département du contrat.", field="referent")
    if (referent.pk if referent else None) == obj.referent_id:
        return obj
    _write_referent(obj, referent, actor=actor, event=ContractEvent.REFERENT_DESIGNE)
    return obj


def _write_referent(obj: Contract, referent, *, actor, event: str) -> None:
    """Set the locked contract's référent, bump its version and write the history line (`event`, the change)."""
    old = history.snapshot(obj, ["referent"])
    obj.referent = referent
    bump(obj)
    obj.save()
    history.record(actor=actor, obj=obj, event=event, changes=history.diff(old, history.snapshot(obj, ["referent"])))


def _check_milestones(obj: Contract, data: dict) -> None:
    """The start of the préalable and the letter of intent changed by `data` stay in order with the other dates
    (`dates`): checked on what is edited, so that a contract saved before these rules still opens and saves."""
    debut = data.get("date_debut_prealable", obj.date_debut_prealable)
    lettre = data.get("date_lettre_intention", obj.date_lettre_intention)
    if lettre and lettre != obj.date_lettre_intention:
        dates.check_letter_date(lettre, debut=debut, signature=obj.date_signature, today=_today())
    if debut and debut != obj.date_debut_prealable:
        dates.check_start_date(debut, lettre=lettre, signature=obj.date_signature)


def _contract_qpvs(contract: Contract, qpvs) -> list[QPV]:
    qpvs = list(qpvs)
    outside = sorted(q.code for q in qpvs if q.departement.region_id != contract.ars.region_id)
    if outside:
        raise DomainError("Ces QPV ne sont pas dans la région du contrat : " + ", ".join(outside) + ".", field="qpvs")
    return qpvs


QPV_CODE = re.compile(r"^[A-Z]{2}[0-9A-Z]{4,10}$")


def _qpv_row(region_code: str, code: str, nom: str, departement_code: str, population) -> dict:
    code, nom, departement_code = code.strip().upper(), nom.strip(), departement_code.strip().upper()
    if not QPV_CODE.match(code):
        raise DomainError(f"« {code} » n'est pas un code de QPV (deux lettres puis 4 à 10 lettres ou chiffres, "
                          "par exemple QN01401M).", field="code")
    if not nom:
        raise DomainError("Indiquez le nom du quartier.", field="nom")
    departement = Departement.objects.filter(code=departement_code, region_id=region_code).first()
    if departement is None:
        raise DomainError(f"Le département « {departement_code} » n'est pas dans la région.", field="departement")
    if population in ("", None):
        population = None
    else:
        try:
            population = int(str(population).replace(" ", "").replace("\u00a0", ""))
        except ValueError:
            raise DomainError(f"Population « {population} » : un nombre entier d'habitants.",
                              field="population") from None
        if not 0 <= population <= 10_000_000:
            raise DomainError("La population d'un quartier est un nombre d'habitants positif.", field="population")
    return {"code": code, "nom": nom[:200], "departement": departement, "population": population}


@transaction.atomic
def qpv_save(*, actor, region_code: str, code: str, nom: str, departement_code: str, population=None) -> QPV:
    """Add a QPV to the région's reference list, or update it (same code). Preconditions: an official-looking
    code, a name, a département of the région; population optional. A QPV of another région is not touched."""
    row = _qpv_row(region_code, code, nom, departement_code, population)
    existing = QPV.objects.select_for_update().filter(code=row["code"]).select_related("departement").first()
    if existing is not None and existing.departement.region_id != region_code:
        raise DomainError("Ce code est celui d'un QPV d'une autre région.", field="code")
    if existing is None:
        qpv = QPV.objects.create(**row)
        history.record(actor=actor, obj=qpv, event=ContractEvent.QPV_ENREGISTRE)
        return qpv
    fields = ["nom", "departement", "population"]
    old = history.snapshot(existing, fields)
    for k in fields:
        setattr(existing, k, row[k])
    changes = history.diff(old, history.snapshot(existing, fields))
    if changes:
        existing.save()
        history.record(actor=actor, obj=existing, event=ContractEvent.QPV_ENREGISTRE, changes=changes)
    return existing


@transaction.atomic
def qpv_import(*, actor, region_code: str, text: str) -> tuple[int, int]:
    """Import lines "code;nom;département;population" (separator ; or tab; population optional). All or
    nothing: a line in error is named with its number and nothing is saved. Returns (added, updated)."""
    rows, errors = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[;\t]", line)]
        if n == 1 and parts[0].lower() == "code":
            continue  # a header line
        if len(parts) < 3:
            errors.append(f"ligne {n} : il faut au moins le code, le nom et le département")
            continue
        try:
            rows.append(_qpv_row(region_code, parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else None))
        except DomainError as err:
            errors.append(f"ligne {n} : {err.message}")
    if errors:
        raise DomainError("Rien n'a été importé. " + " ; ".join(errors[:10]) + ("…" if len(errors) > 10 else "") + ".",
                          field="lignes")
    if not rows:
        raise DomainError("Collez au moins une ligne.", field="lignes")
    existing = {q.code: q for q in QPV.objects.select_for_update().filter(code__in=[r["code"] for r in rows])
                .select_related("departement")}
    foreign = sorted(c for c, q in existing.items() if q.departement.region_id != region_code)
    if foreign:
        raise DomainError("Rien n'a été importé. Codes de QPV d'une autre région : " + ", ".join(foreign) + ".",
                          field="lignes")
    added = [QPV(**r) for r in rows if r["code"] not in existing]
    QPV.objects.bulk_create(added)
    updated = []
    for r in rows:
        q = existing.get(r["code"])
        if q is not None and (q.nom, q.departement_id, q.population) != (r["nom"], r["departement"].code,
                                                                       r["population"]):
            q.nom, q.departement, q.population = r["nom"], r["departement"], r["population"]
            updated.append(q)
    QPV.objects.bulk_update(updated, ["nom", "departement", "population"])
    region = Region.objects.get(code=region_code)
    history.record(actor=actor, obj=region, event=ContractEvent.QPV_IMPORTES,
                   changes={"qpv_crees": [None, len(added)], "qpv_modifies": [None, len(updated)]})
    return len(added), len(updated)


@transaction.atomic
def contract_set_perimeter(*, actor, contract: Contract, commune_codes: list[str], epci=None,
                           version: int | None = None, day: dt.date | None = None) -> Contract:
    """Replace the perimeter from `day` (today by default; dated in `PerimeterPeriod`, so that the coverage
    of a past date reads the perimeter as it was). Population is always read from the reference data.

    Preconditions: at least one commune; all codes exist.
    """
    obj = lock_for_update(Contract, contract.pk, expected_version=version)
    codes = sorted(set(commune_codes))
    communes = list(Commune.objects.filter(code__in=codes))
    if len(communes) != len(codes):
        unknown = sorted(set(codes) - {c.code for c in communes})
        raise DomainError("Codes de communes inconnus : " + ", ".join(unknown) + ".", field="communes")
    if not communes:
        raise DomainError("Le périmètre doit comprendre au moins une commune.", field="communes")
    _check_in_region(obj, communes, epci)
    before = sorted(obj.communes.values_list("code", flat=True))
    old_epci = obj.epci
    obj.communes.set(communes)
    obj.delegations.set(_delegations_for(communes))
    record_perimeter(obj, codes, day or _today())
    if epci is not None:
        obj.epci = epci
    bump(obj)
    obj.save()
    added = sorted(set(codes) - set(before))
    removed = sorted(set(before) - set(codes))
    changes = {}
    if added or removed:
        changes["communes"] = [_communes(len(before)), _communes(len(codes))]
        names = dict(Commune.objects.filter(code__in=added + removed).values_list("code", "nom"))
        if added:
            changes["communes_ajoutees"] = [None, ", ".join(f"{names.get(c, c)} ({c})" for c in added)]
        if removed:
            changes["communes_retirees"] = [None, ", ".join(f"{names.get(c, c)} ({c})" for c in removed)]
    if old_epci != obj.epci:
        changes["epci"] = [old_epci, obj.epci]
    history.record(actor=actor, obj=obj, event=ContractEvent.PERIMETRE_MODIFIE, changes=changes)
    return obj


def record_import_closure(contract: Contract, today: dt.date) -> PhaseTransition:
    """A contract that comes in closed gets its closure in the phase history (the figures of a past date
    read it there): on its planned end, or today if that end is still to come."""
    day = min(contract.date_fin or today, today)
    record = PhaseTransition.objects.create(
        contract=contract, transition="clore", from_phase=Phase.EVALUATION_FINALE, to_phase=Phase.CLOS,
        comment="Contrat importé clos : clôture datée de la fin prévue du contrat.")
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    PhaseTransition.objects.filter(pk=record.pk).update(at=at)
    return record


# --- lifecycle --------------------------------------------------------------------------------------

def _communes(n: int) -> str:
    return f"{n} commune{'s' if n > 1 else ''}"


def _context(actor, contract, comment="", by_delegation=False) -> workflow.Context:
    roles = set(workflow.LIFECYCLE.roles(actor, contract))
    if by_delegation:
        roles.add(workflow.DELEGATION)
    return workflow.Context(actor=actor, today=_today(), comment=(comment or "").strip(), roles=frozenset(roles))


def _signature_effects(date_signature: dt.date | None = None):
    """The contract becomes signed. Its signature date is the one the délégation gives, else the signed
    document's (when plausible), else today; never before the letter of intent nor the start of the phase
    préalable (`dates.check_signature_date`: otherwise the contract could be over the day it is signed)."""
    def apply(contract: Contract, ctx) -> dict:
        old_date = contract.date_signature
        order = {"debut": contract.date_debut_prealable, "lettre": contract.date_lettre_intention, "today": ctx.today}
        if date_signature:
            check_date(date_signature, lower=DATE_MIN, upper=ctx.today, field="date_signature")
            contract.date_signature = dates.check_signature_date(date_signature, **order)
        elif not contract.date_signature:
            signed = contract.documents.filter(type=DocumentType.CONTRAT_SIGNE, superseded_by__isnull=True).first()
            signed_on = signed.date_document if signed and signed.date_document else None
            bound = dates.signature_lower_bound(debut=order["debut"], lettre=order["lettre"])
            in_window = signed_on and DATE_MIN <= signed_on <= ctx.today and (bound is None or signed_on >= bound[0])
            contract.date_signature = dates.check_signature_date(signed_on if in_window else ctx.today, **order)
        if contract.date_signature != old_date:
            return {"date_signature": [old_date, contract.date_signature]}
        return {}
    return apply


def _fire_phase(*, actor, contract: Contract, t: workflow.Transition, ctx, proposal=None,
                date_signature: dt.date | None = None) -> PhaseTransition:
    """Fire a lifecycle transition on the engine, then the steps it completes and its record."""
    old_phase = contract.phase
    contract = workflow.LIFECYCLE.fire(
        t, pk=contract.pk, actor=actor, ctx=ctx, check_actor=proposal is None, by_proposal=proposal is not None,
        apply=_signature_effects(date_signature) if t.name == "signer" else None,
        context={"phase": Phase(t.target).label, "transition": t.label})
    today = ctx.today
    if t.name in method.DONE_BY_TRANSITION:
        steps_close(contract=contract, today=today, kinds=[method.DONE_BY_TRANSITION[t.name]], on=today)
    # The steps of the phases left behind would otherwise stay « à venir », then « en retard ».
    steps_close(contract=contract, today=today, phases=method.phases_behind(t.target))
    if t.name == "signer":
        steps_plan_after_signature(contract=contract)
    if t.name == "ouvrir_evaluation_finale":
        contract.steps.filter(kind=StepKind.EVALUATION_FINALE, statut=StepStatus.A_VENIR).update(
            statut=StepStatus.EN_COURS)
    return PhaseTransition.objects.create(contract=contract, transition=t.name, from_phase=old_phase,
                                          to_phase=t.target, actor=actor, comment=ctx.comment, proposal=proposal)


@transaction.atomic
def transition_propose(*, actor, contract: Contract, transition: str, comment: str = "") -> TransitionProposal:
    """The coordinator proposes a phase change. Preconditions: right phase, guards met, none pending."""
    t = workflow.LIFECYCLE.get(transition)
    if t.mode != "propose":
        raise DomainError("Ce changement de phase se décide directement, sans proposition.")
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    ctx = _context(actor, contract, comment)
    if not set(t.proposed_by) & ctx.roles:
        raise DomainError("Seul le coordinateur du contrat peut proposer ce changement de phase.", code="permission")
    workflow.LIFECYCLE.check(t, contract, ctx)
    if contract.proposals.filter(status=ProposalStatus.PENDING).exists():
        raise DomainError("Une proposition attend déjà la décision de la délégation départementale.")
    try:
        with transaction.atomic():
            proposal = TransitionProposal.objects.create(
                contract=contract, transition=t.name, from_phase=t.source, to_phase=t.target, proposed_by=actor,
                comment=ctx.comment)
    except IntegrityError:
        raise DomainError("Une proposition attend déjà la décision de la délégation départementale.") from None
    history.record(actor=actor, obj=proposal, event=ContractEvent.PROPOSITION_TRANSMISE, comment=ctx.comment)
    notify(users=selectors.reviewers(contract), kind="phase_contrat", url=_cycle_url(contract), body=comment,
           title=f"{contract.nom} : proposition « {t.label} » à examiner")
    return proposal


def _cycle_url(contract) -> str:
    return reverse("contracts:detail", args=[contract.pk]) + "#cycle"


def _pending_lock(contract):
    def lock(proposal_pk):
        proposal = TransitionProposal.objects.select_for_update().filter(pk=proposal_pk, contract=contract).first()
        if proposal is None:
            raise DomainError("Cette proposition a déjà été traitée.")
        return proposal
    return lock


def _decided(actor):
    def apply(proposal, ctx):
        proposal.decided_by, proposal.decided_at, proposal.decision_comment = actor, timezone.now(), ctx.comment
    return apply


@transaction.atomic
def proposal_validate(*, actor, contract: Contract, proposal_pk: int, comment: str = "",
                      date_signature: dt.date | None = None) -> PhaseTransition:
    """The délégation validates a pending proposal, which fires the phase change. The guards are checked
    again (the dossier may have changed since the proposal). For the signature, the délégation may give the
    signature date (default: the signed contract's date, else today)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    proposal = workflow.PROPOSALS.fire("valider", pk=proposal_pk, actor=actor, comment=comment,
                                       lock=_pending_lock(contract), apply=_decided(actor))
    t = workflow.LIFECYCLE.get(proposal.transition)
    record = _fire_phase(actor=actor, contract=contract, t=t, proposal=proposal,
                         ctx=_context(actor, contract, comment, by_delegation=True), date_signature=date_signature)
    notify(users=selectors.decision_recipients(contract, proposal), kind="phase_contrat",
           url=_cycle_url(contract), body=comment,
           title=f"{contract.nom} : « {t.label} » validé par la délégation départementale")
    return record


@transaction.atomic
def proposal_refuse(*, actor, contract: Contract, proposal_pk: int, comment: str) -> TransitionProposal:
    """The délégation sends a proposal back. Precondition: a reason is given."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    proposal = workflow.PROPOSALS.fire("refuser", pk=proposal_pk, actor=actor, comment=comment,
                                       lock=_pending_lock(contract), apply=_decided(actor), contract_id=contract.pk)
    notify(users=selectors.decision_recipients(contract, proposal), kind="phase_contrat",
           url=_cycle_url(contract), body=comment,
           title=f"{contract.nom} : proposition « {workflow.LIFECYCLE.get(proposal.transition).label} » refusée")
    return proposal


@transaction.atomic
def transition_fire(*, actor, contract: Contract, transition: str, comment: str = "",
                    by_delegation: bool = False, date_signature: dt.date | None = None) -> PhaseTransition:
    """A direct transition: the final evaluation's opening (the délégation, before the last year, with a reason),
    or a proposed one on a contract without coordinator, which the délégation does itself (the history says there
    was no proposal). Preconditions: direct on this contract (`workflow.LIFECYCLE.mode_for`), no proposal pending
    (for a transition normally proposed), right phase, guards met, fired by one of the transition's roles.
    `date_signature`: as for a validation."""
    t = workflow.LIFECYCLE.get(transition)
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if workflow.LIFECYCLE.mode_for(t, contract) != "direct":
        raise DomainError("Ce changement de phase doit être proposé par le coordinateur puis validé par la "
                          "délégation.")
    pending = contract.proposals.filter(status=ProposalStatus.PENDING)
    if workflow.LIFECYCLE.unproposed(t, contract) and pending.exists():
        # Made before the coordinator left (or by an admin): it is decided as a proposal, never left pending.
        raise DomainError("Une proposition de changement de phase attend la décision de la délégation "
                          "départementale : validez-la ou refusez-la.")
    return _fire_phase(actor=actor, contract=contract, t=t, date_signature=date_signature,
                       ctx=_context(actor, contract, comment, by_delegation=by_delegation))


# --- steps ------------------------------------------------------------------------------------------

def steps_create_defaults(*, contract: Contract) -> list[Step]:
    """The method's steps, planned from the contract's dates (called inside contract_create)."""
    debut = contract.date_debut_prealable or _today()
    created = []
    for d in method.METHOD_STEPS:
        start, due = method.planned_dates(d, debut=debut, signature=contract.date_signature, fin=contract.date_fin,
                                          signature_prevue=contract.date_signature_prevue)
        created.append(Step(contract=contract, phase=d.phase, kind=d.kind, ordre=d.ordre, titre=d.kind.label,
                            objectif=d.objectif, description=d.description, acteurs=d.acteurs,
                            date_debut_prevue=start, date_prevue=due))
    Step.objects.bulk_create(created)
    if contract.date_signature:
        steps_plan_after_signature(contract=contract)
    return created


def steps_close(*, contract: Contract, today: dt.date, phases=(), kinds=(), planned_before: dt.date | None = None,
                on: dt.date | None = None) -> int:
    """Mark done the steps of `contract` not done yet, of `phases` or of `kinds` (`steps.DONE_BY_TRANSITION`,
    `steps.phases_behind`, `steps.DONE_BY_DIAGNOSTIC`), planned before `planned_before` if given: done `on` that day,
    else on their planned date (today when it is still to come or unknown). Inside the caller's transaction; a
    completion that follows from a recorded event (phase change, validation, import) writes no line of its own.
    Returns how many steps it completed."""
    q = Q(phase__in=list(phases)) | Q(kind__in=list(kinds))
    steps = contract.steps.filter(q).exclude(statut=StepStatus.REALISEE)
    if planned_before is not None:
        steps = steps.filter(date_prevue__lt=planned_before)
    if on is not None:
        return steps.update(statut=StepStatus.REALISEE, date_realisee=on)
    done = steps.filter(date_prevue__lte=today).update(statut=StepStatus.REALISEE, date_realisee=F("date_prevue"))
    return done + steps.update(statut=StepStatus.REALISEE, date_realisee=today)


def steps_plan_after_signature(*, contract: Contract) -> None:
    """Once signed: date the implementation steps and add one yearly review per year."""
    fin = contract.date_fin
    for d in method.METHOD_STEPS:
        if d.due_months is None:
            start, due = method.planned_dates(d, debut=contract.date_debut_prealable or _today(),
                                              signature=contract.date_signature, fin=fin)
            contract.steps.filter(kind=d.kind, date_prevue__isnull=True).update(date_debut_prevue=start,
                                                                                 date_prevue=due)
    existing = set(contract.steps.filter(kind=StepKind.EVALUATION_CONTINUE).values_list("annee", flat=True))
    d = method.EVALUATION_CONTINUE
    Step.objects.bulk_create([
        Step(contract=contract, phase=d.phase, kind=d.kind, ordre=d.ordre, annee=year,
             titre=f"Évaluation continue {year} (revue annuelle du COPIL)", objectif=d.objectif,
             description=d.description, acteurs=d.acteurs, date_debut_prevue=dt.date(year, 1, 1),
             date_prevue=dt.date(year, 12, 31))
        for year in method.evaluation_years(contract.date_signature, contract.duree_annees) if year not in existing
    ])


@transaction.atomic
def step_update(*, actor, step: Step, data: dict, version: int | None = None) -> Step:
    """Edit a step (optimistic concurrency on `version`). Preconditions: dates in order; a done step has its
    actual date (today by default)."""
    data = dict(data)
    data.pop("version", None)
    step = lock_for_update(Step, step.pk, expected_version=version, submitted=data)
    start, due = data.get("date_debut_prevue", step.date_debut_prevue), data.get("date_prevue", step.date_prevue)
    if start and due and due < start:
        raise DomainError("L'échéance prévue ne peut pas précéder le début prévu.", field="date_prevue")
    if data.get("statut") == StepStatus.REALISEE and not data.get("date_realisee"):
        data["date_realisee"] = _today()
    fields = ["titre", "objectif", "description", "acteurs", "date_debut_prevue", "date_prevue", "date_realisee",
              "statut"]
    old = history.snapshot(step, fields)
    for k in fields:
        if k in data:
            setattr(step, k, data[k])
    changes = history.diff(old, history.snapshot(step, fields))
    if changes:
        bump(step)
        step.save()
    history.record(actor=actor, obj=step, event=ContractEvent.ETAPE_MODIFIEE, changes=changes)
    return step


def _renumber(contract_id: int) -> list[Step]:
    """The steps in their shown order, numbered 10, 20, 30… (ties between yearly reviews broken)."""
    ordered = list(Step.objects.filter(contract_id=contract_id).order_by("ordre", "annee", "id"))
    for i, st in enumerate(ordered, start=1):
        st.ordre = i * 10
    return ordered


@transaction.atomic
def step_add(*, actor, contract: Contract, titre: str, phase: str, objectif: str = "", acteurs: str = "",
             date_debut_prevue: dt.date | None = None, date_prevue: dt.date | None = None) -> Step:
    """Add a step after the last one of its phase. Preconditions: a title, dates in order."""
    if date_debut_prevue and date_prevue and date_prevue < date_debut_prevue:
        raise DomainError("L'échéance prévue ne peut pas précéder le début prévu.", field="date_prevue")
    for name, value in (("date_debut_prevue", date_debut_prevue), ("date_prevue", date_prevue)):
        if value:
            check_date(value, field=name)
    Contract.objects.select_for_update().get(pk=contract.pk)  # one change of the steps' order at a time
    ordered = _renumber(contract.pk)
    order = list(Phase.values)
    before = [st for st in ordered if order.index(st.phase) <= order.index(phase)]
    position = before[-1].ordre + 5 if before else 5
    Step.objects.bulk_update(ordered, ["ordre"])
    step = Step.objects.create(contract=contract, phase=phase, kind=StepKind.AUTRE, ordre=position, titre=titre,
                               objectif=objectif, acteurs=acteurs, date_debut_prevue=date_debut_prevue,
                               date_prevue=date_prevue)
    history.record(actor=actor, obj=step, event=ContractEvent.ETAPE_AJOUTEE)
    return step


@transaction.atomic
def step_delete(*, actor, step: Step) -> None:
    """Remove a step. Precondition: not done (a done step stays in the record of the démarche)."""
    Contract.objects.select_for_update().get(pk=step.contract_id)
    step = Step.objects.get(pk=step.pk)
    if step.statut == StepStatus.REALISEE:
        raise DomainError("Une étape réalisée reste dans le déroulé de la démarche : elle ne se supprime pas.")
    history.record(actor=actor, obj=step, event=ContractEvent.ETAPE_SUPPRIMEE)
    step.delete()


@transaction.atomic
def step_move(*, actor, step: Step, direction: str) -> Step:
    """Swap a step with the one before (`up`) or after (`down`) it. At either end nothing changes."""
    Contract.objects.select_for_update().get(pk=step.contract_id)
    ordered = _renumber(step.contract_id)
    index = next(i for i, st in enumerate(ordered) if st.pk == step.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return ordered[index]
    ordered[index].ordre, ordered[other].ordre = ordered[other].ordre, ordered[index].ordre
    Step.objects.bulk_update(ordered, ["ordre"])
    history.record(actor=actor, obj=ordered[index], event=ContractEvent.ETAPE_DEPLACEE,
                   changes={"rang": [index + 1, other + 1]})
    return ordered[index]


# --- documents --------------------------------------------------------------------------------------

@transaction.atomic
def document_upload(*, actor, contract: Contract, type: str, titre: str, fichier, date_document=None,
                    supersedes: Document | None = None) -> Document:
    """Store a checked file. Preconditions: accepted content type (sniffed), not empty, under the size
    limit, harmless name; `supersedes` (a current document of the same contract) gets a new version; the
    document's date, if any, is not in the future."""
    check_not_future(date_document, message=FUTURE_DOCUMENT, field="date_document")
    checked = uploads.check_upload(fichier)
    version_doc = 1
    if supersedes is not None:
        supersedes = Document.objects.select_for_update().get(pk=supersedes.pk)
        if supersedes.contract_id != contract.pk:
            raise DomainError("Ce document n'appartient pas à ce contrat.")
        if Document.objects.filter(supersedes=supersedes).exists():
            raise DomainError("Ce document a déjà été remplacé par une version plus récente.")
        version_doc = supersedes.version_doc + 1
        type = supersedes.type
    doc = Document(contract=contract, type=type, titre=titre, date_document=date_document,
                   nom_original=checked.name, extension=checked.extension, content_type=checked.content_type,
                   taille=checked.size, sha256=checked.sha256, uploaded_by=actor, supersedes=supersedes,
                   version_doc=version_doc)
    doc.fichier.save(checked.name, fichier, save=False)
    try:  # the row cannot be saved: remove the file just written (nothing stored on failure)
        doc.save()
    except Exception:
        doc.fichier.delete(save=False)
        raise
    history.record(actor=actor, obj=doc, event=ContractEvent.DOCUMENT_DEPOSE if supersedes is None
                   else ContractEvent.DOCUMENT_NOUVELLE_VERSION,
                   changes={"type": [None, doc.type], "version_doc": [None, version_doc if supersedes else None],
                            "date_document": [None, date_document]})
    return doc


@transaction.atomic
def document_delete(*, actor, document: Document) -> None:
    """Delete an unsigned document that no other version points to. Signed documents are kept forever."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.type in SIGNED_DOCUMENT_TYPES:
        raise DomainError("Un document signé n'est jamais supprimé : déposez une nouvelle version qui le remplace.")
    if Document.objects.filter(supersedes=document).exists() or document.supersedes_id:
        raise DomainError("Ce document fait partie d'un historique de versions : il ne peut pas être supprimé.")
    if Meeting.objects.filter(compte_rendu_document=document).exists() or \
            Avenant.objects.filter(document=document).exists():
        raise DomainError("Ce document est rattaché à une réunion ou à un avenant : il ne peut pas être supprimé.")
    history.record(actor=actor, obj=document.contract, event=ContractEvent.DOCUMENT_SUPPRIME,
                   context={"titre": document.titre})
    name = document.fichier.name
    storage = document.fichier.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- signatories ------------------------------------------------------------------------------------

@transaction.atomic
def signatory_add(*, actor, contract: Contract, organisation, role: str, representant: str = "",
                  date_signature=None, moyens_droit_commun: str = "", financement: str = "",
                  ingenierie: str = "") -> Signatory:
    """Add a signatory or partner. Preconditions: the organisation fits a mandatory role (`_check_signatory_role`);
    only signatories have a signature date, a day that has come; no duplicate."""
    if date_signature and role not in SIGNATORY_ROLES:
        raise DomainError("Seuls les signataires ont une date de signature.", field="date_signature")
    if date_signature:
        check_date(date_signature, field="date_signature")
        check_not_future(date_signature, message=FUTURE_SIGNATURE, field="date_signature")
    _check_signatory_role(contract, organisation, role)
    if Signatory.objects.filter(contract=contract, organisation=organisation, role=role).exists():
        raise DomainError("Cette organisation figure déjà avec ce rôle.", field="organisation")
    commitments = {"moyens_droit_commun": moyens_droit_commun, "financement": financement, "ingenierie": ingenierie}
    s = Signatory.objects.create(contract=contract, organisation=organisation, role=role,
                                 representant=representant, date_signature=date_signature, **commitments)
    history.record(actor=actor, obj=s, event=ContractEvent.SIGNATAIRE_AJOUTE,
                   changes={"representant": [None, representant], "date_signature": [None, date_signature],
                            **{k: [None, v] for k, v in commitments.items() if v}})
    return s


FUTURE_SIGNATURE = ("Une date de signature ne peut pas être un jour à venir (aujourd'hui : {today}) : "
                    "enregistrez-la une fois le contrat signé.")


def _check_signatory_role(contract: Contract, organisation, role: str) -> None:
    """The mandatory signatories are the contract's own: its collectivité porteuse, its ARS (an organisation of type
    « ARS » of the contract's région), a préfecture. Any organisation may be another signatory or a partner."""
    if role == SignatoryRole.COLLECTIVITE and organisation.pk != contract.collectivite_id:
        raise DomainError(f"La collectivité signataire obligatoire est la collectivité porteuse du contrat "
                          f"({contract.collectivite}) ; {organisation} peut signer comme « Autre signataire ».",
                          field="organisation")
    if role == SignatoryRole.ARS and (organisation.type != OrganisationType.ARS or not Organisation.objects.in_region(
            contract.ars.region_id).filter(pk=organisation.pk).exists()):
        raise DomainError(f"L'ARS signataire obligatoire est l'ARS du contrat ({contract.ars}) : {organisation} "
                          f"n'en est pas une ({organisation.get_type_display()}).", field="organisation")
    if role == SignatoryRole.PREFECTURE and organisation.type != OrganisationType.PREFECTURE:
        raise DomainError(f"Choisissez une préfecture : {organisation} n'en est pas une "
                          f"({organisation.get_type_display()}). Si elle manque à la liste, créez-la avec le type "
                          "« Préfecture ».", field="organisation")


SIGNATORY_COMMITMENTS = ["moyens_droit_commun", "financement", "ingenierie"]
EVALUATION_FIELDS = ["evaluation_questions", "evaluation_evaluateurs", "evaluation_calendrier"]
PREALABLE_FIELDS = ["specificites_locales", "dispositifs_existants", "benefices_attendus"]
RECRUITMENT_FIELDS = ["recrutement_avis_ars", "recrutement_prise_de_poste"]


def _text_fields_update(*, actor, contract: Contract, version: int | None, data: dict, fields: list[str],
                        event) -> Contract:
    data = {k: v for k, v in data.items() if k in fields}
    obj = lock_for_update(Contract, contract.pk, expected_version=version, submitted=data)
    old = history.snapshot(obj, fields)
    for k, v in data.items():
        setattr(obj, k, v)
    changes = history.diff(old, history.snapshot(obj, fields))
    if changes:
        bump(obj)
        obj.save()
        history.record(actor=actor, obj=obj, event=event, changes=changes)
    return obj


@transaction.atomic
def evaluation_method_update(*, actor, contract: Contract, version: int | None, data: dict) -> Contract:
    """Set out the final evaluation's method (optimistic concurrency on `version`); nothing written if unchanged."""
    return _text_fields_update(actor=actor, contract=contract, version=version, data=data, fields=EVALUATION_FIELDS,
                               event=ContractEvent.EVALUATION_METHODE)


@transaction.atomic
def recruitment_update(*, actor, contract: Contract, version: int | None, data: dict) -> Contract:
    """The ARS's opinion on the coordinator's recruitment and the date the coordinator took up the post."""
    if data.get("recrutement_prise_de_poste"):
        check_date(data["recrutement_prise_de_poste"], field="recrutement_prise_de_poste")
    return _text_fields_update(actor=actor, contract=contract, version=version, data=data,
                               fields=RECRUITMENT_FIELDS, event=ContractEvent.RECRUTEMENT)


@transaction.atomic
def prealable_update(*, actor, contract: Contract, version: int | None, data: dict) -> Contract:
    """What closes the phase préalable: local specifics, schemes already in place, expected benefits."""
    return _text_fields_update(actor=actor, contract=contract, version=version, data=data, fields=PREALABLE_FIELDS,
                               event=ContractEvent.PREALABLE_BILAN)


@transaction.atomic
def signatory_commitments_update(*, actor, signatory: Signatory, **values) -> Signatory:
    """What a signatory or partner commits to bring; an edit that changes nothing writes nothing."""
    signatory = Signatory.objects.select_for_update().get(pk=signatory.pk)
    old = history.snapshot(signatory, SIGNATORY_COMMITMENTS)
    for k in SIGNATORY_COMMITMENTS:
        if k in values:
            setattr(signatory, k, values[k])
    changes = history.diff(old, history.snapshot(signatory, SIGNATORY_COMMITMENTS))
    if changes:
        signatory.save(update_fields=SIGNATORY_COMMITMENTS)
        history.record(actor=actor, obj=signatory, event=ContractEvent.SIGNATAIRE_ENGAGEMENTS, changes=changes)
    return signatory


def signatory_removable(signatory: Signatory, contract: Contract) -> bool:
    """Whether a signatory row may be removed (no avenant initialled, `signatory_remove` checks it too): until the
    contract is signed its rows are a declaration being prepared, a mistake among them is corrected by removing
    it; once the contract is signed, those who signed it stay on record."""
    return not (signatory.date_signature and contract.date_signature)


@transaction.atomic
def signatory_remove(*, actor, signatory: Signatory) -> None:
    """Remove a signatory or partner. Preconditions: no avenant initialled; not a signatory of a signed contract
    (`signatory_removable`)."""
    if signatory.avenants_paraphes.exists() or not signatory_removable(signatory, signatory.contract):
        raise DomainError("Un signataire qui a signé le contrat ou paraphé un avenant ne peut pas être retiré.")
    history.record(actor=actor, obj=signatory, event=ContractEvent.SIGNATAIRE_RETIRE)
    signatory.delete()


# --- governance -------------------------------------------------------------------------------------

@transaction.atomic
def instance_create(*, actor, contract: Contract, type: str, nom: str, mission: str = "") -> Instance:
    inst = Instance.objects.create(contract=contract, type=type, nom=nom, mission=mission)
    history.record(actor=actor, obj=inst, event=ContractEvent.INSTANCE_CREEE, contract_id=contract.pk,
                   changes={"type": [None, type]})
    return inst


@transaction.atomic
def member_add(*, actor, instance: Instance, personne: str = "", organisation=None, role: str = "") -> InstanceMember:
    if not personne.strip() and organisation is None:
        raise DomainError("Indiquez une personne ou une organisation.", field="personne")
    m = InstanceMember.objects.create(instance=instance, personne=personne.strip(), organisation=organisation,
                                      role=role)
    history.record(actor=actor, obj=m, event=ContractEvent.MEMBRE_AJOUTE, contract_id=instance.contract_id,
                   changes={"role": [None, role]})
    return m


@transaction.atomic
def meeting_create(*, actor, contract: Contract, instance: Instance, date: dt.date, lieu: str = "",
                   ordre_du_jour: str = "", participants: str = "", compte_rendu: str = "", decisions: str = "",
                   revue_annuelle: bool = False, fichier=None) -> Meeting:
    """Record a meeting. The yearly COPIL review marks that year's continuous-evaluation step done.

    Preconditions: the instance belongs to the contract; only a COPIL holds the yearly review; the minutes'
    file (a document dated the meeting's day) comes once the meeting has taken place.
    """
    if instance.contract_id != contract.pk:
        raise DomainError("Cette instance n'appartient pas à ce contrat.", field="instance")
    if fichier is not None:
        check_not_future(date, field="fichier", message="Le compte rendu se dépose une fois la réunion tenue : "
                                                        "cette réunion est à venir (aujourd'hui : {today}).")
    if revue_annuelle and instance.type != InstanceType.COPIL:
        raise DomainError("Seul le comité de pilotage (COPIL) tient la revue annuelle.", field="revue_annuelle")
    doc = None
    if fichier is not None:
        doc = document_upload(actor=actor, contract=contract, type=DocumentType.COMPTE_RENDU,
                              titre=f"Compte rendu — {instance.nom} du {date:%d/%m/%Y}", fichier=fichier,
                              date_document=date)
    try:  # the transaction rolls back on any failure below: the minutes' file must not outlive its row
        meeting = Meeting.objects.create(contract=contract, instance=instance, date=date, lieu=lieu,
                                         ordre_du_jour=ordre_du_jour, participants=participants,
                                         compte_rendu=compte_rendu, compte_rendu_document=doc, decisions=decisions,
                                         revue_annuelle=revue_annuelle)
        if revue_annuelle:
            step = contract.steps.filter(kind=StepKind.EVALUATION_CONTINUE, annee=date.year).first()
            if step is None:
                step = Step.objects.create(
                    contract=contract, phase=Phase.MISE_EN_OEUVRE, kind=StepKind.EVALUATION_CONTINUE, ordre=70,
                    annee=date.year, titre=f"Évaluation continue {date.year} (revue annuelle du COPIL)",
                    objectif=method.EVALUATION_CONTINUE.objectif, date_prevue=dt.date(date.year, 12, 31))
            step.statut, step.date_realisee = StepStatus.REALISEE, date
            step.save(update_fields=["statut", "date_realisee"])
        history.record(actor=actor, obj=meeting, event=ContractEvent.REUNION_ENREGISTREE,
                       changes={"lieu": [None, lieu], "revue_annuelle": [None, True if revue_annuelle else None]})
    except BaseException:
        if doc is not None:
            doc.fichier.delete(save=False)
        raise
    return meeting


# --- avenants ---------------------------------------------------------------------------------------

@transaction.atomic
def avenant_create(*, actor, contract: Contract, date: dt.date, objet: str, changes: list[dict],
                   signataires=(), document: Document | None = None) -> Avenant:
    """A numbered amendment; the plan's version increases by one.

    Preconditions: the contract is signed and not closed; the avenant's date (the day it was signed) is neither
    before the contract's signature nor in the future; at least one plan change; sheets and signatories belong to
    the contract; each sheet is listed once, and only where it makes sense (`selectors.avenant_sheet_refusal`:
    added, a sheet not yet in the signed plan; modified or retired, one of the plan still carried out); the
    signed document is an avenant of this contract; no earlier avenant still waits for initials.

    An avenant is in force only once every signatory of the contract (partners aside) has initialled it:
    until then the plan's version does not change (the avenant carries the version it will make), and
    `avenant_initials_add` records the missing initials. In force, the apps above apply it
    (`registry.avenant_in_force`: the sheets it retires are abandoned).
    """
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.phase not in (Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE):
        raise DomainError("Un avenant ne peut être conclu que sur un contrat signé et en cours.")
    check_not_future(date, message=FUTURE_AVENANT, field="date")
    if contract.date_signature and date < contract.date_signature:
        raise DomainError(f"Un avenant suit la signature du contrat ({contract.date_signature:%d/%m/%Y}) : il ne "
                          "peut pas être daté d'avant.", field="date")
    if not changes:
        raise DomainError("Indiquez au moins une modification du plan d'action.", field="changes")
    _check_avenant_sheets(contract, changes)
    if any(s.contract_id != contract.pk for s in signataires):
        raise DomainError("Un signataire cité n'appartient pas à ce contrat.", field="signataires")
    if any(s.role == SignatoryRole.PARTENAIRE for s in signataires):
        raise DomainError("Seuls les signataires de ce contrat paraphent ses avenants.", field="signataires")
    if document is not None and (document.contract_id != contract.pk or document.type != DocumentType.AVENANT):
        raise DomainError("Le document signé doit être un avenant déposé sur ce contrat.", field="document")
    waiting = contract.avenants.filter(plan_version__gt=contract.plan_version).first()
    if waiting is not None:
        raise DomainError(f"L'avenant n°{waiting.numero} attend encore des paraphes : recueillez-les avant "
                          "d'enregistrer un autre avenant.")
    numero = (contract.avenants.aggregate(m=Max("numero"))["m"] or 0) + 1
    in_force = not _missing_initials(contract, signataires)
    previous = contract.plan_version
    if in_force:
        contract.plan_version += 1
        bump(contract)
        contract.save()
    avenant = Avenant.objects.create(contract=contract, numero=numero, date=date, objet=objet,
                                     plan_version=previous + 1, document=document, created_by=actor)
    avenant.signataires.set(signataires)
    AvenantChange.objects.bulk_create([
        AvenantChange(avenant=avenant, kind=ch["kind"], fiche=ch.get("fiche"), description=ch.get("description", ""))
        for ch in changes
    ])
    changes = {"paraphes": [None, _organisations(signataires) or None]}
    if in_force:
        changes["plan_en_vigueur"] = [previous, contract.plan_version]
    history.record(actor=actor, obj=avenant, event=ContractEvent.AVENANT_ENREGISTRE, changes=changes,
                   comment=objet if in_force else f"{objet} — en attente de paraphes")
    if in_force:
        _apply_in_force(actor=actor, avenant=avenant)
    return avenant


def _apply_in_force(*, actor, avenant: Avenant) -> None:
    """The apps above apply an avenant that has just come into force (actions: the sheets it retires)."""
    for apply in registry.avenant_in_force:
        apply(actor=actor, avenant=avenant)


# The avenant form's list of each kind of change: where an error on a sheet is shown.
AVENANT_LISTS = {PlanChangeKind.AJOUT: "ajouts", PlanChangeKind.MODIFICATION: "modifications",
                 PlanChangeKind.RETRAIT: "retraits"}


def _check_avenant_sheets(contract: Contract, changes: list[dict]) -> None:
    """Each sheet of the contract, listed once, where its status allows (DomainError on the list of its kind)."""
    added = selectors.sheets_added_by_avenant(contract)
    seen = {}
    for ch in changes:
        fiche, kind = ch.get("fiche"), ch["kind"]
        if fiche is None:
            continue
        field = AVENANT_LISTS.get(kind, "changes")
        if fiche.contract_id != contract.pk:
            raise DomainError("Une fiche action citée n'appartient pas à ce contrat.", field=field)
        if fiche.pk in seen:
            raise DomainError(f"Une fiche ne figure qu'une fois dans un avenant : la fiche {fiche.code} est déjà "
                              f"citée comme « {PlanChangeKind(seen[fiche.pk]).label} ».", field=field)
        seen[fiche.pk] = kind
        refusal = selectors.avenant_sheet_refusal(fiche, kind, added=added)
        if refusal:
            raise DomainError(refusal, field=field)


def _organisations(signatories) -> str:
    """« ARS Normandie, Préfecture du Calvados »: who initialled, for the history ("" for nobody)."""
    return ", ".join(s.organisation.nom for s in signatories)


def _missing_initials(contract: Contract, initialled) -> list[Signatory]:
    """The contract's signatories (partners aside) who have not initialled."""
    done = {s.pk for s in initialled}
    return [s for s in contract.signatories.exclude(role=SignatoryRole.PARTENAIRE).select_related("organisation")
            if s.pk not in done]


@transaction.atomic
def avenant_initials_add(*, actor, avenant: Avenant, signataires) -> Avenant:
    """Record initials on an avenant; the last one missing puts it in force: the plan's version increases and the
    apps above apply it (`registry.avenant_in_force`: the sheets it retires are abandoned)."""
    contract = Contract.objects.select_for_update().get(pk=avenant.contract_id)
    avenant = Avenant.objects.select_for_update().get(pk=avenant.pk)
    if any(s.contract_id != contract.pk or s.role == SignatoryRole.PARTENAIRE for s in signataires):
        raise DomainError("Seuls les signataires de ce contrat paraphent ses avenants.", field="signataires")
    already = {s.pk for s in avenant.signataires.all()}
    new = [s for s in signataires if s.pk not in already]
    if not new:
        raise DomainError("Cochez au moins un signataire qui n'a pas encore paraphé.", field="signataires")
    avenant.signataires.add(*new)
    changes = {"paraphes": [None, _organisations(new)]}
    if avenant.plan_version == contract.plan_version + 1 and not _missing_initials(contract, avenant.signataires.all()):
        contract.plan_version += 1
        bump(contract)
        contract.save()
        changes["plan_en_vigueur"] = [contract.plan_version - 1, contract.plan_version]
    history.record(actor=actor, obj=avenant, event=ContractEvent.AVENANT_PARAPHE, changes=changes)
    if "plan_en_vigueur" in changes:
        _apply_in_force(actor=actor, avenant=avenant)
    return avenant


# --- renewal ----------------------------------------------------------------------------------------

@transaction.atomic
def contract_renew(*, actor, contract: Contract, nom: str = "") -> Contract:
    """Create the next generation, prefilled: perimeter, partners, governance, and what the apps above copy
    (`registry.renewal`: the action plan copies its unfinished sheets).

    Preconditions: the contract is in final evaluation or closed; it has not been renewed already.
    """
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.phase not in (Phase.EVALUATION_FINALE, Phase.CLOS):
        raise DomainError("Le renouvellement se prépare pendant l'évaluation finale ou après la clôture.")
    if Contract.objects.filter(previous=contract).exists():
        raise DomainError("Ce contrat a déjà été renouvelé.")
    generation = contract.generation + 1
    new = Contract.objects.create(
        nom=nom or f"{contract.nom} — {generation}e génération", collectivite=contract.collectivite,
        ars=contract.ars, referent=contract.referent, prs=contract.prs, epci=contract.epci, rural=contract.rural,
        qpv=contract.qpv, nb_qpv=contract.nb_qpv, clsm=contract.clsm, generation=generation, previous=contract,
        phase=Phase.PREALABLE, date_debut_prealable=_today(), duree_annees=contract.duree_annees)
    new.communes.set(contract.communes.all())
    new.delegations.set(contract.delegations.all())
    new.coordinators.set(contract.coordinators.all())
    record_perimeter(new, new.communes.values_list("code", flat=True), None)
    for user in new.coordinators.all():
        record_coordinator(new, user, joined=True, day=None)
    steps_create_defaults(contract=new)
    Signatory.objects.bulk_create([
        Signatory(contract=new, organisation_id=s.organisation_id, role=s.role, representant=s.representant)
        for s in contract.signatories.all()
    ])
    for inst in contract.instances.prefetch_related("members"):
        copy = Instance.objects.create(contract=new, type=inst.type, nom=inst.nom, mission=inst.mission)
        InstanceMember.objects.bulk_create([
            InstanceMember(instance=copy, personne=m.personne, organisation_id=m.organisation_id, role=m.role)
            for m in inst.members.all()
        ])
    copied = sum(copy_part(actor=actor, old=contract, new=new) for copy_part in registry.renewal)  # actions: sheets
    history.record(actor=actor, obj=new, event=ContractEvent.CREE_PAR_RENOUVELLEMENT,
                   context={"precedent": contract.nom}, changes={"fiches_reprises": [None, copied]})
    history.record(actor=actor, obj=contract, event=ContractEvent.RENOUVELE, context={"suivant": new.nom})
    return new


@transaction.atomic
def pending_contact_mark_invited(*, actor, contact: PendingContact) -> PendingContact:
    """Record that the person of a pending contact was invited (the caller created the invitation, whose
    history line names the actor and the address: this bookkeeping writes none of its own). Idempotent."""
    locked = PendingContact.objects.select_for_update().get(pk=contact.pk)
    if locked.invited_at is None:
        locked.invited_at = timezone.now()
        locked.save(update_fields=["invited_at"])
    return locked



def referent_from_pending_contact(*, contract: Contract, user) -> bool:
    """An imported référent who accepted his invitation becomes the contract's référent, when the contract has
    none yet and its pending contacts name his address as référent. Inside the acceptance's transaction; the
    history line names him as the one who took the role. Returns whether the référent was set."""
    email = (user.email or "").strip()
    if not email or not contract.pending_contacts.filter(role=ContactRole.REFERENT, email__iexact=email).exists():
        return False
    obj = Contract.objects.select_for_update().get(pk=contract.pk)
    if obj.referent_id is not None:
        return False
    _write_referent(obj, user, actor=user, event=ContractEvent.IDENTITE_MODIFIEE)
    return True
