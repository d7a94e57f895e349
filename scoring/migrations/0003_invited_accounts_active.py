"""Invited accounts are now active without a password (they cannot sign in until the link
sets one), so that an inactive account means a deactivated one, whose link is refused. Until
now an invitee waited inactive: those are made active here. None of them can have been
deactivated on purpose, since deactivating an account that was already inactive changed
nothing."""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import migrations


def activate_waiting_invitees(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    JuryMember = apps.get_model("scoring", "JuryMember")
    waiting = JuryMember.objects.filter(accepted_at__isnull=True).values("user_id")
    (User.objects.filter(pk__in=waiting, is_active=False, last_login__isnull=True,
                         password__startswith=UNUSABLE_PASSWORD_PREFIX)
     .update(is_active=True))


class Migration(migrations.Migration):
    dependencies = [
        ("scoring", "0002_publication_event_protects_run"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(activate_waiting_invitees, migrations.RunPython.noop)]
