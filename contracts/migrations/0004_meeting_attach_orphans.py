# Every meeting belongs to a governance body (forms and services always required it; the column was
# nullable only for the bench's bulk filler, which now creates the bodies first). A meeting saved
# without one is attached to its contract's COPIL (created if the contract has none): nothing is lost.
# The column becomes NOT NULL in 0005, in a transaction of its own (PostgreSQL refuses to alter a
# table with the rows just written still holding deferred constraint checks).

from django.db import migrations


def attach_orphan_meetings(apps, schema_editor):
    Instance = apps.get_model("contracts", "Instance")
    Meeting = apps.get_model("contracts", "Meeting")
    for contract_id in Meeting.objects.filter(instance__isnull=True).order_by().values_list("contract_id", flat=True).distinct():
        copil = Instance.objects.filter(contract_id=contract_id, type="copil").order_by("pk").first()
        if copil is None:
            copil = Instance.objects.create(contract_id=contract_id, type="copil", nom="Comité de pilotage du CLS")
        Meeting.objects.filter(contract_id=contract_id, instance__isnull=True).update(instance=copil)


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0003_meeting_instance_nullable_restrict'),
    ]

    operations = [
        migrations.RunPython(attach_orphan_meetings, migrations.RunPython.noop),
    ]
