import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from practices.enums import EntryStatus
from practices.models import Entry
from practices.rules import practice_is_locked
from practices.services import (
    PRACTICE_FIELDS,
    PracticeChanged,
    entry_create,
    entry_decide_eligibility,
    entry_discard,
    entry_submit,
    entry_withdraw,
    practice_update,
    practice_version,
)
from tests.factories import EntryFactory, ThematicAreaFactory

from .conftest import SOFIA
from .factories_practices import CompletePracticeFactory

pytestmark = pytest.mark.django_db


def _submit(practice, area, at):
    entry = entry_create(practice=practice, area=area, by=None, at=at)
    return entry_submit(entry=entry, by=None, at=at)


def test_eligibility_window_is_in_the_edition_time_zone(fixed_edition):
    assert fixed_edition.eligibility_window == (dt.date(2025, 4, 15), dt.date(2026, 12, 1))


@pytest.mark.parametrize(("implemented_on", "eligible"), [
    (dt.date(2025, 4, 14), False),   # the day before the window
    (dt.date(2025, 4, 15), True),    # day 0 of the window
    (dt.date(2026, 12, 1), True),    # the last day of the window
    (dt.date(2026, 12, 2), False),   # the day after
])
def test_entry_submit_eligibility_at_window_boundaries(fixed_area, during_fixed, municipality,
                                                       implemented_on, eligible):
    practice = CompletePracticeFactory(municipality=municipality, implemented_on=implemented_on)
    entry = entry_create(practice=practice, area=fixed_area, by=None, at=during_fixed)
    if eligible:
        assert entry_submit(entry=entry, by=None, at=during_fixed).status == EntryStatus.SUBMITTED
    else:
        with pytest.raises(ValidationError) as caught:
            entry_submit(entry=entry, by=None, at=during_fixed)
        assert caught.value.messages == [
            "The practice must have been implemented, or substantially upgraded, between "
            "2025-04-15 and 2026-12-01."]
        entry.refresh_from_db()
        assert entry.status == EntryStatus.DRAFT


def test_entry_submit_sustained_practice_upgraded_in_window(fixed_area, during_fixed,
                                                            municipality):
    practice = CompletePracticeFactory(
        municipality=municipality, implemented_on=dt.date(2015, 1, 1), is_sustained=True,
        upgrade_description="Нов модул.", upgraded_on=dt.date(2025, 4, 15))
    assert _submit(practice, fixed_area, during_fixed).status == EntryStatus.SUBMITTED


def test_entry_submit_sustained_practice_without_upgrade_description_refused(
        fixed_area, during_fixed, municipality):
    practice = CompletePracticeFactory(
        municipality=municipality, implemented_on=dt.date(2015, 1, 1), is_sustained=True,
        upgrade_description="", upgraded_on=dt.date(2026, 1, 10))
    entry = entry_create(practice=practice, area=fixed_area, by=None, at=during_fixed)
    with pytest.raises(ValidationError) as caught:
        entry_submit(entry=entry, by=None, at=during_fixed)
    assert caught.value.messages == [
        "Fill in: how it was upgraded.",
        "The practice must have been implemented, or substantially upgraded, between "
        "2025-04-15 and 2026-12-01."]


def test_entry_submit_incomplete_practice_lists_what_is_missing(area, municipality, officer):
    practice = CompletePracticeFactory(municipality=municipality, problem="", contact_email="")
    entry = entry_create(practice=practice, area=area, by=officer)
    with pytest.raises(ValidationError) as caught:
        entry_submit(entry=entry, by=officer)
    assert caught.value.messages == ["Fill in: the problem it addresses.",
                                     "Fill in: contact e-mail."]


@pytest.mark.parametrize(("minutes", "open_"), [(-1, True), (0, False), (1, False)])
def test_entry_submit_deadline_at_the_minute(fixed_area, municipality, minutes, open_):
    deadline = dt.datetime(2026, 12, 1, 17, 0, tzinfo=SOFIA)
    at = deadline + dt.timedelta(minutes=minutes)
    practice = CompletePracticeFactory(municipality=municipality,
                                       implemented_on=dt.date(2026, 3, 1))
    entry = EntryFactory(practice=practice, area=fixed_area, status=EntryStatus.DRAFT)
    if open_:
        submitted = entry_submit(entry=entry, by=None, at=at)
        assert submitted.submitted_at == at
    else:
        with pytest.raises(ValidationError) as caught:
            entry_submit(entry=entry, by=None, at=at)
        assert caught.value.messages == [
            f"Submissions to {fixed_area.edition.display_title} are closed."]
        entry.refresh_from_db()
        assert entry.status == EntryStatus.DRAFT


def test_entry_submit_deadline_same_instant_in_utc(fixed_area, municipality):
    """17:00 in Sofia is 15:00 UTC in December: 14:59 UTC is still open."""
    practice = CompletePracticeFactory(municipality=municipality,
                                       implemented_on=dt.date(2026, 3, 1))
    entry = EntryFactory(practice=practice, area=fixed_area, status=EntryStatus.DRAFT)
    at = dt.datetime(2026, 12, 1, 14, 59, tzinfo=dt.UTC)
    assert entry_submit(entry=entry, by=None, at=at).status == EntryStatus.SUBMITTED


@pytest.mark.parametrize("minutes", [0, 1])
def test_entry_withdraw_after_deadline_refused(fixed_area, municipality, during_fixed, minutes):
    practice = CompletePracticeFactory(municipality=municipality,
                                       implemented_on=dt.date(2026, 3, 1))
    entry = _submit(practice, fixed_area, during_fixed)
    at = dt.datetime(2026, 12, 1, 17, 0, tzinfo=SOFIA) + dt.timedelta(minutes=minutes)
    with pytest.raises(ValidationError):
        entry_withdraw(entry=entry, by=None, at=at)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_entry_withdraw_just_before_deadline(fixed_area, municipality, during_fixed):
    practice = CompletePracticeFactory(municipality=municipality,
                                       implemented_on=dt.date(2026, 3, 1))
    entry = _submit(practice, fixed_area, during_fixed)
    at = dt.datetime(2026, 12, 1, 16, 59, tzinfo=SOFIA)
    withdrawn = entry_withdraw(entry=entry, by=None, at=at)
    assert (withdrawn.status, withdrawn.withdrawn_at) == (EntryStatus.WITHDRAWN, at)


def test_entry_create_one_more_than_the_limit_refused(area, municipality, officer):
    first = CompletePracticeFactory(municipality=municipality)
    second = CompletePracticeFactory(municipality=municipality)
    entry_create(practice=first, area=area, by=officer)
    with pytest.raises(ValidationError) as caught:
        entry_create(practice=second, area=area, by=officer)
    assert caught.value.messages == [
        "Your municipality already has 1 entry in area I; the limit is 1. "
        "Withdraw it first."]
    assert Entry.objects.filter(area=area).count() == 1


def test_entry_create_over_the_limit_says_it_in_bulgarian_plural_forms(area, municipality,
                                                                     officer):
    practices = CompletePracticeFactory.create_batch(4, municipality=municipality)
    entry_create(practice=practices[0], area=area, by=officer)
    with translation.override("bg"), pytest.raises(ValidationError) as one:
        entry_create(practice=practices[1], area=area, by=officer)
    area.edition.max_entries_per_area = 2
    area.edition.save()
    entry_create(practice=practices[1], area=area, by=officer)
    with translation.override("bg"), pytest.raises(ValidationError) as two:
        entry_create(practice=practices[2], area=area, by=officer)
    with pytest.raises(ValidationError) as two_en:
        entry_create(practice=practices[3], area=area, by=officer)
    assert one.value.messages == [
        "Вашата община вече има 1 кандидатура в област I; допустимият брой е 1. "
        "Първо я оттеглете."]
    assert two.value.messages == [
        "Вашата община вече има 2 кандидатури в област I; допустимият брой е 2. "
        "Първо оттеглете една от тях."]
    assert two_en.value.messages == [
        "Your municipality already has 2 entries in area I; the limit is 2. "
        "Withdraw one first."]


def test_entry_create_limit_of_two_allows_two_refuses_third(area, municipality, officer):
    area.edition.max_entries_per_area = 2
    area.edition.save()
    practices = CompletePracticeFactory.create_batch(3, municipality=municipality)
    entry_create(practice=practices[0], area=area, by=officer)
    entry_create(practice=practices[1], area=area, by=officer)
    with pytest.raises(ValidationError):
        entry_create(practice=practices[2], area=area, by=officer)
    assert Entry.objects.filter(area=area).count() == 2


def test_entry_create_limit_is_per_municipality(area, municipality, officer):
    entry_create(practice=CompletePracticeFactory(municipality=municipality), area=area,
                 by=officer)
    other = CompletePracticeFactory()
    assert entry_create(practice=other, area=area, by=None).status == EntryStatus.DRAFT


def test_entry_create_withdrawn_entry_frees_the_place(area, municipality, officer):
    first = entry_submit(entry=entry_create(
        practice=CompletePracticeFactory(municipality=municipality), area=area, by=officer),
        by=officer)
    entry_withdraw(entry=first, by=officer)
    second = entry_create(practice=CompletePracticeFactory(municipality=municipality),
                          area=area, by=officer)
    assert second.status == EntryStatus.DRAFT
    with pytest.raises(ValidationError):
        entry_submit(entry=first, by=officer)  # resubmitting would exceed the limit


def test_entry_create_discarded_draft_frees_the_place(area, municipality, officer):
    first = entry_create(practice=CompletePracticeFactory(municipality=municipality),
                         area=area, by=officer)
    entry_discard(entry=first, by=officer)
    second = entry_create(practice=CompletePracticeFactory(municipality=municipality),
                          area=area, by=officer)
    assert (second.status, Entry.objects.filter(pk=first.pk).exists()) == (
        EntryStatus.DRAFT, False)


def test_entry_withdraw_of_a_draft_refused(area, practice, officer):
    entry = entry_create(practice=practice, area=area, by=officer)
    with pytest.raises(ValidationError) as refused:
        entry_withdraw(entry=entry, by=officer)
    entry.refresh_from_db()
    assert (refused.value.messages, entry.status) == (
        ["This entry was never submitted: there is nothing to withdraw."], EntryStatus.DRAFT)


def test_entry_discard_of_a_submitted_entry_refused(area, practice, officer):
    entry = entry_submit(entry=entry_create(practice=practice, area=area, by=officer),
                         by=officer)
    with pytest.raises(ValidationError):
        entry_discard(entry=entry, by=officer)
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_entry_withdraw_records_who_and_when(area, practice, officer):
    entry = entry_submit(entry=entry_create(practice=practice, area=area, by=officer),
                         by=officer)
    withdrawn = entry_withdraw(entry=entry, by=officer)
    withdrawn.refresh_from_db()
    assert (withdrawn.withdrawn_by, withdrawn.withdrawn_at is not None) == (officer, True)
    again = entry_submit(entry=withdrawn, by=officer)
    again.refresh_from_db()
    assert (again.withdrawn_by, again.withdrawn_at) == (None, None)


def test_entry_create_same_practice_in_two_areas(area, area2, practice, officer):
    entry_create(practice=practice, area=area, by=officer)
    entry_create(practice=practice, area=area2, by=officer)
    assert sorted(practice.entries.values_list("area__code", flat=True)) == ["I", "II"]


def test_entry_create_same_area_twice_refused(area, practice, officer):
    entry_create(practice=practice, area=area, by=officer)
    with pytest.raises(ValidationError):
        entry_create(practice=practice, area=area, by=officer)


def test_entry_create_edition_not_open_refused(municipality, officer):
    closed_area = ThematicAreaFactory(edition__phase="review")
    with pytest.raises(ValidationError):
        entry_create(practice=CompletePracticeFactory(municipality=municipality),
                     area=closed_area, by=officer)
    assert Entry.objects.count() == 0


def test_entry_submit_records_who_and_when(area, practice, officer):
    entry = entry_create(practice=practice, area=area, by=officer)
    submitted = entry_submit(entry=entry, by=officer)
    assert (submitted.status, submitted.submitted_by) == (EntryStatus.SUBMITTED, officer)
    assert submitted.submitted_at is not None


def test_practice_update_after_deadline_refused(fixed_area, municipality, during_fixed):
    practice = CompletePracticeFactory(municipality=municipality,
                                       implemented_on=dt.date(2026, 3, 1), title="Before")
    _submit(practice, fixed_area, during_fixed)
    after = dt.datetime(2026, 12, 1, 17, 0, tzinfo=SOFIA)
    assert practice_is_locked(practice=practice, at=after) is True
    with pytest.raises(ValidationError):
        practice_update(practice=practice, by=None, data={"title": "After"}, at=after)
    practice.refresh_from_db()
    assert practice.title == "Before"


def test_practice_update_submitted_before_deadline_allowed(fixed_area, municipality,
                                                           during_fixed):
    practice = CompletePracticeFactory(municipality=municipality,
                                       implemented_on=dt.date(2026, 3, 1))
    _submit(practice, fixed_area, during_fixed)
    before = dt.datetime(2026, 12, 1, 16, 59, tzinfo=SOFIA)
    assert practice_update(practice=practice, by=None, data={"title": "New"},
                           at=before).title == "New"


def _form(practice, **changes) -> dict:
    """What the edit form of the practice sends, as cleaned data, with some fields changed."""
    return {**{name: getattr(practice, name) for name in PRACTICE_FIELDS}, **changes}


def _saved(practice) -> tuple[str, str, str]:
    practice.refresh_from_db()
    return practice.title, practice.results, practice.partners


def test_practice_update_from_a_stale_form_is_refused_and_takes_the_other_change(
        practice, officer):
    opened = practice_version(practice)
    tab_1, tab_2 = _form(practice, title="Title from tab 1"), _form(practice, results="Tab 2")
    practice_update(practice=practice, by=officer, data=tab_1, version=opened)
    records = practice.history.count()
    with pytest.raises(PracticeChanged) as refused:
        practice_update(practice=practice, by=officer, data=tab_2, version=opened)
    assert refused.value.messages == [
        "This practice was changed in another tab or by someone else since you opened it, so "
        "nothing was saved. Your changes are kept in the form, together with the other "
        "changes; review them and save again."]
    assert (refused.value.taken, refused.value.conflicts) == ({"title": "Title from tab 1"}, {})
    assert _saved(practice) == ("Title from tab 1", "Резултати и числа.", "")
    assert practice.history.count() == records
    # Saved again with tab 1's title taken over and the version the refusal gave: both kept.
    practice_update(practice=practice, by=officer, version=refused.value.version,
                    data={**tab_2, **refused.value.taken})
    assert _saved(practice) == ("Title from tab 1", "Tab 2", "")


def test_practice_update_from_a_stale_form_reports_a_field_changed_on_both_sides(
        practice, officer):
    opened = practice_version(practice)
    practice_update(practice=practice, by=officer, version=opened,
                    data=_form(practice, results="From tab 1", partners="Tab 1's partners"))
    stale = _form(practice, results="From tab 2", partners="Tab 1's partners")
    with pytest.raises(PracticeChanged) as refused:
        practice_update(practice=practice, by=officer, data=stale, version=opened)
    # partners: both tabs typed the same, which is no conflict
    assert (refused.value.taken, refused.value.conflicts) == ({}, {"results": "From tab 1"})
    assert _saved(practice) == (practice.title, "From tab 1", "Tab 1's partners")


def test_practice_update_from_a_stale_form_saves_when_the_other_save_changed_nothing_of_it(
        practice, officer):
    opened = practice_version(practice)
    practice_update(practice=practice, by=officer, data=_form(practice), version=opened)
    practice.refresh_from_db()
    assert practice_version(practice) != opened  # saved again, unchanged
    practice_update(practice=practice, by=officer, data=_form(practice, results="Tab 2"),
                    version=opened)
    assert _saved(practice) == (practice.title, "Tab 2", "")


def test_practice_update_with_an_unknown_version_treats_every_difference_as_a_conflict(
        practice, officer):
    with pytest.raises(PracticeChanged) as refused:
        practice_update(practice=practice, by=officer, version="not a version",
                        data=_form(practice, results="Mine"))
    assert (refused.value.taken, refused.value.conflicts) == (
        {}, {"results": "Резултати и числа."})
    assert _saved(practice)[1] == "Резултати и числа."


def test_entry_decide_ineligible_needs_a_reason(area, practice, officer, organiser):
    entry = entry_submit(entry=entry_create(practice=practice, area=area, by=officer),
                         by=officer)
    with pytest.raises(ValidationError):
        entry_decide_eligibility(entry=entry, by=organiser, eligible=False, reason=" ")
    decided = entry_decide_eligibility(entry=entry, by=organiser, eligible=False,
                                       reason="Outside the window.")
    assert (decided.status, decided.eligibility_reason, decided.eligibility_decided_by) == (
        EntryStatus.INELIGIBLE, "Outside the window.", organiser)


def test_entry_decide_draft_refused(area, practice, officer, organiser):
    entry = entry_create(practice=practice, area=area, by=officer)
    with pytest.raises(ValidationError):
        entry_decide_eligibility(entry=entry, by=organiser, eligible=True, reason="")


def test_entry_submit_and_withdraw_mail_the_officers(area, practice, officer, mailoutbox,
                                                     django_capture_on_commit_callbacks):
    colleague = type(officer).objects.create(username="colleague", email="c@example.org",
                                             municipality=officer.municipality,
                                             officer_status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        entry = entry_submit(entry=entry_create(practice=practice, area=area, by=officer),
                             by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        entry_withdraw(entry=entry, by=officer)
    # one e-mail per officer (none sees the other's address), on submit and on withdraw
    assert sorted(mail.to for mail in mailoutbox) == sorted(
        [[officer.email], [colleague.email]] * 2)
    # In English, the practice's English title.
    assert mailoutbox[0].subject == f"Entry submitted: {practice.title_en} (area I)"
    assert mailoutbox[2].subject == f"Entry withdrawn: {practice.title_en} (area I)"


def test_entry_submit_mail_subject_not_html_escaped(area, municipality, officer, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    practice = CompletePracticeFactory(municipality=municipality, title='„Зелен" & чист',
                                       title_en='"Green" & clean')
    with django_capture_on_commit_callbacks(execute=True):
        entry_submit(entry=entry_create(practice=practice, area=area, by=officer), by=officer)
    assert mailoutbox[0].subject == 'Entry submitted: "Green" & clean (area I)'
