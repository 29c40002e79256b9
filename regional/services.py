"""Writes of the regional app: reminders sent once, action plan import (all or nothing)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from cls_portal.core import history
from cls_portal.core.errors import DomainError
from cls_portal.notifications.services import notify

from .models import SentReminder
from .reminders import Reminder, due_reminders

logger = logging.getLogger(__name__)

REMINDER_KIND = "rappel"  # notification kind (cls_portal.notifications.kinds): users may turn its e-mails off


def reminder_send(*, reminder: Reminder) -> bool:
    """Send one reminder unless it was already sent for its object and period. Returns whether it was sent.

    The log row is claimed first (unique kind/object/period) in the same transaction as the
    notifications: a concurrent run fails on the constraint and sends nothing; e-mails leave on commit.
    """
    try:
        with transaction.atomic():
            SentReminder.objects.create(kind=reminder.kind, object_key=reminder.object_key, period=reminder.period,
                                        contract=reminder.contract, nb_recipients=len({u.pk for u in reminder.users}))
            notify(users=reminder.users, kind=REMINDER_KIND, title=reminder.title, body=reminder.body,
                   url=reminder.url)
    except IntegrityError:
        return False
    return True


def send_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Send every reminder due on `today` that was not sent yet. Idempotent. Returns counts by kind."""
    today = today or timezone.localdate()
    due = list(due_reminders(today))
    already = set(SentReminder.objects.filter(kind__in={r.kind for r in due}, period__in={r.period for r in due})
                  .values_list("kind", "object_key", "period"))
    sent: dict[str, int] = {}
    for reminder in due:
        if (reminder.kind, reminder.object_key, reminder.period) in already or not reminder.users:
            continue
        if reminder_send(reminder=reminder):
            sent[reminder.kind] = sent.get(reminder.kind, 0) + 1
    logger.info("Rappels envoyés le %s : %s", today, sent)
    return sent





@transaction.atomic
def email_preferences_update(*, actor, user, wanted: set[str]) -> None:
    """Which kinds of notification `user` also receives by e-mail. Preconditions: actor is the user."""
    from cls_portal.notifications.kinds import KINDS

    old = dict(user.email_preferences or {})
    user.email_preferences = {kind: kind in wanted for kind in KINDS}
    user.save(update_fields=["email_preferences"])
    changes = {k: [old.get(k, True), v] for k, v in user.email_preferences.items() if old.get(k, True) != v}
    if changes:
        history.record(actor=actor, obj=user, action="préférences d'e-mails", changes=changes)


@transaction.atomic
def notifications_mark_read(*, actor, ids=None) -> int:
    """Mark the actor's notifications read (all of them, or those of `ids`)."""
    from cls_portal.notifications.models import Notification

    qs = Notification.objects.filter(user=actor, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def plan_import(*, actor, contract, rows: list[tuple[int, dict]]) -> dict:
    """Create the axes, sheets and indicators of `rows` (cleaned `PlanRowForm` values) in `contract`.

    Preconditions: the actor may import a plan (`permissions.can_import_plan`). All or nothing: the
    rows are checked again against the plan as it is now (locked), and any error saves nothing.
    Existing axes with the same number and title receive the new sheets; sheets start as drafts.
    """
    from actions.enums import FicheStatut
    from actions.models import Axe, FicheAction, Indicateur
    from contracts.models import Contract

    from .plan_import import check_rows

    Contract.objects.select_for_update().get(pk=contract.pk)  # one import at a time per contract
    if not rows:
        raise DomainError("Le fichier ne contient aucune ligne à importer.", field="fichier")
    errors = check_rows(contract, rows)
    if errors:
        raise DomainError("Le plan d'action a changé depuis l'aperçu, rien n'a été importé : "
                          + " — ".join(str(e) for e in errors), field="fichier")
    axes = {a.numero: a for a in Axe.objects.filter(contract=contract)}
    fiches: dict[tuple, FicheAction] = {}
    created = {"axes": 0, "fiches": 0, "indicateurs": 0}
    for _, row in rows:
        axe = axes.get(row["axe_numero"])
        if axe is None:
            axe = axes[row["axe_numero"]] = Axe.objects.create(
                contract=contract, numero=row["axe_numero"], titre=row["axe_titre"].strip(), type=row["axe_type"])
            created["axes"] += 1
        key = (row["axe_numero"], row["fiche_numero"])
        fiche = fiches.get(key)
        if fiche is None:
            fiche = fiches[key] = FicheAction.objects.create(
                contract=contract, axe=axe, numero=row["fiche_numero"], titre=row["fiche_titre"].strip(),
                statut=FicheStatut.BROUILLON, objectif_general=row["objectif_general"],
                public_cible=row["public_cible"], pilote_organisation_id=row["pilote_organisation"],
                date_debut=row["date_debut"], date_fin=row["date_fin"])
            created["fiches"] += 1
        if row["indicateur"]:
            Indicateur.objects.create(
                fiche=fiche, libelle=row["indicateur"].strip(), type=row["indicateur_type"], unite=row["unite"],
                valeur_reference=row["valeur_reference"], cible=row["cible"], annee_cible=row["annee_cible"])
            created["indicateurs"] += 1
    history.record(actor=actor, obj=contract, action="import du plan d'action",
                   changes={k: [0, v] for k, v in created.items()},
                   comment=f"{created['fiches']} fiche(s) importée(s) depuis un fichier.")
    return created
