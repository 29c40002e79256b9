"""A contract with no coordinator (none recruited yet in its phase préalable, or the coordinator left): nobody can
propose its phase changes, so the délégation of the contract makes them itself, with the same guards, and the
history says so. With a coordinator, the délégation still waits for his proposal."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from cls_portal.accounts.models import Role
from cls_portal.core.errors import DomainError
from cls_portal.core.history import history_for, sentence
from contracts import permissions, selectors, services, workflow
from contracts.enums import ContractEvent, DocumentType, Phase, ProposalStatus, StepKind, StepStatus
from contracts.models import Contract, PhaseTransition, TransitionProposal
from tests import factories as f
from tests.contracts.files import upload

NO_COORDINATOR = ("Aucun coordinateur n'est désigné pour ce contrat : la délégation effectue ce changement de phase "
                  "elle-même")


def _box(html: str) -> str:
    start = html.index('id="cycle"')
    return re.sub(r"\s+", " ", html[start:html.index('id="perimetre"')]).replace("&#x27;", "'")


def _without_coordinator(s, ready=True):
    if ready:
        s.ready_to_leave_prealable()
    s.contract.coordinators.clear()
    s.ars_user.first_name, s.ars_user.last_name = "Paul", "Durand"
    s.ars_user.save()
    return s


def _fire_url(s, name="engager"):
    return reverse("contracts:transition_fire", args=[s.contract.pk, name])


# --- the délégation moves the contract itself ------------------------------------------------------

def test_delegation_leaves_prealable_itself_when_no_coordinator_is_named(client, setup):
    s = _without_coordinator(setup(Phase.PREALABLE))
    client.force_login(s.ars_user)
    box = _box(client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode())
    assert NO_COORDINATOR + ", sans attendre de proposition." in box
    assert "Toutes les conditions sont remplies :" in box and box.count("Fait</span>") == 3
    assert f'action="{_fire_url(s)}"' in box
    assert ">Sortir de la phase préalable (engagement de la collectivité)</button>" in box and "Proposer :" not in box

    r = client.post(_fire_url(s), {"comment": "Lettre d'intention reçue le 2 mai, délibération du conseil."})
    assert r.status_code == 302 and r.url.endswith("#cycle")
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.DIAGNOSTIC
    record = PhaseTransition.objects.get(contract=s.contract)
    assert (record.transition, record.actor, record.proposal) == ("engager", s.ars_user, None)
    assert record.comment.startswith("Lettre d'intention reçue")
    assert s.contract.steps.get(kind=StepKind.ENGAGEMENT).statut == StepStatus.REALISEE
    assert not TransitionProposal.objects.filter(contract=s.contract).exists()


def test_the_history_says_the_delegation_changed_phase_without_a_proposal(client, setup):
    s = _without_coordinator(setup(Phase.PREALABLE))
    services.transition_fire(actor=s.ars_user, contract=s.contract, transition="engager", by_delegation=True,
                             comment="Engagement confirmé en réunion avec les élus.")
    entry = history_for(s.contract).get(action=ContractEvent.PHASE_CHANGEE_SANS_PROPOSITION)
    assert sentence(entry) == (
        "Changement de phase par la délégation, sans proposition (aucun coordinateur désigné) : contrat passé en "
        "« Diagnostic et élaboration du plan d'action » par Paul Durand")
    assert entry.changes == {"phase": [Phase.PREALABLE, Phase.DIAGNOSTIC]}
    # On the contract page, with its details and the comment, for whoever reads the contract.
    client.force_login(s.admin)
    html = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode().replace("&#x27;", "'")
    assert "Changement de phase par la délégation, sans proposition (aucun coordinateur désigné)" in html
    assert "Phase : Phase préalable → Diagnostic et élaboration du plan d'action" in html
    assert "« Engagement confirmé en réunion avec les élus. »" in html


def test_guards_still_hold_a_missing_letter_is_refused_with_its_reason(client, setup):
    s = _without_coordinator(setup(Phase.PREALABLE), ready=False)
    services.contract_update(actor=s.admin, contract=s.contract, version=None,
                             data={"date_lettre_intention": dt.date(2023, 5, 2), "engagement_confirme": True})
    with pytest.raises(DomainError) as err:
        services.transition_fire(actor=s.ars_user, contract=s.contract, transition="engager", by_delegation=True)
    assert err.value.reasons == ["La lettre d'intention des élus doit être déposée dans les documents du contrat."]

    client.force_login(s.ars_user)
    r = client.post(_fire_url(s), {"comment": "Les élus se sont engagés."})
    assert r.status_code == 200
    box = _box(r.content.decode())
    assert re.search(r"Changement de phase refusé :</strong></p> <ul><li>La lettre d'intention des élus doit être "
                     r"déposée dans les documents du contrat\.</li>", box)
    assert "Les élus se sont engagés.</textarea>" in box
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.PREALABLE
    assert not PhaseTransition.objects.filter(contract=s.contract).exists()
    assert not history_for(s.contract).filter(action=ContractEvent.PHASE_CHANGEE_SANS_PROPOSITION).exists()


def test_delegation_signs_a_contract_without_coordinator_with_the_signature_date(client, setup):
    s = _without_coordinator(setup(Phase.DIAGNOSTIC), ready=False)
    s.ready_to_sign()
    client.force_login(s.ars_user)
    box = _box(client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode())
    assert 'name="date_signature"' in box
    r = client.post(_fire_url(s, "signer"), {"comment": "", "date_signature": "2024-06-12"})
    assert r.status_code == 302
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.MISE_EN_OEUVRE and s.contract.date_signature == dt.date(2024, 6, 12)


# --- who may not ------------------------------------------------------------------------------------

def test_with_a_coordinator_the_delegation_still_waits_for_the_proposal(client, setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    engager = workflow.TRANSITIONS["engager"]
    assert workflow.LIFECYCLE.mode_for(engager, s.contract) == "propose"
    allowed, reason = permissions.can_fire(s.ars_user, s.contract, engager)
    assert not allowed and reason == ("Ce changement de phase doit être proposé par le coordinateur puis validé par "
                                      "la délégation.")
    with pytest.raises(DomainError, match="proposé par le coordinateur puis validé"):
        services.transition_fire(actor=s.ars_user, contract=s.contract, transition="engager", by_delegation=True)
    client.force_login(s.ars_user)
    box = _box(client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode())
    assert "Aucun coordinateur" not in box and "<form" not in box
    assert client.post(_fire_url(s), {"comment": "Sans attendre"}).status_code == 403
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.PREALABLE


def test_the_engine_refuses_a_direct_fire_while_someone_can_propose(setup):
    """The rule is the engine's, not only the service's: `fire()` without a proposal on a contract with a
    coordinator is refused, even for an actor holding the délégation's role."""
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    ctx = workflow.Context(actor=s.ars_user, today=dt.date.today(), roles=frozenset({workflow.DELEGATION}))
    with pytest.raises(DomainError) as err:
        workflow.LIFECYCLE.fire("engager", pk=s.contract.pk, actor=s.ars_user, ctx=ctx)
    assert err.value.code == "proposition"
    assert Contract.objects.get(pk=s.contract.pk).phase == Phase.PREALABLE


@pytest.mark.parametrize("who,status", [
    ("coordinator_of_another_contract", 404),
    ("pilote", 403),
    ("elu", 403),
    ("region", 403),
    ("other_departement_delegation", 404),
])
def test_nobody_else_changes_the_phase_of_a_contract_without_coordinator(client, world, who, status):
    own = world.own
    contract = own.contract
    TransitionProposal.objects.filter(contract=contract).delete()
    Contract.objects.filter(pk=contract.pk).update(phase=Phase.PREALABLE, date_lettre_intention=dt.date(2023, 2, 1),
                                                   engagement_confirme=True, date_signature=None)
    services.document_upload(actor=own.people["coordinateur"], contract=contract, type=DocumentType.LETTRE_INTENTION,
                             titre="Lettre d'intention", fichier=upload())
    coordinator = own.people["coordinateur"]
    contract.coordinators.clear()
    # He coordinates another contract of the same collectivité and département.
    f.ContractFactory(collectivite=own.collectivite, ars=own.delegation.ars, delegations=[own.delegation],
                      coordinators=[coordinator], communes=own.communes)
    users = {"coordinator_of_another_contract": coordinator, "pilote": own.people["pilote"],
             "elu": own.people["elu"], "region": own.people["region"],
             "other_departement_delegation": f.with_role(
                 f.UserFactory(username="dd-orne"), Role.DELEGATION,
                 departements=[f.DepartementFactory(code="61", nom="Orne", region=own.region)])}
    client.force_login(users[who])
    r = client.post(reverse("contracts:transition_fire", args=[contract.pk, "engager"]), {"comment": "Forcé"})
    assert r.status_code == status
    assert Contract.objects.get(pk=contract.pk).phase == Phase.PREALABLE
    assert not PhaseTransition.objects.filter(contract=contract).exists()
    # The délégation of the contract may: the same request from it goes through.
    client.force_login(own.people["delegation"])
    assert client.post(reverse("contracts:transition_fire", args=[contract.pk, "engager"])).status_code == 302
    assert Contract.objects.get(pk=contract.pk).phase == Phase.DIAGNOSTIC


def test_the_regional_team_reads_why_without_a_button(client, world):
    contract = world.own.contract
    TransitionProposal.objects.filter(contract=contract).delete()
    Contract.objects.filter(pk=contract.pk).update(phase=Phase.PREALABLE, date_signature=None)
    contract.coordinators.clear()
    client.force_login(world.own.people["region"])
    box = _box(client.get(reverse("contracts:detail", args=[contract.pk])).content.decode())
    assert NO_COORDINATOR + "." in box and "<form" not in box


# --- coordinators who come and go while a proposal waits -------------------------------------------

def test_a_proposal_pending_when_its_coordinator_leaves_is_still_decided_by_the_delegation(client, setup):
    from people.services import coordinator_remove

    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager",
                                           comment="Lettre reçue")
    coordinator_remove(actor=s.ars_user, contract=s.contract, user=s.coordinateur)
    assert not permissions.has_coordinator(Contract.objects.get(pk=s.contract.pk))
    # Firing directly would leave the proposal pending for ever: the délégation decides it instead.
    with pytest.raises(DomainError, match="attend la décision de la délégation départementale : validez-la"):
        services.transition_fire(actor=s.ars_user, contract=s.contract, transition="engager", by_delegation=True)
    client.force_login(s.ars_user)
    box = _box(client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode())
    assert "Proposition en attente : Sortir de la phase préalable" in box and "Valider la proposition" in box
    assert NO_COORDINATOR not in box
    r = client.post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
                    {"decision": "valider", "comment": ""}, follow=True)
    assert r.status_code == 200
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.DIAGNOSTIC
    record = PhaseTransition.objects.get(contract=s.contract)
    assert record.proposal == proposal  # a validated proposal, not a change without one
    assert history_for(s.contract).filter(action=ContractEvent.PHASE_CHANGEE).exists()


def test_a_proposal_whose_author_account_was_deleted_is_still_decided(client, setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    s.coordinateur.delete()
    proposal.refresh_from_db()
    assert proposal.proposed_by is None and not permissions.has_coordinator(s.contract)
    client.force_login(s.ars_user)
    assert "Proposition en attente" in client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    dashboard = client.get(reverse("contracts:delegation_dashboard")).content.decode()
    assert "Changement de phase à décider" in dashboard
    r = client.post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
                    {"decision": "valider", "comment": "Engagement acté."}, follow=True)
    assert "La proposition est validée : le contrat change de phase." in r.content.decode()
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.DIAGNOSTIC


def test_a_coordinator_named_while_a_proposal_waits_changes_nothing_to_its_decision(setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    s.contract.coordinators.clear()
    proposal = services.transition_propose(actor=s.admin, contract=s.contract, transition="engager")
    s.contract.coordinators.add(s.coordinateur)
    services.proposal_validate(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED
    assert Contract.objects.get(pk=s.contract.pk).phase == Phase.DIAGNOSTIC


def test_a_coordinator_named_after_the_page_was_shown_gets_the_proposal_back(client, setup):
    """The délégation's page offered the button; a coordinator accepted his invitation meanwhile: the POST is
    refused (the coordinator proposes now) and nothing changes."""
    s = _without_coordinator(setup(Phase.PREALABLE))
    client.force_login(s.ars_user)
    assert f'action="{_fire_url(s)}"' in client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    s.contract.coordinators.add(s.coordinateur)
    assert client.post(_fire_url(s), {"comment": ""}).status_code == 403
    assert Contract.objects.get(pk=s.contract.pk).phase == Phase.PREALABLE
    assert selectors.pending_in(selectors.proposals(s.contract)) is None


# --- day one: what the guards read ------------------------------------------------------------------

def test_on_day_one_the_delegation_records_the_letter_and_leaves_prealable(client, setup):
    """A région starting from an empty database: the délégation opened the contract, no coordinator is recruited
    yet. The lettre d'intention is addressed to the ARS: the délégation files it, dates it, confirms the engagement
    (nobody else can), then leaves the phase préalable."""
    from contracts.forms import ContractIdentityForm
    from tests.permission_cases import form_body

    s = _without_coordinator(setup(Phase.PREALABLE), ready=False)
    client.force_login(s.ars_user)
    page = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert reverse("contracts:edit", args=[s.contract.pk]) in page
    assert reverse("contracts:document_upload", args=[s.contract.pk]) in page
    r = client.post(reverse("contracts:document_upload", args=[s.contract.pk]),
                    {"type": DocumentType.LETTRE_INTENTION, "titre": "Lettre d'intention du président",
                     "date_document": "2023-05-02", "fichier": upload("lettre.pdf")})
    assert r.status_code == 302
    body = form_body(ContractIdentityForm(instance=Contract.objects.get(pk=s.contract.pk)),
                     date_lettre_intention=dt.date(2023, 5, 2), engagement_confirme=True)
    assert client.post(reverse("contracts:edit", args=[s.contract.pk]), body).status_code == 302
    assert client.post(_fire_url(s), {"comment": ""}).status_code == 302
    assert Contract.objects.get(pk=s.contract.pk).phase == Phase.DIAGNOSTIC
    # Once a coordinator is named, the identity and the documents are his again.
    s.contract.coordinators.add(s.coordinateur)
    assert client.get(reverse("contracts:edit", args=[s.contract.pk])).status_code == 403
    assert client.get(reverse("contracts:document_upload", args=[s.contract.pk])).status_code == 403
    allowed, reason = permissions.can_keep_records(s.ars_user, Contract.objects.get(pk=s.contract.pk))
    assert not allowed and "tant qu'il n'y en a pas, la délégation" in reason


# --- the contract's « Chronologie » -------------------------------------------------------------------

def _chronology(html: str) -> str:
    start = html.index('aria-label="Chronologie du contrat"')
    return re.sub(r"[^\S\u00a0]+", " ", html[start:html.index("</ol>", start)]).replace("&#x27;", "'")


def test_the_chronology_says_the_delegation_changed_phase_without_a_proposal(client, setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    s = _without_coordinator(setup(Phase.PREALABLE))
    url = reverse("contracts:detail", args=[s.contract.pk])
    client.force_login(s.ars_user)
    client.post(_fire_url(s), {"comment": "Lettre reçue le 2 mai."})
    with CaptureQueriesContext(connection) as one:
        html = client.get(url).content.decode()
    chronology = _chronology(html)
    assert ("<strong>Changement de phase : Phase préalable → Diagnostic et élaboration du plan d'action</strong>"
            "<br>Par la délégation, sans proposition (aucun coordinateur désigné)<br>") in chronology
    assert "Paul Durand" in chronology and "« Lettre reçue le 2 mai. »" in chronology
    # Read from the phase changes already loaded: another one costs no query.
    PhaseTransition.objects.create(contract=s.contract, transition="engager", from_phase=Phase.PREALABLE,
                                   to_phase=Phase.DIAGNOSTIC, actor=s.ars_user)
    with CaptureQueriesContext(connection) as two:
        html = client.get(url).content.decode()
    assert _chronology(html).count("Par la délégation, sans proposition") == 2
    assert len(two.captured_queries) == len(one.captured_queries)


def test_the_chronology_says_nothing_of_the_kind_for_a_validated_proposal_or_a_direct_change(client, setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    services.proposal_validate(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk)
    # Opening the final evaluation is always done at once (never proposed), and an imported closure has no actor.
    today = dt.date.today()
    in_last_year = today.replace(year=today.year - 5, day=1) + dt.timedelta(days=40)
    Contract.objects.filter(pk=s.contract.pk).update(phase=Phase.MISE_EN_OEUVRE, date_signature=in_last_year)
    services.transition_fire(actor=s.coordinateur, contract=s.contract, transition="ouvrir_evaluation_finale")
    services.record_import_closure(Contract.objects.get(pk=s.contract.pk), dt.date.today())
    client.force_login(s.ars_user)
    chronology = _chronology(client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode())
    assert chronology.count("Changement de phase :") == 3
    assert "sans proposition" not in chronology
