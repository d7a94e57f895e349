"""Reads for the jury pages, each with a fixed number of queries whatever the number of
entries, jurors or criteria. A juror's reads only ever touch their own sheet."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from competitions.models import Criterion, Edition
from practices.enums import EntryStatus
from practices.models import Entry

from ..enums import SheetStatus
from ..models import Assignment, JuryMember, JurySheet, SheetScore


class Progress:
    """What state a juror's work on one entry is in."""

    ASSIGNED = "assigned"
    DRAFTED = "drafted"
    SUBMITTED = "submitted"
    RECUSED = "recused"


def sheet_progress(sheet: JurySheet | None) -> str:
    if sheet is None:
        return Progress.ASSIGNED
    if sheet.recused:
        return Progress.RECUSED
    if sheet.status == SheetStatus.SUBMITTED:
        return Progress.SUBMITTED
    return Progress.DRAFTED


# --- the juror's own pages ---------------------------------------------------------------

@dataclass
class JurorEntryRow:
    entry: Entry
    progress: str
    sheet: JurySheet  # the juror's own, unsaved (empty) until they first write to it
    # The round named in the row's link to its sheet: set when the juror also has the entry
    # in a later round, whose sheet the bare link would open (None: the bare link).
    link_round: int | None = None

    @property
    def shows_round(self) -> bool:
        """The row names its round: a round after the first, or an entry the juror has in
        more than one round."""
        return self.link_round is not None or not self.sheet.round.is_first


@dataclass
class JurorEditionBlock:
    edition: Edition
    member: JuryMember | None
    rows: list[JurorEntryRow] = field(default_factory=list)

    def _count(self, progress: str) -> int:
        return sum(1 for row in self.rows if row.progress == progress)

    @property
    def assigned(self) -> int:
        return len(self.rows)

    @property
    def submitted(self) -> int:
        return self._count(Progress.SUBMITTED)

    @property
    def recused(self) -> int:
        return self._count(Progress.RECUSED)

    @property
    def drafted(self) -> int:
        return self._count(Progress.DRAFTED)

    @property
    def done(self) -> int:
        return self.submitted + self.recused

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.assigned) if self.assigned else 0


def juror_dashboard_blocks(*, user, edition: Edition | None = None) -> list[JurorEditionBlock]:
    """The juror's editions (or one of them), each with the scorable entries actively
    assigned to them (a juror removed from an edition's jury no longer sees its entries; an
    entry found not eligible leaves the list) and how far they got. Four queries."""
    members = JuryMember.objects.seated().filter(user=user)
    assignments = Assignment.objects.active().filter(juror=user,
                                                     entry__status__in=EntryStatus.scorable)
    sheets = JurySheet.objects.filter(juror=user)
    if edition is not None:
        members = members.filter(edition=edition)
        assignments = assignments.filter(entry__edition=edition)
        sheets = sheets.filter(entry__edition=edition)
    members = list(members.select_related("edition").prefetch_related("areas")
                   .order_by("-edition__review_open_at"))
    assignments = list(assignments
                       .select_related("entry__practice__municipality", "entry__area",
                                       "entry__edition", "round")
                       .order_by("round__number", "entry__area__order",
                                 "entry__practice__title", "entry_id"))
    sheets = {(sheet.entry_id, sheet.round_id): sheet for sheet in
              sheets.only("id", "entry_id", "juror_id", "round_id", "status", "recused",
                          "submitted_at")}
    blocks = {member.edition_id: JurorEditionBlock(edition=member.edition, member=member)
              for member in members}
    for assignment in assignments:
        entry = assignment.entry
        block = blocks.get(entry.edition_id)
        if block is None:  # removed from that jury between the two reads
            continue
        sheet = sheets.get((entry.pk, assignment.round_id))
        progress = sheet_progress(sheet)
        if sheet is None:
            sheet = JurySheet(entry=entry, juror_id=user.pk)
        sheet.entry = entry
        sheet.round = assignment.round
        block.rows.append(JurorEntryRow(entry=entry, progress=progress, sheet=sheet))
    _link_earlier_rounds([row for block in blocks.values() for row in block.rows])
    return list(blocks.values())


def _link_earlier_rounds(rows: list[JurorEntryRow]) -> None:
    """A row of an entry the juror also has in a later round links to its own round's
    sheet: the sheet page without a round shows the latest round's (`assigned_round`)."""
    latest: dict[int, int] = {}
    for row in rows:
        latest[row.entry.pk] = max(latest.get(row.entry.pk, 0), row.sheet.round.number)
    for row in rows:
        if row.sheet.round.number < latest[row.entry.pk]:
            row.link_round = row.sheet.round.number


def assigned_entry_or_404(*, user, entry_id: int) -> Entry:
    """An entry assigned to this juror, with what the read-only page shows; 404 otherwise,
    so a juror cannot even learn which other entries exist."""
    return get_object_or_404(
        # Exists, not a join: an entry assigned in two rounds is still one entry
        Entry.objects.filter(Exists(Assignment.objects.active().filter(
            juror=user, entry=OuterRef("pk"))))
        .select_related("practice__municipality", "area", "edition")
        .prefetch_related("practice__photos", "practice__attachments"),
        pk=entry_id)


@dataclass
class CriterionRow:
    """One criterion on the sheet form: guidance, rubric, score options and what is saved.
    `shown_value`/`shown_comment` are what the form shows (a rejected POST shows what was
    typed), as text."""

    criterion: Criterion
    score: SheetScore | None
    options: list[tuple[str, str]]
    rubric: list
    shown_value: str = ""
    shown_comment: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def value(self) -> int | None:
        return None if self.score is None else self.score.value

    @property
    def comment(self) -> str:
        return "" if self.score is None else self.score.comment

    @property
    def guidance(self) -> str:
        return self.criterion.localized("guidance")

    @property
    def score_field(self) -> str:
        return f"score-{self.criterion.pk}"

    @property
    def comment_field(self) -> str:
        return f"comment-{self.criterion.pk}"

    def show(self, data=None) -> None:
        data = data if data is not None else {}
        saved = "" if self.value is None else str(self.value)
        self.shown_value = str(data.get(self.score_field, saved))
        self.shown_comment = str(data.get(self.comment_field, self.comment))


def sheet_rows(*, sheet: JurySheet, data=None) -> list[CriterionRow]:
    """Every criterion of the edition, in order, with its rubric, the score options on the
    edition's scale (labelled with the rubric where the organiser wrote one) and this sheet's
    score and comment. Two queries, plus one when the sheet is saved."""
    edition = sheet.entry.edition
    criteria = (Criterion.objects.filter(edition_id=edition.pk)
                .prefetch_related("rubric_levels").order_by("order"))
    scores = ({score.criterion_id: score for score in SheetScore.objects.filter(sheet=sheet)}
              if sheet.pk else {})
    rows = []
    for criterion in criteria:
        rubric = list(criterion.rubric_levels.all())
        meaning = {level.score: level.localized("description") for level in rubric}
        options = [(str(value), f"{value} – {meaning[value]}" if value in meaning else str(value))
                   for value in range(edition.scale_min, edition.scale_max + 1)]
        row = CriterionRow(criterion=criterion, score=scores.get(criterion.pk), options=options,
                           rubric=rubric)
        row.show(data)
        rows.append(row)
    return rows


# --- the organiser's pages ---------------------------------------------------------------

@dataclass
class ProgressCounts:
    assigned: int = 0
    drafted: int = 0
    submitted: int = 0
    recused: int = 0

    def add(self, progress: str) -> None:
        self.assigned += 1
        if progress != Progress.ASSIGNED:
            setattr(self, progress, getattr(self, progress) + 1)

    @property
    def not_started(self) -> int:
        return self.assigned - self.drafted - self.submitted - self.recused

    @property
    def open(self) -> int:
        return self.assigned - self.submitted - self.recused


@dataclass
class JurorProgress:
    member: JuryMember
    counts: ProgressCounts


@dataclass
class EntryProgress:
    entry: Entry
    counts: ProgressCounts
    cells: list[tuple[Assignment, str, JurySheet | None]]

    @property
    def short_of_minimum(self) -> bool:
        return self.counts.submitted < self.entry.edition.min_sheets_per_entry


@dataclass
class EditionProgress:
    jurors: list[JurorProgress]
    entries: list[EntryProgress]
    totals: ProgressCounts
    board: "EntryBoard | None" = None  # the page of entries shown, when paginated


# The organiser's boards show this many entries a page: their cost and size do not grow
# with the edition.
BOARD_PAGE_SIZE = 50


class BoardState:
    """The board's filter by how far an entry's review has got."""

    UNASSIGNED = "unassigned"  # nobody assigned yet
    SHORT = "short"  # fewer submitted sheets than the edition's minimum


@dataclass(frozen=True)
class BoardFilter:
    """What an organiser asked a board for: a search in practice and municipality names
    (both languages), an area, a state (`BoardState`) and a page number."""

    q: str = ""
    area: int | None = None
    state: str = ""
    page: int = 1


def board_entries(*, edition: Edition, board: BoardFilter):
    """The scorable entries of the edition that match `board`, in the boards' order."""
    entries = Entry.objects.filter(edition=edition, status__in=EntryStatus.scorable)
    if board.q:
        entries = entries.filter(
            Q(practice__title__icontains=board.q) | Q(practice__title_en__icontains=board.q)
            | Q(practice__municipality__name__icontains=board.q)
            | Q(practice__municipality__name_en__icontains=board.q))
    if board.area:
        entries = entries.filter(area_id=board.area)
    if board.state == BoardState.UNASSIGNED:
        entries = entries.filter(~Exists(Assignment.objects.filter(entry=OuterRef("pk"))))
    elif board.state == BoardState.SHORT:
        submitted = (JurySheet.objects.filter(entry=OuterRef("pk"), status=SheetStatus.SUBMITTED,
                                              recused=False)
                     .order_by().values("entry").annotate(n=Count("id")).values("n"))
        entries = (entries.annotate(submitted=Coalesce(Subquery(submitted), 0))
                   .filter(submitted__lt=edition.min_sheets_per_entry))
    return entries.order_by("area__order", "practice__title", "id")


def _entry_rows(entries: list[Entry], *, edition: Edition) -> list[EntryProgress]:
    """The entries with their jurors' progress: two queries, for these entries only."""
    ids = [entry.pk for entry in entries]
    assignments = (Assignment.objects.filter(entry_id__in=ids).select_related("juror", "round")
                   .order_by("round__number", "juror__last_name", "juror_id"))
    sheets = {(sheet.juror_id, sheet.entry_id, sheet.round_id): sheet for sheet in
              JurySheet.objects.filter(entry_id__in=ids)
              .only("id", "juror_id", "entry_id", "round_id", "status", "recused")}
    by_entry: dict[int, ProgressCounts] = defaultdict(ProgressCounts)
    cells: dict[int, list] = defaultdict(list)
    for assignment in assignments:
        sheet = sheets.get((assignment.juror_id, assignment.entry_id, assignment.round_id))
        progress = sheet_progress(sheet)
        by_entry[assignment.entry_id].add(progress)
        cells[assignment.entry_id].append((assignment, progress, sheet))
    for entry in entries:
        entry.edition = edition
    return [EntryProgress(entry=entry, counts=by_entry[entry.pk], cells=cells[entry.pk])
            for entry in entries]


def _juror_counts(*, edition: Edition, judging_round=None) -> dict[int, ProgressCounts]:
    """Per juror, how many of their assigned (scorable) entries (in one round, when given)
    are in which state: two grouped queries, whatever the number of entries."""
    counts: dict[int, ProgressCounts] = defaultdict(ProgressCounts)
    assigned = Assignment.objects.filter(entry__edition=edition,
                                         entry__status__in=EntryStatus.scorable)
    started = JurySheet.objects.filter(entry__edition=edition,
                                       entry__status__in=EntryStatus.scorable)
    if judging_round is not None:
        assigned = assigned.filter(round=judging_round)
        started = started.filter(round=judging_round)
    assigned = assigned.order_by().values("juror_id").annotate(n=Count("id"))
    for row in assigned:
        counts[row["juror_id"]].assigned = row["n"]
    started = (started.filter(Exists(Assignment.objects.filter(
                   entry_id=OuterRef("entry_id"), juror_id=OuterRef("juror_id"),
                   round_id=OuterRef("round_id"))))
               .order_by().values("juror_id", "status", "recused").annotate(n=Count("id")))
    for row in started:
        sheet = JurySheet(status=row["status"], recused=row["recused"])
        progress = sheet_progress(sheet)
        setattr(counts[row["juror_id"]], progress,
                getattr(counts[row["juror_id"]], progress) + row["n"])
    return counts


@dataclass
class EntryBoard:
    """A page of a board's entries, with the filter that chose them."""

    page: Page
    rows: list[EntryProgress]
    board: BoardFilter


def entry_board(*, edition: Edition, board: BoardFilter) -> EntryBoard:
    """One page (BOARD_PAGE_SIZE) of the entries matching `board`, each with its jurors'
    progress: four queries, whatever the size of the edition."""
    page = Paginator(board_entries(edition=edition, board=board)
                     .select_related("practice__municipality", "area"),
                     BOARD_PAGE_SIZE).get_page(board.page)
    entries = list(page.object_list)
    return EntryBoard(page=page, rows=_entry_rows(entries, edition=edition), board=board)


def jury_progress(*, edition: Edition, board: BoardFilter | None = None) -> EditionProgress:
    """Per juror (every juror) and per entry (a page of them, `board`; every entry when no
    board is given): assigned, drafted, submitted, recused. A fixed number of queries."""
    members = list(JuryMember.objects.filter(edition=edition).select_related("user")
                   .order_by("user__last_name", "user__first_name", "user__username"))
    by_juror = _juror_counts(edition=edition)
    totals = ProgressCounts()
    for counts in by_juror.values():
        for name in ("assigned", "drafted", "submitted", "recused"):
            setattr(totals, name, getattr(totals, name) + getattr(counts, name))
    if board is None:
        entries = _entry_rows(list(board_entries(edition=edition, board=BoardFilter())
                                   .select_related("practice__municipality", "area")),
                              edition=edition)
        page = None
    else:
        page = entry_board(edition=edition, board=board)
        entries = page.rows
    return EditionProgress(
        jurors=[JurorProgress(member=member, counts=by_juror[member.user_id])
                for member in members],
        entries=entries, totals=totals, board=page)


def jurors_in_round(*, edition: Edition, judging_round) -> list[JurorProgress]:
    """Per member of the edition's jury, their progress on the entries assigned to them in
    one round (what a reminder counts): three queries."""
    members = list(JuryMember.objects.filter(edition=edition).select_related("user")
                   .order_by("user__last_name", "user__first_name", "user__username"))
    counts = _juror_counts(edition=edition, judging_round=judging_round)
    return [JurorProgress(member=member, counts=counts[member.user_id]) for member in members]


def assignment_board(*, edition: Edition, board: BoardFilter | None = None) -> EntryBoard:
    """A page of entries with their jurors, for the assignment page."""
    return entry_board(edition=edition, board=board or BoardFilter())


@dataclass
class AuditChange:
    what: str
    old: object
    new: object


@dataclass
class AuditEvent:
    at: object
    who: object
    kind: str  # "+" created, "~" changed, "-" deleted
    subject: str
    changes: list[AuditChange]
    after_submission: bool


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _shown(model, name: str, value):
    """A recorded value as people read it: choice labels, yes/no."""
    field_ = model._meta.get_field(name)
    if value is None:
        return None
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    return value


def sheet_audit(*, sheet: JurySheet) -> list[AuditEvent]:
    """Every recorded change of a sheet and its scores, oldest first: who, when, old and new
    values. Changes made once the sheet had been submitted at least once are marked. Three
    queries."""
    sheet_records = list(JurySheet.history.filter(id=sheet.pk).select_related("history_user")
                         .order_by("history_date", "history_id"))
    score_records = list(SheetScore.history.filter(sheet_id=sheet.pk)
                         .select_related("history_user").order_by("history_date", "history_id"))
    criteria = {c.pk: c for c in Criterion.objects.filter(edition_id=sheet.entry.edition_id)}
    events = _sheet_events(sheet_records) + _score_events(score_records, criteria)
    sheet_subject = str(JurySheet._meta.verbose_name)
    events.sort(key=lambda item: (item[0], item[2].subject != sheet_subject, item[1]))
    submitted_at = next((record.history_date for record in sheet_records
                         if record.status == SheetStatus.SUBMITTED), None)
    ordered = [event for _at, _id, event in events]
    for event in ordered:
        event.after_submission = submitted_at is not None and event.at > submitted_at
    return ordered


def _record_changes(model, names: tuple[str, ...], before, record, *, empty: tuple,
                    shown: bool) -> list[AuditChange]:
    """What a history record changed against the one `before` it (all its values but the
    `empty` ones when it is the first), shown as people read them if `shown`."""
    changes = []
    for name in names:
        old = getattr(before, name) if before is not None else None
        new = getattr(record, name)
        if before is None and new in empty:
            continue
        if before is None or old != new:
            changes.append(AuditChange(
                what=_label(model, name),
                old=_shown(model, name, old) if shown else old,
                new=_shown(model, name, new) if shown else new))
    return changes


def _audit_event(record, subject: str, changes: list[AuditChange]) -> tuple:
    return (record.history_date, record.history_id, AuditEvent(
        at=record.history_date, who=record.history_user, kind=record.history_type,
        subject=subject, changes=changes, after_submission=False))


def _sheet_events(records: list) -> list[tuple]:
    """The sheet's own records (a change that changed none of the fields shown is left
    out), as (when, record id, event)."""
    events = []
    previous = None
    for record in records:
        changes = _record_changes(
            JurySheet, ("status", "recused", "recusal_reason", "overall_comment"), previous,
            record, empty=("", False, None), shown=True)
        previous = record
        if changes or record.history_type != "~":
            events.append(_audit_event(record, str(JurySheet._meta.verbose_name), changes))
    return events


def _score_events(records: list, criteria: dict[int, Criterion]) -> list[tuple]:
    """The records of the sheet's scores, each against the previous one of its criterion,
    as (when, record id, event)."""
    events = []
    last_by_criterion: dict[int, object] = {}
    for record in records:
        changes = _record_changes(SheetScore, ("value", "comment"),
                                  last_by_criterion.get(record.criterion_id), record,
                                  empty=("", None), shown=False)
        last_by_criterion[record.criterion_id] = record
        criterion = criteria.get(record.criterion_id)
        events.append(_audit_event(record, criterion.display_title if criterion else "?",
                                   changes))
    return events


def sheet_for_organiser_or_404(*, sheet_id: int) -> JurySheet:
    return get_object_or_404(
        JurySheet.objects.select_related("entry__practice__municipality", "entry__area",
                                         "entry__edition", "juror"),
        pk=sheet_id)


def jury_members(*, edition: Edition) -> list[JuryMember]:
    return list(JuryMember.objects.filter(edition=edition)
                .select_related("user__municipality", "invited_by")
                .prefetch_related("areas")
                .order_by("user__last_name", "user__first_name", "user__username"))


def edition_jurors_for_choice(*, edition: Edition):
    return (JuryMember.objects.seated().filter(edition=edition)
            .select_related("user").order_by("user__last_name", "user__username"))

