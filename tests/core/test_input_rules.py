"""One validation layer for input (cls_portal.core.validation): every form of the project has it; control
characters go, lengths are limited, dates stay in their window, numbers are read the French way."""

import datetime as dt
import importlib
import inspect
import io
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import Contract, Step

pytestmark = pytest.mark.django_db
OURS = {"contracts", "actions", "funding", "diagnostics", "regional", "directory", "imports", "reports", "core",
        "accounts", "territories", "notifications", "people"}


def _project_forms():
    found = []
    for config in apps.get_app_configs():
        if config.label not in OURS:
            continue
        for suffix in ("forms", "plan", "exports", "tabular", "filters"):
            try:
                module = importlib.import_module(f"{config.name}.{suffix}")
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__ and \
                        not cls.__name__.startswith("Base"):
                    found.append(cls)
    return found


def test_every_form_of_the_project_applies_the_input_rules():
    from cls_portal.core.validation import InputRulesMixin

    found = _project_forms()
    assert len(found) > 30
    missing = [f"{c.__module__}.{c.__name__}" for c in found if not issubclass(c, InputRulesMixin)]
    assert missing == []


def test_control_characters_are_removed_line_breaks_kept_in_text_areas():
    from cls_portal.core.validation import PortalForm, strip_controls

    class F(PortalForm):
        nom = forms.CharField()
        cr = forms.CharField(widget=forms.Textarea)

    form = F({"nom": "CLS\x00 de\tBayeux\x1b", "cr": "Ligne 1\r\nLigne\x07 2\x0b"})
    assert form.is_valid()
    assert form.cleaned_data == {"nom": "CLS de Bayeux", "cr": "Ligne 1\nLigne 2"}
    assert strip_controls("\u0085a\ufffe") == "a"


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def test_a_contract_name_with_control_characters_is_saved_clean_and_the_export_works(world):
    contract = world.own.contract
    client = _client(world.users["coordinateur"])
    form = client.get(reverse("contracts:edit", args=[contract.pk])).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "") and k in form.fields}
    data.update(nom="CLS\x0b du\x00 Bessin\x1f", duree_annees=contract.duree_annees, version=contract.version,
                referent=contract.referent_id or "")
    assert client.post(reverse("contracts:edit", args=[contract.pk]), data).status_code == 302
    contract.refresh_from_db()
    assert contract.nom == "CLS du Bessin"


def test_xlsx_export_survives_control_characters_saved_before_the_rule(world):
    Contract.objects.filter(pk=world.own.contract.pk).update(nom="Ancien\x03 nom\x1b")
    response = _client(world.users["region"]).get(reverse("regional:contracts_export") + "?format=xlsx")
    assert response.status_code == 200
    names = [row[0] for row in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)]
    assert "Ancien nom" in names


def test_one_megabyte_of_minutes_is_refused_next_to_the_field(world):
    contract = world.own.contract
    response = _client(world.users["coordinateur"]).post(reverse("contracts:meeting_add", args=[contract.pk]), {
        "instance": world.own.instance.pk, "date": "2025-03-04", "compte_rendu": "x" * 1_000_000})
    assert response.status_code == 200
    assert response.context["form"].errors["compte_rendu"] == [
        "Assurez-vous que cette valeur comporte au plus 20000 caractères (actuellement 1000000)."]
    assert not contract.meetings.filter(date=dt.date(2025, 3, 4)).exists()


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_a_step_date_outside_the_window_is_refused(world, value):
    step = world.own.step
    client = _client(world.users["coordinateur"])
    url = reverse("contracts:step_edit", args=[world.own.contract.pk, step.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data["date_prevue"] = value
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["date_prevue"][0].startswith("Saisissez une date entre le 01/01/1990")
    assert Step.objects.get(pk=step.pk).date_prevue == step.date_prevue


@pytest.mark.parametrize("value", ["1_000", "٢٠٠٠٠", "1e4"])
def test_money_fields_refuse_underscores_non_latin_digits_and_exponents(world, value):
    annee = world.own.funding_request
    client = _client(world.users["coordinateur"])
    url = reverse("funding:year_edit", args=[annee.pk])
    form = client.get(url).context["form"]
    data = {k: form[k].value() for k in form.fields if form[k].value() is not None}
    data["demande_ars"] = value
    response = client.post(url, data)
    assert response.status_code == 200
    expected = ("Écrivez le nombre en chiffres, sans exposant (« e ») : par exemple 100 000 et non 1e5."
                if value == "1e4" else "Saisissez un nombre, par exemple 23 000 ou 23 000,50.")
    assert response.context["form"].errors["demande_ars"] == [expected]
    annee.refresh_from_db()
    assert annee.demande_ars == Decimal("20000")


def test_funding_rule_far_in_the_future_is_refused(world):
    client = _client(world.users["region"])
    response = client.post(reverse("funding:rule_create"), {
        "region": world.own.region.code, "valid_from": "9999-12-31", "taux_pourcent": "50", "plafond_annuel": "25000",
        "cout_reference": "50000", "part_egale": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors["valid_from"][0].startswith("Saisissez une date entre le 01/01/2000")


def test_funding_rule_service_refuses_a_far_future_version(world):
    from cls_portal.core.errors import DomainError
    from funding import services

    with pytest.raises(DomainError, match="au plus tard") as exc:
        services.regle_create(actor=world.users["region"], region=world.own.region, valid_from=dt.date(9999, 12, 31),
                              taux=Decimal("0.5"), plafond_annuel=Decimal("25000"), cout_reference=Decimal("50000"))
    assert exc.value.field == "valid_from"
