"""Jury roles, and what a juror can do with a sheet now, expressed once."""

import datetime as dt

import rules
from django.utils import timezone

from accounts.rules import is_organiser
from competitions.enums import PHASE_ORDER, Phase
from competitions.rules import organisers_manage, organisers_read
from practices.enums import EntryStatus
from practices.rules import can_view_practice_files

from .enums import SheetStatus


@rules.predicate
def is_juror(user) -> bool:
    """Accepted a jury invitation for at least one edition."""
    if not user.is_authenticated:
        return False
    return user.jury_memberships.seated().exists()


@rules.predicate
def is_assigned_juror(user, entry) -> bool:
    if not user.is_authenticated or entry is None:
        return False
    return entry.assignments.active().filter(juror=user).exists()


@rules.predicate
def is_assigned_juror_of_practice(user, practice) -> bool:
    """Actively assigned (see `Assignment.objects.active()`) to one of the practice's
    entries: such a juror sees the practice's files."""
    if not user.is_authenticated or practice is None:
        return False
    return user.assignments.active().filter(entry__practice=practice).exists()


@rules.predicate
def practice_is_public(user, practice) -> bool:
    """The practice has a public result: its photos are public. The definition is
    `scoring.selectors.public` (imported here, not at the top: rules stay a leaf)."""
    from .selectors.public import practice_is_public as has_public_result

    return has_public_result(practice)


# --- what can be done with a sheet now: the sheet service refuses what these refuse, and
# the juror's pages offer only what they allow (the view asks; a template never recomputes).

def review_is_over(edition, at: dt.datetime | None = None) -> bool:
    """Past the review's closing time, or the edition moved on past the review phase:
    sheets are final."""
    at = at or timezone.now()
    return (at >= edition.review_close_at
            or edition.phase_index() > PHASE_ORDER.index(Phase.REVIEW))


def round_scoring_closed(judging_round, at: dt.datetime | None = None) -> bool:
    """Past the round's closing time, or the edition moved on past the review phase: the
    round's sheets are final. For a one-round edition exactly `review_is_over`."""
    at = at or timezone.now()
    return (at >= judging_round.review_close_at
            or judging_round.edition.phase_index() > PHASE_ORDER.index(Phase.REVIEW))


def round_scoring_open(judging_round, at: dt.datetime | None = None) -> bool:
    """The one home of "is scoring open for a sheet of this round": the edition is in its
    review phase (which spans all rounds) and `at` lies between the round's own dates. For a
    one-round edition exactly `Edition.is_in_review` (round 1 has the edition's dates)."""
    at = at or timezone.now()
    edition = judging_round.edition
    return (edition.phase == Phase.REVIEW
            and judging_round.review_open_at <= at < judging_round.review_close_at)


def sheet_round(sheet):
    """The sheet's round, its edition taken from the sheet's entry (already loaded by the
    pages that list sheets) rather than read again."""
    judging_round = sheet.round
    if not type(judging_round).edition.is_cached(judging_round):
        judging_round.edition = sheet.entry.edition
    return judging_round


def entry_is_scorable(entry) -> bool:
    """The jury scores this entry (see `EntryStatus.scorable`): not one found not eligible,
    withdrawn or never submitted."""
    return entry.status in EntryStatus.scorable


def sheet_is_editable(sheet, at: dt.datetime | None = None) -> bool:
    """Scores and comments can be saved and the sheet submitted: the review is open, the
    entry is scored, no conflict is declared and the sheet is not submitted (locked)."""
    return (round_scoring_open(sheet_round(sheet), at) and entry_is_scorable(sheet.entry)
            and not sheet.recused and sheet.status == SheetStatus.DRAFT)


def sheet_is_reopenable(sheet, at: dt.datetime | None = None) -> bool:
    """A submitted sheet can be taken back to change it while the review is open."""
    return (round_scoring_open(sheet_round(sheet), at) and entry_is_scorable(sheet.entry)
            and not sheet.recused and sheet.status == SheetStatus.SUBMITTED)


def sheet_can_declare_conflict(sheet, at: dt.datetime | None = None) -> bool:
    """A conflict of interest can be declared until the review is over (before it opens
    too), on a sheet that is not submitted: a submitted sheet is locked, reopen it first."""
    return (not round_scoring_closed(sheet_round(sheet), at) and entry_is_scorable(sheet.entry)
            and not sheet.recused and sheet.status == SheetStatus.DRAFT)


def sheet_can_withdraw_conflict(sheet, at: dt.datetime | None = None) -> bool:
    """A declared conflict can be taken back while the review is open."""
    return (round_scoring_open(sheet_round(sheet), at) and entry_is_scorable(sheet.entry)
            and sheet.recused)


# --- rounds: the shortlist between rounds and the notes of site visits -------------------

@rules.predicate
def may_shortlist(user, area) -> bool:
    """Who chooses an area's entries for the next round (the shortlist page and its POST,
    `scoring.shortlist_area`): the organisers. deliberation, which knows the areas' chairs,
    widens that permission with the area's seated chair (`deliberation.rules`)."""
    return is_organiser(user)


# A round's site-visit notes and files: the organisers, and the round's panel of the entry's
# area. Who sits on a panel has one home, `deliberation.rules.is_panel_member` (the app above
# this one, which owns the panels and their chairs), which widens these two permissions.
may_view_site_visits = is_organiser
may_add_site_visit = is_organiser

rules.add_perm("scoring.manage_jury", is_organiser)
rules.add_perm("scoring.view_sheet_audit", is_organiser)
rules.add_perm("scoring.view_assigned_entry", is_assigned_juror)
rules.add_perm("scoring.score_entry", is_assigned_juror)
rules.add_perm("scoring.view_jury_dashboard", is_juror)
rules.add_perm("scoring.shortlist_area", may_shortlist)
rules.add_perm("scoring.view_site_visits", may_view_site_visits)
rules.add_perm("scoring.add_site_visit", may_add_site_visit)

organisers_manage("scoring", "jurymember", "assignment", "jurysheet", "sheetscore",
                  "rankingrun", "rankingresult")
organisers_read("scoring", "juryreminder")  # the beat's reminders to jurors

# Rankings: only organisers see runs before publication (jurors and officers never do).
rules.add_perm("scoring.view_rankings", is_organiser)
rules.add_perm("scoring.run_rankings", is_organiser)
rules.add_perm("scoring.publish_rankings", is_organiser)

# The practices' files: practices grants its officers and the organisers; scoring adds the
# jurors actively assigned to an entry and, for photos only, everyone once the practice is
# public. practices never imports scoring, so the widening is declared here.
rules.set_perm("practices.view_practice_files",
               can_view_practice_files | is_assigned_juror_of_practice)
rules.set_perm("practices.view_practice_photos",
               can_view_practice_files | is_assigned_juror_of_practice | practice_is_public)
