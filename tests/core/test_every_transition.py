"""Every transition of every table (besides the contract lifecycle, tested one by one in
tests/contracts/test_lifecycle.py): allowed from each of its source states, refused from any other state
with the table's French reason, and nothing written when refused."""

import pytest

from actions.workflow import FICHES
from cls_portal.core.errors import DomainError
from cls_portal.core.history import history_for
from contracts.workflow import PROPOSALS
from diagnostics.workflow import REVIEW
from funding.workflow import YEARS
from reports.workflow import JOBS
from tests.worlds.actions import added_by_avenant, complete_fiche

pytestmark = pytest.mark.django_db

TABLES = {"fiches": FICHES, "diagnostic": REVIEW, "financement": YEARS, "rapport": JOBS, "proposition": PROPOSALS}
CASES = [(key, t.name) for key, table in TABLES.items() for t in table]


def _object(world, key):
    own = world.own
    from diagnostics.models import Diagnostic

    def fiche():  # the world's contract is signed: an avenant in force adds its new sheet to the plan
        added_by_avenant(complete_fiche(own.fiche), world.users["admin"])
        return own.fiche

    return {"fiches": fiche, "diagnostic": lambda: Diagnostic.objects.get(
                pk=own.diagnostic.pk),
            "financement": lambda: own.funding_request, "rapport": lambda: own.report_draft,
            "proposition": lambda: own.proposal}[key]()


def _actor(world, table, t):
    from cls_portal.core.workflow import SYSTEM

    return None if SYSTEM in t.by else world.users["admin"]


def _set(obj, table, state):
    type(obj).objects.filter(pk=obj.pk).update(**{table.field: state})


@pytest.mark.parametrize("key,name", CASES)
def test_allowed_from_each_source_state(world, key, name):
    table = TABLES[key]
    t = table[name]
    obj = _object(world, key)
    for source in t.sources:
        _set(obj, table, source)
        saved = table.fire(t, pk=obj.pk, actor=_actor(world, table, t), comment="Motif donné.")
        assert getattr(saved, table.field) == (t.target if t.target is not None else source)
        if t.event:
            assert history_for(obj).first().action == t.event


@pytest.mark.parametrize("key,name", CASES)
def test_refused_from_any_other_state(world, key, name):
    table = TABLES[key]
    t = table[name]
    obj = _object(world, key)
    field = type(obj)._meta.get_field(table.field)
    others = [value for value, _ in field.choices if value not in t.sources]
    assert others, name
    lines = history_for(obj).count()
    for state in others:
        _set(obj, table, state)
        with pytest.raises(DomainError) as err:
            table.fire(t, pk=obj.pk, actor=_actor(world, table, t), comment="Motif donné.")
        assert err.value.code == "etat" and err.value.message
        assert getattr(type(obj).objects.get(pk=obj.pk), table.field) == state
    assert history_for(obj).count() == lines
