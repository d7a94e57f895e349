"""A thematic area whose scoring has closed: three entries, three jurors assigned to all of
them (two submitted everything, the third has a draft left), a chair, and a succeeded run
whose first place is clear (no flag, no move: it needs no justification) while its second
place and the unplaced third are statistically indistinguishable and swap under the
median (the award between them needs one)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from accounts.models import User
from competitions.enums import Phase
from competitions.models import Edition, ThematicArea
from deliberation.services import area_chair_appoint
from practices.models import Entry
from scoring.enums import SheetStatus
from scoring.models import RankingResult, RankingRun
from tests.factories import (
    AssignmentFactory,
    CriterionFactory,
    EntryFactory,
    JuryMemberFactory,
    JurySheetFactory,
    OrganiserFactory,
    SheetScoreFactory,
    ThematicAreaFactory,
    UserFactory,
)
from tests.portal.factories_showcase import RankingResultFactory, RankingRunFactory
from tests.scoring.factories_jury import ReviewEditionFactory


@dataclass
class Panel:
    edition: Edition
    area: ThematicArea
    entries: list[Entry]
    chair: User
    juror: User  # submitted everything, not the chair
    late: User  # one sheet still a draft
    outsider: User  # on the jury, assigned to nothing
    organiser: User
    run: RankingRun
    results: list[RankingResult]


def closed_edition(**kwargs) -> Edition:
    now = timezone.now()
    return ReviewEditionFactory(phase=Phase.RANKED, review_open_at=now - dt.timedelta(days=10),
                                review_close_at=now - dt.timedelta(days=1), **kwargs)


def build_panel(edition: Edition | None = None) -> Panel:
    edition = edition or closed_edition()
    area = ThematicAreaFactory(edition=edition, code="I", awards=2)
    criteria = [CriterionFactory(edition=edition, order=1),
                CriterionFactory(edition=edition, order=2)]
    entries = [EntryFactory(area=area, practice__title=f"Practice {n}",
                            practice__title_en=f"Practice {n}") for n in (1, 2, 3)]
    chair = UserFactory(username="chair", first_name="Chaira", last_name="Chairova",
                        language="en")
    juror = UserFactory(username="juror", first_name="Yuri", last_name="Jurorov",
                        language="bg")
    late = UserFactory(username="late", first_name="Lada", last_name="Latova")
    outsider = UserFactory(username="outsider")
    for user in (chair, juror, late, outsider):
        JuryMemberFactory(edition=edition, user=user)
    for user in (chair, juror, late):
        for index, entry in enumerate(entries):
            AssignmentFactory(entry=entry, juror=user)
            draft = user == late and index == 2
            sheet = JurySheetFactory(
                entry=entry, juror=user, overall_comment=f"SHEET-{user.username}-{index}",
                status=SheetStatus.DRAFT if draft else SheetStatus.SUBMITTED,
                submitted_at=None if draft else timezone.now())
            for criterion in criteria:
                SheetScoreFactory(sheet=sheet, criterion=criterion, value=7,
                                  comment=f"NOTE-{user.username}-{index}")
    organiser = OrganiserFactory(username="organiser-d")
    area_chair_appoint(area=area, user=chair, by=organiser)
    run = RankingRunFactory(edition=edition, report={"sensitivity": {
        "method": "weighted_mean", "scenarios": [{"name": "method:median", "changes": [
            {"entry_id": entries[1].pk, "place_before": 2, "place_after": None},
            {"entry_id": entries[2].pk, "place_before": None, "place_after": 2}]}]}})
    results = [
        RankingResultFactory(run=run, entry=entries[0], area=area, rank=1, place=1,
                             total=8.9, flags=[]),
        RankingResultFactory(run=run, entry=entries[1], area=area, rank=2, place=2,
                             total=8.0, flags=["indistinguishable"]),
        RankingResultFactory(run=run, entry=entries[2], area=area, rank=3, place=None,
                             total=7.9, flags=["indistinguishable"]),
    ]
    return Panel(edition, area, entries, chair, juror, late, outsider, organiser, run, results)


@pytest.fixture
def panel(db) -> Panel:
    return build_panel()


def departing_places(panel: Panel) -> list[dict]:
    """Place 1 and 2 swapped, the third entry a special mention; every row justified."""
    first, second, third = panel.entries
    return [{"entry": second.pk, "place": 1, "justification": "Its results last longer."},
            {"entry": first.pk, "place": 2, "justification": "Close second."},
            {"entry": third.pk, "place": None, "mention": True,
             "justification": "Original idea."}]
