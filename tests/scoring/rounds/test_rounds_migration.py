"""The migration that brings rounds: every existing edition gets round 1 over its review
dates, and its assignments, sheets and runs belong to it."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("scoring", "0008_judging_rounds")]


@pytest.mark.django_db(transaction=True)
def test_existing_editions_get_round_one_with_their_records():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    now = timezone.now()
    # the other apps' tables are as they are now: their current models (bulk_create: no
    # signal makes round 1 before the migration does)
    from accounts.models import User
    from competitions.models import Edition, Municipality, ThematicArea
    from practices.models import Entry, Practice

    (edition,) = Edition.objects.bulk_create([Edition(
        title="Старо", slug="old-edition", submissions_open_at=now - dt.timedelta(days=90),
        submissions_close_at=now - dt.timedelta(days=60),
        review_open_at=now - dt.timedelta(days=59), review_close_at=now - dt.timedelta(days=1))])
    area = ThematicArea.objects.create(edition=edition, code="I", title="Област")
    town = Municipality.objects.create(name="Град", region="Регион")
    practice = Practice.objects.create(municipality=town, title="Практика")
    entry = Entry.objects.create(practice=practice, area=area, edition=edition,
                                 status="eligible")
    juror = User.objects.create(username="old-juror")
    apps.get_model("scoring", "Assignment").objects.create(entry_id=entry.pk, juror_id=juror.pk)
    apps.get_model("scoring", "JurySheet").objects.create(entry_id=entry.pk, juror_id=juror.pk)
    apps.get_model("scoring", "RankingRun").objects.create(edition_id=edition.pk)
    member = apps.get_model("scoring", "JuryMember").objects.create(edition_id=edition.pk,
                                                                    user_id=juror.pk)
    apps.get_model("scoring", "JuryReminder").objects.create(member_id=member.pk,
                                                             days_before=3, open_sheets=1)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    apps = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    rounds = apps.get_model("scoring", "JudgingRound").objects.filter(edition_id=edition.pk)
    first = rounds.get()
    assert (first.number, first.review_open_at, first.review_close_at) == (
        1, edition.review_open_at, edition.review_close_at)
    # a reminder sent before rounds counted down to round 1
    for name in ("Assignment", "JurySheet", "RankingRun", "JuryReminder"):
        assert list(apps.get_model("scoring", name).objects.values_list(
            "round_id", flat=True)) == [first.pk]
