import datetime as dt
import zoneinfo

import pytest

from competitions.enums import Phase
from tests.factories import (
    EditionFactory,
    JuryMemberFactory,
    MunicipalityFactory,
    OfficerFactory,
    OrganiserFactory,
    ThematicAreaFactory,
    UserFactory,
)

from .factories_practices import CompletePracticeFactory

SOFIA = zoneinfo.ZoneInfo("Europe/Sofia")


@pytest.fixture
def municipality(db):
    return MunicipalityFactory()


@pytest.fixture
def officer(municipality):
    return OfficerFactory(municipality=municipality)


@pytest.fixture
def other_officer(db):
    return OfficerFactory()


@pytest.fixture
def organiser(db):
    return OrganiserFactory()


@pytest.fixture
def juror(db):
    """On the jury of an edition, assigned to nothing."""
    user = UserFactory()
    JuryMemberFactory(user=user)
    return user


@pytest.fixture
def edition(db):
    return EditionFactory()


@pytest.fixture
def area(edition):
    return ThematicAreaFactory(edition=edition, code="I")


@pytest.fixture
def area2(edition):
    return ThematicAreaFactory(edition=edition, code="II")


@pytest.fixture
def practice(municipality):
    return CompletePracticeFactory(municipality=municipality)


@pytest.fixture
def fixed_edition(db):
    """Call opened 15 October 2026 01:30 in Sofia (14 October in UTC), deadline 1 December
    2026 17:00 in Sofia: the eligibility window is 15 April 2025 .. 1 December 2026."""
    return EditionFactory(
        phase=Phase.OPEN,
        submissions_open_at=dt.datetime(2026, 10, 15, 1, 30, tzinfo=SOFIA),
        submissions_close_at=dt.datetime(2026, 12, 1, 17, 0, tzinfo=SOFIA),
        review_open_at=dt.datetime(2026, 12, 2, 9, 0, tzinfo=SOFIA),
        review_close_at=dt.datetime(2027, 1, 31, 17, 0, tzinfo=SOFIA),
    )


@pytest.fixture
def fixed_area(fixed_edition):
    return ThematicAreaFactory(edition=fixed_edition, code="I")


@pytest.fixture
def during_fixed():
    return dt.datetime(2026, 11, 20, 12, 0, tzinfo=SOFIA)
