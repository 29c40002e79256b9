"""Writes on diagnostics. Callers check permissions; these functions enforce the business rules.

Every function is atomic, takes an explicit `actor`, and records history. Edits of a diagnostic (its
preparation or any section) lock the diagnostic row and check the version the user started from, so
two people editing the same diagnostic never silently overwrite each other.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from cls_portal.core import history
from cls_portal.core.concurrency import bump, lock_for_update
from cls_portal.core.errors import DomainError
from cls_portal.notifications.services import notify
from contracts import services as contract_services
from contracts import steps as method
from contracts.models import Contract

from . import registry
from .enums import SECTION_EVENTS, DiagnosticEvent, Statut, Transition
from .models import (
    ActeurCartographie,
    Consultation,
    Diagnostic,
    ElementPortrait,
    EtapeRetroplanning,
    Indicateur,
    PolitiqueCroisee,
    Priorite,
    RessourceLocale,
)
from .selectors import perimeter_stats
from .workflow import REVIEW

PREPARATION_FIELDS = [
    "perimetre_hypothese", "gouvernance_hypothese", "coordination_hypothese", "actions_existantes",
    "acteurs_a_associer", "outils", "outils_precisions", "appui_externe", "appui_externe_precisions",
]

# Child tables copied into a new version (related name -> model).
CHILDREN = {
    "etapes": EtapeRetroplanning, "indicateurs": Indicateur, "consultations": Consultation,
    "politiques": PolitiqueCroisee, "ressources": RessourceLocale, "portrait": ElementPortrait,
    "acteurs": ActeurCartographie, "priorites": Priorite,
}


def perimeter_text(contract) -> str:
    names = list(contract.communes.order_by("nom").values_list("nom", flat=True))
    # « Territoire couvert : », not « Territoire de … »: the collectivité's name starts with its kind
    # (« Territoire de Commune de Falaise »).
    head = f"Territoire couvert : {contract.epci.nom if contract.epci_id else contract.collectivite}"
    if not names:
        return f"{head}."
    return f"{head}, {len(names)} commune{'s' if len(names) > 1 else ''} ({', '.join(names)})."


def _ensure_editable(diagnostic: Diagnostic, field: str | None = None) -> None:
    if diagnostic.statut == Statut.VALIDE:
        raise DomainError("Ce diagnostic est validé : il ne peut plus être modifié. Créez une nouvelle version.",
                          field=field)
    if diagnostic.statut == Statut.SOUMIS:
        raise DomainError("Ce diagnostic est en cours de revue par la délégation : il ne peut pas être modifié.",
                          field=field)


def _lock(diagnostic_id: int, expected_version, submitted=None) -> Diagnostic:
    diagnostic = lock_for_update(Diagnostic, diagnostic_id, expected_version=expected_version, submitted=submitted)
    _ensure_editable(diagnostic)
    return diagnostic


@transaction.atomic
def diagnostic_start(*, actor, contract) -> Diagnostic:
    """Start the first diagnostic of a contract. Precondition: the contract has no diagnostic yet."""
    Contract.objects.select_for_update().get(pk=contract.pk)  # serialise two "start" clicks
    if Diagnostic.objects.filter(contract=contract).exists():
        raise DomainError("Ce contrat a déjà un diagnostic : ouvrez-le pour le compléter.")
    population, nb = perimeter_stats(contract)
    diagnostic = Diagnostic.objects.create(contract=contract, numero=1, perimetre_hypothese=perimeter_text(contract),
                                           population=population, nb_communes=nb)
    history.record(actor=actor, obj=diagnostic, event=DiagnosticEvent.CREE, contract_id=contract.pk)
    return diagnostic


@transaction.atomic
def diagnostic_new_version(*, actor, diagnostic_id: int) -> Diagnostic:
    """Copy a validated diagnostic into a new draft version; the validated one stays as it is.

    Preconditions: the diagnostic is validated and is the latest version of its contract. The links
    between priorities and axes move to the new version (an axe belongs to one priority: the current one).
    """
    old = Diagnostic.objects.select_for_update().get(pk=diagnostic_id)
    if old.statut != Statut.VALIDE:
        raise DomainError("Seul un diagnostic validé peut donner lieu à une nouvelle version.")
    latest = Diagnostic.objects.filter(contract_id=old.contract_id).aggregate(m=Max("numero"))["m"]
    if latest != old.numero:
        raise DomainError(f"Une version plus récente de ce diagnostic existe déjà (version {latest}).")
    new = Diagnostic.objects.get(pk=old.pk)
    new.pk = new.id = None
    new._state.adding = True
    new.numero, new.previous, new.statut, new.version = old.numero + 1, old, Statut.BROUILLON, 1
    new.commentaire_revue, new.soumis_le, new.valide_le, new.valide_par = "", None, None, None
    new.population, new.nb_communes = perimeter_stats(old.contract)
    new.save()
    for related, model in CHILDREN.items():
        rows = list(getattr(old, related).all())
        for row in rows:
            row.pk = row.id = None
            row._state.adding = True
            row.diagnostic = new
        if model is Priorite:
            # An axe has one priority (OneToOne): release it from the frozen version first.
            Priorite.objects.filter(diagnostic=old, axe__isnull=False).update(axe=None)
        model.objects.bulk_create(rows)
    history.record(actor=actor, obj=new, event=DiagnosticEvent.NOUVELLE_VERSION, contract_id=old.contract_id)
    return new


@transaction.atomic
def diagnostic_update_preparation(*, actor, diagnostic_id: int, expected_version, data: dict) -> Diagnostic:
    """Save the preparation step. Precondition: the diagnostic is a draft (or changes were requested)."""
    diagnostic = _lock(diagnostic_id, expected_version, submitted=data)
    before = history.snapshot(diagnostic, PREPARATION_FIELDS)
    for name in PREPARATION_FIELDS:
        if name in data:
            setattr(diagnostic, name, data[name])
    diagnostic.population, diagnostic.nb_communes = perimeter_stats(diagnostic.contract)
    bump(diagnostic)
    diagnostic.save()
    changes = history.diff(before, history.snapshot(diagnostic, PREPARATION_FIELDS))
    history.record(actor=actor, obj=diagnostic, event=DiagnosticEvent.PREPARATION, changes=changes,
                   contract_id=diagnostic.contract_id)
    return diagnostic


@transaction.atomic
def diagnostic_save_section(*, actor, diagnostic_id: int, expected_version, section: str, formset) -> Diagnostic:
    """Save one section's rows (a model formset bound to this diagnostic, already valid)."""
    diagnostic = _lock(diagnostic_id, expected_version)
    instances = formset.save(commit=False)
    for obj in instances:
        obj.diagnostic = diagnostic
        obj.save()
    for obj in formset.deleted_objects:
        obj.delete()
    bump(diagnostic)
    diagnostic.save(update_fields=["version", "updated_at"])
    summary = "; ".join(f"{label} : {', '.join(str(o) for o in objs)}" for label, objs in [
        ("ajout", formset.new_objects), ("modification", [o for o, _ in formset.changed_objects]),
        ("suppression", formset.deleted_objects)] if objs)
    if summary:  # saving an unchanged section writes no line
        history.record(actor=actor, obj=diagnostic, event=SECTION_EVENTS[section],
                       contract_id=diagnostic.contract_id, changes={section: [None, summary[:1000]]})
    return diagnostic


@transaction.atomic
def diagnostic_import_indicateurs(*, actor, diagnostic_id: int, expected_version, rows: list[dict]) -> int:
    """Add the imported indicators (already validated rows), all or nothing. Returns how many were added."""
    diagnostic = _lock(diagnostic_id, expected_version)
    if not rows:
        raise DomainError("Le fichier ne contient aucune ligne à importer.", field="fichier")
    Indicateur.objects.bulk_create([Indicateur(diagnostic=diagnostic, **row) for row in rows])
    bump(diagnostic)
    diagnostic.save(update_fields=["version", "updated_at"])
    history.record(actor=actor, obj=diagnostic, event=DiagnosticEvent.INDICATEURS_IMPORTES,
                   contract_id=diagnostic.contract_id, changes={"indicateurs_importes": [None, len(rows)]})
    return len(rows)


@transaction.atomic
def diagnostic_transition(*, actor, diagnostic_id: int, action: str, commentaire: str = "") -> Diagnostic:
    """Fire a review transition of `workflow.REVIEW` (through the engine) and notify the other side.

    Preconditions (checked by the table): the diagnostic's status allows the action; a comment is given
    when asking for changes or commenting; a diagnostic is submitted only with at least one priority.
    The caller checks who may fire it (`permissions.can_fire`); the engine checks it again.
    """
    t = REVIEW.get(action)
    commentaire = commentaire.strip()

    def apply(diagnostic, ctx):
        if action == Transition.SOUMETTRE:
            diagnostic.population, diagnostic.nb_communes = perimeter_stats(diagnostic.contract)
            diagnostic.soumis_le = timezone.now()
        if action == Transition.VALIDER:
            diagnostic.valide_le, diagnostic.valide_par = timezone.now(), actor
        if action != Transition.SOUMETTRE and commentaire:
            diagnostic.commentaire_revue = commentaire

    def lock(pk):
        return (Diagnostic.objects.select_for_update(of=("self",))
                .select_related("contract", "contract__referent")).get(pk=pk)

    diagnostic = REVIEW.fire(t, pk=diagnostic_id, actor=actor, comment=commentaire, apply=apply, lock=lock,
                             contract_id=None)
    contract = diagnostic.contract
    if action == Transition.VALIDER:
        # Its preparation and realisation are done: otherwise they stay « à venir », then « en retard ».
        contract_services.steps_close(contract=contract, today=timezone.localdate(), kinds=method.DONE_BY_DIAGNOSTIC,
                                      on=timezone.localdate())
    url = reverse("diagnostics:detail", kwargs={"pk": diagnostic.pk})
    if action == Transition.SOUMETTRE:
        recipients = [contract.referent] if contract.referent_id else []
        title = f"Diagnostic soumis à votre revue : {contract.nom}"
    else:
        recipients = list(contract.coordinators.all())
        title = {
            Transition.VALIDER: f"Diagnostic validé : {contract.nom}",
            Transition.DEMANDER_MODIFICATIONS: f"Modifications demandées sur le diagnostic : {contract.nom}",
            Transition.COMMENTER: f"Nouveau commentaire de la délégation sur le diagnostic : {contract.nom}",
        }[action]
    notify(users=recipients, kind="revue_diagnostic", title=title, body=commentaire, url=url)
    return diagnostic


@transaction.atomic
def priorite_create_axe(*, actor, priorite_id: int):
    """Turn a priority into an axe of the action plan with one first fiche action (through the action plan's
    own services, which number them and keep the link on `Priorite.axe`).

    Preconditions: the priority has no axe yet and belongs to the current version of the diagnostic. The
    fiche is a draft for the coordinator to complete; its context recalls the diagnostic's findings.
    """
    priorite = Priorite.objects.select_for_update().select_related("diagnostic__contract").get(pk=priorite_id)
    if priorite.axe_id:
        raise DomainError("Cette priorité a déjà son axe dans le plan d'action.")
    if Diagnostic.objects.filter(previous_id=priorite.diagnostic_id).exists():
        raise DomainError("Cette version du diagnostic a été remplacée : créez l'axe depuis la version en cours.")
    contract = priorite.diagnostic.contract
    axe = registry.axe_for_priorite(actor=actor, contract=contract, priorite=priorite)
    history.record(actor=actor, obj=priorite.diagnostic, event=DiagnosticEvent.AXE_CREE, contract_id=contract.pk,
                   context={"priorite": priorite.intitule, "axe": axe.numero})
    return axe
