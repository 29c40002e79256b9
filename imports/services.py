"""Writes of the imports: each import checks the file's rows, then writes through the owning app's services."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from actions import services as actions_services
from actions.enums import ActionEvent, Frequence
from actions.models import Axe
from actions.permissions import can_record_signed_plan
from cls_portal.core import history
from cls_portal.core.errors import DomainError
from cls_portal.territories.models import ARS, Organisation
from contracts import services as contracts_services
from contracts.models import ContactRole, Contract
from funding import services as funding_services

from . import funding_years, indicators
from .contracts import check_rows as contracts_check_rows
from .contracts import duree
from .plan import check_rows

INDICATEUR_DEFAULTS = {"annee_reference": None, "source": "", "frequence": Frequence.ANNUELLE, "hausse_attendue": True}


def _group(rows: list[tuple[int, dict]]) -> dict:
    """{axe number: {"row": first row, "fiches": {fiche number: {"row": first row, "indicateurs": [rows]}}}}"""
    axes: dict = {}
    for _, row in rows:
        axe = axes.setdefault(row["axe_numero"], {"row": row, "fiches": {}})
        fiche = axe["fiches"].setdefault(row["fiche_numero"], {"row": row, "indicateurs": []})
        if row["indicateur"]:
            fiche["indicateurs"].append(row)
    return axes


@transaction.atomic
def plan_import(*, actor, contract, rows: list[tuple[int, dict]], signed_plan: bool = False) -> dict:
    """Create the axes, sheets and indicators of `rows` (cleaned `PlanRowForm` values) in `contract`.

    Preconditions: the actor may import a plan (`permissions.can_import_plan`). All or nothing: the
    rows are checked again against the plan as it is now (contract locked), and any error saves nothing.
    Existing axes with the same number and title receive the new sheets; sheets start as drafts. The
    axes and sheets are created by `actions.services` (numbering checks, history of each).
    `signed_plan`: the actor confirmed the file is the plan signed with the contract, still outside the portal
    (`actions.permissions.can_record_signed_plan`): its sheets are then recorded as validated
    (`actions.services.plan_record_signed`, which owns that rule).
    """
    Contract.objects.select_for_update().get(pk=contract.pk)  # one import at a time per contract
    if signed_plan:
        allowed, reason = can_record_signed_plan(contract)
        if not allowed:
            raise DomainError(reason, field="plan_signe")
    if not rows:
        raise DomainError("Le fichier ne contient aucune ligne à importer.", field="fichier")
    errors = check_rows(contract, rows)
    if errors:
        raise DomainError("Le plan d'action a changé depuis l'aperçu, rien n'a été importé : "
                          + " — ".join(str(e) for e in errors), field="fichier")
    existing = {a.numero: a for a in Axe.objects.filter(contract=contract)}
    organisations = Organisation.objects.in_bulk({r["pilote_organisation"] for _, r in rows} - {None})
    created = {"axes": 0, "fiches": 0, "indicateurs": 0}
    fiche_ids = []
    for numero, group in sorted(_group(rows).items()):
        axe = existing.get(numero)
        if axe is None:
            first = group["row"]
            axe = actions_services.axe_create(actor=actor, contract=contract, numero=numero,
                                              titre=first["axe_titre"].strip(), type=first["axe_type"])
            created["axes"] += 1
        for fiche_numero, fiche in sorted(group["fiches"].items()):
            row = fiche["row"]
            indicateurs = [{"id": None, **INDICATEUR_DEFAULTS, "libelle": r["indicateur"].strip(),
                            "type": r["indicateur_type"], "unite": r["unite"],
                            "valeur_reference": r["valeur_reference"], "cible": r["cible"],
                            "annee_cible": r["annee_cible"]} for r in fiche["indicateurs"]]
            saved = actions_services.fiche_create(
                actor=actor, axe=axe, numero=fiche_numero, children={"indicateurs": indicateurs},
                data={"titre": row["fiche_titre"].strip(), "objectif_general": row["objectif_general"],
                      "public_cible": row["public_cible"],
                      "pilote_organisation": organisations.get(row["pilote_organisation"]),
                      "date_debut": row["date_debut"], "date_fin": row["date_fin"]})
            fiche_ids.append(saved.pk)
            created["fiches"] += 1
            created["indicateurs"] += len(indicateurs)
    history.record(actor=actor, obj=contract, event=ActionEvent.PLAN_IMPORTE,
                   changes={k: [None, v] for k, v in created.items()})
    if signed_plan:
        actions_services.plan_record_signed(actor=actor, contract=contract, fiche_ids=fiche_ids)
    return created


@transaction.atomic
def contracts_import(*, actor, region, rows: list[tuple[int, dict]]) -> dict:
    """Create the contracts of `rows` (cleaned `ContractRowForm` values) in `region`.

    Preconditions: the actor may import contracts in that région (`contracts.permissions.can_import_contracts`
    and the région is one of theirs). All or nothing: the rows are checked again against the région's
    contracts as they are now (ARS locked: one import at a time per région); any error saves nothing.
    Rows naming a contract already in the région for the same collectivité are left alone (re-uploading a
    file changes nothing).
    """
    ars = ARS.objects.select_for_update().get(region=region)
    if not rows:
        raise DomainError("Le fichier ne contient aucune ligne à importer.", field="fichier")
    errors, recognised = contracts_check_rows(region, rows)
    if errors:
        raise DomainError("Les contrats de la région ont changé depuis l'aperçu, rien n'a été importé : "
                          + " — ".join(str(e) for e in errors), field="fichier")
    created = {"contrats": 0, "inchanges": len(recognised), "contacts": 0}
    for number, row in rows:
        if number in recognised:
            continue
        contacts = {ContactRole.COORDINATEUR: row["coordinateurs"], ContactRole.REFERENT: row["referents"]}
        contracts_services.contract_import_existing(
            actor=actor, ars=ars, nom=row["nom"], collectivite_code=row["collectivite"],
            commune_codes=row["communes"], phase=row["phase"], date_debut_prealable=row["date_debut_prealable"],
            date_lettre_intention=row["date_lettre_intention"], date_signature=row["date_signature"],
            duree_annees=duree(row["date_signature"], row["date_fin"]) if row["date_fin"] else 5,
            contacts=contacts)
        created["contrats"] += 1
        created["contacts"] += sum(len(v) for v in contacts.values())
    return created


@transaction.atomic
def indicator_values_import(*, actor, region, rows: list[tuple[int, dict]], today=None) -> dict:
    """Save the indicator values of `rows` (cleaned `ValeurRowForm` values) for the région's contracts.

    Preconditions: the actor may import in that région (`contracts.permissions.can_import_contracts`). All or
    nothing: the rows are resolved again against the plans as they are now (ARS locked: one import at a time
    per région); any error saves nothing. Writes through `actions.services.indicateur_valeurs_import`.
    """
    ARS.objects.select_for_update().get(region=region)
    if not rows:
        raise DomainError("Le fichier ne contient aucune ligne à importer.", field="fichier")
    errors, lignes = indicators.resolve(region, rows, today or timezone.localdate())
    if errors:
        raise DomainError("Les plans d'action ont changé depuis l'aperçu, rien n'a été importé : "
                          + " — ".join(str(e) for e in errors), field="fichier")
    return actions_services.indicateur_valeurs_import(
        actor=actor, valeurs=[(li.indicateur, li.annee, li.valeur) for li in lignes if li.periode is None],
        periodes=[(li.indicateur, li.annee, li.periode, li.valeur) for li in lignes if li.periode], today=today)


@transaction.atomic
def funding_years_import(*, actor, region, rows: list[tuple[int, dict]], today=None) -> dict:
    """Save the past funding years of `rows` (cleaned `AnneeRowForm` values) for the région's contracts.

    Preconditions: as `indicator_values_import`. All or nothing: each row is checked again by funding and
    any refusal saves nothing. Writes through `funding.services.annee_import`.
    """
    ARS.objects.select_for_update().get(region=region)
    if not rows:
        raise DomainError("Le fichier ne contient aucune ligne à importer.", field="fichier")
    today = today or timezone.localdate()
    errors, lignes = funding_years.resolve(region, rows, today)
    if errors:
        raise DomainError("Les financements ont changé depuis l'aperçu, rien n'a été importé : "
                          + " — ".join(str(e) for e in errors), field="fichier")
    counts = {"creee": 0, "modifiee": 0, "inchangee": 0}
    for li in lignes:
        outcome = funding_services.annee_import(
            actor=actor, contract=li.contract, annee=li.row["annee"], values=funding_years.request_values(li.row),
            montant_accorde=li.row["montant_accorde"], total_verse=li.row["total_verse"], today=today)
        counts[outcome] += 1
    return counts
