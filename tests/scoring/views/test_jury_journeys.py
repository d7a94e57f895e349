"""What a juror meets on their pages: only the entries the jury scores, only the actions
possible now (the sheet predicates, which the sheet service enforces alike), finished
editions folded away."""

import datetime as dt
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competitions.enums import Phase
from practices.enums import EntryStatus
from scoring.enums import SheetStatus
from scoring.models import JurySheet
from scoring.rules import (
    sheet_can_declare_conflict,
    sheet_can_withdraw_conflict,
    sheet_is_editable,
    sheet_is_reopenable,
)
from scoring.selectors.jury import jury_progress
from scoring.services.sheets import (
    SheetError,
    SheetLocked,
    sheet_get_or_create,
    sheet_recusal_withdraw,
    sheet_recuse,
    sheet_reopen,
    sheet_save,
    sheet_submit,
)
from tests.factories import (
    AssignmentFactory,
    EntryFactory,
    JuryMemberFactory,
    ThematicAreaFactory,
    UserFactory,
)

from ..factories_jury import ReviewEditionFactory

pytestmark = pytest.mark.django_db

NOT_SCORED = ("This entry is no longer scored: the organisers found it not eligible, or it "
              "was withdrawn.")


def _complete(jury) -> dict[int, int]:
    return {criterion.pk: 5 for criterion in jury.criteria}


def _submitted(jury) -> JurySheet:
    sheet = sheet_get_or_create(entry=jury.entry, juror=jury.juror)
    return sheet_submit(sheet=sheet, by=jury.juror, scores=_complete(jury))


def _dashboard(client, jury) -> str:
    client.force_login(jury.juror)
    return client.get(reverse("juror_dashboard")).content.decode()


# --- an entry found not eligible ----------------------------------------------------------

def test_juror_dashboard_leaves_out_an_entry_found_not_eligible(client, jury):
    turned_away = EntryFactory(area=jury.area, status=EntryStatus.INELIGIBLE)
    AssignmentFactory(entry=turned_away, juror=jury.juror)
    content = _dashboard(client, jury)
    assert f'data-entry="{jury.entry.pk}"' in content
    assert f'data-entry="{turned_away.pk}"' not in content
    assert "0 of 1 assigned entries done" in content


def test_jury_progress_counts_per_juror_only_the_entries_it_lists(jury):
    turned_away = EntryFactory(area=jury.area, status=EntryStatus.INELIGIBLE)
    AssignmentFactory(entry=turned_away, juror=jury.juror)
    progress = jury_progress(edition=jury.edition)
    assert [row.entry for row in progress.entries] == [jury.entry]
    assert [(row.member.user, row.counts.assigned) for row in progress.jurors] == [
        (jury.juror, 1), (jury.other_juror, 1)]
    assert progress.totals.assigned == 2


def test_jury_reminder_skips_a_juror_whose_only_open_entry_was_found_not_eligible(
        jury, django_capture_on_commit_callbacks):
    from django.core import mail

    from scoring.services.reminders import jury_reminders_send

    _submitted(jury)  # the juror's scorable entry is done
    turned_away = EntryFactory(area=jury.area, status=EntryStatus.INELIGIBLE)
    AssignmentFactory(entry=turned_away, juror=jury.juror)
    with django_capture_on_commit_callbacks(execute=True):
        sent = jury_reminders_send(edition=jury.edition, by=None)
    assert (sent, [message.to for message in mail.outbox]) == (
        1, [[jury.other_juror.email]])


@pytest.mark.parametrize("status", [EntryStatus.INELIGIBLE, EntryStatus.WITHDRAWN])
def test_sheet_service_refuses_an_entry_no_longer_scored(jury, status):
    sheet = sheet_get_or_create(entry=jury.entry, juror=jury.juror)
    jury.entry.status = status
    jury.entry.save()
    for change in (lambda: sheet_save(sheet=sheet, by=jury.juror, scores=_complete(jury)),
                   lambda: sheet_submit(sheet=sheet, by=jury.juror, scores=_complete(jury)),
                   lambda: sheet_recuse(sheet=sheet, by=jury.juror, reason="Relative")):
        with pytest.raises(SheetLocked) as error:
            change()
        assert error.value.messages == [NOT_SCORED]
    with pytest.raises(SheetLocked):
        sheet_get_or_create(entry=jury.entry, juror=jury.other_juror)
    assert list(JurySheet.objects.values_list("juror", "status", "recused")) == [
        (jury.juror.pk, SheetStatus.DRAFT, False)]


def test_jury_sheet_of_an_entry_found_not_eligible_offers_nothing(client, jury):
    jury.entry.status = EntryStatus.INELIGIBLE
    jury.entry.save()
    client.force_login(jury.juror)
    content = client.get(reverse("jury_sheet", args=[jury.entry.pk])).content.decode()
    assert "data-not-scorable" in content
    # the notice is an element of its own, not markup inside the heading's attribute
    assert re.search(r'<h1 class="h3" data-sheet-status="\w+">', content)
    assert '<div class="alert alert-secondary" data-not-scorable>' in content
    assert "hx-post" not in content
    assert "Submit the sheet" not in content
    assert reverse("jury_sheet_recuse", args=[jury.entry.pk]) not in content


# --- only what is possible now ------------------------------------------------------------

def test_juror_dashboard_before_the_review_opens_says_when_scoring_opens(client, jury):
    edition = jury.edition
    edition.phase = Phase.OPEN
    edition.review_open_at = timezone.now() + dt.timedelta(days=3)
    edition.save()
    content = _dashboard(client, jury)
    opens = edition.local(edition.review_open_at).strftime("%d/%m/%Y %H:%M")
    assert f'data-entry="{jury.entry.pk}" data-progress="assigned" data-state="opens"' in content
    assert f"Scoring opens on {opens}" in content
    assert ">Score</a>" not in content


def test_juror_dashboard_shows_score_while_the_sheet_can_change(client, jury):
    content = _dashboard(client, jury)
    assert 'data-state="score"' in content
    assert f'href="{reverse("jury_sheet", args=[jury.entry.pk])}">Score</a>' in content


def test_juror_dashboard_says_when_a_sheet_was_submitted(client, jury):
    sheet = _submitted(jury)
    content = _dashboard(client, jury)
    submitted = jury.edition.local(sheet.submitted_at).strftime("%d/%m/%Y %H:%M")
    assert 'data-progress="submitted" data-state="submitted"' in content
    assert f"Submitted on {submitted}" in content
    assert ">Score</a>" not in content
    assert ">View sheet</a>" in content


def test_jury_sheet_submitted_offers_no_conflict_declaration(client, jury):
    _submitted(jury)
    client.force_login(jury.juror)
    recuse = reverse("jury_sheet_recuse", args=[jury.entry.pk])
    content = client.get(reverse("jury_sheet", args=[jury.entry.pk])).content.decode()
    assert "Reopen to change it" in content
    assert recuse not in content
    response = client.get(recuse)
    assert (response.status_code, response.url) == (
        302, reverse("jury_sheet", args=[jury.entry.pk]))
    response = client.post(recuse, {"reason": "A relative"})
    assert response.status_code == 400
    assert ("This sheet is submitted and locked: reopen it to declare a conflict of interest."
            in response.content.decode())
    assert JurySheet.objects.get(juror=jury.juror).recused is False


def test_jury_sheet_after_the_review_offers_no_conflict_declaration(client, jury):
    jury.edition.review_close_at = timezone.now() - dt.timedelta(minutes=1)
    jury.edition.save()
    client.force_login(jury.juror)
    content = client.get(reverse("jury_sheet", args=[jury.entry.pk])).content.decode()
    assert reverse("jury_sheet_recuse", args=[jury.entry.pk]) not in content
    page = client.get(reverse("juror_edition", args=[jury.edition.slug])).content.decode()
    assert f'data-entry="{jury.entry.pk}" data-progress="assigned" data-state="locked"' in page
    assert ">Locked<" in page


def _attempt(change) -> bool:
    try:
        change()
    except SheetError:
        return False
    return True


@pytest.mark.parametrize(("moment", "entry_status", "sheet_state"), list(itertools.product(
    ["before", "during", "after"], [EntryStatus.SUBMITTED, EntryStatus.INELIGIBLE],
    ["draft", "submitted", "recused"])))
def test_sheet_predicates_allow_exactly_what_the_service_does(jury, moment, entry_status,
                                                               sheet_state):
    """One rule: each page offers an action when, and only when, the service accepts it."""
    sheet = sheet_get_or_create(entry=jury.entry, juror=jury.juror)
    if sheet_state == "submitted":
        sheet_submit(sheet=sheet, by=jury.juror, scores=_complete(jury))
    elif sheet_state == "recused":
        sheet_recuse(sheet=sheet, by=jury.juror, reason="Relative")
    edition = jury.edition
    if moment == "before":
        edition.phase = Phase.OPEN
        edition.review_open_at = timezone.now() + dt.timedelta(days=3)
        edition.review_close_at = timezone.now() + dt.timedelta(days=13)
    elif moment == "after":
        edition.review_close_at = timezone.now() - dt.timedelta(minutes=1)
    edition.save()
    jury.entry.status = entry_status
    jury.entry.save()

    def fresh() -> JurySheet:
        return JurySheet.objects.select_related("entry__edition").get(pk=sheet.pk)

    checks = [
        (sheet_is_editable, lambda: sheet_save(sheet=fresh(), by=jury.juror, scores={
            jury.criteria[0].pk: 3})),
        (sheet_is_reopenable, lambda: sheet_reopen(sheet=fresh(), by=jury.juror)),
        (sheet_can_declare_conflict, lambda: sheet_recuse(sheet=fresh(), by=jury.juror,
                                                          reason="Relative")),
        (sheet_can_withdraw_conflict, lambda: sheet_recusal_withdraw(sheet=fresh(),
                                                                     by=jury.juror)),
    ]
    for predicate, change in checks:
        allowed = predicate(fresh())
        assert (predicate.__name__, allowed) == (predicate.__name__, _attempt(change))
        # put the sheet back as it was for the next check
        JurySheet.objects.filter(pk=sheet.pk).update(
            status=SheetStatus.SUBMITTED if sheet_state == "submitted" else SheetStatus.DRAFT,
            recused=sheet_state == "recused")


# --- finished editions folded away --------------------------------------------------------

def _past_edition_for(juror, entries: int = 1):
    """A finished edition (review closed, ranked) where the juror scored `entries`."""
    now = timezone.now()
    edition = ReviewEditionFactory(
        phase=Phase.RANKED, submissions_open_at=now - dt.timedelta(days=400),
        submissions_close_at=now - dt.timedelta(days=370),
        review_open_at=now - dt.timedelta(days=360),
        review_close_at=now - dt.timedelta(days=340), title_en="Edition 2024")
    JuryMemberFactory(edition=edition, user=juror)
    area = ThematicAreaFactory(edition=edition)
    made = []
    for _ in range(entries):
        entry = EntryFactory(area=area)
        AssignmentFactory(entry=entry, juror=juror)
        JurySheet.objects.create(entry=entry, juror=juror, status=SheetStatus.SUBMITTED,
                                 submitted_at=now - dt.timedelta(days=350))
        made.append(entry)
    return edition, made


def test_juror_dashboard_folds_a_finished_edition_into_one_line(client, jury):
    past, entries = _past_edition_for(jury.juror, entries=2)
    content = _dashboard(client, jury)
    assert f'data-entry="{jury.entry.pk}"' in content
    for entry in entries:
        assert f'data-entry="{entry.pk}"' not in content
    link = reverse("juror_edition", args=[past.slug])
    assert (f'<li class="mb-1" data-past-edition="{past.slug}"><a href="{link}">Edition 2024'
            "</a>:") in content
    assert content.count("2 of 2 assigned entries done") == 1
    page = client.get(link).content.decode()
    for entry in entries:
        assert f'data-entry="{entry.pk}" data-progress="submitted" data-state="submitted"' in page
    assert f'data-entry="{jury.entry.pk}"' not in page


def test_juror_edition_page_is_404_for_a_juror_not_on_that_jury(client, jury):
    past, _entries = _past_edition_for(UserFactory())
    client.force_login(jury.juror)
    assert client.get(reverse("juror_edition", args=[past.slug])).status_code == 404


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_juror_dashboard_queries_do_not_grow_with_past_editions(client, jury):
    past, _entries = _past_edition_for(jury.juror, entries=1)
    client.force_login(jury.juror)
    urls = [reverse("juror_dashboard"), reverse("juror_edition", args=[past.slug])]
    few = [_count_queries(client, url) for url in urls]
    for _ in range(3):
        _past_edition_for(jury.juror, entries=3)
    _more, _entries = _past_edition_for(jury.juror, entries=4)
    many = [_count_queries(client, url) for url in urls]
    assert few == many
