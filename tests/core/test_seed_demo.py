import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from contracts.enums import Phase
from contracts.models import Contract
from tests.demo import load_demo_territories, seed_demo_data

ACCOUNTS = ["admin", "coordinateur", "coordinateur2", "pilote", "ars14", "ars50", "ars-normandie", "elu"]


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_covers_every_phase():
    seed_demo_data()
    counts = {m: m.objects.count() for m in (Contract, get_user_model())}
    seed_demo_data()
    assert counts == {m: m.objects.count() for m in (Contract, get_user_model())}
    assert Contract.objects.count() >= 6
    assert set(Contract.objects.values_list("phase", flat=True)) >= set(Phase.values)
    langres = Contract.objects.get(nom__icontains="Grand Langres")
    assert langres.ars.region_id == "44" and langres.communes.count() > 40


@pytest.mark.django_db
def test_every_demo_account_logs_in(client):
    seed_demo_data()
    for username in ACCOUNTS:
        assert client.login(username=username, password="demo"), username
        response = client.get("/", follow=True)
        assert response.status_code == 200, username
        client.logout()


@pytest.mark.django_db
def test_coordinator_sees_only_their_cls(client):
    seed_demo_data()
    client.login(username="coordinateur", password="demo")
    html = client.get("/cls/").content.decode()
    assert "Bayeux Intercom" in html and "Grand Langres" not in html and "Coutances" not in html


@pytest.mark.django_db
def test_refuses_production_settings_unless_forced():
    load_demo_territories()
    with override_settings(IS_PRODUCTION=True):
        with pytest.raises(CommandError):
            call_command("seed_demo")
