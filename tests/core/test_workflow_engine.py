"""The workflow engine (cls_portal/core/workflow.py) as a plain unit: the table, `fire()`, `claim()`."""

import pytest

from actions.enums import Acteur, ActionEvent, FicheStatut
from actions.models import FicheAction
from cls_portal.core.errors import DomainError
from cls_portal.core.history import REGISTRY, history_for
from cls_portal.core.workflow import Guard, Transition, Workflow

pytestmark = pytest.mark.django_db


def _table(guard_result=None):
    """A small table on action sheets: one guarded transition, one needing a comment."""
    return Workflow(
        model=FicheAction, field="statut", roles=lambda user, fiche: {"coord"} if user.username.endswith("coordinateur")
        else set(),
        wrong_state=lambda t, fiche: f"Pas depuis « {fiche.get_statut_display()} ».",
        transitions=[
            Transition("go", "Avancer", (FicheStatut.BROUILLON,), FicheStatut.SOUMISE, by=("coord",),
                       event=ActionEvent.FICHE_SOUMISE,
                       guards=(Guard("Condition A", lambda f, ctx: guard_result),
                               Guard("Condition B", lambda f, ctx: None))),
            Transition("stop", "Arrêter", (FicheStatut.BROUILLON,), FicheStatut.ABANDONNEE, by=("coord",),
                       event=ActionEvent.FICHE_ABANDONNEE, comment_required=True, comment_message="Pourquoi ?"),
        ])


def test_fire_locks_checks_saves_and_writes_the_typed_event(world):
    fiche, coord = world.own.fiche, world.own.people["coordinateur"]
    before = fiche.version
    saved = _table().fire("go", pk=fiche.pk, actor=coord, comment="Prête")
    fiche.refresh_from_db()
    assert saved.statut == fiche.statut == FicheStatut.SOUMISE and fiche.version == before + 1
    entry = history_for(fiche).first()
    assert entry.action == ActionEvent.FICHE_SOUMISE and entry.actor == coord and entry.comment == "Prête"
    assert entry.changes == {"statut": ["brouillon", "soumise"]} and entry.context["fiche"] == fiche.code


@pytest.mark.parametrize("case,message", [
    ("wrong_state", "Pas depuis « Soumise »."),
    ("guard", "Il manque A."),
    ("comment", "Pourquoi ?"),
    ("actor", "Vous ne pouvez pas effectuer cette action."),
    ("effect", "L'effet refuse."),
])
def test_fire_refuses_with_the_french_reason_and_changes_nothing(world, case, message):
    fiche, coord = world.own.fiche, world.own.people["coordinateur"]
    table = _table(guard_result="Il manque A." if case == "guard" else None)
    if case == "wrong_state":
        FicheAction.objects.filter(pk=fiche.pk).update(statut=FicheStatut.SOUMISE)
    name = "stop" if case == "comment" else "go"
    actor = world.own.people["pilote"] if case == "actor" else coord

    def effect(obj, ctx):
        raise DomainError("L'effet refuse.")

    state = FicheAction.objects.get(pk=fiche.pk).statut
    lines = history_for(fiche).count()
    with pytest.raises(DomainError) as err:
        table.fire(name, pk=fiche.pk, actor=actor, comment="  ", apply=effect if case == "effect" else None)
    assert err.value.message == message
    assert FicheAction.objects.get(pk=fiche.pk).statut == state and history_for(fiche).count() == lines
    if case == "guard":
        assert err.value.reasons == ["Il manque A."]


def test_guard_states_list_each_prerequisite_in_words(world):
    table = _table(guard_result="Il manque A.")
    states = table.guard_states(table["go"], world.own.fiche)
    assert [(g.label, g.met, g.reason) for g in states] == [("Condition A", False, "Il manque A."),
                                                            ("Condition B", True, "")]


def test_claim_is_a_conditional_update_that_runs_once(world):
    fiche = world.own.fiche
    table = _table()
    assert table.claim("go", filters={"pk": fiche.pk}) == 1
    assert table.claim("go", filters={"pk": fiche.pk}) == 0  # no longer in a source state: nothing to do
    assert FicheAction.objects.get(pk=fiche.pk).statut == FicheStatut.SOUMISE


def test_an_unknown_transition_is_refused_in_french():
    with pytest.raises(DomainError, match="Action inconnue"):
        _table().get("voler")


def test_every_table_is_consistent_and_writes_registered_events():
    from actions.workflow import FICHES
    from contracts.workflow import LIFECYCLE, PROPOSALS
    from diagnostics.workflow import REVIEW
    from funding.workflow import YEARS
    from reports.workflow import JOBS

    for table in (LIFECYCLE, PROPOSALS, FICHES, REVIEW, YEARS, JOBS):
        states = {value for value, _ in table.model._meta.get_field(table.field).choices}
        for t in table:
            assert t.sources and set(t.sources) <= states, (table.model, t.name)
            assert t.target is None or t.target in states, (table.model, t.name)
            assert t.by, (table.model, t.name)
            assert not t.event or t.event in REGISTRY.events, (table.model, t.name)
            assert all(isinstance(g, Guard) and g.label for g in t.guards)
    assert {Acteur.COORDINATEUR} == set(FICHES["soumettre"].by)
