from django.db import migrations


def published_runs_decided_place(apps, schema_editor):
    """Results of runs already published whose area has a recorded decision on the run:
    their published place is the decided one (`deliberation.selectors.decided_places`,
    which a migration cannot call)."""
    DecisionPlace = apps.get_model("deliberation", "DecisionPlace")
    RankingResult = apps.get_model("scoring", "RankingResult")
    rows = (DecisionPlace.objects.filter(decision__status="recorded",
                                         decision__run__is_published=True)
            .values_list("decision__run_id", "entry_id", "place"))
    for run_id, entry_id, place in rows:
        RankingResult.objects.filter(run_id=run_id, entry_id=entry_id).update(
            published_place=place)


class Migration(migrations.Migration):

    dependencies = [
        ("deliberation", "0001_chairs_panels_decisions"),
        ("scoring", "0015_result_published_place"),
    ]

    operations = [
        migrations.RunPython(published_runs_decided_place, migrations.RunPython.noop),
    ]
