"""Meeting.instance is required (migrations 0004, 0005): a meeting saved without a body joins the COPIL."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("contracts", "0003_meeting_instance_nullable_restrict")]


@pytest.mark.django_db(transaction=True)
def test_orphan_meetings_are_attached_to_the_copil_and_none_is_lost(world):
    contract = world.own.contract
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Instance, Meeting = old.get_model("contracts", "Instance"), old.get_model("contracts", "Meeting")
    Instance.objects.filter(contract_id=contract.pk).delete()
    Meeting.objects.create(contract_id=contract.pk, instance=None, date=dt.date(2025, 6, 15))
    Meeting.objects.create(contract_id=contract.pk, instance=None, date=dt.date(2025, 11, 20))

    executor = MigrationExecutor(connection)
    # Forward to every app's latest migration (0004 and 0005, and what other apps built on contracts since,
    # unapplied by the step back): the database must be whole again for the next tests of this process.
    executor.migrate(executor.loader.graph.leaf_nodes())

    from contracts.models import Instance as NewInstance
    from contracts.models import Meeting as NewMeeting

    copil = NewInstance.objects.get(contract=contract)
    assert (copil.type, copil.nom) == ("copil", "Comité de pilotage du CLS")
    assert sorted(m.date for m in NewMeeting.objects.filter(contract=contract, instance=copil)) == [
        dt.date(2025, 6, 15), dt.date(2025, 11, 20)]
    assert not NewMeeting._meta.get_field("instance").null
