import datetime as dt

import pytest
from django.urls import reverse

from cls_portal.core.errors import DomainError
from contracts import services
from contracts.enums import DocumentType, InstanceType, Phase, ProposalStatus, SignatoryRole, StepKind, StepStatus
from contracts.models import Contract


def test_steps_created_with_contract_and_planned(setup):
    s = setup(Phase.PREALABLE)
    kinds = list(s.contract.steps.values_list("kind", flat=True))
    assert kinds[:5] == [StepKind.ENGAGEMENT, StepKind.PREPARATION_DIAGNOSTIC, StepKind.REALISATION_DIAGNOSTIC,
                         StepKind.PLAN_ACTION, StepKind.SIGNATURE]
    engagement = s.contract.steps.get(kind=StepKind.ENGAGEMENT)
    assert engagement.date_prevue == dt.date(2023, 4, 10)  # three months after the start (12-month default plan)
    assert s.contract.steps.get(kind=StepKind.MISE_EN_OEUVRE).date_prevue is None  # dated at signature


def test_each_step_shows_its_objective_and_actors(client, setup):
    """The fiche pratique's table « Phase et étape / Objectif / Descriptif / Acteurs concernés » on the contract."""
    s = setup(Phase.PREALABLE)
    client.force_login(s.coordinateur)
    html = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    engagement = s.contract.steps.get(kind=StepKind.ENGAGEMENT)
    assert engagement.objectif and engagement.acteurs
    assert f"<td>{engagement.objectif}</td><td>{engagement.acteurs}</td>" in html.replace("&#x27;", "'")


def test_overdue_steps_flagged_and_step_edit(client, setup):
    s = setup(Phase.PREALABLE)
    step = s.contract.steps.get(kind=StepKind.ENGAGEMENT)
    assert step.is_overdue(dt.date(2023, 4, 11)) and not step.is_overdue(dt.date(2023, 4, 10))
    client.force_login(s.coordinateur)
    html = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    assert "En retard" in html
    url = reverse("contracts:step_edit", args=[s.contract.pk, step.pk])
    r = client.post(url, {"titre": step.titre, "date_debut_prevue": "2023-08-01", "date_prevue": "2023-07-01",
                          "statut": "en_cours"})
    assert "L&#x27;échéance prévue ne peut pas précéder le début prévu." in r.content.decode()
    r = client.post(url, {"titre": step.titre, "date_debut_prevue": "2023-01-10", "date_prevue": "2023-07-10",
                          "statut": "realisee"})
    assert r.status_code == 302
    step.refresh_from_db()
    assert step.statut == StepStatus.REALISEE and step.date_realisee is not None and not step.is_overdue(
        dt.date(2030, 1, 1))


def test_delegation_clears_an_overdue_step_of_a_contract_without_coordinator(client, setup):
    """Pré-Bocage Intercom, in its phase préalable, has no coordinator yet: « Étape en retard · Engagement de la
    collectivité » stayed in the délégation's work list, and the step's form answered 403 (« Seul le coordinateur
    du contrat peut le modifier ») although the délégation adds, removes and reorders the steps."""
    from cls_portal.core.worklist import DELEGATION, items_for

    s = setup(Phase.PREALABLE)
    s.contract.coordinators.clear()
    step = s.contract.steps.get(kind=StepKind.ENGAGEMENT)
    today = dt.date(2023, 6, 1)
    assert any(i.kind == "etape_en_retard" and i.title == step.titre for i in items_for(s.ars_user, DELEGATION, today))
    client.force_login(s.ars_user)
    html = client.get(reverse("contracts:detail", args=[s.contract.pk])).content.decode()
    url = reverse("contracts:step_edit", args=[s.contract.pk, step.pk])
    assert f'href="{url}"' in html
    r = client.post(url, {"titre": step.titre, "date_debut_prevue": "2023-01-10", "date_prevue": "2023-04-10",
                          "date_realisee": "2023-05-20", "statut": "realisee", "version": step.version})
    assert r.status_code == 302
    step.refresh_from_db()
    assert step.statut == StepStatus.REALISEE and step.date_realisee == dt.date(2023, 5, 20)
    s.ars_user.__dict__.pop("_worklist_cache")  # memoised per request
    assert not any(i.kind == "etape_en_retard" and i.title == step.titre
                   for i in items_for(s.ars_user, DELEGATION, today))


def test_retroplanning_page(client, setup):
    s = setup(Phase.MISE_EN_OEUVRE, date_signature=dt.date(2024, 3, 15))
    copil = services.instance_create(actor=s.coordinateur, contract=s.contract, type=InstanceType.COPIL,
                                     nom="COPIL de Bayeux")
    services.meeting_create(actor=s.coordinateur, contract=s.contract, instance=copil, date=dt.date(2025, 11, 20),
                            revue_annuelle=True)
    client.force_login(s.ars_user)
    html = client.get(reverse("contracts:retroplanning", args=[s.contract.pk])).content.decode()
    assert "Évaluation continue 2027" in html and "COPIL de Bayeux (20/11/2025)" in html
    assert 'class="cls-gantt__bar' in html and "@media print" in html


def test_renew_through_the_page(client, setup):
    s = setup(Phase.CLOS)
    client.force_login(s.ars_user)
    r = client.post(reverse("contracts:renew", args=[s.contract.pk]), {"nom": "CLS de Bayeux Intercom 2029-2033"})
    new = Contract.objects.get(nom="CLS de Bayeux Intercom 2029-2033")
    assert r.status_code == 302 and r["Location"] == reverse("contracts:detail", args=[new.pk])
    assert new.previous == s.contract and new.generation == 2


def test_signatory_rules(setup):
    s = setup(Phase.MISE_EN_OEUVRE)  # signed: who signed it stays on record
    with pytest.raises(DomainError, match="Seuls les signataires ont une date"):
        services.signatory_add(actor=s.coordinateur, contract=s.contract, organisation=s.collectivite,
                               role=SignatoryRole.PARTENAIRE, date_signature=dt.date(2025, 1, 1))
    signed = services.signatory_add(actor=s.coordinateur, contract=s.contract, organisation=s.collectivite,
                                    role=SignatoryRole.COLLECTIVITE, date_signature=dt.date(2025, 1, 1))
    with pytest.raises(DomainError, match="Cette organisation figure déjà"):
        services.signatory_add(actor=s.coordinateur, contract=s.contract, organisation=s.collectivite,
                               role=SignatoryRole.COLLECTIVITE)
    with pytest.raises(DomainError, match="ne peut pas être retiré"):
        services.signatory_remove(actor=s.coordinateur, signatory=signed)


@pytest.mark.django_db
def test_demo_contracts_consistent_with_their_phase():
    from contracts.demo import CONTRACTS
    from tests.demo import seed_demo_data

    seed_demo_data()
    ours = Contract.objects.filter(nom__in=[row[2] for row in CONTRACTS])
    assert ours.count() == len(CONTRACTS)
    for c in ours:
        phases = list(c.transitions.order_by("at").values_list("to_phase", flat=True))
        order = [Phase.DIAGNOSTIC, Phase.MISE_EN_OEUVRE, Phase.EVALUATION_FINALE, Phase.CLOS]
        expected = order[:[Phase.PREALABLE, *order].index(c.phase)]
        assert phases == expected, c.nom
        assert c.steps.exists() and c.signatories.filter(role=SignatoryRole.COLLECTIVITE).exists()
        assert c.instances.filter(type=InstanceType.COPIL).exists()
        if c.phase != Phase.PREALABLE:
            assert c.documents.filter(type=DocumentType.LETTRE_INTENTION).exists()
        if c.is_active or c.phase == Phase.CLOS:
            assert c.documents.filter(type=DocumentType.CONTRAT_SIGNE).exists()
            assert c.meetings.filter(revue_annuelle=True).exists() or c.date_signature.year >= 2025
    prebocage = Contract.objects.get(nom__icontains="Pré-Bocage")
    assert prebocage.proposals.get().status == ProposalStatus.PENDING
    bayeux = Contract.objects.get(nom__icontains="Bayeux")
    assert bayeux.plan_version == 2 and bayeux.steps.filter(statut=StepStatus.REALISEE).count() >= 5
