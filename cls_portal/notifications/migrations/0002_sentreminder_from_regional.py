# The reminder log moves from the regional app to the notifications app (issue 17): the model changes
# app in Django's state only, then its table is renamed; the rows stay.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('notifications', '0001_initial'),
        ('contracts', '0001_initial'),
        ('regional', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SentReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(max_length=32, verbose_name='type de rappel')),
                        ('object_key', models.CharField(max_length=64, verbose_name='objet')),
                        ('period', models.CharField(max_length=32, verbose_name='période')),
                        ('nb_recipients', models.PositiveSmallIntegerField(default=0, verbose_name='nombre de destinataires')),
                        ('sent_at', models.DateTimeField(auto_now_add=True, verbose_name='envoyé le')),
                        ('contract', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contracts.contract', verbose_name='contrat')),
                    ],
                    options={
                        'verbose_name': 'rappel envoyé',
                        'verbose_name_plural': 'rappels envoyés',
                        'ordering': ['-sent_at', '-id'],
                        'db_table': 'regional_sentreminder',
                        'constraints': [models.UniqueConstraint(fields=('kind', 'object_key', 'period'), name='sent_reminder_unique')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name='sentreminder', table=None),
    ]
