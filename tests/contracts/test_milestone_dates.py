"""The milestones of a contract stay in order: start of the phase préalable ≤ letter of intent ≤ signature ≤ today.
A signature before the letter of intent made the contract expire the day it was signed, with no way back; a letter
of intent dated 2031 was saved. Each refusal comes back next to its field, naming the date it conflicts with."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cls_portal.core.errors import DomainError
from contracts import dates, services
from contracts.enums import Phase
from tests.contracts.files import upload

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).replace("&#x27;", "'")


# --- the rule, as a plain function --------------------------------------------------------------------------

TODAY = dt.date(2026, 12, 6)


def test_the_signature_may_not_precede_the_latest_of_the_letter_and_the_start():
    with pytest.raises(DomainError) as err:
        dates.check_signature_date(dt.date(2020, 1, 1), debut=dt.date(2026, 10, 1), lettre=dt.date(2026, 11, 15),
                                   today=TODAY)
    assert err.value.field == "date_signature"
    assert err.value.message == ("La signature (01/01/2020) ne peut pas précéder la lettre d'intention "
                                 "(15/11/2026).")
    with pytest.raises(DomainError, match=r"précéder le début de la phase préalable \(01/10/2026\)"):
        dates.check_signature_date(dt.date(2026, 9, 30), debut=dt.date(2026, 10, 1), lettre=None, today=TODAY)
    with pytest.raises(DomainError, match="jour à venir"):
        dates.check_signature_date(dt.date(2026, 12, 7), debut=None, lettre=None, today=TODAY)
    assert dates.check_signature_date(dt.date(2026, 11, 15), debut=dt.date(2026, 10, 1),
                                      lettre=dt.date(2026, 11, 15), today=TODAY) == dt.date(2026, 11, 15)
    assert dates.check_signature_date(dt.date(2001, 1, 1), debut=None, lettre=None, today=TODAY)


def test_the_letter_comes_after_the_start_and_before_the_signature_and_today():
    with pytest.raises(DomainError, match=r"jour à venir \(aujourd'hui : 06/12/2026\)"):
        dates.check_letter_date(dt.date(2031, 1, 1), debut=None, signature=None, today=TODAY)
    with pytest.raises(DomainError, match=r"précéder le début de la phase préalable \(01/10/2026\)"):
        dates.check_letter_date(dt.date(2026, 9, 1), debut=dt.date(2026, 10, 1), signature=None, today=TODAY)
    with pytest.raises(DomainError, match=r"suivre la signature du contrat \(01/11/2026\)"):
        dates.check_letter_date(dt.date(2026, 11, 15), debut=None, signature=dt.date(2026, 11, 1), today=TODAY)
    assert dates.check_letter_date(dt.date(2026, 10, 1), debut=dt.date(2026, 10, 1), signature=None, today=TODAY)


# --- the signature: the délégation's decision and its direct phase change ---------------------------------

def _proposed_signature(setup):
    s = setup(Phase.DIAGNOSTIC)
    s.ready_to_leave_prealable()  # start 10/01/2023, letter of intent 02/05/2023
    s.ready_to_sign()
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="signer")
    return s, proposal


def test_a_signature_before_the_letter_of_intent_is_refused_next_to_the_field(setup):
    s, proposal = _proposed_signature(setup)
    response = _client(s.ars_user).post(
        reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
        {"decision": "valider", "comment": "", "date_signature": "2020-01-01"})
    assert response.status_code == 200
    form = response.context["cycle_form"]
    assert form.errors["date_signature"] == [
        "La signature (01/01/2020) ne peut pas précéder la lettre d'intention (02/05/2023)."]
    assert "ne peut pas précéder la lettre d'intention (02/05/2023)" in _text(response)
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.DIAGNOSTIC and s.contract.date_signature is None


def test_a_signature_on_the_letter_of_intent_is_accepted(setup):
    s, proposal = _proposed_signature(setup)
    services.proposal_validate(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk,
                               date_signature=dt.date(2023, 5, 2))
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.MISE_EN_OEUVRE and s.contract.date_signature == dt.date(2023, 5, 2)


def test_without_a_letter_the_start_of_the_prealable_is_the_bound_for_the_direct_change(setup):
    s = setup(Phase.DIAGNOSTIC)
    s.ready_to_sign()
    s.contract.coordinators.clear()
    response = _client(s.ars_user).post(reverse("contracts:transition_fire", args=[s.contract.pk, "signer"]),
                                        {"comment": "", "date_signature": "2022-12-31"})
    assert response.status_code == 200
    assert response.context["cycle_form"].errors["date_signature"] == [
        "La signature (31/12/2022) ne peut pas précéder le début de la phase préalable (10/01/2023)."]
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.DIAGNOSTIC and s.contract.date_signature is None


def test_a_signed_document_dated_before_the_letter_is_not_taken_as_the_signature_date(setup):
    s = setup(Phase.DIAGNOSTIC)
    s.ready_to_leave_prealable()
    s.ready_to_sign()
    services.document_upload(actor=s.coordinateur, contract=s.contract, type="contrat_signe", titre="CLS signé",
                             fichier=upload("v2.pdf"),
                             date_document=dt.date(2023, 4, 1),
                             supersedes=s.contract.documents.get(type="contrat_signe"))
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="signer")
    services.proposal_validate(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk)
    s.contract.refresh_from_db()
    assert s.contract.date_signature == timezone.localdate()


# --- the letter of intent and the start of the préalable, on the identity form -----------------------------

def _identity_post(client, contract, **changes):
    url = reverse("contracts:edit", args=[contract.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields and k != "qpvs"}
    data.update(nom=contract.nom, duree_annees=contract.duree_annees, version=contract.version, **changes)
    return client.post(url, data)


@pytest.mark.parametrize(("value", "message"), [
    ("2031-01-01", "La lettre d'intention ne peut pas être datée d'un jour à venir (aujourd'hui : {today})."),
    ("2022-12-01", "La lettre d'intention (01/12/2022) ne peut pas précéder le début de la phase préalable "
                   "(10/01/2023) : elle la conclut."),
])
def test_a_letter_of_intent_in_the_future_or_before_the_start_is_refused_next_to_the_field(setup, value, message):
    s = setup(Phase.PREALABLE)
    response = _identity_post(_client(s.coordinateur), s.contract, date_lettre_intention=value)
    assert response.status_code == 200
    today = dates.fr(timezone.localdate())
    assert response.context["form"].errors["date_lettre_intention"] == [message.format(today=today)]
    s.contract.refresh_from_db()
    assert s.contract.date_lettre_intention is None


def test_a_letter_of_intent_after_the_signature_is_refused(setup):
    s = setup(Phase.MISE_EN_OEUVRE)  # signed 15/03/2024
    with pytest.raises(DomainError, match=r"suivre la signature du contrat \(15/03/2024\)") as err:
        services.contract_update(actor=s.coordinateur, contract=s.contract, version=None,
                                 data={"date_lettre_intention": dt.date(2024, 4, 1)})
    assert err.value.field == "date_lettre_intention"


def test_the_start_of_the_prealable_may_not_move_after_the_letter(setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()  # letter 02/05/2023
    response = _identity_post(_client(s.coordinateur), s.contract, date_debut_prealable="2023-06-01")
    assert response.context["form"].errors["date_debut_prealable"] == [
        "Le début de la phase préalable (01/06/2023) ne peut pas suivre la lettre d'intention (02/05/2023)."]
    s.contract.refresh_from_db()
    assert s.contract.date_debut_prealable == dt.date(2023, 1, 10)


def test_a_valid_letter_of_intent_is_saved(setup):
    s = setup(Phase.PREALABLE)
    response = _identity_post(_client(s.coordinateur), s.contract, date_lettre_intention="2023-03-01")
    assert response.status_code == 302
    s.contract.refresh_from_db()
    assert s.contract.date_lettre_intention == dt.date(2023, 3, 1)


def test_a_huge_qpv_id_is_a_french_error_not_a_500(setup):
    """An id beyond 64 bits in the QPV list raised OverflowError on SQLite (as the form fuzzing found on the sheet
    form's lists)."""
    s = setup(Phase.PREALABLE)
    response = _identity_post(_client(s.coordinateur), s.contract, qpvs="99999999999999999999")
    assert response.status_code == 200
    assert response.context["form"].errors["qpvs"] == ["Choix invalide : sélectionnez une valeur de la liste."]


# --- the service that creates a contract, called without any form -------------------------------------------

def _create(world, **dates_):
    return services.contract_create(actor=world.users["admin"], nom="CLS sans formulaire",
                                    collectivite=world.own.collectivite, ars=world.own.contract.ars,
                                    commune_codes=[c.code for c in world.own.communes], **dates_)


@pytest.mark.parametrize("dates_,field,message", [
    ({"date_debut_prealable": dt.date(2024, 5, 1), "date_signature": dt.date(2024, 3, 1),
      "phase": Phase.MISE_EN_OEUVRE},
     "date_signature", "ne peut pas précéder le début de la phase préalable"),
    ({"date_debut_prealable": dt.date(2023, 1, 1), "date_lettre_intention": dt.date(2024, 6, 1),
      "date_signature": dt.date(2024, 3, 1), "phase": Phase.MISE_EN_OEUVRE},
     "date_lettre_intention", "ne peut pas suivre la signature du contrat"),
    ({"date_debut_prealable": dt.date(2024, 5, 1), "date_lettre_intention": dt.date(2024, 3, 1)},
     "date_lettre_intention", "ne peut pas précéder le début de la phase préalable"),
    ({"date_debut_prealable": dt.date(2023, 1, 1), "date_signature": dt.date(2099, 3, 1),
      "phase": Phase.MISE_EN_OEUVRE}, "date_signature", "ne peut pas être un jour à venir"),
    ({"date_debut_prealable": dt.date(2023, 1, 1), "date_lettre_intention": dt.date(2099, 3, 1)},
     "date_lettre_intention", "ne peut pas être datée d'un jour à venir"),
    # No start given: the contract starts today, and a signature before today would precede it.
    ({"date_signature": dt.date(2024, 3, 1), "phase": Phase.MISE_EN_OEUVRE},
     "date_signature", "ne peut pas précéder le début de la phase préalable"),
])
def test_contract_create_refuses_milestones_out_of_order(world, dates_, field, message):
    from contracts.models import Contract

    before = Contract.objects.count()
    with pytest.raises(DomainError, match=message) as err:
        _create(world, **dates_)
    assert err.value.field == field
    assert Contract.objects.count() == before


def test_contract_create_keeps_milestones_in_order(world):
    contract = _create(world, date_debut_prealable=dt.date(2023, 1, 10), date_lettre_intention=dt.date(2023, 6, 1),
                       date_signature=dt.date(2024, 3, 15), phase=Phase.MISE_EN_OEUVRE)
    assert (contract.date_debut_prealable, contract.date_lettre_intention, contract.date_signature) == (
        dt.date(2023, 1, 10), dt.date(2023, 6, 1), dt.date(2024, 3, 15))
