from django.db import migrations, models
from django.db.models import F


def published_runs_computed_place(apps, schema_editor):
    """Results of runs already published: their published place is the computed one (the
    deliberation app's migration then writes the jury's recorded decisions over it)."""
    RankingResult = apps.get_model("scoring", "RankingResult")
    RankingResult.objects.filter(run__is_published=True).update(published_place=F("place"))


class Migration(migrations.Migration):

    dependencies = [
        ("scoring", "0014_jury_reminder_round_required"),
    ]

    operations = [
        migrations.AddField(
            model_name="rankingresult",
            name="published_place",
            field=models.PositiveSmallIntegerField(null=True, verbose_name="published place"),
        ),
        migrations.RunPython(published_runs_computed_place, migrations.RunPython.noop),
    ]
