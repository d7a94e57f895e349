"""Every jury reminder has its round; each step is sent once per round."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("scoring", "0013_jury_reminder_round_fill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="juryreminder",
            name="round",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                    related_name="+", to="scoring.judginground",
                                    verbose_name="round"),
        ),
        migrations.AddConstraint(
            model_name="juryreminder",
            constraint=models.UniqueConstraint(fields=("member", "round", "days_before"),
                                               name="jury_reminder_once_per_round_step"),
        ),
    ]
