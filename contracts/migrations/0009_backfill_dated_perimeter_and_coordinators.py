"""Existing contracts: their current perimeter and coordinators are taken as holding since the contract began
(no earlier change is known); a contract already closed without its closure in the phase history gets one on
its planned end (or today when that end is still to come), as `contracts.services.record_import_closure`."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

BATCH = 2000


def _date_fin(signature, years):
    if signature is None:
        return None
    try:
        end = signature.replace(year=signature.year + years)
    except ValueError:  # 29 February
        end = signature.replace(year=signature.year + years, day=28)
    return end - dt.timedelta(days=1)


def forwards(apps, schema_editor):
    Contract = apps.get_model("contracts", "Contract")
    PerimeterPeriod = apps.get_model("contracts", "PerimeterPeriod")
    CoordinatorTerm = apps.get_model("contracts", "CoordinatorTerm")
    PhaseTransition = apps.get_model("contracts", "PhaseTransition")
    communes = Contract.communes.through.objects.order_by("pk").values_list("contract_id", "commune_id")
    rows = [PerimeterPeriod(contract_id=c, commune_id=code) for c, code in communes.iterator()]
    PerimeterPeriod.objects.bulk_create(rows, batch_size=BATCH)
    coordinators = Contract.coordinators.through.objects.order_by("pk").values_list("contract_id", "user_id")
    CoordinatorTerm.objects.bulk_create([CoordinatorTerm(contract_id=c, user_id=u) for c, u in coordinators],
                                        batch_size=BATCH)
    today = timezone.localdate()
    closed = (Contract.objects.filter(phase="clos")
              .exclude(pk__in=PhaseTransition.objects.filter(to_phase="clos").values("contract_id")))
    for contract in closed:
        day = min(_date_fin(contract.date_signature, contract.duree_annees) or today, today)
        record = PhaseTransition.objects.create(
            contract=contract, transition="clore", from_phase="evaluation_finale", to_phase="clos",
            comment="Contrat clos avant l'historique des phases : clôture datée de la fin prévue du contrat.")
        PhaseTransition.objects.filter(pk=record.pk).update(
            at=timezone.make_aware(dt.datetime.combine(day, dt.time(12))))


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0008_dated_perimeter_and_coordinators"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
