"""Pages: asking for a report, waiting for it, retrying, publishing, downloading; lists and query counts."""

import pytest
from django.urls import reverse

from cls_portal.notifications.models import Notification
from reports.enums import ReportKind, ReportStatus
from reports.models import Report
from tests import factories as f
from tests.queries import assert_snapshot_queries
from tests.reports.factories import FAKE_PDF, ReportFactory

pytestmark = pytest.mark.django_db


def test_coordinator_asks_for_a_report_and_gets_it(client, contract, django_capture_on_commit_callbacks):
    client.force_login(contract.people["coordinateur"])
    page = client.get(reverse("reports:contract", args=[contract.pk]))
    assert 'name="kind"' in page.content.decode() and "Demander le rapport" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:request", args=[contract.pk]), {"kind": "financier", "year": "2025"})
    report = Report.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.status == ReportStatus.PRET  # eager in tests: produced as soon as the request committed
    html = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' not in html and reverse("reports:download", args=[report.pk]) in html


def test_a_bad_year_is_shown_next_to_the_field(client, contract):
    client.force_login(contract.people["coordinateur"])
    response = client.post(reverse("reports:request", args=[contract.pk]), {"kind": "activite", "year": "1990"})
    html = response.content.decode()
    assert response.status_code == 200 and not Report.objects.exists()
    assert "fr-input-group--error" in html or "fr-select-group--error" in html
    assert "Sélectionnez un choix valide" in html


def test_a_waiting_job_updates_a_live_region_and_says_the_service_is_down(client, contract):
    report = ReportFactory(contract=contract)  # never reached the broker: enqueued_at is empty
    client.force_login(contract.people["coordinateur"])
    url = reverse("reports:detail", args=[report.pk])
    html = client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in html  # a reload moved focus to the top every 3 s (WCAG 2.2.1)
    assert f'data-poll-url="{url}?etat=1"' in html and "js/poll.js" in html
    assert '<div id="etat" role="status" aria-live="polite" data-poll-part="etat">' in html
    assert f'href="{url}">Rafraîchir' in html  # without JavaScript
    assert "momentanément indisponible" in html and "bien enregistrée" in html
    fragment = client.get(url, {"etat": "1"}).content.decode()
    assert "<html" not in fragment and 'data-poll-done="0"' in fragment and "momentanément indisponible" in fragment
    report.status, report.file = ReportStatus.PRET, "rapports/x.pdf"
    report.save()
    fragment = client.get(url, {"etat": "1"}).content.decode()
    assert 'data-poll-done="1"' in fragment and reverse("reports:download", args=[report.pk]) in fragment
    assert "Rafraîchir" not in fragment


def test_the_state_fragment_answers_exactly_like_its_page(client, contract):
    """`?etat=1` is the same view: each role gets the page's status code (another tenant's report: 404)."""
    own, foreign = ReportFactory(contract=contract), ReportFactory()
    urls = [reverse("reports:detail", args=[own.pk]), reverse("reports:detail", args=[foreign.pk]),
            reverse("reports:contract", args=[contract.pk]), reverse("reports:contract", args=[foreign.contract_id])]
    seen = set()
    for user in contract.people.values():
        client.force_login(user)
        for url in urls:
            page, fragment = client.get(url).status_code, client.get(url, {"etat": "1"}).status_code
            assert page == fragment, (user.username, url)
            seen.add(page)
    assert seen >= {200, 404}


def test_a_failed_job_shows_its_reason_and_a_retry_button(client, contract, django_capture_on_commit_callbacks):
    report = ReportFactory(contract=contract, failed=True)
    client.force_login(contract.people["region"])  # sees drafts, may not retry
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "données incohérentes" in html and "Relancer la production" not in html
    client.force_login(contract.people["coordinateur"])
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Relancer la production" in html and "data-poll-url" not in html  # failed: nothing to wait for
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:retry", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.PRET


def test_the_delegation_publishes_and_elected_officials_are_notified(client, contract):
    report = ReportFactory(contract=contract, ready=True)
    client.force_login(contract.people["delegation"])
    assert "Publier" in client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    response = client.post(reverse("reports:publish", args=[report.pk]), {})
    assert response.status_code == 200 and "Cochez la case pour confirmer la publication." in response.content.decode()
    report.refresh_from_db()
    assert not report.published
    response = client.post(reverse("reports:publish", args=[report.pk]), {"confirme": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.published and report.version == 1 and report.published_by == contract.people["delegation"]
    assert Notification.objects.filter(user=contract.people["elu"], kind="rapport").exists()
    # A published report is immutable: publishing again is refused.
    assert client.post(reverse("reports:publish", args=[report.pk]), {"confirme": "on"}).status_code == 403


def test_the_coordinator_publishes_only_with_the_copil_decision(client, contract):
    report = ReportFactory(contract=contract, ready=True)
    client.force_login(contract.people["coordinateur"])
    response = client.post(reverse("reports:publish", args=[report.pk]), {"copil_date": ""})
    assert response.status_code == 200 and "Ce champ est obligatoire" in response.content.decode()
    response = client.post(reverse("reports:publish", args=[report.pk]), {"copil_date": "2099-01-01", "confirme": "on"})
    assert "ne peut pas être dans le futur" in response.content.decode()
    response = client.post(reverse("reports:publish", args=[report.pk]), {"copil_date": "2026-02-10", "confirme": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.published and str(report.copil_date) == "2026-02-10"


def test_a_correction_is_published_as_the_next_version(client, contract):
    v1 = ReportFactory(contract=contract, published_v1=True)
    correction = ReportFactory(contract=contract, ready=True)
    client.force_login(contract.people["delegation"])
    client.post(reverse("reports:publish", args=[correction.pk]), {"confirme": "on"})
    correction.refresh_from_db()
    assert correction.version == 2
    client.force_login(contract.people["elu"])
    html = client.get(reverse("reports:home")).content.decode()
    assert "version 2" in html and "version 1 (remplacée)" in html
    v1.refresh_from_db()
    assert v1.published and v1.version == 1


def test_elected_officials_see_and_download_only_published_reports(client, contract):
    published = ReportFactory(contract=contract, published_v1=True)
    draft = ReportFactory(contract=contract, kind=ReportKind.FINANCIER, ready=True)
    other = ReportFactory(published_v1=True)  # another collectivité's contract
    client.force_login(contract.people["elu"])
    html = client.get(reverse("reports:home")).content.decode()
    assert reverse("reports:download", args=[published.pk]) in html
    assert reverse("reports:detail", args=[draft.pk]) not in html and other.contract.nom not in html
    response = client.get(reverse("reports:download", args=[published.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and b"".join(response.streaming_content) == FAKE_PDF
    assert client.get(reverse("reports:download", args=[draft.pk])).status_code == 403
    assert client.get(reverse("reports:download", args=[other.pk])).status_code == 404


def test_report_files_have_no_public_url(client, contract):
    report = ReportFactory(contract=contract, published_v1=True)
    client.force_login(contract.people["elu"])
    assert client.get(report.file.url).status_code == 404
    assert client.get(f"/media/{report.file.name}").status_code == 404


def test_a_report_not_ready_cannot_be_downloaded(client, contract):
    report = ReportFactory(contract=contract)
    client.force_login(contract.people["coordinateur"])
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def _published_years(contract, n):
    for i in range(n):
        ReportFactory(contract=contract, kind=ReportKind.ACTIVITE, year=2025 - i, published_v1=True)
        ReportFactory(contract=contract, kind=ReportKind.FINANCIER, year=2025 - i, ready=True)


@pytest.mark.parametrize("role", ["elu", "coordinateur"])
def test_home_query_count_does_not_grow_with_rows(client, contract, snapshot, role):
    client.force_login(contract.people[role])
    _published_years(contract, 2)
    with assert_snapshot_queries(snapshot):
        small = client.get(reverse("reports:home"))
    second = f.ContractFactory(collectivite=contract.collectivite, coordinators=[contract.people["coordinateur"]])
    _published_years(second, 25)
    with assert_snapshot_queries(snapshot):
        big = client.get(reverse("reports:home"))
    assert small.status_code == big.status_code == 200
    assert big.context["page_obj"].paginator.count > 20 and len(big.context["page_obj"]) == 20


def test_contract_page_query_count_does_not_grow_with_rows(client, contract, snapshot):
    client.force_login(contract.people["delegation"])
    _published_years(contract, 2)
    with assert_snapshot_queries(snapshot):
        client.get(reverse("reports:contract", args=[contract.pk]))
    for _i in range(12):
        ReportFactory(contract=contract, kind=ReportKind.ACTIVITE, year=2024, failed=True)
    with assert_snapshot_queries(snapshot):
        response = client.get(reverse("reports:contract", args=[contract.pk]))
    assert response.context["page_obj"].paginator.count == 16


def test_report_detail_query_count(client, contract, snapshot):
    report = ReportFactory(contract=contract, ready=True)
    client.force_login(contract.people["delegation"])
    with assert_snapshot_queries(snapshot):
        assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200


def test_the_producer_is_warned_when_the_data_changed_since_the_report(client, contract):
    from reports import data as report_data

    report = ReportFactory(contract=contract, ready=True)
    report.fingerprint = report_data.fingerprint(report.kind, report.year,
                                                 report_data.report_data(contract, report.kind, report.year))
    report.save(update_fields=["fingerprint"])
    client.force_login(contract.people["delegation"])
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Publier rend le rapport public" in html and "annuaire des CLS" in html
    assert "Les données du contrat ont changé" not in html
    report.fingerprint = "0" * 64
    report.save(update_fields=["fingerprint"])
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Les données du contrat ont changé depuis la production de ce rapport" in html
