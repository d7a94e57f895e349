"""An edition's judging rounds: round 1 made with every edition, later rounds added by an
organiser, and the dates kept in step with the edition's review phase.

The edition's review phase (owned by `competitions.lifecycle`) spans all rounds: round 1
opens when the edition's review opens and the final round closes when it closes. The
lifecycle moves the edition's dates (an early close, a reopened review); `rounds_sync` makes
the rounds follow, called whenever an edition is saved (the receiver in `scoring.apps`), so
that every way an edition is made or changed (the set-up service, a copy, the admin, the
demo, the factories) has its round 1 and one-round editions behave exactly as before.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from competitions.enums import PHASE_ORDER, Phase
from competitions.models import Edition, ThematicArea
from practices.enums import EntryStatus
from practices.models import Entry

from ..enums import RunStatus, ShortlistRule, ShortlistSource
from ..models import (
    Assignment,
    JudgingRound,
    RankingResult,
    RankingRun,
    ShortlistEntry,
    SiteVisit,
    entry_scored_in_round,
)
from ..rules import round_scoring_closed


def rounds_sync(*, edition: Edition) -> None:
    """Make round 1 if the edition has none; round 1 opens with the edition's review and
    the final round closes with it (where that keeps each round's dates in order)."""
    rounds = list(JudgingRound.objects.filter(edition=edition).order_by("number"))
    if not rounds:
        JudgingRound.objects.create(edition=edition, number=1,
                                    review_open_at=edition.review_open_at,
                                    review_close_at=edition.review_close_at)
        return
    first, last = rounds[0], rounds[-1]
    changes: dict[JudgingRound, dict[str, dt.datetime]] = {}
    if first.review_open_at != edition.review_open_at:
        changes.setdefault(first, {})["review_open_at"] = edition.review_open_at
    if last.review_close_at != edition.review_close_at:
        changes.setdefault(last, {})["review_close_at"] = edition.review_close_at
    for judging_round, fields in changes.items():
        opens = fields.get("review_open_at", judging_round.review_open_at)
        closes = fields.get("review_close_at", judging_round.review_close_at)
        if opens < closes:
            # saved, not updated: the round's history (its audit log) records the new
            # dates, with whoever changed the edition's
            for name, value in fields.items():
                setattr(judging_round, name, value)
            judging_round._history_user = getattr(edition, "_history_user", None)
            judging_round.save(update_fields=list(fields))


def rounds_copy(*, edition: Edition, copy: Edition, criteria: dict[int, int],
                shift: Callable[[dt.datetime], dt.datetime]) -> None:
    """A copied edition (`competitions.services.edition_copy`) has every round of the
    edition set up as it was: each round's dates shifted as the edition's, its weights on
    the copied criteria, its shortlist rule; never a shortlist, a sheet or a run. Round 1,
    made with the copy, takes round 1's own dates."""
    made = {r.number: r for r in JudgingRound.objects.filter(edition=copy)}
    for source in JudgingRound.objects.filter(edition=edition).order_by("number"):
        target = made.get(source.number) or JudgingRound(edition=copy, number=source.number)
        target.review_open_at = shift(source.review_open_at)
        target.review_close_at = shift(source.review_close_at)
        target.weights = {str(criteria[int(pk)]): weight
                          for pk, weight in (source.weights or {}).items()
                          if int(pk) in criteria}
        target.shortlist_rule = source.shortlist_rule
        target.shortlist_top_n = source.shortlist_top_n
        target.shortlist_threshold = source.shortlist_threshold
        target.save()


class RoundError(ValidationError):
    """A change to the rounds or a shortlist that the rules refuse; the message says why."""


def _clean_weights(edition: Edition, weights: dict | None) -> dict[str, float]:
    """{criterion id: weight} of the edition's criteria, each above zero (empty: the
    edition's own weights)."""
    if not weights:
        return {}
    known = set(edition.criteria.values_list("pk", flat=True))
    cleaned: dict[str, float] = {}
    for criterion_id, weight in weights.items():
        if int(criterion_id) not in known:
            raise RoundError(_("This criterion does not belong to the edition."))
        if weight is None or float(weight) <= 0:
            raise RoundError(_("A weight must be above zero."))
        cleaned[str(int(criterion_id))] = float(weight)
    return cleaned


def _clean_rule(rule: str, top_n: int | None, threshold) -> None:
    if rule == ShortlistRule.TOP_N and not top_n:
        raise RoundError(_("Say how many entries of each area go on (N)."))
    if rule == ShortlistRule.THRESHOLD and threshold is None:
        raise RoundError(_("Say the lowest total that goes on."))


@transaction.atomic
def round_add(*, edition: Edition, review_open_at: dt.datetime, review_close_at: dt.datetime,
              by, shortlist_rule: str = ShortlistRule.TOP_N, shortlist_top_n: int | None = None,
              shortlist_threshold=None, weights: dict | None = None) -> JudgingRound:
    """Add a round after the last: it opens once the last round's scoring has closed, and
    becomes the final round, so the edition's review now closes when it closes (the phase
    stays the lifecycle's: the edition is in review through every round). Refused once the
    edition is past its review."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.phase_index() > PHASE_ORDER.index(Phase.REVIEW):
        raise RoundError(_("The jury review of this edition is over: no round can be added."))
    last = JudgingRound.objects.filter(edition=edition).order_by("-number").first()
    if review_open_at >= review_close_at:
        raise RoundError(_("The round must close after it opens."))
    if last is not None and review_open_at < last.review_close_at:
        raise RoundError(_("The round must open after round %(number)s closes (%(when)s).")
                         % {"number": last.number,
                            "when": date_format(edition.local(last.review_close_at),
                                                "DATETIME_FORMAT")})
    _clean_rule(shortlist_rule, shortlist_top_n, shortlist_threshold)
    judging_round = JudgingRound(
        edition=edition, number=(last.number + 1) if last else 1,
        review_open_at=review_open_at, review_close_at=review_close_at,
        weights=_clean_weights(edition, weights), shortlist_rule=shortlist_rule,
        shortlist_top_n=shortlist_top_n if shortlist_rule == ShortlistRule.TOP_N else None,
        shortlist_threshold=(shortlist_threshold if shortlist_rule == ShortlistRule.THRESHOLD
                             else None))
    judging_round.full_clean()
    judging_round._history_user = by
    judging_round.save()
    # The edition's review spans the rounds: it closes with the new final round.
    edition.review_close_at = review_close_at
    if edition.results_at is not None and edition.results_at < review_close_at:
        edition.results_at = None
    edition._history_user = by
    edition.save(update_fields=["review_close_at", "results_at", "updated_at"])
    return judging_round


# --- the shortlist between rounds --------------------------------------------------------
def _shortlist_checks(judging_round: JudgingRound, area: ThematicArea, at) -> JudgingRound:
    """A later round of the area's edition, whose previous round's scoring is closed and
    whose own has not closed. Returns the previous round."""
    if judging_round.number == 1:
        raise RoundError(_("Round 1 scores every eligible entry: it has no shortlist."))
    if area.edition_id != judging_round.edition_id:
        raise RoundError(_("This area does not belong to the round's edition."))
    previous = (JudgingRound.objects.select_related("edition")
                .get(edition_id=judging_round.edition_id, number=judging_round.number - 1))
    if not round_scoring_closed(previous, at):
        raise RoundError(_("Round %(number)s is still being scored: shortlist once its "
                           "scoring has closed.") % {"number": previous.number})
    if round_scoring_closed(judging_round, at):
        raise RoundError(_("Round %(number)s has closed: its shortlist stays as it was "
                           "scored.") % {"number": judging_round.number})
    return previous


def _rule_choice(*, run: RankingRun, area: ThematicArea, rule: str, top_n: int | None,
                 threshold) -> list[int]:
    """The entries of the area the rule takes from the run's results."""
    results = RankingResult.objects.filter(run=run, area=area, rank__isnull=False)
    if rule == ShortlistRule.TOP_N:
        results = results.filter(rank__lte=top_n)
    else:
        results = results.filter(total__gte=float(threshold))
    return list(results.order_by("rank", "entry_id").values_list("entry_id", flat=True))


def _remove(rows: list[tuple[ShortlistEntry, str]], *, by, at) -> None:
    """Take rows off the shortlist, each with its reason (who, when and why on the row and
    in its history): refused for an entry that already has jurors in the round. A fixed
    number of queries, whatever the number of rows."""
    if not rows:
        return
    assigned = set(Assignment.objects.filter(
        round_id=rows[0][0].round_id, entry_id__in=[row.entry_id for row, _reason in rows])
        .values_list("entry_id", flat=True))
    for row, _reason in rows:
        if row.entry_id in assigned:
            raise RoundError(_("“%(entry)s” already has jurors in this round: remove its "
                               "assignments first.")
                             % {"entry": row.entry.practice.display_title})
    for row, reason in rows:
        row.removed_at, row.removed_by, row.removal_reason = at, by, reason
    bulk_update_with_history([row for row, _reason in rows], ShortlistEntry,
                             ["removed_at", "removed_by", "removal_reason"],
                             default_user=by)


def _put_on(rows: list[ShortlistEntry], current: dict[int, ShortlistEntry], *, by) -> None:
    """Save new rows of the shortlist (and their history) in a fixed number of queries."""
    if rows:
        current.update({row.entry_id: row for row in
                        bulk_create_with_history(rows, ShortlistEntry, default_user=by)})


@transaction.atomic
def round_shortlist(*, judging_round: JudgingRound, area: ThematicArea, by,
                    run: RankingRun | None = None, rule: str | None = None,
                    top_n: int | None = None, threshold=None,
                    add: Sequence[tuple[Entry, str]] = (),
                    remove: Sequence[tuple[Entry, str]] = (),
                    at: dt.datetime | None = None) -> list[ShortlistEntry]:
    """Choose the area's entries for a round after the first, between rounds.

    By a rule on a succeeded run of the round before (`rule` top N of the area, or every
    entry at or above a total): what the rule chose before and does not choose now is taken
    off, what it chooses is put on (entries added by hand stay). By hand: `add` and `remove`
    pairs of (entry, reason), a reason each. Who, when and why are recorded on the rows (a
    removal keeps its row) and in their history. Returns the area's shortlist. A fixed
    number of queries, whatever the number of entries."""
    at = at or timezone.now()
    locked_round = JudgingRound.objects.select_for_update().select_related("edition").get(
        pk=judging_round.pk)
    previous = _shortlist_checks(locked_round, area, at)
    current = {row.entry_id: row for row in ShortlistEntry.objects.current()
               .filter(round=locked_round, entry__area=area)
               .select_related("entry__practice")}
    if rule is not None:
        _apply_rule(current, judging_round=locked_round, previous=previous, area=area, by=by,
                    run=run, rule=rule, top_n=top_n, threshold=threshold, at=at)
    _remove([_taken_off_by_hand(current, entry=entry, reason=reason)
             for entry, reason in remove], by=by, at=at)
    additions = []
    for entry, reason in add:
        additions.append(_put_on_by_hand(current, judging_round=locked_round, area=area,
                                         entry=entry, reason=reason, by=by))
        current[entry.pk] = additions[-1]  # the same entry twice is refused
    _put_on(additions, current, by=by)
    return sorted(current.values(), key=lambda row: row.entry_id)


def _apply_rule(current: dict[int, ShortlistEntry], *, judging_round: JudgingRound,
                previous: JudgingRound, area: ThematicArea, by, run: RankingRun | None,
                rule: str, top_n: int | None, threshold, at) -> None:
    """What the rule chose before and does not choose now goes off; what it chooses goes on
    (entries added by hand stay)."""
    if run is None or run.round_id != previous.pk or run.status != RunStatus.SUCCEEDED:
        raise RoundError(_("Choose a finished ranking run of round %(number)s.")
                         % {"number": previous.number})
    if rule not in (ShortlistRule.TOP_N, ShortlistRule.THRESHOLD):
        raise RoundError(_("Choose top N or a threshold, or shortlist by hand."))
    _clean_rule(rule, top_n, threshold)
    chosen = _rule_choice(run=run, area=area, rule=rule, top_n=top_n, threshold=threshold)
    why = (_("Top %(n)s of run #%(run)s") % {"n": top_n, "run": run.pk}
           if rule == ShortlistRule.TOP_N else
           _("Total at least %(total)s in run #%(run)s") % {"total": threshold, "run": run.pk})
    not_chosen = _("Not chosen when the rule was applied again: %s") % why
    _remove([(current.pop(entry_id), not_chosen) for entry_id, row in list(current.items())
             if row.source == ShortlistSource.RULE and entry_id not in chosen], by=by, at=at)
    _put_on([ShortlistEntry(round=judging_round, entry_id=entry_id, run=run, by=by,
                            source=ShortlistSource.RULE, reason=why)
             for entry_id in chosen if entry_id not in current], current, by=by)


def _taken_off_by_hand(current: dict[int, ShortlistEntry], *, entry: Entry, reason: str
                       ) -> tuple[ShortlistEntry, str]:
    reason = (reason or "").strip()
    if not reason:
        raise RoundError(_("Say why the entry is taken off the shortlist."))
    row = current.pop(entry.pk, None)
    if row is None:
        raise RoundError(_("“%(entry)s” is not on the shortlist.")
                         % {"entry": entry.practice.display_title})
    return row, reason


def _put_on_by_hand(current: dict[int, ShortlistEntry], *, judging_round: JudgingRound,
                    area: ThematicArea, entry: Entry, reason: str, by) -> ShortlistEntry:
    reason = (reason or "").strip()
    if not reason:
        raise RoundError(_("Say why the entry is put on the shortlist."))
    if entry.area_id != area.pk or entry.status not in EntryStatus.ranked:
        raise RoundError(_("Only eligible entries of the area can be shortlisted."))
    if entry.pk in current:
        raise RoundError(_("“%(entry)s” is already on the shortlist.")
                         % {"entry": entry.practice.display_title})
    return ShortlistEntry(round=judging_round, entry=entry, by=by,
                          source=ShortlistSource.BY_HAND, reason=reason)


# --- notes of site visits ----------------------------------------------------------------
SITE_VISIT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def site_visit_add(*, judging_round: JudgingRound, entry: Entry, by, notes: str,
                   file=None) -> SiteVisit:
    """Record a visit to an entry's practice for a round: notes (required) and optionally a
    file (at most 10 MB), kept private (the permission `scoring.view_site_visits`: the
    organisers and the round's panel of the area, `deliberation.rules`). The entry must be
    scored in the round."""
    notes = (notes or "").strip()
    if not notes:
        raise RoundError(_("Write the notes of the visit."))
    if entry.edition_id != judging_round.edition_id:
        raise RoundError(_("This entry does not belong to the round's edition."))
    if not entry_scored_in_round(entry=entry, judging_round=judging_round):
        raise RoundError(_("This entry is not on the shortlist of the round."))
    visit = SiteVisit(round=judging_round, entry=entry, by=by, notes=notes)
    if file is not None:
        if file.size > SITE_VISIT_MAX_BYTES:
            raise RoundError(_("The file is larger than 10 MB."))
        visit.file = file
        visit.original_name = PurePath(file.name).name[:255]
    visit._history_user = by
    visit.save()
    return visit
