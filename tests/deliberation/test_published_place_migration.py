"""The migrations that bring `RankingResult.published_place`: a run already published gets
its computed places, then its area's recorded decision over them; other runs get none."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("scoring", "0014_jury_reminder_round_required"),
          ("deliberation", "0001_chairs_panels_decisions")]


def _results(apps, run_id) -> dict[int, int | None]:
    return dict(apps.get_model("scoring", "RankingResult").objects.filter(run_id=run_id)
                .values_list("entry_id", "published_place"))


@pytest.mark.django_db(transaction=True)
def test_published_runs_get_their_decided_or_computed_places():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    now = timezone.now()
    from accounts.models import User
    from competitions.models import Edition, Municipality, ThematicArea
    from practices.models import Entry, Practice

    (edition,) = Edition.objects.bulk_create([Edition(
        title="Старо", slug="old-edition", submissions_open_at=now - dt.timedelta(days=90),
        submissions_close_at=now - dt.timedelta(days=60),
        review_open_at=now - dt.timedelta(days=59), review_close_at=now - dt.timedelta(days=1))])
    decided_area = ThematicArea.objects.create(edition=edition, code="I", title="Област")
    plain_area = ThematicArea.objects.create(edition=edition, code="II", title="Друга")
    town = Municipality.objects.create(name="Град", region="Регион")
    entries = [Entry.objects.create(practice=Practice.objects.create(municipality=town,
                                                                     title=f"П{n}"),
                                    area=area, edition=edition, status="eligible")
               for n, area in enumerate((decided_area, decided_area, plain_area))]
    chair = User.objects.create(username="old-chair")
    first_round = apps.get_model("scoring", "JudgingRound").objects.get_or_create(
        edition_id=edition.pk, number=1, defaults={
            "review_open_at": edition.review_open_at,
            "review_close_at": edition.review_close_at})[0]
    Run = apps.get_model("scoring", "RankingRun")
    Result = apps.get_model("scoring", "RankingResult")
    published = Run.objects.create(edition_id=edition.pk, status="succeeded",
                                   round_id=first_round.pk, is_published=True)
    draft = Run.objects.create(edition_id=edition.pk, status="succeeded",
                               round_id=first_round.pk)
    for run in (published, draft):
        for entry, rank in zip(entries, (1, 2, 1), strict=True):
            Result.objects.create(run_id=run.pk, entry_id=entry.pk, area_id=entry.area_id,
                                  rank=rank, place=rank)
    decision = apps.get_model("deliberation", "AreaDecision").objects.create(
        run_id=published.pk, area_id=decided_area.pk, status="recorded", chair_id=chair.pk)
    for entry, place in zip(entries[:2], (2, 1), strict=True):
        apps.get_model("deliberation", "DecisionPlace").objects.create(
            decision_id=decision.pk, entry_id=entry.pk, place=place)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    apps = executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps
    first, second, other = entries
    assert _results(apps, published.pk) == {first.pk: 2, second.pk: 1, other.pk: 1}
    assert _results(apps, draft.pk) == {first.pk: None, second.pk: None, other.pk: None}
