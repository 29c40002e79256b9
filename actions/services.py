"""Writes for the action plan. Each service is atomic, takes an explicit `actor` and records history.

Callers check permissions (actions.permissions); services enforce business rules and raise
`DomainError` with a French message (put next to its field by the view).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cls_portal.core import history
from cls_portal.core.concurrency import bump, lock_for_update, snapshot_values
from cls_portal.core.errors import ConcurrentEditError, DomainError
from cls_portal.core.formatting import count_label, format_number
from cls_portal.core.history import snapshot
from cls_portal.notifications.services import notify
from contracts import selectors as contract_selectors
from contracts.dates import check_not_before_start
from contracts.enums import InstanceType
from contracts.models import Contract
from diagnostics.models import Priorite

from .enums import AMENDABLE_STATUSES, VALIDATED_STATUSES, ActionEvent, AxeType, FicheStatut, Section
from .models import (
    Axe,
    ChampAction,
    CommentaireRevue,
    FicheAction,
    Financement,
    Indicateur,
    Jalon,
    LigneBudget,
    PartenaireFiche,
    SuiviAnnuel,
    ValeurIndicateur,
    ValeurPeriode,
)
from .periods import aggregate, is_future, period_label, periods_per_year
from .permissions import AVENANT_REASON, can_record_signed_plan, needs_avenant
from .selectors import fiche_missing
from .workflow import FICHES, TRANSITIONS

AXE_FIELDS = ["titre", "type", "description"]
FICHE_FIELDS = ["titre", "contexte", "objectif_general", "objectifs_specifiques", "objectifs_operationnels",
                "description", "public_cible", "tout_le_perimetre", "objectif_prs", "priorite", "preexistante",
                "date_debut", "date_fin", "pilote_organisation", "pilote_personne", "pilote_nom", "pilote_email",
                "groupe_travail", "ressource"]
# formset name -> (model, editable fields)
CHILDREN = {
    "partenaires": (PartenaireFiche, ["organisation", "role", "precision", "moyens_droit_commun", "financement",
                                      "ingenierie"]),
    "jalons": (Jalon, ["libelle", "date_prevue", "date_realisee"]),
    "lignes_budget": (LigneBudget, ["annee", "type", "libelle", "montant_prevu", "montant_realise"]),
    "financements": (Financement, ["annee", "financeur", "organisation", "montant"]),
    "indicateurs": (Indicateur, ["libelle", "type", "unite", "valeur_reference", "annee_reference", "cible",
                                 "annee_cible", "source", "frequence", "agregation", "hausse_attendue"]),
}
FREQUENCE_LOCKED = ("La fréquence de l'indicateur « {libelle} » ne peut plus changer : des valeurs par période sont "
                    "saisies ({annees}). Effacez-les dans le suivi annuel, ou créez un autre indicateur.")


# The earliest year of a figure, the diagnostic's too (diagnostics/forms.py): a reference value may come from an
# old census, never from before it.
REFERENCE_YEAR_MIN = 1950


def indicator_year_refusals(contract, *, annee_reference: int | None = None,
                            annee_cible: int | None = None) -> dict[str, str]:
    """The one rule for an indicator's years, for the sheet form and the plan import: the target year is a year of
    the contract's life (`contracts.selectors.life_years`) and not before the reference year; the reference year
    runs from 1950 to the contract's last year. Field name -> French sentence; empty when both are acceptable."""
    first, last = contract_selectors.life_years(contract)
    refusals = {}
    if annee_reference is not None and not REFERENCE_YEAR_MIN <= annee_reference <= last:
        refusals["annee_reference"] = f"Choisissez une année de référence de {REFERENCE_YEAR_MIN} à {last}."
    if annee_cible is not None:
        if not first <= annee_cible <= last:
            refusals["annee_cible"] = f"Choisissez une année cible du contrat, de {first} à {last}."
        elif annee_reference is not None and annee_cible < annee_reference:
            refusals["annee_cible"] = f"L'année cible précède l'année de référence ({annee_reference})."
    return refusals


def period_today() -> dt.date:
    """Today for the period rules (a test freezes it)."""
    return timezone.localdate()


# -- axes -----------------------------------------------------------------------------------------

def _link_priorite(axe: Axe, priorite) -> None:
    """The diagnostic priority the axe answers (the link lives on diagnostics.Priorite.axe)."""
    Priorite.objects.filter(axe=axe).exclude(pk=getattr(priorite, "pk", None)).update(axe=None)
    if priorite is not None:
        if priorite.diagnostic.contract_id != axe.contract_id:
            raise DomainError("Cette priorité appartient au diagnostic d'un autre contrat.", field="priorite")
        if priorite.axe_id and priorite.axe_id != axe.pk:
            raise DomainError("Cette priorité est déjà traitée par un autre axe.", field="priorite")
        Priorite.objects.filter(pk=priorite.pk).update(axe=axe)


@transaction.atomic
def axe_create(*, actor, contract: Contract, titre: str, type: str, description: str = "", priorite=None,
               numero: int | None = None, champs=None) -> Axe:
    """Add an axe at the end of the plan (next free number), or under `numero` when it is free (an import)."""
    Contract.objects.select_for_update().get(pk=contract.pk)  # next number without a race
    if numero is None:
        numero = (Axe.objects.filter(contract=contract).aggregate(m=Max("numero"))["m"] or 0) + 1
    elif Axe.objects.filter(contract=contract, numero=numero).exists():
        raise DomainError(f"L'axe {numero} existe déjà dans le plan d'action.", field="numero")
    axe = Axe.objects.create(contract=contract, numero=numero, titre=titre, type=type, description=description)
    _link_priorite(axe, priorite)
    changes = {"type": [None, type], **_set_champs(axe, champs)}
    history.record(actor=actor, obj=axe, event=ActionEvent.AXE_CREE, changes=changes)
    return axe


@transaction.atomic
def axe_update(*, actor, axe_id: int, titre: str, type: str, description: str = "", priorite=None,
               expected_version: int | None = None, champs=None) -> Axe:
    """Edit an axe. Refused (ConcurrentEditError) if someone saved it since `expected_version`."""
    axe = lock_for_update(Axe, axe_id, expected_version=expected_version,
                          submitted={"titre": titre, "type": type, "description": description})
    from diagnostics.models import Priorite

    before = snapshot(axe, AXE_FIELDS)
    old_priorite = Priorite.objects.filter(axe=axe).values_list("pk", flat=True).first()
    axe.titre, axe.type, axe.description = titre, type, description
    _link_priorite(axe, priorite)
    changes = history.diff(before, snapshot(axe, AXE_FIELDS))
    changes.update(_set_champs(axe, champs))
    if changes or old_priorite != getattr(priorite, "pk", None):
        bump(axe)
        axe.save()
    history.record(actor=actor, obj=axe, event=ActionEvent.AXE_MODIFIE, changes=changes)
    return axe


@transaction.atomic
def axe_move(*, actor, axe_id: int, direction: str) -> Axe:
    """Swap the axe with its neighbour ("up" or "down"); numbers stay 1..n."""
    axe = Axe.objects.select_for_update().get(pk=axe_id)
    siblings = Axe.objects.select_for_update().filter(contract_id=axe.contract_id)
    if direction == "up":
        other = siblings.filter(numero__lt=axe.numero).order_by("-numero").first()
    elif direction == "down":
        other = siblings.filter(numero__gt=axe.numero).order_by("numero").first()
    else:
        raise DomainError("Déplacement inconnu.")
    if other is None:
        raise DomainError("Cet axe est déjà à cette extrémité du plan.")
    mine, theirs = axe.numero, other.numero
    axe.numero = 0  # free the number: (contract, numero) is unique
    axe.save(update_fields=["numero"])
    other.numero = mine
    other.save(update_fields=["numero"])
    axe.numero = theirs
    axe.save(update_fields=["numero"])
    history.record(actor=actor, obj=axe, event=ActionEvent.AXE_DEPLACE, changes={"numero": [mine, theirs]})
    return axe


# -- sheets ---------------------------------------------------------------------------------------

def _next_numero(axe: Axe) -> int:
    return (FicheAction.objects.filter(axe=axe).aggregate(m=Max("numero"))["m"] or 0) + 1


def _count(n: int, one: str, many: str | None = None) -> str:
    """« 1 ajout », « 2 mises à jour »; empty for none."""
    return count_label(n, one, many) if n else ""


def _sync_children(fiche: FicheAction, children: dict[str, list[dict]]) -> dict:
    """Apply formset rows: {"jalons": [{"id": obj|None, "DELETE": bool, field: value...}]}. Returns a summary,
    plus one change per partner whose commitments changed and per indicator whose year figures were recomputed.

    Rules: an indicator with values per period keeps its frequency (`FREQUENCE_LOCKED`); a new aggregation
    mode recomputes the year figures made from its periods."""
    summary = {}
    for name, rows in children.items():
        model, fields = CHILDREN[name]
        added = changed = deleted = 0
        for row in rows:
            obj = row.get("id")
            if obj is not None and obj.fiche_id != fiche.pk:
                raise DomainError("Une ligne envoyée n'appartient pas à cette fiche.")
            if row.get("DELETE"):
                if obj is not None:
                    obj.delete()
                    deleted += 1
                continue
            before = None
            if obj is None:
                obj = model(fiche=fiche)
                added += 1
            else:
                before = model.objects.get(pk=obj.pk)  # the row as stored (the form changed `obj` in place)
            for f in fields:
                if f in row:  # a caller that does not know a field (an import) leaves its default or value
                    setattr(obj, f, row[f])
            if before is not None:
                # The form sends back every stored row: one left as it was is neither saved nor told (the
                # history read « 4 mise(s) à jour » of budget lines nobody had touched).
                if all(getattr(before, f) == getattr(obj, f) for f in fields):
                    continue
                changed += 1
            if name == "indicateurs" and before is not None and before.frequence != obj.frequence:
                annees = sorted(set(ValeurPeriode.objects.filter(indicateur=obj).values_list("annee", flat=True)))
                if annees:
                    raise DomainError(FREQUENCE_LOCKED.format(libelle=before.libelle,
                                                              annees=", ".join(map(str, annees))))
            obj.save()
            if name == "partenaires":
                summary.update(_commitment_changes(before, obj))
            if name == "indicateurs" and before is not None and before.agregation != obj.agregation:
                summary.update(_recompute_years(obj))
        counts = [_count(added, "ajout"), _count(changed, "mise à jour", "mises à jour"),
                  _count(deleted, "suppression")]
        if any(counts):
            summary[name] = [None, ", ".join(c for c in counts if c)]
    return summary


def _commitment_text(p) -> str | None:
    parts = []
    if p is not None and p.moyens_droit_commun:
        parts.append(f"moyens de droit commun : {p.moyens_droit_commun}")
    if p is not None and p.financement is not None:
        parts.append(f"financement : {format_number(p.financement)} €")
    if p is not None and p.ingenierie:
        parts.append(f"ingénierie : {p.ingenierie}")
    return " ; ".join(parts) or None


def _commitment_changes(before, after) -> dict:
    """The history change of a partner's commitments to the sheet (none when they did not change)."""
    old, new = _commitment_text(before), _commitment_text(after)
    if old == new:
        return {}
    return {f"engagements de {after.organisation}": [old, new]}


def _check_group(contract_id, group) -> None:
    if group is not None and (group.contract_id != contract_id or group.type != InstanceType.GROUPE_TRAVAIL):
        raise DomainError("Choisissez un groupe de travail de ce contrat.", field="groupe_travail")


def _check_resource(contract_id, ressource) -> None:
    """A sheet follows a resource of its contract's région only."""
    if ressource is None:
        return
    region = Contract.objects.filter(pk=contract_id).values_list("ars__region_id", flat=True).first()
    if ressource.region_id != region:
        raise DomainError("Choisissez une ressource de la région du contrat.", field="ressource")


def _set_reunions(fiche, reunions) -> dict:
    """Set the meetings that worked on the sheet (None: unchanged); the history change if any. Preconditions:
    meetings of the sheet's contract."""
    if reunions is None:
        return {}
    if any(m.contract_id != fiche.contract_id for m in reunions):
        raise DomainError("Une réunion citée n'appartient pas à ce contrat.", field="reunions")
    before = sorted(str(m) for m in fiche.reunions.all())
    after = sorted(str(m) for m in reunions)
    if before == after:
        return {}
    fiche.reunions.set(reunions)
    return {"reunions": [", ".join(before) or None, ", ".join(after) or None]}


def _set_champs(obj, champs) -> dict:
    """Set the fields of action of an axe or a sheet (None: unchanged); the history change if any."""
    if champs is None:
        return {}
    before = sorted(c.libelle for c in obj.champs.all())
    after = sorted(c.libelle for c in champs)
    if before == after:
        return {}
    obj.champs.set(champs)
    return {"champs": [", ".join(before) or None, ", ".join(after) or None]}


@transaction.atomic
def champ_create(*, actor, libelle: str) -> ChampAction:
    """Add a field of action at the end of the reference list. Preconditions: a name not already listed."""
    libelle = " ".join(libelle.split())
    if not libelle:
        raise DomainError("Indiquez le libellé du champ d'action.", field="libelle")
    if ChampAction.objects.filter(libelle__iexact=libelle).exists():
        raise DomainError("Ce champ d'action est déjà dans la liste.", field="libelle")
    ordre = (ChampAction.objects.aggregate(m=Max("ordre"))["m"] or 0) + 1
    champ = ChampAction.objects.create(libelle=libelle, ordre=ordre)
    history.record(actor=actor, obj=champ, event=ActionEvent.CHAMP_CREE)
    return champ


@transaction.atomic
def champ_update(*, actor, champ_id: int, libelle: str, actif: bool) -> ChampAction:
    """Rename a field of action, or stop offering it (`actif`: the axes and sheets that carry it keep it)."""
    champ = ChampAction.objects.select_for_update().get(pk=champ_id)
    libelle = " ".join(libelle.split())
    if not libelle:
        raise DomainError("Indiquez le libellé du champ d'action.", field="libelle")
    if ChampAction.objects.filter(libelle__iexact=libelle).exclude(pk=champ.pk).exists():
        raise DomainError("Ce champ d'action est déjà dans la liste.", field="libelle")
    before = snapshot(champ, ["libelle", "actif"])
    champ.libelle, champ.actif = libelle, actif
    changes = history.diff(before, snapshot(champ, ["libelle", "actif"]))
    if changes:
        champ.save()
        history.record(actor=actor, obj=champ, event=ActionEvent.CHAMP_MODIFIE, changes=changes)
    return champ


def _check_dates(data: dict) -> None:
    if data.get("date_debut") and data.get("date_fin") and data["date_fin"] < data["date_debut"]:
        raise DomainError("La date de fin doit suivre la date de début.", field="date_fin")


@transaction.atomic
def fiche_create(*, actor, axe: Axe, data: dict, copilotes=(), communes=(), children=None,
                 numero: int | None = None, champs=None, reunions=None) -> FicheAction:
    """A new draft sheet at the end of `axe`, or under `numero` when it is free in the axe (an import)."""
    _check_dates(data)
    _check_group(axe.contract_id, data.get("groupe_travail"))
    _check_resource(axe.contract_id, data.get("ressource"))
    Axe.objects.select_for_update().get(pk=axe.pk)
    if numero is None:
        numero = _next_numero(axe)
    elif FicheAction.objects.filter(axe=axe, numero=numero).exists():
        raise DomainError(f"La fiche {axe.numero}.{numero} existe déjà dans le plan d'action.", field="numero")
    fiche = FicheAction(contract_id=axe.contract_id, axe=axe, numero=numero,
                        **{f: data.get(f) for f in FICHE_FIELDS if f in data})
    fiche.save()
    fiche.copilotes_personnes.set(copilotes)
    fiche.communes.set([] if fiche.tout_le_perimetre else communes)
    _sync_children(fiche, children or {})
    changes = {"statut": [None, fiche.statut], **_set_champs(fiche, champs), **_set_reunions(fiche, reunions)}
    history.record(actor=actor, obj=fiche, event=ActionEvent.FICHE_CREEE, changes=changes)
    return fiche


@transaction.atomic
def fiche_update(*, actor, fiche_id: int, expected_version, data: dict, axe: Axe | None = None, copilotes=(),
                 communes=(), children=None, champs=None, reunions=None) -> FicheAction:
    """Save the sheet. Refused (ConcurrentEditError) if someone saved it since `expected_version`.

    Rules: a sheet under review, done or abandoned is frozen; after signature a validated sheet changes only
    through an avenant that lists it (see permissions.needs_avenant).
    """
    _check_dates(data)
    fiche = lock_for_update(FicheAction, fiche_id, expected_version=expected_version,
                            submitted={f: data.get(f) for f in FICHE_FIELDS if f in data})
    if fiche.statut in (FicheStatut.SOUMISE, FicheStatut.REALISEE, FicheStatut.ABANDONNEE):
        raise DomainError(f"Une fiche « {fiche.get_statut_display().lower()} » ne peut pas être modifiée.")
    if needs_avenant(fiche):
        raise DomainError(AVENANT_REASON)
    _check_group(fiche.contract_id, data.get("groupe_travail"))
    if "ressource" in data and data["ressource"] is not None and data["ressource"].pk != fiche.ressource_id:
        _check_resource(fiche.contract_id, data["ressource"])
    before = snapshot(fiche, FICHE_FIELDS + ["axe", "numero"])
    for f in FICHE_FIELDS:
        if f in data:
            setattr(fiche, f, data[f])
    if axe is not None and axe.pk != fiche.axe_id:
        if axe.contract_id != fiche.contract_id:
            raise DomainError("Cet axe appartient à un autre contrat.", field="axe")
        fiche.axe = axe
        fiche.numero = _next_numero(axe)
    bump(fiche)
    fiche.save()
    changes = history.diff(before, snapshot(fiche, FICHE_FIELDS + ["axe", "numero"]))
    old_copilotes = sorted(str(u) for u in fiche.copilotes_personnes.all())
    fiche.copilotes_personnes.set(copilotes)
    new_copilotes = sorted(str(u) for u in copilotes)
    if old_copilotes != new_copilotes:
        changes["copilotes"] = [old_copilotes, new_copilotes]
    fiche.communes.set([] if fiche.tout_le_perimetre else communes)
    changes.update(_sync_children(fiche, children or {}))
    changes.update(_set_champs(fiche, champs))
    changes.update(_set_reunions(fiche, reunions))
    history.record(actor=actor, obj=fiche, event=ActionEvent.FICHE_MODIFIEE, changes=changes)
    return fiche


@transaction.atomic
def fiche_set_resource(*, actor, fiche: FicheAction, ressource) -> FicheAction:
    """Name the regional resource the sheet follows (None: none), whatever its status: a reference to the
    library, not the sheet's content, so no avenant is needed after signature. Preconditions: the caller checked
    `can_edit_plan`; a resource of the contract's région (in service, unless it is the one already chosen)."""
    fiche = FicheAction.objects.select_for_update().get(pk=fiche.pk)
    if ressource is not None and ressource.pk != fiche.ressource_id:
        _check_resource(fiche.contract_id, ressource)
        if ressource.archived_at:
            raise DomainError("Cette ressource est archivée : choisissez une ressource en service.", field="ressource")
    old = fiche.ressource_id
    fiche.ressource = ressource
    fiche.save(update_fields=["ressource", "updated_at"])
    history.record(actor=actor, obj=fiche, event=ActionEvent.RESSOURCE_SUIVIE,
                   changes={"ressource": [old, ressource.pk if ressource else None]})
    return fiche


@transaction.atomic
def jalon_record_done(*, actor, jalon_id: int, date_realisee: dt.date, today: dt.date | None = None) -> Jalon:
    """Record (or correct) the day a milestone of a running sheet was reached: implementation follow-up, like the
    annual follow-up, so no avenant is needed after signature. Preconditions: the caller checked
    `can_record_milestone`. Rules: the sheet is validated by the délégation; the day is not in the future nor
    before the contract began (`contracts.dates.check_not_before_start`)."""
    today = today or timezone.localdate()
    jalon = Jalon.objects.select_for_update().select_related("fiche").get(pk=jalon_id)
    if jalon.fiche.statut not in VALIDATED_STATUSES:
        raise DomainError("La réalisation des jalons se suit sur les fiches validées par la délégation.")
    if date_realisee > today:
        raise DomainError(f"Un jalon ne peut pas être déclaré réalisé à une date future "
                          f"(aujourd'hui : {today:%d/%m/%Y}).", field="date_realisee")
    check_not_before_start(date_realisee, debut=jalon.fiche.contract.date_debut_prealable,
                           what="La date de réalisation", field="date_realisee")
    old = jalon.date_realisee
    jalon.date_realisee = date_realisee
    jalon.save(update_fields=["date_realisee"])
    history.record(actor=actor, obj=jalon.fiche, event=ActionEvent.JALON_REALISE,
                   changes={"date_realisee": [old, date_realisee]}, context={"jalon": jalon.libelle})
    return jalon


def pilot_is_coordinator(contract, pilote) -> bool:
    """The source prefers a pilot who is not the coordinator: the form warns (never blocks)."""
    return pilote is not None and any(u.pk == pilote.pk for u in contract.coordinators.all())


# -- status workflow ------------------------------------------------------------------------------

@transaction.atomic
def fiche_transition(*, actor, fiche_id: int, name: str, commentaire: str = "",
                     sections: dict[str, str] | None = None) -> FicheAction:
    """Fire transition `name` of `workflow.FICHES` on the locked sheet (through the engine).

    Preconditions: the caller checked `permissions.can_fire` (the engine checks it again). Rules enforced
    by the table: the transition exists from the current status; a submission needs a complete sheet;
    some transitions need a comment (a general one or one per section). `sections` holds per-section
    review comments ({Section value: text}).
    """
    transition = FICHES.get(name)
    sections = {k: v.strip() for k, v in (sections or {}).items() if v and v.strip()}
    commentaire = (commentaire or "").strip()
    ctx_comment = commentaire or " ".join(sections.values())

    def apply(fiche, ctx):
        if name == "soumettre":
            fiche.nb_soumissions += 1
        elif name == "abandonner":
            fiche.abandonnee_apres_validation = ctx.source in VALIDATED_STATUSES

    fiche = FICHES.fire(transition, pk=fiche_id, actor=actor, comment=ctx_comment, apply=apply,
                        history_comment=commentaire)
    tour = max(fiche.nb_soumissions, 1)
    comments = [(Section.GENERAL, commentaire)] if commentaire else []
    comments += [(k, v) for k, v in sections.items() if k in Section.values and k != Section.GENERAL]
    CommentaireRevue.objects.bulk_create([
        CommentaireRevue(fiche=fiche, auteur=actor, section=section, texte=text, transition=name, tour=tour)
        for section, text in comments])
    # The notification says everything the délégation wrote: a request for changes may hold only comments per
    # section, and the coordinator's e-mail then read the sheet's title and a link, nothing of what to change.
    body = "\n\n".join(text if section == Section.GENERAL else f"{Section(section).label} : {text}"
                         for section, text in comments)
    _notify_transition(fiche, name, body)
    return fiche


@transaction.atomic
def fiches_retire_by_avenant(*, actor, avenant) -> list[FicheAction]:
    """The sheets an avenant in force retires (« Fiche retirée ») leave the plan: each becomes « abandonnée »
    (abandoned after its validation: the reports keep it), with a history line naming the avenant; the avenant's
    object is the comment. `actor`: who recorded the avenant, or its last initials, putting it in force.

    Preconditions: `avenant` is in force; called by contracts (`registry.avenant_in_force`) inside the transaction
    that puts it in force. Idempotent: a sheet already abandoned is left alone, and so is one done since the
    avenant was written (its action is over: nothing left to withdraw).
    """
    from contracts.enums import PlanChangeKind

    abandon = TRANSITIONS["abandonner"]
    ids = avenant.changes.filter(kind=PlanChangeKind.RETRAIT, fiche__isnull=False).values("fiche_id")
    retired = []
    for pk in FicheAction.objects.filter(pk__in=ids, statut__in=AMENDABLE_STATUSES).order_by("pk").values_list(
            "pk", flat=True):
        retired.append(FICHES.fire(
            abandon, pk=pk, actor=actor, check_actor=False, comment=avenant.objet or f"Avenant n°{avenant.numero}",
            apply=lambda fiche, ctx: setattr(fiche, "abandonnee_apres_validation", ctx.source in VALIDATED_STATUSES),
            event=ActionEvent.FICHE_RETIREE_PAR_AVENANT,
            context={"avenant": avenant.numero, "date_avenant": f"{avenant.date:%d/%m/%Y}"}))
    return retired


@transaction.atomic
def plan_record_signed(*, actor, contract: Contract, fiche_ids) -> list[FicheAction]:
    """Record the drafts `fiche_ids` of `contract` as its signed plan: each becomes « validée » (transition
    `enregistrer_plan_signe`, a history line naming the signature date and the plan version), and the contract
    gets one line for the whole plan; its référent hears of it. The sheets are then part of the signed plan:
    locked as every validated sheet of a signed contract (`needs_avenant`), followed each year.

    Preconditions: the actor may edit the plan (the caller checked it) and confirmed that these sheets are the
    plan signed on the contract's signature date; `permissions.can_record_signed_plan` (checked again here, the
    contract locked, once for the whole plan: after the first sheet the portal holds a signed plan); every sheet
    is a draft of `contract`. Called by the plan import (`imports.services.plan_import`).
    """
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    allowed, reason = can_record_signed_plan(contract)
    if not allowed:
        raise DomainError(reason)
    ids = sorted(set(fiche_ids))
    if not ids:
        raise DomainError("Aucune fiche à enregistrer comme plan signé.")
    if FicheAction.objects.filter(pk__in=ids).exclude(contract=contract, statut=FicheStatut.BROUILLON).exists():
        raise DomainError("Seules des fiches en brouillon de ce contrat s'enregistrent comme plan signé.")
    context = {"date_signature": f"{contract.date_signature:%d/%m/%Y}", "version": contract.plan_version}
    fiches = [FICHES.fire("enregistrer_plan_signe", pk=pk, actor=actor, context=context) for pk in ids]
    history.record(actor=actor, obj=contract, event=ActionEvent.PLAN_SIGNE_ENREGISTRE,
                   changes={"fiches": [None, len(fiches)]}, context=context)
    notify(users=contract_selectors.reviewers(contract), kind="revue_fiche",
           url=reverse("actions:plan", kwargs={"contract_pk": contract.pk}),
           title=f"Plan d'action signé le {context['date_signature']} enregistré dans le portail : "
                 f"{count_label(len(fiches), 'fiche validée', 'fiches validées')} ({contract.nom})")
    return fiches


@transaction.atomic
def plan_submit(*, actor, contract: Contract, commentaire: str = "") -> tuple[list[FicheAction], list[tuple]]:
    """Submit every draft (or to-fix) sheet of the plan that is complete; one notification to the référent.

    Returns (submitted sheets, [(incomplete sheet, missing items)]). Refused when nothing can be submitted.
    """
    candidates = (FicheAction.objects.select_for_update().filter(
        contract=contract, statut__in=TRANSITIONS["soumettre"].sources).select_related("axe")
        .order_by("axe__numero", "numero"))
    submitted, skipped = [], []
    commentaire = commentaire.strip()

    def apply(fiche, ctx):
        fiche.nb_soumissions += 1

    for fiche in candidates:
        missing = fiche_missing(fiche)
        if missing:
            skipped.append((fiche, missing))
            continue
        fiche = FICHES.fire("soumettre", pk=fiche.pk, actor=actor, comment=commentaire, apply=apply,
                            history_comment="Soumission du plan d'action")
        if commentaire:
            CommentaireRevue.objects.create(fiche=fiche, auteur=actor, texte=commentaire,
                                            transition="soumettre", tour=fiche.nb_soumissions)
        submitted.append(fiche)
    if not submitted:
        raise DomainError("Aucune fiche complète à soumettre : complétez les fiches signalées dans le plan.")
    notify(users=contract_selectors.reviewers(contract), kind="revue_fiche",
           url=reverse("actions:review_queue"), body=commentaire,
           title=f"Plan d'action soumis à votre revue : {len(submitted)} fiche(s) ({contract.nom})")
    return submitted, skipped


def _notify_transition(fiche: FicheAction, name: str, commentaire: str) -> None:
    contract = fiche.contract
    url = reverse("actions:fiche_detail", kwargs={"pk": fiche.pk})
    label = f"fiche {fiche.code} « {fiche.titre} »"
    if name == "soumettre":
        notify(users=contract_selectors.reviewers(contract), kind="revue_fiche", url=url, body=commentaire,
               title=f"Fiche action soumise à votre revue : {label} ({contract.nom})")
    elif name == "demander_modification":
        notify(users=contract.coordinators.all(), kind="revue_fiche", url=url, body=commentaire,
               title=f"Modifications demandées par la délégation : {label}")
    elif name == "valider":
        notify(users=contract.coordinators.all(), kind="revue_fiche", url=url, body=commentaire,
               title=f"Fiche action validée par la délégation : {label}")


@transaction.atomic
def commentaire_add(*, actor, fiche: FicheAction, section: str, texte: str) -> CommentaireRevue:
    """A message in the review conversation outside a transition."""
    if not texte.strip():
        raise DomainError("Le commentaire est vide.", field="texte")
    c = CommentaireRevue.objects.create(fiche=fiche, auteur=actor, section=section, texte=texte.strip(),
                                        tour=max(fiche.nb_soumissions, 1))
    history.record(actor=actor, obj=fiche, event=ActionEvent.FICHE_COMMENTEE, comment=texte.strip()[:200],
                   changes={"section": [None, section]})
    return c


# -- yearly follow-up -----------------------------------------------------------------------------

SUIVI_FIELDS = ["avancement", "realise", "difficultes", "perspectives"]


@transaction.atomic
def suivi_save(*, actor, fiche: FicheAction, annee: int, data: dict, valeurs: dict[int, dict],
               expected_version: int | None = None, today: dt.date | None = None) -> SuiviAnnuel:
    """Create or update the follow-up of `annee` and the year's indicator values.

    `valeurs`: indicator id -> {"valeur": Decimal|None, "commentaire": str} for an indicator taking one value a
    year (a None value removes it); {"periodes": {n: Decimal|None}, "commentaire": str} for a semestrial,
    quarterly or monthly one: each period is saved, and the year's figure becomes their aggregate
    (`periods.aggregate`). A period that has not begun (`periods.is_future`) is refused.
    `expected_version`: the follow-up's version when the form was opened (0: there was none); refused
    (ConcurrentEditError) when someone saved the year's follow-up since.
    """
    from .selectors import contract_years

    today = today or period_today()
    years = contract_years(fiche.contract)
    if annee not in years:
        raise DomainError("Cette année n'est pas une année de mise en œuvre du contrat.", field="annee")
    FicheAction.objects.select_for_update().get(pk=fiche.pk)  # one save of the sheet's follow-ups at a time
    suivi = SuiviAnnuel.objects.filter(fiche=fiche, annee=annee).first()
    current = suivi.version if suivi else 0
    if expected_version is not None and int(expected_version) != current:
        theirs = snapshot(suivi, SUIVI_FIELDS) if suivi else {}
        mine = snapshot_values({f: data.get(f, "") for f in SUIVI_FIELDS})
        raise ConcurrentEditError(changes={f: [mine[f], theirs.get(f)] for f in SUIVI_FIELDS
                                           if mine[f] != theirs.get(f)})
    before = snapshot(suivi, SUIVI_FIELDS) if suivi else {}
    if suivi is None:
        suivi = SuiviAnnuel(fiche=fiche, annee=annee, version=0)
    for f in SUIVI_FIELDS:
        setattr(suivi, f, data.get(f, ""))
    suivi.saisi_par = actor
    bump(suivi)
    suivi.save()
    # A first follow-up's empty text is no change (« Perspectives : — » said nothing).
    changes = {k: pair for k, pair in history.diff(before, snapshot(suivi, SUIVI_FIELDS)).items()
               if any(v not in (None, "") for v in pair)}
    indicateurs = {i.pk: i for i in Indicateur.objects.filter(fiche=fiche)}
    existing = {v.indicateur_id: v for v in ValeurIndicateur.objects.filter(indicateur__fiche=fiche, annee=annee)}
    periodes = {}
    for p in ValeurPeriode.objects.filter(indicateur__fiche=fiche, annee=annee):
        periodes.setdefault(p.indicateur_id, {})[p.periode] = p
    for ind_id, row in valeurs.items():
        ind = indicateurs.get(ind_id)
        if ind is None:
            raise DomainError("Un indicateur envoyé n'appartient pas à cette fiche.")
        if periods_per_year(ind.frequence):
            changes.update(_save_periods(actor=actor, ind=ind, annee=annee, submitted=row.get("periodes", {}),
                                         stored=periodes.get(ind_id, {}), year_row=existing.get(ind_id),
                                         commentaire=row.get("commentaire", ""), today=today))
            continue
        current = existing.get(ind_id)
        if row.get("valeur") is None:
            if current is not None:
                current.delete()
                changes[f"indicateur {ind.libelle}"] = [_num(current.valeur), None]
            continue
        old = current.valeur if current else None
        if current is None:
            current = ValeurIndicateur(indicateur=ind, annee=annee)
        if old != row["valeur"] or current.commentaire != row.get("commentaire", ""):
            current.valeur, current.commentaire, current.saisi_par = row["valeur"], row.get("commentaire", ""), actor
            current.save()
            changes[f"indicateur {ind.libelle}"] = [_num(old), _num(row["valeur"])]
    history.record(actor=actor, obj=fiche, event=ActionEvent.SUIVI_ENREGISTRE, changes=changes,
                   contract_id=fiche.contract_id, context={"annee": annee})
    return suivi


def _save_periods(*, actor, ind: Indicateur, annee: int, submitted: dict[int, Decimal | None],
                  stored: dict[int, ValeurPeriode], year_row: ValeurIndicateur | None, commentaire: str,
                  today: dt.date) -> dict:
    """Save the periods of one year of a sub-annual indicator, then its year figure. Returns history changes."""
    changes = {}
    n_max = periods_per_year(ind.frequence)
    for n, valeur in submitted.items():
        if not 1 <= n <= n_max:
            raise DomainError(f"L'indicateur « {ind.libelle} » n'a pas de période n°{n}.")
        label = period_label(ind.frequence, annee, n)
        current = stored.get(n)
        if valeur is not None and is_future(ind.frequence, annee, n, today):
            raise DomainError(future_period_message(label), field=f"periode_{ind.pk}_{n}")
        old = current.valeur if current else None
        if old == valeur:
            continue
        if valeur is None:
            current.delete()
            del stored[n]
        elif current is None:
            stored[n] = ValeurPeriode.objects.create(indicateur=ind, annee=annee, periode=n, valeur=valeur,
                                                     saisi_par=actor)
        else:
            current.valeur, current.saisi_par = valeur, actor
            current.save(update_fields=["valeur", "saisi_par", "saisi_le"])
        changes[f"indicateur {ind.libelle}, {label}"] = [_num(old), _num(valeur)]
    changes.update(_set_year_figure(actor=actor, ind=ind, annee=annee, periodes={n: p.valeur for n, p in
                                                                               stored.items()},
                                    year_row=year_row, commentaire=commentaire))
    return changes


def future_period_message(label: str) -> str:
    return f"« {label} » n'a pas encore commencé : sa valeur se saisira une fois la période ouverte."


def _num(value) -> str | None:
    return None if value is None else format_number(value)


def _set_year_figure(*, actor, ind: Indicateur, annee: int, periodes: dict[int, Decimal],
                     year_row: ValeurIndicateur | None, commentaire: str | None = None) -> dict:
    """Make the year's figure of `ind` the aggregate of `periodes` (the one owner of that rule). Without any
    period, a figure made from periods goes; one entered for the whole year (import, before the periods)
    stays. Returns the history change."""
    label = f"indicateur {ind.libelle} ({annee})"
    if not periodes:
        if year_row is not None and year_row.periodes_renseignees is not None:
            year_row.delete()
            return {label: [_num(year_row.valeur), None]}
        return {}
    valeur = aggregate(ind.agregation, periodes)
    old = year_row.valeur if year_row else None
    if year_row is None:
        year_row = ValeurIndicateur(indicateur=ind, annee=annee)
    commentaire = year_row.commentaire if commentaire is None else commentaire
    if (old, year_row.periodes_renseignees, year_row.commentaire) == (valeur, len(periodes), commentaire):
        return {}
    year_row.valeur, year_row.periodes_renseignees, year_row.commentaire = valeur, len(periodes), commentaire
    year_row.saisi_par = actor
    year_row.save()
    return {label: [_num(old), _num(valeur)]} if old != valeur else {}


def _recompute_years(ind: Indicateur) -> dict:
    """After a change of aggregation mode: every year made from periods is computed again."""
    changes = {}
    by_year: dict[int, dict[int, Decimal]] = {}
    for p in ValeurPeriode.objects.filter(indicateur=ind):
        by_year.setdefault(p.annee, {})[p.periode] = p.valeur
    rows = {v.annee: v for v in ValeurIndicateur.objects.filter(indicateur=ind, annee__in=by_year)}
    for annee, periodes in sorted(by_year.items()):
        changes.update(_set_year_figure(actor=rows[annee].saisi_par if annee in rows else None, ind=ind,
                                        annee=annee, periodes=periodes, year_row=rows.get(annee)))
    return changes


def valeur_year_refusal(contract: Contract, annee: int, *, today: dt.date) -> str | None:
    """Why `annee` cannot carry an indicator value of `contract` (None: it can): a value belongs to a year of
    implementation (`selectors.contract_years`), never to a year still to come."""
    from .selectors import contract_years

    if annee > today.year:
        return f"{annee} est dans le futur : seules les années passées ou en cours s'importent."
    years = contract_years(contract, today)
    if annee not in years:
        if not years:
            return f"le contrat n'est pas signé : aucune année de mise en œuvre ne peut recevoir de valeur ({annee})."
        return (f"{annee} n'est pas une année de mise en œuvre du contrat ({years[0]} à {years[-1]}).")
    return None


@transaction.atomic
def indicateur_valeurs_import(*, actor, valeurs: list[tuple[Indicateur, int, Decimal]],
                              periodes: list[tuple[Indicateur, int, int, Decimal]] = (),
                              today: dt.date | None = None) -> dict:
    """Set the indicator values of past years read from a file: `valeurs` `(indicator, year, value)` for a whole
    year, `periodes` `(indicator, year, period number, value)` for a semester, quarter or month.

    Preconditions: the caller may import them (imports checks its own predicate). Each year is checked
    against its contract (`valeur_year_refusal`); one (indicator, year[, period]) twice is refused; a period must
    be one of the indicator's frequency and have begun; a whole-year value of a sub-annual indicator is refused
    for a year that has periods (the year's figure is their aggregate, recomputed here). Idempotent: a value
    already equal changes nothing and writes no history; a new or changed value is saved and the sheet gets one
    history line naming each indicator, old and new value. Sheets are locked while writing. Returns the counts
    {"creees", "modifiees", "inchangees"}.
    """
    today = today or timezone.localdate()
    seen = set()
    for ind, annee, _ in valeurs:
        if (ind.pk, annee) in seen:
            raise DomainError(f"L'indicateur « {ind.libelle} » a deux valeurs pour {annee}.", field="fichier")
        seen.add((ind.pk, annee))
        refusal = valeur_year_refusal(ind.fiche.contract, annee, today=today)
        if refusal:
            raise DomainError(f"{ind.fiche.contract.nom}, fiche {ind.fiche.code} : {refusal}", field="fichier")
    seen_periods = set()
    for ind, annee, n, _ in periodes:
        if not 1 <= n <= periods_per_year(ind.frequence):
            raise DomainError(f"L'indicateur « {ind.libelle} » n'a pas de période n°{n}.", field="fichier")
        label = period_label(ind.frequence, annee, n)
        if (ind.pk, annee, n) in seen_periods:
            raise DomainError(f"L'indicateur « {ind.libelle} » a deux valeurs pour le {label}.", field="fichier")
        seen_periods.add((ind.pk, annee, n))
        refusal = valeur_year_refusal(ind.fiche.contract, annee, today=today)
        if refusal or is_future(ind.frequence, annee, n, today):
            raise DomainError(f"{ind.fiche.contract.nom}, fiche {ind.fiche.code} : "
                              f"{refusal or future_period_message(label)}", field="fichier")
    fiche_ids = sorted({ind.fiche_id for ind, *_ in [*valeurs, *periodes]})
    list(FicheAction.objects.select_for_update().filter(pk__in=fiche_ids).values_list("pk", flat=True))
    ind_ids = {ind.pk for ind, *_ in [*valeurs, *periodes]}
    years = {a for _, a, *_ in [*valeurs, *periodes]}
    existing = {(v.indicateur_id, v.annee): v for v in ValeurIndicateur.objects.filter(
        indicateur_id__in=ind_ids, annee__in=years)}
    stored: dict[tuple[int, int], dict[int, ValeurPeriode]] = {}
    for p in ValeurPeriode.objects.filter(indicateur_id__in=ind_ids, annee__in=years):
        stored.setdefault((p.indicateur_id, p.annee), {})[p.periode] = p
    with_periods = set(stored) | {(ind.pk, annee) for ind, annee, _, _ in periodes}
    counts = {"creees": 0, "modifiees": 0, "inchangees": 0}
    changes: dict[int, dict] = {}
    fiches = {}
    to_create, to_update = [], []
    for ind, annee, valeur in valeurs:
        if periods_per_year(ind.frequence) and (ind.pk, annee) in with_periods:
            raise DomainError(f"L'indicateur « {ind.libelle} » a des valeurs par période en {annee} : importez "
                              "ses périodes, la valeur de l'année en découle.", field="fichier")
        current = existing.get((ind.pk, annee))
        if current is not None and current.valeur == valeur:
            counts["inchangees"] += 1
            continue
        fiches[ind.fiche_id] = ind.fiche
        changes.setdefault(ind.fiche_id, {})[f"indicateur {ind.libelle} ({annee})"] = [
            None if current is None else format_number(current.valeur), format_number(valeur)]
        if current is None:
            to_create.append(ValeurIndicateur(indicateur=ind, annee=annee, valeur=valeur, saisi_par=actor))
            counts["creees"] += 1
        else:
            current.valeur, current.saisi_par = valeur, actor
            to_update.append(current)
            counts["modifiees"] += 1
    ValeurIndicateur.objects.bulk_create(to_create, batch_size=500)
    for v in to_update:
        v.save(update_fields=["valeur", "saisi_par", "saisi_le"])
    touched = {}
    for ind, annee, n, valeur in periodes:
        year_periods = stored.setdefault((ind.pk, annee), {})
        current = year_periods.get(n)
        if current is not None and current.valeur == valeur:
            counts["inchangees"] += 1
            continue
        fiches[ind.fiche_id] = ind.fiche
        touched[(ind.pk, annee)] = ind
        changes.setdefault(ind.fiche_id, {})[f"indicateur {ind.libelle}, {period_label(ind.frequence, annee, n)}"] = [
            _num(current.valeur if current else None), _num(valeur)]
        if current is None:
            year_periods[n] = ValeurPeriode.objects.create(indicateur=ind, annee=annee, periode=n, valeur=valeur,
                                                           saisi_par=actor)
            counts["creees"] += 1
        else:
            current.valeur, current.saisi_par = valeur, actor
            current.save(update_fields=["valeur", "saisi_par", "saisi_le"])
            counts["modifiees"] += 1
    for (ind_pk, annee), ind in touched.items():
        changes[ind.fiche_id].update(_set_year_figure(
            actor=actor, ind=ind, annee=annee, year_row=existing.get((ind_pk, annee)),
            periodes={n: p.valeur for n, p in stored[(ind_pk, annee)].items()}))
    for fiche_id, fiche_changes in changes.items():
        history.record(actor=actor, obj=fiches[fiche_id], event=ActionEvent.VALEURS_IMPORTEES, changes=fiche_changes,
                       contract_id=fiches[fiche_id].contract_id)
    return counts


# -- from a diagnostic priority (diagnostics.registry.axe_for_priorite) ------------------------------

@transaction.atomic
def axe_create_for_priorite(*, actor, contract: Contract, priorite: Priorite) -> Axe:
    """An axe answering `priorite` (its title, type and justification) with a first draft sheet.

    Preconditions (checked by `diagnostics.services.priorite_create_axe`, which calls this): the priority
    has no axe yet and belongs to the current version of the diagnostic.
    """
    axe = axe_create(actor=actor, contract=contract, titre=priorite.intitule[:255],
                     type=priorite.type_axe or AxeType.THEMATIQUE, description=priorite.justification,
                     priorite=priorite)
    fiche_create(actor=actor, axe=axe, data={"titre": priorite.action_titre, "contexte": priorite.justification})
    return axe


# -- renewal (contracts.registry.renewal) ----------------------------------------------------------

@transaction.atomic
def plan_copy_unfinished(*, actor, old: Contract, new: Contract) -> int:
    """Copy the unfinished sheets of `old` (and their axes) into the renewed contract `new`, as drafts.

    Called by `contracts.services.contract_renew` through `contracts.registry.renewal`, inside its
    transaction; the contract records the history (how many sheets were taken over).
    """
    unfinished = (old.fiches.exclude(statut__in=[FicheStatut.REALISEE, FicheStatut.ABANDONNEE])
                  .select_related("axe")
                  .prefetch_related("communes", "champs", "axe__champs", "copilotes_personnes", "partenaires")
                  .order_by("axe__numero", "numero"))
    axes = {}
    copied = 0
    for fiche in unfinished:
        if fiche.axe_id not in axes:
            a = fiche.axe
            axes[fiche.axe_id] = Axe.objects.create(contract=new, numero=a.numero, titre=a.titre, type=a.type,
                                                    description=a.description)
            axes[fiche.axe_id].champs.set(a.champs.all())
        copy = FicheAction.objects.create(
            contract=new, axe=axes[fiche.axe_id], numero=fiche.numero, titre=fiche.titre,
            statut=FicheStatut.BROUILLON, pilote_organisation_id=fiche.pilote_organisation_id,
            pilote_personne_id=fiche.pilote_personne_id, pilote_nom=fiche.pilote_nom,
            pilote_email=fiche.pilote_email, contexte=fiche.contexte,
            objectif_general=fiche.objectif_general, objectifs_specifiques=fiche.objectifs_specifiques,
            objectifs_operationnels=fiche.objectifs_operationnels, description=fiche.description,
            public_cible=fiche.public_cible, tout_le_perimetre=fiche.tout_le_perimetre,
            objectif_prs=fiche.objectif_prs, priorite=fiche.priorite, preexistante=True)
        copy.communes.set(fiche.communes.all())
        copy.champs.set(fiche.champs.all())
        copy.copilotes_personnes.set(fiche.copilotes_personnes.all())
        for p in fiche.partenaires.all():
            copy.partenaires.create(organisation_id=p.organisation_id, role=p.role, precision=p.precision)
        copied += 1
    return copied
