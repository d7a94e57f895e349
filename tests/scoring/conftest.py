from dataclasses import dataclass

import pytest

from accounts.models import User
from competitions.models import Criterion, Edition, ThematicArea
from practices.models import Entry
from tests.factories import (
    AssignmentFactory,
    CriterionFactory,
    EntryFactory,
    JuryMemberFactory,
    RubricLevelFactory,
    ThematicAreaFactory,
    UserFactory,
)

from .factories_jury import ReviewEditionFactory


@dataclass
class Jury:
    edition: Edition
    area: ThematicArea
    criteria: list[Criterion]
    entry: Entry
    juror: User
    other_juror: User


@pytest.fixture
def jury(db) -> Jury:
    """An edition in review with two criteria (with rubrics), one entry assigned to two
    jurors."""
    edition = ReviewEditionFactory()
    area = ThematicAreaFactory(edition=edition)
    criteria = [CriterionFactory(edition=edition, order=1, title="Значимост",
                                 title_en="Relevance and impact",
                                 guidance_en="How much it changed for the citizens."),
                CriterionFactory(edition=edition, order=2, title="Иновативност",
                                 title_en="Innovativeness")]
    RubricLevelFactory(criterion=criteria[0], score=2, description_en="Hardly any effect")
    RubricLevelFactory(criterion=criteria[0], score=8, description_en="A lasting change")
    entry = EntryFactory(area=area)
    juror = UserFactory(username="juror-a")
    other = UserFactory(username="juror-b")
    for user in (juror, other):
        JuryMemberFactory(edition=edition, user=user)
        AssignmentFactory(entry=entry, juror=user)
    return Jury(edition=edition, area=area, criteria=criteria, entry=entry, juror=juror,
                other_juror=other)


@pytest.fixture
def real_worker_mode():
    """The suite runs tasks in-process; in the integration tests they go through the
    broker to a real worker."""
    from portal.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = eager
