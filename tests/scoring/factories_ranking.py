"""Editions whose jury has finished, with submitted sheets, for the ranking tests."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from competitions.enums import Phase
from competitions.models import Criterion, Edition, ThematicArea
from practices.models import Entry
from scoring.enums import SheetStatus
from scoring.models import JuryMember, JurySheet, SheetScore
from tests.factories import (
    CriterionFactory,
    EditionFactory,
    EntryFactory,
    PracticeFactory,
    ThematicAreaFactory,
    UserFactory,
    days_ago,
)


class RankedEditionFactory(EditionFactory):
    """An edition whose jury review closed yesterday."""

    phase = Phase.RANKED
    submissions_open_at = factory.LazyFunction(lambda: days_ago(90))
    submissions_close_at = factory.LazyFunction(lambda: days_ago(60))
    review_open_at = factory.LazyFunction(lambda: days_ago(59))
    review_close_at = factory.LazyFunction(lambda: days_ago(1))
    scale_min = 0
    scale_max = 10
    min_sheets_per_entry = 2


@dataclass
class Competition:
    edition: Edition
    criteria: list[Criterion]
    areas: list[ThematicArea]
    entries: list[Entry]
    jurors: list[User]
    by_area: dict[int, list[Entry]] = field(default_factory=dict)


def sheet(entry: Entry, juror: User, criteria: Sequence[Criterion], values: Sequence[int | None],
          *, status: str = SheetStatus.SUBMITTED, recused: bool = False) -> JurySheet:
    """A juror's sheet with one score per criterion (in the order given)."""
    made = JurySheet.objects.create(entry=entry, juror=juror, status=status, recused=recused,
                                    submitted_at=timezone.now())
    SheetScore.objects.bulk_create(SheetScore(sheet=made, criterion=c, value=v)
                                   for c, v in zip(criteria, values, strict=True))
    return made


def competition(*, areas: int = 1, entries_per_area: int = 3, jurors: int = 3,
                weights: Sequence[int] = (1, 1), awards: int = 2,
                score: Callable[[int, int, int, int], int] | None = None,
                **edition_kwargs) -> Competition:
    """An edition with `areas` areas of `entries_per_area` eligible entries, each scored by
    every one of `jurors` jurors. `score(area, entry, juror, criterion)` (all 0-based) gives
    the value; by default entry k of an area gets 9 - k everywhere (entry 0 wins)."""
    edition = RankedEditionFactory(**edition_kwargs)
    criteria = [CriterionFactory(edition=edition, order=i + 1, weight=Decimal(w))
                for i, w in enumerate(weights)]
    made_areas = [ThematicAreaFactory(edition=edition, code=["I", "II", "III", "IV"][i],
                                      order=i, awards=awards) for i in range(areas)]
    people = [UserFactory(first_name=f"Juror{j}") for j in range(jurors)]
    for person in people:
        JuryMember.objects.create(edition=edition, user=person, accepted_at=timezone.now())
    score = score or (lambda a, e, j, c: max(0, 9 - e))
    entries, by_area = [], {}
    for a, area in enumerate(made_areas):
        by_area[area.pk] = []
        for e in range(entries_per_area):
            entry = EntryFactory(area=area, practice=PracticeFactory(title=f"P{a}-{e}"))
            entries.append(entry)
            by_area[area.pk].append(entry)
            for j, person in enumerate(people):
                sheet(entry, person, criteria,
                      [score(a, e, j, c) for c in range(len(criteria))])
    return Competition(edition, criteria, made_areas, entries, people, by_area)
