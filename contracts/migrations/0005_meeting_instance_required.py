# Meeting.instance is required (the orphan meetings were attached to their COPIL by 0004).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0004_meeting_attach_orphans'),
    ]

    operations = [
        migrations.AlterField(
            model_name='meeting',
            name='instance',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meetings', to='contracts.instance', verbose_name='instance'),
        ),
    ]
