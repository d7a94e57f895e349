"""The reminders sent before rounds existed counted down to round 1 of their edition."""

from django.db import migrations


def fill(apps, schema_editor):
    JuryReminder = apps.get_model("scoring", "JuryReminder")
    JudgingRound = apps.get_model("scoring", "JudgingRound")
    first = dict(JudgingRound.objects.filter(number=1).values_list("edition_id", "pk"))
    for reminder in JuryReminder.objects.filter(round__isnull=True).select_related("member"):
        reminder.round_id = first[reminder.member.edition_id]
        reminder.save(update_fields=["round"])


class Migration(migrations.Migration):

    dependencies = [
        ("scoring", "0012_jury_reminder_round"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
