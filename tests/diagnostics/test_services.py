"""Writes on diagnostics: business rules, history, notifications, versions and the link to the action plan."""

from decimal import Decimal

import pytest

from actions.models import Axe, FicheAction
from cls_portal.core.errors import ConcurrentEditError, DomainError
from cls_portal.core.history import history_for
from cls_portal.notifications.models import Notification
from diagnostics import services
from diagnostics.enums import DiagnosticEvent, Statut, Transition
from diagnostics.models import Diagnostic, Priorite
from tests import factories as f
from tests.diagnostics.factories import DiagnosticFactory, PrioriteFactory, filled

pytestmark = pytest.mark.django_db


def test_start_fills_the_perimeter_from_the_reference_data(world):
    contract = f.ContractFactory(epci=world.own.epci, communes=world.own.communes, diagnostic=True)
    coordinateur = world.users["coordinateur"]
    diagnostic = services.diagnostic_start(actor=coordinateur, contract=contract)
    assert (diagnostic.population, diagnostic.nb_communes) == (12000 + 3400 + 850, 3)
    assert diagnostic.perimetre_hypothese.startswith(f"Territoire couvert : {world.own.epci.nom}, 3 communes (")
    assert history_for(diagnostic).get().action == DiagnosticEvent.CREE
    with pytest.raises(DomainError, match="déjà un diagnostic"):
        services.diagnostic_start(actor=coordinateur, contract=contract)


def test_preparation_saves_refreshes_population_and_detects_concurrent_edits(world):
    d = world.own.diagnostic
    world.own.communes[0].population = 13000
    world.own.communes[0].save()
    data = {"gouvernance_hypothese": "COPIL trimestriel", "outils": ["entretiens"], "appui_externe": "ors"}
    services.diagnostic_update_preparation(actor=world.users["coordinateur"], diagnostic_id=d.pk,
                                           expected_version=d.version, data=data)
    d.refresh_from_db()
    assert d.gouvernance_hypothese == "COPIL trimestriel" and d.outils == ["entretiens"] and d.version == 2
    assert d.population == 13000 + 3400 + 850
    entry = history_for(d).first()
    assert entry.changes["gouvernance_hypothese"] == ["", "COPIL trimestriel"]
    # Someone else saved in between: the stale version is refused and says what differs.
    with pytest.raises(ConcurrentEditError) as exc:
        services.diagnostic_update_preparation(actor=world.users["coordinateur"], diagnostic_id=d.pk,
                                               expected_version=1, data={"gouvernance_hypothese": "Autre"})
    assert exc.value.changes == {"gouvernance_hypothese": ["Autre", "COPIL trimestriel"]}
    d.refresh_from_db()
    assert d.gouvernance_hypothese == "COPIL trimestriel"


@pytest.mark.parametrize("statut,message", [(Statut.SOUMIS, "en cours de revue"), (Statut.VALIDE, "validé")])
def test_a_submitted_or_validated_diagnostic_cannot_be_edited(world, statut, message):
    d = world.own.diagnostic
    Diagnostic.objects.filter(pk=d.pk).update(statut=statut)
    with pytest.raises(DomainError, match=message):
        services.diagnostic_update_preparation(actor=world.users["coordinateur"], diagnostic_id=d.pk,
                                               expected_version=d.version, data={"outils": []})
    with pytest.raises(DomainError, match=message):
        services.diagnostic_import_indicateurs(actor=world.users["coordinateur"], diagnostic_id=d.pk,
                                               expected_version=d.version, rows=[{"theme": "population"}])


def test_import_adds_every_row_or_none(world):
    d = world.own.diagnostic
    rows = [{"theme": "population", "libelle": "Part des 75 ans et plus", "valeur": Decimal("13.2"),
             "valeur_departement": None, "valeur_region": None, "valeur_france": Decimal("9.8"), "unite": "%",
             "source": "INSEE", "annee": 2021}] * 2
    assert services.diagnostic_import_indicateurs(actor=world.users["coordinateur"], diagnostic_id=d.pk,
                                                  expected_version=d.version, rows=rows) == 2
    assert d.indicateurs.filter(libelle="Part des 75 ans et plus").count() == 2
    with pytest.raises(DomainError, match="aucune ligne"):
        services.diagnostic_import_indicateurs(actor=world.users["coordinateur"], diagnostic_id=d.pk,
                                               expected_version=d.version + 1, rows=[])
    with pytest.raises(ConcurrentEditError):  # preview made before the previous import
        services.diagnostic_import_indicateurs(actor=world.users["coordinateur"], diagnostic_id=d.pk,
                                               expected_version=d.version, rows=rows)
    assert d.indicateurs.count() == 3


def test_review_workflow_with_history_and_notifications(world):
    d, coord, dd = world.own.diagnostic, world.users["coordinateur"], world.users["delegation"]
    services.diagnostic_transition(actor=coord, diagnostic_id=d.pk, action=Transition.SOUMETTRE)
    d.refresh_from_db()
    assert d.statut == Statut.SOUMIS and d.soumis_le is not None
    assert Notification.objects.get(user=dd, kind="revue_diagnostic").title.startswith("Diagnostic soumis")

    services.diagnostic_transition(actor=dd, diagnostic_id=d.pk, action=Transition.COMMENTER,
                                   commentaire="Pensez à la santé mentale.")
    d.refresh_from_db()
    assert d.statut == Statut.SOUMIS
    with pytest.raises(DomainError, match="Expliquez") as exc:
        services.diagnostic_transition(actor=dd, diagnostic_id=d.pk, action=Transition.DEMANDER_MODIFICATIONS)
    assert exc.value.field == "commentaire"
    services.diagnostic_transition(actor=dd, diagnostic_id=d.pk, action=Transition.DEMANDER_MODIFICATIONS,
                                   commentaire="Ajoutez les données de l'ORS.")
    d.refresh_from_db()
    assert d.statut == Statut.A_MODIFIER and d.commentaire_revue == "Ajoutez les données de l'ORS."
    notes = Notification.objects.filter(user=coord, kind="revue_diagnostic").order_by("id")
    assert [n.title.split(" :")[0] for n in notes] == [
        "Nouveau commentaire de la délégation sur le diagnostic", "Modifications demandées sur le diagnostic"]

    services.diagnostic_transition(actor=coord, diagnostic_id=d.pk, action=Transition.SOUMETTRE)
    services.diagnostic_transition(actor=dd, diagnostic_id=d.pk, action=Transition.VALIDER, commentaire="Bravo.")
    d.refresh_from_db()
    assert d.statut == Statut.VALIDE and d.valide_par == dd and d.is_frozen
    assert [e.action for e in history_for(d).order_by("id")] == [
        DiagnosticEvent.SOUMIS, DiagnosticEvent.COMMENTE, DiagnosticEvent.MODIFICATIONS_DEMANDEES,
        DiagnosticEvent.SOUMIS, DiagnosticEvent.VALIDE]
    with pytest.raises(DomainError, match="Action impossible"):
        services.diagnostic_transition(actor=dd, diagnostic_id=d.pk, action=Transition.VALIDER)


def test_submission_needs_a_priority(world):
    d = DiagnosticFactory(contract=f.ContractFactory(diagnostic=True))
    with pytest.raises(DomainError, match="au moins une priorité"):
        services.diagnostic_transition(actor=world.users["admin"], diagnostic_id=d.pk, action=Transition.SOUMETTRE)


def test_new_version_copies_the_validated_one_which_stays_as_it_was(world):
    d = filled(DiagnosticFactory(valide=True, contract=f.ContractFactory(diagnostic=True)), n=2)
    axe = services.priorite_create_axe(actor=world.users["admin"], priorite_id=d.priorites.first().pk)
    new = services.diagnostic_new_version(actor=world.users["admin"], diagnostic_id=d.pk)
    assert (new.numero, new.statut, new.previous_id) == (2, Statut.BROUILLON, d.pk)
    for related in services.CHILDREN:
        assert getattr(new, related).count() == getattr(d, related).count() == 2, related
    assert set(new.indicateurs.values_list("libelle", flat=True)) == set(d.indicateurs.values_list("libelle",
                                                                                                   flat=True))
    d.refresh_from_db()
    assert d.statut == Statut.VALIDE and not d.is_latest and new.is_latest
    # The axe now belongs to the current version's priority.
    axe.refresh_from_db()
    assert axe.priorite_diagnostic.diagnostic_id == new.pk
    with pytest.raises(DomainError, match="plus récente"):
        services.diagnostic_new_version(actor=world.users["admin"], diagnostic_id=d.pk)
    with pytest.raises(DomainError, match="Seul un diagnostic validé"):
        services.diagnostic_new_version(actor=world.users["admin"], diagnostic_id=new.pk)
    with pytest.raises(DomainError, match="remplacée"):
        services.priorite_create_axe(actor=world.users["admin"], priorite_id=d.priorites.last().pk)


def test_priority_becomes_an_axe_with_one_action(world):
    priorite = world.own.priorite
    axe = services.priorite_create_axe(actor=world.users["coordinateur"], priorite_id=priorite.pk)
    assert isinstance(axe, Axe) and axe.contract_id == world.own.contract.pk
    assert axe.numero == 2  # the world's contract already has axe 1
    assert (axe.titre, axe.type) == (priorite.intitule, priorite.type_axe)
    fiche = FicheAction.objects.get(axe=axe)
    assert (fiche.numero, fiche.titre, fiche.contract_id) == (1, priorite.action_titre, world.own.contract.pk)
    priorite.refresh_from_db()
    assert priorite.axe == axe and axe.priorite_diagnostic == priorite  # visible from both sides
    with pytest.raises(DomainError, match="déjà son axe"):
        services.priorite_create_axe(actor=world.users["coordinateur"], priorite_id=priorite.pk)
    other = PrioriteFactory(diagnostic=world.own.diagnostic)
    assert services.priorite_create_axe(actor=world.users["coordinateur"], priorite_id=other.pk).numero == 3
    assert Priorite.objects.filter(axe__isnull=False).count() == 2
    assert world.own.diagnostic.indicateurs.count() == 1  # the diagnostic's content is untouched
