"""A two-round edition: round 1 scored and closed, round 2 open now."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from competitions.enums import Phase
from scoring.models import JudgingRound
from scoring.services.ranking import ranking_run_create, ranking_run_execute
from scoring.services.rounds import round_add
from tests.factories import OrganiserFactory
from tests.scoring.factories_ranking import Competition, competition


def _at(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


@dataclass
class TwoRounds:
    game: Competition
    first: JudgingRound
    second: JudgingRound
    organiser: object

    @property
    def edition(self):
        return self.game.edition

    @property
    def area(self):
        return self.game.areas[0]

    def run(self, judging_round, method="weighted_mean"):
        run = ranking_run_create(edition=self.edition, judging_round=judging_round,
                                 method=method, bootstrap_samples=20)
        return ranking_run_execute(run_id=run.pk)


@pytest.fixture
def two_rounds(db) -> TwoRounds:
    """Four entries in one area scored by three jurors in round 1 (entry k: 9 - k), round 1
    closed ten days ago, round 2 open since yesterday for ten days."""
    game = competition(entries_per_area=4, jurors=3, phase=Phase.REVIEW,
                       submissions_open_at=_at(-60), submissions_close_at=_at(-40),
                       review_open_at=_at(-30), review_close_at=_at(-10))
    organiser = OrganiserFactory()
    first = game.edition.rounds.get(number=1)
    second = round_add(edition=game.edition, review_open_at=_at(-1), review_close_at=_at(10),
                       by=organiser, shortlist_top_n=2)
    game.edition.refresh_from_db()
    return TwoRounds(game=game, first=first, second=second, organiser=organiser)
