"""Which juror scores which entry: automatic balanced assignment, everyone on an area,
manual changes. A juror is never given an entry of their own municipality or one they are
affiliated with, of a region they are affiliated with (or their own region, when the edition
says so), nor one they declared a conflict of interest with (`conflict_reason`)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from competitions.enums import ConflictScope
from competitions.models import Edition, ThematicArea
from practices.enums import EntryStatus
from practices.models import Entry

from ..enums import SheetStatus
from ..models import (
    Assignment,
    JudgingRound,
    JuryMember,
    JurySheet,
    entry_scored_in_round,
    scored_in_round,
)
from ..selectors.rounds import round_to_work_on


class AssignmentError(ValidationError):
    """An assignment the rules refuse; the message says why."""


@dataclass
class AssignmentOutcome:
    created: int = 0
    # Entries that could not get enough jurors without a conflict: entry -> how many missing.
    short: dict[Entry, int] = field(default_factory=dict)


@dataclass(frozen=True)
class _Juror:
    """What the conflict rule knows of a juror: the municipalities they belong to or are
    affiliated with, the regions of those, the regions they are affiliated with, and the
    areas they serve."""

    user_id: int
    own_municipality_id: int | None  # the municipality they are an officer of
    municipality_ids: frozenset[int]  # their officer's municipality, their affiliation
    municipality_regions: frozenset[tuple[str, str]]  # (country, region) of those
    regions: frozenset[tuple[str, str]]  # regions they declared an affiliation with
    area_ids: frozenset[int]  # empty: every area


def _juror(member: JuryMember) -> _Juror:
    municipalities = [m for m in (member.user.municipality, member.affiliated_municipality) if m]
    country = member.edition.country  # a declared region is one of the edition's country
    return _Juror(
        user_id=member.user_id,
        own_municipality_id=member.user.municipality_id,
        municipality_ids=frozenset(m.pk for m in municipalities),
        municipality_regions=frozenset((m.country, m.region) for m in municipalities),
        regions=frozenset({(country, member.affiliated_region)} if member.affiliated_region
                          else ()),
        area_ids=frozenset(area.pk for area in member.areas.all()))


def _jurors(edition: Edition) -> list[_Juror]:
    members = (JuryMember.objects.seated().filter(edition=edition, user__is_active=True)
               .select_related("user__municipality", "affiliated_municipality", "edition")
               .prefetch_related("areas").order_by("user_id"))
    return [_juror(member) for member in members]


def _round(edition: Edition, judging_round: JudgingRound | None) -> JudgingRound:
    """The round assigned for: the one given (of this edition), else the current one."""
    judging_round = round_to_work_on(edition=edition, judging_round=judging_round)
    if judging_round is None:
        raise AssignmentError(_("This round does not belong to the edition."))
    return judging_round


def _entries(edition: Edition, area: ThematicArea | None = None,
             judging_round: JudgingRound | None = None) -> list[Entry]:
    """The entries scored in the round: every scorable entry in round 1, the shortlist of
    the round in a later one."""
    entries = (Entry.objects.filter(scored_in_round(judging_round), edition=edition,
                                    status__in=EntryStatus.scorable)
               .select_related("practice__municipality", "area").order_by("area__order", "id"))
    if area is not None:
        entries = entries.filter(area=area)
    return list(entries)


def _declared_conflicts(edition: Edition) -> set[tuple[int, int]]:
    """(juror id, entry id) pairs where the juror declared a conflict of interest."""
    return set(JurySheet.objects.filter(entry__edition=edition, recused=True)
               .values_list("juror_id", "entry_id"))


def conflict_reason(*, edition: Edition, juror: _Juror, entry: Entry,
                    declared: set[tuple[int, int]]) -> str | None:
    """The conflict-of-interest rule, in one place: why this juror may not score this entry,
    or None. A declared conflict; the entry's municipality is the juror's own or one they
    are affiliated with; its region is one they are affiliated with; or, when the edition
    says so, its region is that of the juror's municipality."""
    if (juror.user_id, entry.pk) in declared:
        return _("The juror declared a conflict of interest with this entry.")
    municipality = entry.practice.municipality
    if municipality.pk == juror.own_municipality_id:
        return _("The entry comes from the juror's own municipality.")
    if municipality.pk in juror.municipality_ids:
        return _("The entry comes from a municipality the juror is affiliated with.")
    region = (municipality.country, municipality.region)
    if region in juror.regions:
        return _("The entry comes from a region the juror is affiliated with.")
    if edition.conflict_scope == ConflictScope.REGION and region in juror.municipality_regions:
        return _("The entry comes from the juror's own region.")
    return None


def _conflicted(*, edition: Edition, juror: _Juror, entry: Entry,
                declared: set[tuple[int, int]]) -> bool:
    return conflict_reason(edition=edition, juror=juror, entry=entry,
                           declared=declared) is not None


def _serves(juror: _Juror, entry: Entry) -> bool:
    return not juror.area_ids or entry.area_id in juror.area_ids


def assignment_conflict_reason(*, edition: Edition, juror: User, entry: Entry) -> str | None:
    """Why this juror may not score this entry, or None when they may (`conflict_reason`,
    with the juror's membership of the edition and their declared conflict with the entry)."""
    member = (JuryMember.objects.filter(edition=edition, user=juror)
              .select_related("user__municipality", "affiliated_municipality", "edition")
              .prefetch_related("areas").first())
    if member is None:  # not on the jury: only their own municipality is known
        candidate = _Juror(
            user_id=juror.pk, own_municipality_id=juror.municipality_id,
            municipality_ids=frozenset({juror.municipality_id} - {None}),
            municipality_regions=frozenset(
                {(juror.municipality.country, juror.municipality.region)}
                if juror.municipality_id else ()),
            regions=frozenset(), area_ids=frozenset())
    else:
        candidate = _juror(member)
    declared = set(JurySheet.objects.filter(entry=entry, juror=juror, recused=True)
                   .values_list("juror_id", "entry_id"))
    return conflict_reason(edition=edition, juror=candidate, entry=entry, declared=declared)


def _lock_edition(edition: Edition) -> None:
    # One assignment run per edition at a time: the loads it computes stay true.
    Edition.objects.select_for_update().filter(pk=edition.pk).first()


def _check_minimum(*, edition: Edition, per_entry: int, jury_size: int) -> None:
    """An entry with fewer sheets than the edition's minimum is never ranked: assigning fewer
    jurors per entry would prepare a ranking with no one in it, so it is refused, and when
    the jury itself is smaller than the minimum that is what the organiser is told."""
    minimum = edition.min_sheets_per_entry
    if jury_size < minimum:
        raise AssignmentError(
            ngettext("Each entry needs at least %(minimum)d sheets to be ranked, but the jury "
                     "has only %(count)d juror who accepted: invite more jurors (or lower "
                     "the edition's minimum of sheets) first.",
                     "Each entry needs at least %(minimum)d sheets to be ranked, but the jury "
                     "has only %(count)d jurors who accepted: invite more jurors (or lower "
                     "the edition's minimum of sheets) first.", jury_size)
            % {"minimum": minimum, "count": jury_size}, code="jury_too_small")
    if per_entry < minimum:
        raise AssignmentError(
            _("Each entry needs at least %(minimum)d sheets to be ranked; with %(count)d "
              "jurors per entry none will be ranked. Choose at least %(minimum)d.")
            % {"minimum": minimum, "count": per_entry}, code="below_minimum")


@transaction.atomic
def assignments_auto(*, edition: Edition, per_entry: int, by: User | None,
                     area: ThematicArea | None = None,
                     judging_round: JudgingRound | None = None) -> AssignmentOutcome:
    """Give every assignable entry `per_entry` jurors (counting those it already has),
    spreading the load evenly over the jury of the edition.

    A juror who declared a conflict with an entry does not count towards its jurors, so
    running this again after recusals finds replacements. Entries with the fewest possible
    jurors are served first, and each takes the least loaded
    jurors it may have; a final pass moves new assignments from the busiest jurors to the
    least busy where the rules allow, so loads differ by at most one whenever conflicts leave
    room for it.
    """
    if per_entry < 1:
        raise AssignmentError(_("Each entry needs at least one juror."))
    _lock_edition(edition)
    judging_round = _round(edition, judging_round)
    jurors = _jurors(edition)
    _check_minimum(edition=edition, per_entry=per_entry,
                   jury_size=sum(1 for juror in jurors
                                 if area is None or not juror.area_ids
                                 or area.pk in juror.area_ids))
    entries = _entries(edition, area, judging_round)
    declared = _declared_conflicts(edition)
    existing = list(Assignment.objects.filter(entry__edition=edition, round=judging_round)
                    .values_list("juror_id", "entry_id"))
    load: dict[int, int] = defaultdict(int)
    on_entry: dict[int, set[int]] = defaultdict(set)
    for juror_id, entry_id in existing:
        if (juror_id, entry_id) in declared:
            # A recusal is no sheet: it neither serves the entry nor loads the juror.
            continue
        load[juror_id] += 1
        on_entry[entry_id].add(juror_id)
    for juror in jurors:
        load.setdefault(juror.user_id, 0)

    candidates = {entry.pk: [juror for juror in jurors if _serves(juror, entry)
                             and not _conflicted(edition=edition, juror=juror, entry=entry,
                                                 declared=declared)]
                  for entry in entries}
    outcome = AssignmentOutcome()
    new: set[tuple[int, int]] = set()
    for entry in sorted(entries, key=lambda e: (len(candidates[e.pk]), e.pk)):
        missing = per_entry - len(on_entry[entry.pk])
        if missing <= 0:
            continue
        free = [juror for juror in candidates[entry.pk] if juror.user_id not in on_entry[entry.pk]]
        free.sort(key=lambda juror: (load[juror.user_id], juror.user_id))
        for juror in free[:missing]:
            load[juror.user_id] += 1
            on_entry[entry.pk].add(juror.user_id)
            new.add((juror.user_id, entry.pk))
        if len(free) < missing:
            outcome.short[entry] = missing - len(free)

    _rebalance(new=new, load=load, on_entry=on_entry, candidates=candidates)
    bulk_create_with_history(
        [Assignment(juror_id=juror_id, entry_id=entry_id, assigned_by=by, round=judging_round)
         for juror_id, entry_id in sorted(new)], Assignment, default_user=by)
    outcome.created = len(new)
    return outcome


def _rebalance(*, new: set[tuple[int, int]], load: dict[int, int],
               on_entry: dict[int, set[int]], candidates: dict[int, list[_Juror]]) -> None:
    """Move new assignments from the busiest juror to a less busy one that may take them,
    until no move narrows the gap."""
    candidate_ids = {entry_id: {juror.user_id for juror in jurors}
                     for entry_id, jurors in candidates.items()}
    for _round in range(10 * max(len(new), 1)):
        moved = False
        for busy_id in sorted(load, key=lambda j: (-load[j], j)):
            for idle_id in sorted(load, key=lambda j: (load[j], j)):
                if load[busy_id] - load[idle_id] <= 1:
                    break
                for juror_id, entry_id in sorted(new):
                    if (juror_id == busy_id and idle_id in candidate_ids.get(entry_id, ())
                            and idle_id not in on_entry[entry_id]):
                        new.discard((busy_id, entry_id))
                        new.add((idle_id, entry_id))
                        on_entry[entry_id].discard(busy_id)
                        on_entry[entry_id].add(idle_id)
                        load[busy_id] -= 1
                        load[idle_id] += 1
                        moved = True
                        break
                if moved:
                    break
            if moved:
                break
        if not moved:
            return


@transaction.atomic
def assignments_area_everyone(*, area: ThematicArea, by: User | None,
                              judging_round: JudgingRound | None = None) -> AssignmentOutcome:
    """Every juror of the area (its panel) scores every assignable entry of the area in the
    round (a later round: its shortlist), except where a conflict forbids it."""
    edition = area.edition
    _lock_edition(edition)
    judging_round = _round(edition, judging_round)
    declared = _declared_conflicts(edition)
    existing = set(Assignment.objects.filter(entry__area=area, round=judging_round)
                   .values_list("juror_id", "entry_id"))
    jurors = _jurors(edition)  # once: in the comprehension it would be asked per entry
    new = [Assignment(juror_id=juror.user_id, entry_id=entry.pk, assigned_by=by,
                      round=judging_round)
           for entry in _entries(edition, area, judging_round) for juror in jurors
           if _serves(juror, entry) and (juror.user_id, entry.pk) not in existing
           and not _conflicted(edition=edition, juror=juror, entry=entry, declared=declared)]
    bulk_create_with_history(new, Assignment, default_user=by)
    return AssignmentOutcome(created=len(new))


@transaction.atomic
def assignment_add(*, entry: Entry, juror: User, by: User | None,
                   judging_round: JudgingRound | None = None) -> Assignment:
    """Assign one juror to one entry by hand (in a round, by default the current one); the
    conflict rules still apply, and a later round takes only entries on its shortlist."""
    edition = entry.edition
    judging_round = _round(edition, judging_round)
    if not entry_scored_in_round(entry=entry, judging_round=judging_round):
        raise AssignmentError(_("This entry is not on the shortlist of the round."))
    member = (JuryMember.objects.filter(edition=edition, user=juror)
              .prefetch_related("areas").first())
    if member is None:
        raise AssignmentError(_("This person is not on the jury of the edition."))
    area_ids = {area.pk for area in member.areas.all()}
    if area_ids and entry.area_id not in area_ids:
        raise AssignmentError(_("This juror does not serve the entry's thematic area."))
    if entry.status not in EntryStatus.scorable:
        raise AssignmentError(_("Only submitted or eligible entries can be assigned."))
    reason = assignment_conflict_reason(edition=edition, juror=juror, entry=entry)
    if reason:
        raise AssignmentError(reason)
    taken = AssignmentError(_("This juror is already assigned to the entry."))
    if Assignment.objects.filter(entry=entry, juror=juror, round=judging_round).exists():
        raise taken
    assignment = Assignment(entry=entry, juror=juror, assigned_by=by, round=judging_round)
    assignment._history_user = by  # the audit log's "made by", in a request or not
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:  # the same assignment made at the same moment
        raise taken from error
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by: User | None) -> None:
    """Take an entry away from a juror. A submitted sheet stays and keeps counting, so such
    an assignment cannot be removed; a draft is kept and comes back if the juror is assigned
    again."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if JurySheet.objects.filter(entry_id=assignment.entry_id, juror_id=assignment.juror_id,
                                round_id=assignment.round_id,
                                status=SheetStatus.SUBMITTED, recused=False).exists():
        raise AssignmentError(_("The juror has already submitted a sheet for this entry."))
    assignment._history_user = by  # the audit log's "removed by"
    assignment.delete()
