"""A jury reminder belongs to the round whose close it counted down to: the field, nullable
while the reminders already sent are given round 1 of their edition (0013), then required
(0014); each step is sent once per round."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("scoring", "0011_shortlist_removals"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="juryreminder",
            name="jury_reminder_once_per_step",
        ),
        migrations.AddField(
            model_name="juryreminder",
            name="round",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="scoring.judginground",
                                    verbose_name="round"),
        ),
    ]
