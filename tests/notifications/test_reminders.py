"""Reminders: each kind fires when due, once per object and period, with an e-mail unless opted out."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from actions import reminders as actions_reminders
from actions.enums import FicheStatut
from actions.models import FicheAction
from cls_portal.notifications import reminders
from cls_portal.notifications.models import Notification, SentReminder
from cls_portal.notifications.services import send_reminders
from contracts import reminders as contracts_reminders
from diagnostics import reminders as diagnostics_reminders
from diagnostics.models import Diagnostic
from funding import reminders as funding_reminders
from reports import reminders as reports_reminders
from tests import factories as f


class Kind:
    """The reminder kinds, each declared by the app that owns the fact it reminds of."""

    RAPPORT_DU = reports_reminders.RAPPORT_DU
    DIALOGUE_GESTION = funding_reminders.DIALOGUE_GESTION
    DERNIERE_ANNEE = contracts_reminders.DERNIERE_ANNEE
    CONTRAT_ECHU = contracts_reminders.CONTRAT_ECHU
    ETAPE_EN_RETARD = contracts_reminders.ETAPE_EN_RETARD
    REVUE_EN_ATTENTE = actions_reminders.REVUE_EN_ATTENTE


def test_each_app_registers_its_reminders_with_the_notifications_app():
    assert list(reminders.sources) == [
        contracts_reminders.last_year, contracts_reminders.contract_ended, contracts_reminders.overdue_steps,
        diagnostics_reminders.diagnostics_waiting_review, actions_reminders.sheets_waiting_review,
        funding_reminders.dialogue_not_held, reports_reminders.reports_due]
    assert diagnostics_reminders.REVUE_EN_ATTENTE == actions_reminders.REVUE_EN_ATTENTE

Y = 2026  # the year after the world's published 2025 reports (tests/worlds/reports.py)


def _clean(world):
    """Each test looks at one kind of reminder: drop the other apps' world objects that would trigger
    the others (the contracts world's planned steps) and the notifications they sent when made."""
    from contracts.models import Step

    Step.objects.all().delete()
    Notification.objects.all().delete()
    mail.outbox.clear()
    return world



def run(capture, today):
    with capture(execute=True):
        return send_reminders(today=today)


@pytest.mark.django_db
def test_running_the_job_twice_sends_one_email(world, django_capture_on_commit_callbacks):
    _clean(world)
    coordinator = world.own.people["coordinateur"]
    first = run(django_capture_on_commit_callbacks, dt.date(Y, 3, 2))
    assert first == {Kind.RAPPORT_DU: 2}  # each tenant's financial report (activity reports are published)
    assert [m.to for m in mail.outbox if "Rapport financier" in m.subject].count([coordinator.email]) == 1
    n_mails, n_notes = len(mail.outbox), Notification.objects.count()
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 3, 2)) == {}
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 5, 10)) == {}
    assert (len(mail.outbox), Notification.objects.count()) == (n_mails, n_notes)
    assert SentReminder.objects.filter(kind=Kind.RAPPORT_DU, period=str(Y - 1)).count() == 2
    note = Notification.objects.get(user=coordinator, kind="rappel")
    assert note.title == f"Rapport financier {Y - 1} attendu — {world.own.contract.nom}"
    assert note.url in (f"/cls/{world.own.contract.pk}/", f"/rapports/cls/{world.own.contract.pk}/")


@pytest.mark.django_db
def test_reports_are_not_reminded_before_march_nor_when_published(world, django_capture_on_commit_callbacks):
    _clean(world)
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 2, 27)) == {}
    world.own.report_draft.published, world.own.report_draft.version = True, 1
    world.own.report_draft.save()
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 3, 2)) == {Kind.RAPPORT_DU: 1}  # only the other tenant
    assert not Notification.objects.filter(user=world.own.people["coordinateur"]).exists()


@pytest.mark.django_db
def test_contract_entering_its_last_year(world, django_capture_on_commit_callbacks):
    _clean(world)
    contract = world.own.contract  # signed 15/03/2024 for 5 years: ends 14/03/2029
    assert contract.date_fin == dt.date(2029, 3, 14)
    sent = run(django_capture_on_commit_callbacks, dt.date(2028, 3, 14))
    assert Kind.DERNIERE_ANNEE not in sent
    sent = run(django_capture_on_commit_callbacks, dt.date(2028, 3, 15))
    assert sent[Kind.DERNIERE_ANNEE] == 2  # both tenants' contracts share the factory dates
    to = {m.to[0] for m in mail.outbox if m.subject.startswith("[Portail CLS] Dernière année")}
    assert {world.own.people["coordinateur"].email, world.own.people["delegation"].email} <= to
    sent = run(django_capture_on_commit_callbacks, dt.date(2028, 9, 1))
    assert Kind.DERNIERE_ANNEE not in sent


@pytest.mark.django_db
def test_contract_past_its_end_date_and_not_closed(world, django_capture_on_commit_callbacks):
    from contracts.enums import Phase
    from contracts.models import Contract

    _clean(world)
    contract = world.own.contract  # ends 14/03/2029
    sent = run(django_capture_on_commit_callbacks, dt.date(2029, 3, 14))
    assert Kind.CONTRAT_ECHU not in sent  # its last day: still in force
    Contract.objects.filter(pk=world.other.contract.pk).update(phase=Phase.CLOS)  # closed in time: no reminder
    Contract.objects.filter(pk=contract.pk).update(phase=Phase.EVALUATION_FINALE)
    mail.outbox.clear()
    sent = run(django_capture_on_commit_callbacks, dt.date(2029, 3, 15))
    assert sent[Kind.CONTRAT_ECHU] == 1
    mails = [m for m in mail.outbox if m.subject.startswith("[Portail CLS] Contrat arrivé à échéance")]
    assert {m.to[0] for m in mails} == {world.own.people["coordinateur"].email, world.own.people["delegation"].email}
    note = Notification.objects.get(user=world.own.people["delegation"], title__startswith="Contrat arrivé")
    assert note.title == f"Contrat arrivé à échéance — {contract.nom}"
    assert note.body == (f"Le {contract.nom} a pris fin le 14/03/2029 et n'est pas clos : il n'est plus compté comme "
                         "actif dans les chiffres ni dans l'annuaire. Sa clôture est à décider par la délégation.")
    assert note.url == f"/cls/{contract.pk}/#cycle"
    assert Kind.CONTRAT_ECHU not in run(django_capture_on_commit_callbacks, dt.date(2029, 9, 1))  # once
    # Still in mise en œuvre: the final evaluation comes first.
    Contract.objects.filter(pk=contract.pk).update(phase=Phase.MISE_EN_OEUVRE)
    SentReminder.objects.filter(kind=Kind.CONTRAT_ECHU).delete()
    run(django_capture_on_commit_callbacks, dt.date(2029, 9, 1))
    note = Notification.objects.filter(user=world.own.people["coordinateur"],
                                       title__startswith="Contrat arrivé").latest("pk")
    assert note.body.endswith("Menez l'évaluation finale avec le COPIL, puis la délégation décide sa clôture.")


@pytest.mark.django_db
def test_review_waiting_too_long_reminds_the_delegation_once_per_round(world, settings,
                                                                      django_capture_on_commit_callbacks):
    _clean(world)
    settings.REVIEW_WAITING_DAYS = 15
    today = dt.date(Y, 1, 20)  # before March: no report reminder in the way
    fiche = world.own.fiche
    submitted = timezone.make_aware(dt.datetime(Y, 1, 6, 10))
    FicheAction.objects.filter(pk=fiche.pk).update(statut=FicheStatut.SOUMISE, nb_soumissions=1, updated_at=submitted)
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 1, 20)) == {}  # 14 days
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 1, 21)) == {Kind.REVUE_EN_ATTENTE: 1}
    note = Notification.objects.get(kind="rappel")
    assert note.user == world.own.people["delegation"] and fiche.titre in note.body
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 1, 25)) == {}
    # Sent back, corrected, submitted again: a new round, a new reminder.
    FicheAction.objects.filter(pk=fiche.pk).update(nb_soumissions=2, updated_at=submitted)
    assert run(django_capture_on_commit_callbacks, today + dt.timedelta(days=10)) == {Kind.REVUE_EN_ATTENTE: 1}


@pytest.mark.django_db
def test_diagnostic_waiting_for_review(world, django_capture_on_commit_callbacks):
    _clean(world)
    Diagnostic.objects.filter(pk=world.own.diagnostic.pk).update(
        statut="soumis", soumis_le=timezone.make_aware(dt.datetime(Y, 1, 2, 9)))
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 1, 25)) == {Kind.REVUE_EN_ATTENTE: 1}
    assert "Diagnostic" in Notification.objects.get(user=world.own.people["delegation"]).title


@pytest.mark.django_db
def test_without_referent_every_delegation_user_of_the_departement_is_reminded(world,
                                                                               django_capture_on_commit_callbacks):
    _clean(world)
    from cls_portal.accounts.models import Role

    contract = world.own.contract
    contract.referent = None
    contract.save()
    colleague = f.with_role(f.UserFactory(username="dd14-bis"), Role.DELEGATION, departements=[world.own.departement])
    FicheAction.objects.filter(pk=world.own.fiche.pk).update(
        statut=FicheStatut.SOUMISE, updated_at=timezone.make_aware(dt.datetime(Y - 1, 11, 2, 9)))
    run(django_capture_on_commit_callbacks, dt.date(Y, 1, 2))
    users = set(Notification.objects.filter(title__contains="attente de revue").values_list("user__username",
                                                                                            flat=True))
    assert users == {"delegation", "dd14-bis"}
    assert colleague.email in {m.to[0] for m in mail.outbox}


@pytest.mark.django_db
def test_opted_out_users_get_the_notification_without_email(world, django_capture_on_commit_callbacks):
    _clean(world)
    coordinator = world.own.people["coordinateur"]
    coordinator.email_preferences = {"rappel": False}
    coordinator.save()
    run(django_capture_on_commit_callbacks, dt.date(Y, 3, 2))
    assert Notification.objects.filter(user=coordinator, emailed=False).count() == 1
    assert coordinator.email not in {m.to[0] for m in mail.outbox}


@pytest.mark.django_db
def test_beat_task_is_registered_under_its_scheduled_name(world, settings, django_capture_on_commit_callbacks):
    _clean(world)
    from cls_portal.celery import app

    app.loader.import_default_modules()
    assert "notifications.send_reminders" in app.tasks
    assert settings.CELERY_BEAT_SCHEDULE["reminders-daily"]["task"] == "notifications.send_reminders"
    counts = []
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            app.tasks["notifications.send_reminders"].delay(today=f"{Y}-03-02")
        counts.append((SentReminder.objects.count(), Notification.objects.count(), len(mail.outbox)))
    assert counts[0] == counts[1] and counts[0][0] > 0


@pytest.mark.django_db
def test_dialogue_de_gestion_not_held_after_the_deadline(world, settings, django_capture_on_commit_callbacks):
    from funding.models import DialogueGestion

    _clean(world)
    settings.DIALOGUE_GESTION_DEADLINE = "10-31"
    DialogueGestion.objects.create(contract=world.other.contract, annee=Y, date=dt.date(Y, 9, 12),
                                   participants="DD, collectivité", conclusions="Poste reconduit")
    assert Kind.DIALOGUE_GESTION not in run(django_capture_on_commit_callbacks, dt.date(Y, 10, 31))
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 11, 1))[Kind.DIALOGUE_GESTION] == 1  # own only
    users = set(Notification.objects.filter(title__startswith="Dialogue de gestion").values_list("user__username",
                                                                                              flat=True))
    assert users == {"coordinateur", "delegation"}
    assert Kind.DIALOGUE_GESTION not in run(django_capture_on_commit_callbacks, dt.date(Y, 12, 15))
    assert run(django_capture_on_commit_callbacks, dt.date(Y + 1, 11, 2))[Kind.DIALOGUE_GESTION] == 2  # a new year


@pytest.mark.django_db
def test_overdue_step_reminded_once_per_planned_date(world, django_capture_on_commit_callbacks):
    from contracts.enums import StepStatus
    from contracts.models import Step

    _clean(world)
    Step.objects.all().delete()
    step = Step.objects.create(contract=world.own.contract, phase="mise_en_oeuvre", kind="evaluation_continue",
                               titre="Évaluation continue 2025", date_prevue=dt.date(Y, 1, 10))
    Step.objects.create(contract=world.own.contract, phase="mise_en_oeuvre", kind="evaluation_continue",
                        titre="Étape faite", date_prevue=dt.date(Y, 1, 5), statut=StepStatus.REALISEE)
    assert Kind.ETAPE_EN_RETARD not in run(django_capture_on_commit_callbacks, dt.date(Y, 1, 10))
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 1, 11))[Kind.ETAPE_EN_RETARD] == 1
    assert Kind.ETAPE_EN_RETARD not in run(django_capture_on_commit_callbacks, dt.date(Y, 1, 20))
    step.date_prevue = dt.date(Y, 1, 25)  # rescheduled, then late again: a new reminder
    step.save()
    assert run(django_capture_on_commit_callbacks, dt.date(Y, 2, 1))[Kind.ETAPE_EN_RETARD] == 1
    assert Notification.objects.filter(title="Étape en retard — Évaluation continue 2025").count() == 4
