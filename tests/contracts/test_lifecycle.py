"""Every transition: one test that allows it, one that refuses it with its French reason."""

import datetime as dt

import pytest

from actions.enums import FicheStatut
from cls_portal.accounts.models import Role
from cls_portal.core.errors import DomainError
from contracts import permissions, selectors, services, workflow
from contracts.enums import DocumentType, Phase, ProposalStatus, SignatoryRole, StepKind, StepStatus
from contracts.models import PhaseTransition
from tests import factories as f


def _propose_and_validate(s, name, comment="RAS"):
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition=name,
                                           comment="Dossier complet")
    record = services.proposal_validate(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk,
                                        comment=comment)
    s.contract.refresh_from_db()
    return proposal, record


# --- engager: préalable -> diagnostic ---------------------------------------------------------------

def test_leaving_prealable_is_proposed_then_validated_and_recorded(setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    proposal, record = _propose_and_validate(s, "engager", comment="Lettre reçue, engagement confirmé")
    assert s.contract.phase == Phase.DIAGNOSTIC
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.decided_by == s.ars_user
    assert (record.from_phase, record.to_phase, record.actor, record.comment) == (
        Phase.PREALABLE, Phase.DIAGNOSTIC, s.ars_user, "Lettre reçue, engagement confirmé")
    assert s.contract.steps.get(kind=StepKind.ENGAGEMENT).statut == StepStatus.REALISEE


@pytest.mark.parametrize("missing,reason", [
    ("document", "La lettre d'intention des élus doit être déposée"),
    ("date", "La date de la lettre d'intention doit être renseignée"),
    ("engagement", "La collectivité doit avoir confirmé son engagement"),
])
def test_leaving_prealable_refused_with_reason(setup, missing, reason):
    s = setup(Phase.PREALABLE)
    if missing != "document":
        s.upload(DocumentType.LETTRE_INTENTION)
    data = {"date_lettre_intention": None if missing == "date" else dt.date(2023, 5, 2),
            "engagement_confirme": missing != "engagement"}
    services.contract_update(actor=s.coordinateur, contract=s.contract, version=None, data=data)
    with pytest.raises(DomainError) as exc:
        services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    assert reason in exc.value.message
    assert not s.contract.proposals.exists()
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.PREALABLE


def test_validation_checks_guards_again(setup):
    """The engagement is withdrawn between the proposal and the decision: validation refuses."""
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    services.contract_update(actor=s.coordinateur, contract=s.contract, version=None,
                             data={"engagement_confirme": False})
    with pytest.raises(DomainError, match="confirmé son engagement"):
        services.proposal_validate(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk)
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.PREALABLE


def test_one_pending_proposal_at_a_time_and_refusal_needs_a_reason(setup):
    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    with pytest.raises(DomainError, match="attend déjà"):
        services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    with pytest.raises(DomainError, match="motif du refus"):
        services.proposal_refuse(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk, comment=" ")
    services.proposal_refuse(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk,
                             comment="La lettre n'est pas signée par le président.")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REFUSED
    with pytest.raises(DomainError, match="déjà été traitée"):
        services.proposal_validate(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk)
    # A new proposal may follow the refusal.
    services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")


def test_the_author_of_a_proposal_hears_of_the_decision_when_the_contract_has_no_coordinator(client, setup):
    """Pré-Bocage Intercom has no coordinator yet; the admin proposed to leave the phase préalable. ars14 refused
    it and read « La proposition est refusée ; le coordinateur en est informé »: nobody was told."""
    from django.urls import reverse

    from cls_portal.notifications.models import Notification

    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    s.contract.coordinators.clear()
    s.admin.first_name, s.admin.last_name = "Alice", "Administratrice"
    s.admin.save()
    proposal = services.transition_propose(actor=s.admin, contract=s.contract, transition="engager")
    client.force_login(s.ars_user)
    r = client.post(reverse("contracts:proposal_decide", args=[s.contract.pk, proposal.pk]),
                    {"decision": "refuser", "comment": "La délibération manque."}, follow=True)
    assert "La proposition est refusée ; la décision est notifiée à Alice Administratrice." in r.content.decode()
    note = Notification.objects.get(user=s.admin, title__contains="refusée")
    assert note.body == "La délibération manque."


def test_wrong_phase_is_refused(setup):
    s = setup(Phase.DIAGNOSTIC)
    with pytest.raises(DomainError, match="n'est pas en « Phase préalable »"):
        services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")


# --- signer: diagnostic -> mise en œuvre ------------------------------------------------------------

def test_signature_allowed_sets_date_and_yearly_reviews(setup):
    s = setup(Phase.DIAGNOSTIC)
    s.ready_to_sign()
    _propose_and_validate(s, "signer")
    assert s.contract.phase == Phase.MISE_EN_OEUVRE
    assert s.contract.date_signature == dt.date(2024, 6, 1)
    years = sorted(s.contract.steps.filter(kind=StepKind.EVALUATION_CONTINUE).values_list("annee", flat=True))
    assert years == [2025, 2026, 2027, 2028]
    assert s.contract.steps.get(kind=StepKind.EVALUATION_FINALE).date_prevue == s.contract.date_fin


@pytest.mark.parametrize("broken,reason", [
    ("no_fiche", "au moins une fiche action"),
    ("not_validated", "Toutes les fiches actions doivent être validées (non validées : 1."),
    ("no_pilot", "Chaque fiche action doit avoir un pilote identifié"),
    ("no_prefecture", "Il manque des signataires obligatoires : préfecture."),
    ("no_signed_contract", "Le contrat signé doit être déposé"),
])
def test_signature_refused_with_reason(setup, broken, reason):
    s = setup(Phase.DIAGNOSTIC)
    if broken != "no_fiche":
        s.add_fiche(statut=FicheStatut.SOUMISE if broken == "not_validated" else FicheStatut.VALIDEE,
                    pilote=broken != "no_pilot")
    roles = [SignatoryRole.COLLECTIVITE, SignatoryRole.ARS]
    if broken != "no_prefecture":
        roles.append(SignatoryRole.PREFECTURE)
    s.add_signatories(roles)
    if broken != "no_signed_contract":
        s.upload(DocumentType.CONTRAT_SIGNE)
    with pytest.raises(DomainError) as exc:
        services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="signer")
    assert reason in exc.value.message
    # The guard is a plain function too: the same reason comes out of the table.
    t = workflow.TRANSITIONS["signer"]
    assert any(reason in r for r in workflow.failed_guards(t, s.contract, workflow.GuardContext(dt.date.today())))


def test_an_abandoned_sheet_leaves_the_plan_to_sign(setup):
    """A working group's idea dropped before signature (abandoned, never validated, no pilot) neither blocks the
    signature nor needs a pilot; a plan of abandoned sheets alone is no plan."""
    s = setup(Phase.DIAGNOSTIC)
    dropped = s.add_fiche(statut=FicheStatut.ABANDONNEE, pilote=False)
    s.add_signatories()
    s.upload(DocumentType.CONTRAT_SIGNE, date_document=dt.date(2024, 6, 1))
    with pytest.raises(DomainError) as exc:
        services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="signer")
    assert "au moins une fiche action (les fiches abandonnées n'en font plus partie)" in exc.value.message
    s.add_fiche(statut=FicheStatut.VALIDEE)
    _propose_and_validate(s, "signer")
    assert s.contract.phase == Phase.MISE_EN_OEUVRE
    dropped.refresh_from_db()
    assert dropped.statut == FicheStatut.ABANDONNEE


# --- ouvrir_evaluation_finale: mise en œuvre -> évaluation finale -----------------------------------

def test_final_evaluation_opens_in_last_year(setup, today):
    s = setup(Phase.MISE_EN_OEUVRE, date_signature=dt.date(2024, 3, 15))  # ends 14/03/2029
    today(dt.date(2028, 3, 15))
    record = services.transition_fire(actor=s.coordinateur, contract=s.contract, transition="ouvrir_evaluation_finale")
    s.contract.refresh_from_db()
    assert s.contract.phase == Phase.EVALUATION_FINALE and record.actor == s.coordinateur
    assert s.contract.steps.get(kind=StepKind.EVALUATION_FINALE).statut == StepStatus.EN_COURS


def test_final_evaluation_refused_before_last_year(setup, today):
    s = setup(Phase.MISE_EN_OEUVRE, date_signature=dt.date(2024, 3, 15))
    today(dt.date(2028, 3, 14))
    with pytest.raises(DomainError) as exc:
        services.transition_fire(actor=s.coordinateur, contract=s.contract, transition="ouvrir_evaluation_finale")
    assert "ne peut s'ouvrir que la dernière année du contrat (à partir du 15/03/2028)" in exc.value.message
    # The délégation may decide earlier, but only with a reason.
    with pytest.raises(DomainError, match="indiquez le motif"):
        services.transition_fire(actor=s.ars_user, contract=s.contract, transition="ouvrir_evaluation_finale",
                                 by_delegation=True)
    record = services.transition_fire(actor=s.ars_user, contract=s.contract, transition="ouvrir_evaluation_finale",
                                      comment="Fusion d'EPCI au 1er janvier : évaluation anticipée.",
                                      by_delegation=True)
    assert record.comment.startswith("Fusion")


def test_direct_and_proposed_modes_are_not_mixed(setup):
    s = setup(Phase.MISE_EN_OEUVRE)
    with pytest.raises(DomainError, match="se décide directement"):
        services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="ouvrir_evaluation_finale")
    with pytest.raises(DomainError, match="proposé par le coordinateur puis validé"):
        services.transition_fire(actor=s.coordinateur, contract=s.contract, transition="signer")


# --- clore: évaluation finale -> clos ---------------------------------------------------------------

def test_closing_allowed_with_final_report(setup):
    s = setup(Phase.EVALUATION_FINALE)
    s.upload(DocumentType.RAPPORT_EVALUATION_FINALE)
    _propose_and_validate(s, "clore")
    assert s.contract.phase == Phase.CLOS
    assert list(PhaseTransition.objects.filter(contract=s.contract).values_list("to_phase", flat=True)) == [Phase.CLOS]


def test_closing_refused_without_final_report(setup):
    s = setup(Phase.EVALUATION_FINALE)
    s.upload(DocumentType.RAPPORT)  # an ordinary report is not the final evaluation report
    with pytest.raises(DomainError, match="Le rapport d'évaluation finale doit être déposé"):
        services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="clore")


# --- who may fire what ------------------------------------------------------------------------------

def test_permission_predicates(setup):
    s = setup(Phase.PREALABLE)
    engager, evaluation = workflow.TRANSITIONS["engager"], workflow.TRANSITIONS["ouvrir_evaluation_finale"]
    assert permissions.can_propose(s.coordinateur, s.contract, engager) == (True, "")
    allowed, reason = permissions.can_propose(s.ars_user, s.contract, engager)
    assert not allowed and "coordinateur" in reason
    assert permissions.can_validate_contract(s.ars_user, s.contract)[0]
    allowed, reason = permissions.can_validate_contract(s.coordinateur, s.contract)
    assert not allowed and "délégation" in reason
    assert permissions.can_fire(s.coordinateur, s.contract, evaluation)[0]
    assert permissions.can_fire(s.ars_user, s.contract, evaluation)[0]
    assert not permissions.can_fire(s.coordinateur, s.contract, engager)[0]


def test_transition_table_is_consistent():
    from contracts.enums import PHASE_ORDER

    for t in workflow.TRANSITIONS.values():
        assert PHASE_ORDER.index(t.target) == PHASE_ORDER.index(t.source) + 1
        assert t.mode in ("propose", "direct") and t.guards
    assert {t.source for t in workflow.TRANSITIONS.values()} == set(PHASE_ORDER[:-1])


def test_proposals_and_decisions_are_notified_in_app_and_by_email(setup, mailoutbox,
                                                                  django_capture_on_commit_callbacks):
    from cls_portal.notifications.models import Notification

    s = setup(Phase.PREALABLE)
    s.ready_to_leave_prealable()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager",
                                               comment="Lettre reçue")
    note = Notification.objects.get(user=s.ars_user, kind="phase_contrat")
    assert "proposition « " in note.title and "à examiner" in note.title and note.url.endswith("#cycle")
    assert [m.to for m in mailoutbox] == [[s.ars_user.email]]

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_refuse(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk,
                                 comment="Lettre non signée")
    refused = Notification.objects.get(user=s.coordinateur, kind="phase_contrat")
    assert "refusée" in refused.title and refused.body == "Lettre non signée"

    proposal = services.transition_propose(actor=s.coordinateur, contract=s.contract, transition="engager")
    services.proposal_validate(actor=s.ars_user, contract=s.contract, proposal_pk=proposal.pk)
    assert Notification.objects.filter(user=s.coordinateur, kind="phase_contrat", title__contains="validé").exists()
    # Without a named référent, every user of the contract's délégation hears about a proposal.
    colleague = f.with_role(f.UserFactory(username="dd14-bis"), Role.DELEGATION, departements=[s.dep])
    elsewhere = f.with_role(f.UserFactory(username="dd50"), Role.DELEGATION,
                            departements=[f.DepartementFactory(code="50", region=s.region)])
    s.contract.referent = None
    s.contract.save()
    s.contract.delegations.set([s.delegation])
    assert set(selectors.reviewers(s.contract)) == {s.ars_user, colleague}
    assert elsewhere not in selectors.reviewers(s.contract)


def test_a_partner_does_not_initial_an_avenant(client, setup):
    """The coordinator's avenant form offered the contract's associated partners (« Association Addictions France
    — Calvados (Partenaire associé) ») among those who initialled it, and the avenant then read « Paraphé par :
    Association Addictions France », while the initials recorded afterwards refused partners."""
    from django.urls import reverse

    s = setup(Phase.MISE_EN_OEUVRE)
    collectivite, = s.add_signatories(roles=(SignatoryRole.COLLECTIVITE,))
    partner = services.signatory_add(actor=s.coordinateur, contract=s.contract, role=SignatoryRole.PARTENAIRE,
                                     organisation=f.OrganisationFactory(nom="Association Addictions France"))
    fiche = s.add_fiche(statut=FicheStatut.SOUMISE)
    client.force_login(s.coordinateur)
    html = client.get(reverse("contracts:avenant_add", args=[s.contract.pk])).content.decode()
    assert "Bayeux Intercom" in html and "Association Addictions France" not in html
    with pytest.raises(DomainError, match="Seuls les signataires") as err:
        services.avenant_create(actor=s.coordinateur, contract=s.contract, date=dt.date(2025, 6, 1), objet="Ajout",
                                changes=[{"kind": "ajout", "fiche": fiche}], signataires=[collectivite, partner])
    assert err.value.field == "signataires"


def test_an_empty_plan_is_neither_validated_nor_piloted(setup):
    """With no sheet, « Toutes les fiches actions validées » and « Un pilote identifié pour chaque fiche action »
    showed « fait » beside « Au moins une fiche action » not done; the refusal says the empty plan once."""
    s = setup(Phase.DIAGNOSTIC)
    t = workflow.TRANSITIONS["signer"]
    states = {g.label: g for g in workflow.LIFECYCLE.guard_states(t, s.contract)}
    for label in ("Toutes les fiches actions validées par la délégation",
                  "Un pilote identifié pour chaque fiche action"):
        assert not states[label].met and states[label].reason == workflow.NO_SHEET
    reasons = workflow.failed_guards(t, s.contract, workflow.GuardContext(dt.date.today()))
    assert reasons.count(workflow.NO_SHEET) == 1
    s.add_fiche(statut=FicheStatut.VALIDEE)
    states = {g.label: g for g in workflow.LIFECYCLE.guard_states(t, s.contract)}
    assert states["Toutes les fiches actions validées par la délégation"].met
    assert states["Un pilote identifié pour chaque fiche action"].met
