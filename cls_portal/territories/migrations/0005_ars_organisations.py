"""Each ARS already imported gets its organisation (type « ARS », tied to its région): without it, the form of a
contract's signatories could not offer the ARS (`importer.ars_organisations` does the same for new imports)."""

from django.db import migrations


def forwards(apps, schema_editor):
    ARS = apps.get_model("territories", "ARS")
    Organisation = apps.get_model("territories", "Organisation")
    for ars in ARS.objects.all():
        org, new = Organisation.objects.get_or_create(nom=ars.nom, type="ars", defaults={"region_id": ars.region_id})
        if not new and org.region_id is None:
            Organisation.objects.filter(pk=org.pk).update(region_id=ars.region_id)


class Migration(migrations.Migration):
    dependencies = [("territories", "0004_searchable_names")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
