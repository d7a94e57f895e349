"""Every edition judges in round 1, over its own review dates; the existing assignments,
sheets and runs belong to it."""

from django.db import migrations


def round_one(apps, schema_editor):
    Edition = apps.get_model("competitions", "Edition")
    JudgingRound = apps.get_model("scoring", "JudgingRound")
    for edition in Edition.objects.all().iterator():
        first, _created = JudgingRound.objects.get_or_create(
            edition=edition, number=1,
            defaults={"review_open_at": edition.review_open_at,
                      "review_close_at": edition.review_close_at})
        for model in ("Assignment", "JurySheet"):
            apps.get_model("scoring", model).objects.filter(
                entry__edition=edition, round__isnull=True).update(round=first)
        apps.get_model("scoring", "RankingRun").objects.filter(
            edition=edition, round__isnull=True).update(round=first)
        for model in ("HistoricalAssignment", "HistoricalJurySheet"):
            history = apps.get_model("scoring", model)
            entry_ids = apps.get_model("practices", "Entry").objects.filter(
                edition=edition).values("pk")
            history.objects.filter(entry_id__in=entry_ids, round__isnull=True).update(
                round=first)


class Migration(migrations.Migration):

    dependencies = [
        ("scoring", "0008_judging_rounds"),
        ("practices", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(round_one, migrations.RunPython.noop),
    ]
