"""Nothing lost, nothing doubled when requests race: real threads on PostgreSQL.

SQLite serialises every writer, so these races only mean something on PostgreSQL, where CI
runs them (.ci/run sets DATABASE_URL); elsewhere they are skipped, saying why.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.models import User
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
from scoring.models import JuryMember
from tests.factories import (
    EditionFactory,
    EntryFactory,
    OfficerFactory,
    OrganiserFactory,
    ThematicAreaFactory,
)
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
    records_before = entry.history.count()
    withdrawn, submitted = race(lambda: entry_withdraw(entry=entry, by=officer),
                                lambda: entry_submit(entry=entry, by=officer))
    entry.refresh_from_db()
    # The withdrawal always lands; the submit of an entry already submitted is refused
    # when it runs first, and submits the withdrawn entry again when it runs second.
    assert isinstance(withdrawn, Entry)
    if isinstance(submitted, ValidationError):
        assert submitted.messages == ["This entry is already submitted."]
        assert entry.status == EntryStatus.WITHDRAWN
    else:
        assert isinstance(submitted, Entry)
        assert entry.status == EntryStatus.SUBMITTED
    # one audit record per change that landed, the last one the entry's state
    landed = [o for o in (withdrawn, submitted) if isinstance(o, Entry)]
    assert entry.history.count() == records_before + len(landed)
    assert entry.history.latest("history_date", "history_id").status == entry.status


def test_changes_racing_the_deadline_are_decided_by_their_time_not_their_order(open_area):
    """A submit a second before the deadline and a withdrawal at the deadline, on ONE
    entry, at the same moment, over many rounds (so each takes the entry's lock first in
    some): the submit always lands and the withdrawal is always refused, the call being
    closed by then, whichever ran first."""
    deadline = open_area.edition.submissions_close_at
    officer = OfficerFactory()
    entry = EntryFactory(practice=CompletePracticeFactory(municipality=officer.municipality),
                         area=open_area, status=EntryStatus.DRAFT)
    for _round in range(10):
        Entry.objects.filter(pk=entry.pk).update(status=EntryStatus.DRAFT, submitted_at=None)
        submitted, withdrawn = race(
            lambda: entry_submit(entry=entry, by=officer,
                                 at=deadline - dt.timedelta(seconds=1)),
            lambda: entry_withdraw(entry=entry, by=officer, at=deadline))
        assert isinstance(submitted, Entry), submitted
        assert isinstance(withdrawn, ValidationError)
        assert withdrawn.code == "closed"
        entry.refresh_from_db()
        assert entry.status == EntryStatus.SUBMITTED
    assert not entry.history.filter(status=EntryStatus.WITHDRAWN).exists()


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


def test_inviting_a_new_address_several_times_at_once_makes_one_juror():
    """A double (triple) click on "Invite" for an address no account has yet: one account,
    one membership, and every answer a page (the losers used to hit the unique address)."""
    edition, organiser = EditionFactory(), OrganiserFactory()

    def click():
        client = Client()
        client.force_login(organiser)
        return client.post(f"/organiser/jury/{edition.slug}/",
                           {"email": "Double.Click@example.org"}).status_code

    for _round in range(3):
        User.objects.filter(email__iexact="double.click@example.org").delete()
        assert race(click, click, click) == [302, 302, 302]
        assert User.objects.filter(email__iexact="double.click@example.org").count() == 1
        assert JuryMember.objects.filter(edition=edition).count() == 1
