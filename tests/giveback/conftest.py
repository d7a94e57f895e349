"""A published edition whose entries, municipalities and jurors carry markers, so a test
can search a report for anything that must never be in it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from giveback import services as giveback_services
from giveback.enums import CommentDecision
from giveback.models import Signatory
from giveback.services import comment_release_decide
from scoring.enums import SheetStatus
from tests.factories import (
    CriterionFactory,
    EntryFactory,
    JurySheetFactory,
    MunicipalityFactory,
    OfficerFactory,
    OrganiserFactory,
    PracticeFactory,
    RubricLevelFactory,
    SheetScoreFactory,
    ThematicAreaFactory,
    UserFactory,
)
from tests.portal.factories_showcase import (
    PublishedEditionFactory,
    PublishedRunFactory,
    RankingResultFactory,
    record_snapshot,
)


@pytest.fixture
def booklet_steps(monkeypatch) -> list:
    """A booklet's task paused at each of its progress steps: every callable appended to the
    list is called with (booklet_id, percent, stage) right after a step is recorded, so a test
    reads the progress page mid-way (or sleeps, for a browser to see the bar move). The pause
    lives here, in the tests, not in the service."""
    hooks: list = []
    record = giveback_services._progress

    def paused(booklet_id: int, percent: int, stage: str, **fields) -> None:
        record(booklet_id, percent, stage, **fields)
        for hook in hooks:
            hook(booklet_id, percent, stage)

    monkeypatch.setattr(giveback_services, "_progress", paused)
    return hooks


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://portal.example.org"


@dataclass
class Giveback:
    edition: object
    run: object
    area: object
    criteria: list
    entry: object  # the entry whose report is read: place 2 of 4
    entries: list  # all four, by rank
    officer: object
    other_officer: object
    organiser: object
    juror: object


def _sheet(entry, juror, criteria, comments: list[str], overall: str):
    sheet = JurySheetFactory(entry=entry, juror=juror, status=SheetStatus.SUBMITTED,
                             overall_comment=overall)
    for criterion, comment in zip(criteria, comments, strict=True):
        SheetScoreFactory(sheet=sheet, criterion=criterion, value=7, comment=comment)
    return sheet


@pytest.fixture
def giveback(db) -> Giveback:
    edition = PublishedEditionFactory(slug="giveback-edition", title="Издание 2026",
                                      title_en="Edition 2026", language="bg")
    criteria = [CriterionFactory(edition=edition, order=1, title="Значимост",
                                 title_en="Relevance"),
                CriterionFactory(edition=edition, order=2, title="Устойчивост",
                                 title_en="Sustainability")]
    for criterion in criteria:
        for score, words in ((0, "nothing yet"), (5, "halfway there"),
                             (8, "LEVEL-EIGHT evidence"), (10, "LEVEL-TEN everything")):
            RubricLevelFactory(criterion=criterion, score=score, description=words,
                               description_en=words)
    area = ThematicAreaFactory(edition=edition, code="I", order=1, awards=2,
                               title="Гражданско участие", title_en="Civic participation")
    run = PublishedRunFactory(edition=edition)
    own = MunicipalityFactory(name="Тунджа", name_en="Tundzha")
    entries = []
    for rank in range(1, 5):
        if rank == 2:
            practice = PracticeFactory(municipality=own, title="С Тунджа в сърцето",
                                       title_en="With Tundzha at Heart")
        else:
            practice = PracticeFactory(
                municipality=MunicipalityFactory(name=f"OTHER-MUNI-{rank}",
                                                 name_en=f"OTHER-MUNI-{rank}"),
                title=f"OTHER-ENTRY-{rank}", title_en=f"OTHER-ENTRY-{rank}")
        entry = EntryFactory(practice=practice, area=area, edition=edition)
        RankingResultFactory(run=run, entry=entry, area=area, total=10.0 - rank,
                             criterion_scores=[10.0 - rank, 9.5 - rank], rank=rank,
                             place=rank if rank <= 2 else None, sheet_count=3)
        entries.append(entry)
    record_snapshot(run)
    organiser = OrganiserFactory(username="organiser-gb")
    juror = UserFactory(username="JUROR-USER", first_name="JUROR-FIRST",
                        last_name="JUROR-LAST")
    other_juror = UserFactory(username="JUROR2-USER", first_name="JUROR2-FIRST",
                              last_name="JUROR2-LAST")
    target = entries[1]
    sheet = _sheet(target, juror, criteria, ["RELEASED-COMMENT one", "WITHHELD-COMMENT"],
                   "OVERALL-ORIGINAL")
    pending = _sheet(target, other_juror, criteria, ["PENDING-COMMENT", ""], "")
    comment_release_decide(sheet=sheet, criterion=criteria[0],
                           decision=CommentDecision.RELEASED, text="RELEASED-COMMENT one",
                           by=organiser)
    comment_release_decide(sheet=sheet, criterion=criteria[1],
                           decision=CommentDecision.WITHHELD, text="WITHHELD-COMMENT",
                           by=organiser)
    comment_release_decide(sheet=sheet, criterion=None, decision=CommentDecision.RELEASED,
                           text="OVERALL-EDITED by the organiser", by=organiser)
    assert pending.pk
    # another entry's released comments must stay on its own report
    other_sheet = _sheet(entries[0], juror, criteria, ["OTHER-SHEET-COMMENT", ""],
                         "OTHER-SHEET-OVERALL")
    comment_release_decide(sheet=other_sheet, criterion=criteria[0],
                           decision=CommentDecision.RELEASED, text="OTHER-SHEET-COMMENT",
                           by=organiser)
    Signatory.objects.create(edition=edition, order=0, name="Иван Петров",
                             name_en="Ivan Petrov", role="Председател на журито",
                             role_en="Chair of the jury")
    return Giveback(edition=edition, run=run, area=area, criteria=criteria, entry=target,
                    entries=entries, officer=OfficerFactory(municipality=own),
                    other_officer=OfficerFactory(municipality=entries[0].practice.municipality),
                    organiser=organiser, juror=juror)


FORBIDDEN = ("OTHER-ENTRY", "OTHER-MUNI", "JUROR", "WITHHELD-COMMENT", "PENDING-COMMENT",
             "OTHER-SHEET", "OVERALL-ORIGINAL")
