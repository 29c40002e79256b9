# SentReminder now belongs to the notifications app (its migration 0002 takes the table over, rows
# included): the regional app forgets the model without touching the database.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('regional', '0001_initial'),
        ('notifications', '0002_sentreminder_from_regional'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='SentReminder')],
            database_operations=[],
        ),
    ]
