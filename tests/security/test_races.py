"""Nothing lost, nothing doubled when requests race: real threads on PostgreSQL.

SQLite serialises every writer, so these races only mean something on PostgreSQL, where CI
runs them (.ci/run sets DATABASE_URL); elsewhere they are skipped, saying why.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from practices.enums import EntryStatus
from practices.models import Entry, Practice
from practices.services import (
    PRACTICE_FIELDS,
    PracticeChanged,
    entry_create,
    entry_submit,
    entry_withdraw,
    practice_update,
    practice_version,
)
from tests.factories import EditionFactory, EntryFactory, OfficerFactory, ThematicAreaFactory
from tests.practices.factories_practices import CompletePracticeFactory
from tests.races import RACE_MARKS, race

pytestmark = RACE_MARKS


@pytest.fixture
def open_area():
    return ThematicAreaFactory(edition=EditionFactory())


def test_double_submit_submits_once(open_area):
    officer = OfficerFactory()
    entry = EntryFactory(practice=CompletePracticeFactory(municipality=officer.municipality),
                         area=open_area, status=EntryStatus.DRAFT)
    outcomes = race(*[lambda: entry_submit(entry=entry, by=officer)] * 2)
    submitted = [o for o in outcomes if isinstance(o, Entry)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(submitted), len(refused)) == (1, 1)
    assert refused[0].messages == ["This entry is already submitted."]
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED
    assert entry.history.filter(status=EntryStatus.SUBMITTED).count() == 1


def test_two_tabs_entering_two_practices_respect_the_limit_of_one(open_area):
    officer = OfficerFactory()
    first, second = (CompletePracticeFactory(municipality=officer.municipality)
                     for _ in range(2))
    outcomes = race(lambda: entry_create(practice=first, area=open_area, by=officer),
                    lambda: entry_create(practice=second, area=open_area, by=officer))
    assert sorted(type(o).__name__ for o in outcomes) == ["Entry", "ValidationError"]
    assert Entry.objects.filter(area=open_area).count() == 1


def test_submit_and_withdraw_racing_leave_a_consistent_entry(open_area):
    officer = OfficerFactory()
    entry = EntryFactory(practice=CompletePracticeFactory(municipality=officer.municipality),
                         area=open_area, status=EntryStatus.SUBMITTED,
                         submitted_at=timezone.now())
    race(lambda: entry_withdraw(entry=entry, by=officer),
         lambda: entry_submit(entry=entry, by=officer))
    entry.refresh_from_db()
    history = list(entry.history.order_by("history_date").values_list("status", flat=True))
    # whatever the order, the final state is the last recorded one and nothing was lost
    assert entry.status == history[-1]
    assert entry.status in (EntryStatus.SUBMITTED, EntryStatus.WITHDRAWN)


def test_save_racing_the_deadline_is_decided_by_the_server_clock(open_area):
    deadline = open_area.edition.submissions_close_at
    officers = [OfficerFactory(), OfficerFactory()]
    before, after = (EntryFactory(practice=CompletePracticeFactory(
        municipality=officer.municipality), area=open_area, status=EntryStatus.DRAFT)
        for officer in officers)
    outcomes = race(
        lambda: entry_submit(entry=before, by=officers[0],
                             at=deadline - dt.timedelta(seconds=1)),
        lambda: entry_submit(entry=after, by=officers[1], at=deadline))
    assert isinstance(outcomes[0], Entry)
    assert isinstance(outcomes[1], ValidationError)
    after.refresh_from_db()
    assert after.status == EntryStatus.DRAFT


def test_two_tabs_saving_a_practice_at_once_never_lose_a_change():
    officer = OfficerFactory()
    practice = CompletePracticeFactory(municipality=officer.municipality)
    opened = practice_version(practice)
    form = {name: getattr(practice, name) for name in PRACTICE_FIELDS}
    outcomes = race(
        lambda: practice_update(practice=practice, by=officer, version=opened,
                                data={**form, "title": "Title from tab 1"}),
        lambda: practice_update(practice=practice, by=officer, version=opened,
                                data={**form, "results": "Results from tab 2"}))
    saved = [o for o in outcomes if isinstance(o, Practice)]
    refused = [o for o in outcomes if isinstance(o, PracticeChanged)]
    assert (len(saved), len(refused)) == (1, 1)
    practice.refresh_from_db()
    # The save that lost the race changed nothing, and is told the other tab's change.
    if practice.title == "Title from tab 1":
        assert practice.results == "Резултати и числа."
        assert refused[0].taken == {"title": "Title from tab 1"}
    else:
        assert practice.results == "Results from tab 2"
        assert refused[0].taken == {"results": "Results from tab 2"}
