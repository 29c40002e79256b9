"""The fields of action drawn from the sources (issue 20); the regional teams edit the list at /region/champs/."""

from django.db import migrations

FIELDS = [
    "Accès aux soins",
    "Prévention et promotion de la santé",
    "Santé mentale",
    "Santé-environnement",
    "Autonomie / personnes âgées et handicapées",
    "Parcours de santé",
    "Attractivité pour les professionnels",
    "Publics vulnérables",
]


def forwards(apps, schema_editor):
    ChampAction = apps.get_model("actions", "ChampAction")
    for ordre, libelle in enumerate(FIELDS, 1):
        ChampAction.objects.get_or_create(libelle=libelle, defaults={"ordre": ordre})


def backwards(apps, schema_editor):
    apps.get_model("actions", "ChampAction").objects.filter(libelle__in=FIELDS, axes=None, fiches=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0005_fields_of_action"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
