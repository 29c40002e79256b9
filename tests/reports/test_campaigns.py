"""Campaigns: one job per running contract of a scope, from the page (regional staff) or the command."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports import services
from reports.enums import ReportStatus
from reports.models import Report, ReportCampaign
from tests import factories as f
from tests.queries import assert_snapshot_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(contract):
    """Three contracts in Normandie (one not yet signed in 2025), one in another region."""
    dep50 = f.DepartementFactory(code="50", nom="Manche", region=contract.ars.region)
    manche = f.ContractFactory(nom="CLS de la Manche test", ars=contract.ars,
                               delegations=[f.DelegationFactory(departement=dep50)])
    f.ContractFactory(nom="CLS signé en 2026", ars=contract.ars, date_signature="2026-01-10")
    f.ContractFactory(nom="CLS du Grand Est test", ars=f.ARSFactory(region=f.RegionFactory(code="44")))
    return {"calvados": contract, "manche": manche}


def test_campaign_asks_one_report_per_running_contract_and_kind(running, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        campaign = services.campaign_start(actor=None, year=2025, region=running["calvados"].ars.region)
    assert len(callbacks) == 4
    assert sorted(campaign.reports.values_list("contract__nom", "kind")) == [
        ("CLS de la Manche test", "activite"), ("CLS de la Manche test", "financier"),
        ("Contrat local de santé de Bayeux test", "activite"), ("Contrat local de santé de Bayeux test", "financier")]


def test_campaign_scoped_to_a_departement_and_a_kind(running):
    dep = running["calvados"].delegations.get().departement
    campaign = services.campaign_start(actor=None, year=2025, departement=dep, kind="activite")
    assert list(campaign.reports.values_list("contract__nom", "kind")) == [
        ("Contrat local de santé de Bayeux test", "activite")]


@pytest.mark.django_db(transaction=True)  # real commits: the jobs are sent (and run, eager) on commit
def test_generate_reports_wait_prints_progress_and_a_summary(running):
    out = io.StringIO()
    call_command("generate_reports", "--year", "2025", "--region", "28", "--kind", "financier", "--wait",
                 "--interval", "0.01", "--timeout", "60", stdout=out)
    text = out.getvalue()
    assert "2 rapport(s) demandé(s)" in text
    assert "] 2/2 rapports (100 %)" in text and "█" * 30 in text
    assert "2 prêt(s)" in text and "0 en échec, sur 2" in text
    assert Report.objects.filter(status=ReportStatus.PRET).count() == 2


def test_generate_reports_without_wait_returns_at_once(running):
    out = io.StringIO()
    call_command("generate_reports", "--year", "2025", "--departement", "50", stdout=out)
    assert "2 rapport(s) demandé(s)" in out.getvalue() and "arrière-plan" in out.getvalue()
    assert ReportCampaign.objects.get().region_id == "28"


@pytest.mark.parametrize("args,message", [(["--region", "99"], "Code de région inconnu"),
                                          (["--departement", "999"], "Code de département inconnu")])
def test_generate_reports_refuses_unknown_codes(running, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_reports", "--year", "2025", *args)


def test_generate_reports_refuses_an_empty_scope(running):
    with pytest.raises(CommandError, match="Aucun contrat en cours en 2019"):
        call_command("generate_reports", "--year", "2019", "--region", "28")


def test_requeue_reports_command(running):
    from unittest import mock

    from reports import tasks

    waiting = Report.objects.create(contract=running["calvados"], kind="activite", year=2025)
    out = io.StringIO()
    with mock.patch.object(tasks.render_report, "apply_async") as send:
        call_command("requeue_reports", stdout=out)
    send.assert_called_once_with(args=[waiting.pk], retry=False)
    assert "1 rapport(s) renvoyé(s)" in out.getvalue()


def test_regional_staff_start_a_campaign_from_the_page(client, running, django_capture_on_commit_callbacks,
                                                      snapshot):
    region_user = running["calvados"].people["region"]
    client.force_login(region_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:campaigns"), {"year": "2025", "kind": "activite", "region": "28",
                                                                "departement": ""})
    campaign = ReportCampaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:campaign", args=[campaign.pk])
    assert campaign.started_by == region_user
    with assert_snapshot_queries(snapshot):
        html = client.get(response["Location"]).content.decode()
    assert 'value="2"' in html and "2 rapports terminés sur 2 (100 %)" in html
    assert "data-poll-url" not in html and "Rafraîchir" not in html  # finished: nothing to wait for
    assert "CLS de la Manche test" in html


def test_campaign_page_polls_its_state_while_unfinished(client, running):
    client.force_login(running["calvados"].people["region"])
    campaign = services.campaign_start(actor=None, year=2025, region=running["calvados"].ars.region)
    response = client.get(reverse("reports:campaign", args=[campaign.pk]))
    html = response.content.decode()
    assert response.status_code == 200, html[-3000:]
    assert "0 rapport terminé sur 4 (0 %)" in html  # French agreement: 0 is singular
    assert 'http-equiv="refresh"' not in html and "data-poll-url=" in html and 'role="status"' in html
    fragment = client.get(reverse("reports:campaign", args=[campaign.pk]), {"etat": "1"}).content.decode()
    assert 'data-poll-done="0"' in fragment and "0 rapport terminé sur 4" in fragment
    assert 'data-poll-part="tableau"' in fragment and "<html" not in fragment


def test_campaign_form_refuses_a_departement_of_another_region(client, running):
    client.force_login(running["calvados"].people["region"])
    response = client.post(reverse("reports:campaigns"), {"year": "2025", "kind": "", "region": "28",
                                                           "departement": "99"})
    assert response.status_code == 200 and not ReportCampaign.objects.exists()
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_campaign_list_query_count(client, running, snapshot):
    client.force_login(running["calvados"].people["region"])
    region = running["calvados"].ars.region
    services.campaign_start(actor=None, year=2025, region=region)
    with assert_snapshot_queries(snapshot):
        client.get(reverse("reports:campaigns"))
    for _ in range(5):
        services.campaign_start(actor=None, year=2024, region=region)
    with assert_snapshot_queries(snapshot):
        html = client.get(reverse("reports:campaigns")).content.decode()
    assert html.count("Campagne 2024") == 5


def test_a_campaign_during_a_broker_outage_tries_the_broker_once_then_the_sweep_sends_all(
        running, django_capture_on_commit_callbacks):
    """Each failed send waits for the Redis client's retries (seconds): 4 jobs must not cost 4 of them."""
    from unittest import mock

    from kombu.exceptions import OperationalError as BrokerDown

    from reports import tasks

    with mock.patch.object(tasks.render_report, "apply_async", side_effect=BrokerDown("refused")) as send:
        with django_capture_on_commit_callbacks(execute=True):
            campaign = services.campaign_start(actor=None, year=2025, region=running["calvados"].ars.region)
    assert send.call_count == 1
    assert set(campaign.reports.values_list("status", flat=True)) == {ReportStatus.EN_ATTENTE}
    assert not campaign.reports.filter(enqueued_at__isnull=False).exists()

    # The broker is back: the sweep is not held by the back-off window and sends every waiting job.
    with mock.patch.object(tasks.render_report, "apply_async") as send:
        assert services.requeue_waiting(min_age_seconds=0).sent == 4
    assert send.call_count == 4
    # …and a user's request right after is sent at once (a success closes the window).
    with mock.patch.object(tasks.render_report, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=True):
            services.report_request(actor=None, contract=running["manche"], kind="activite", year=2024)
    assert send.call_count == 1
