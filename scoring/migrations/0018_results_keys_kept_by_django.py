# The results keep their run, entry and area through Django and the ranking job, not database constraints (see RankingResult).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('practices', '0010_field_labels'),
        ('competitions', '0006_field_labels'),
        ('scoring', '0017_field_labels'),
    ]

    operations = [
        migrations.AlterField(
            model_name='rankingresult',
            name='entry',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='ranking_results', to='practices.entry', verbose_name='entry'),
        ),
        migrations.AlterField(
            model_name='rankingresult',
            name='area',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='competitions.thematicarea', verbose_name='area'),
        ),
        migrations.AlterField(
            model_name='rankingresult',
            name='run',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='results', to='scoring.rankingrun', verbose_name='run'),
        ),
    ]
