"""Ranking runs: start one, compute it (the Celery task's one call), publish and unpublish.

A run is created `queued` first so that its progress is visible at once. Computing it marks
it `running` and reports progress with short UPDATEs outside any long transaction; every
result and the `succeeded` status are written together in ONE transaction, opened once the
sheets are read (the results are written area by area while a second thread ranks the next
ones), so a run that fails or whose worker is killed leaves no result rows. None of these
commits waits for the disk: a run is recomputed whenever it is lost. The same inputs give the
same results and the same fingerprint; computing a run that already succeeded does nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from itertools import chain, islice, repeat
from queue import SimpleQueue

import numpy as np
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.mail import absolute_url, queue_email
from accounts.models import User
from competitions.enums import Phase
from competitions.lifecycle import PhaseRefused, edition_phase_change
from competitions.models import Edition
from practices.enums import EntryStatus
from practices.models import Entry

from ..engine import ResultColumns, compute_ranking_columns, record_fingerprint, sensitivity_report
from ..engine.constants import FLAG_INSUFFICIENT_REVIEWS, FLAGS
from ..engine.results import FLAG_TUPLES
from ..enums import (
    LeftOutReason,
    PublicationAction,
    PublicationNotice,
    RankingMethod,
    RunStatus,
)
from ..juror_codes import juror_code_numbers
from ..models import JudgingRound, PublicationEvent, RankingResult, RankingRun, new_juror_salt
from ..selectors.public import published_places
from ..selectors.ranking import ranking_input_load, ranking_snapshot_load
from ..selectors.rounds import final_round, round_to_work_on
from ..signals import run_publication_announce

logger = logging.getLogger(__name__)

DEFAULT_SEED = 2016
# Result rows in one INSERT at most (where there is no COPY, see _insert_results).
RESULT_BATCH_SIZE = 2000
# Rows of COPY text made per read of the driver (PostgreSQL): each read hands the GIL back
# to the engine's thread once (`_execute`), so a few large reads rather than many small.
COPY_ROWS = 5000
# Results turned from numpy columns into Python values at a time.
ROW_SLICE = 5000

# Phases in which a run may be published: the jury has finished (or results are out).
PUBLISHABLE_PHASES = (Phase.REVIEW, Phase.RANKED, Phase.PUBLISHED)


class RankingError(ValidationError):
    """A ranking action the rules refuse; the message says why."""


def _check_method(method: str) -> str:
    if method not in RankingMethod.values:
        raise RankingError(_("Unknown ranking method “%(method)s”.") % {"method": method})
    return method


def ranking_run_create(*, edition: Edition, method: str = RankingMethod.WEIGHTED_MEAN,
                       by: User | None = None, bootstrap_samples: int | None = None,
                       seed: int = DEFAULT_SEED,
                       judging_round: JudgingRound | None = None) -> RankingRun:
    """A queued run of `method` (bootstrap samples and seed are stored as its parameters)
    over the sheets of one round (by default the edition's current round)."""
    _check_method(method)
    judging_round = round_to_work_on(edition=edition, judging_round=judging_round)
    if judging_round is None:
        raise RankingError(_("This round does not belong to the edition."))
    samples = settings.RANKING_BOOTSTRAP_SAMPLES if bootstrap_samples is None \
        else bootstrap_samples
    if samples < 0:
        raise RankingError(_("The number of bootstrap samples cannot be negative."))
    # The runs of an edition share the salt of its first run, so that computing again on
    # the same sheets gives the same juror codes, hence the same fingerprint.
    salt = (RankingRun.objects.filter(edition=edition).order_by("pk")
            .values_list("juror_salt", flat=True).first()) or new_juror_salt()
    return RankingRun.objects.create(
        edition=edition, round=judging_round, method=method, status=RunStatus.QUEUED,
        requested_by=by,
        juror_salt=salt,
        parameters={"bootstrap_samples": int(samples), "seed": int(seed)},
        progress=0, progress_message="queued")


def ranking_run_start(*, edition: Edition, method: str = RankingMethod.WEIGHTED_MEAN,
                      by: User | None = None,
                      judging_round: JudgingRound | None = None) -> RankingRun:
    """Create a queued run and hand it to the Celery task once the row is committed."""
    run = ranking_run_create(edition=edition, method=method, by=by,
                             judging_round=judging_round)

    def enqueue() -> None:
        from ..tasks import compute_rankings

        compute_rankings.delay(edition.pk, method, run_id=run.pk)

    transaction.on_commit(enqueue)
    return run


def ranking_runs_requeue_stale(*, older_than: dt.timedelta | None = None) -> list[int]:
    """Hand again to the task every run left queued or running for longer than a task may
    take (`older_than`, by default Celery's hard time limit plus ten minutes): its message
    was lost (a broker restarted without its data) or its worker died. Computing a run again
    is safe: a run that succeeded meanwhile is left alone, and the same inputs give the same
    results. Returns the ids handed over."""
    older_than = older_than or dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 600)
    limit = timezone.now() - older_than
    stale = list(RankingRun.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
                 .filter(Q(started_at__lt=limit) | Q(started_at__isnull=True,
                                                     created_at__lt=limit))
                 .values_list("pk", "edition_id", "method"))
    from ..tasks import compute_rankings

    for run_id, edition_id, method in stale:
        logger.warning("ranking run %s was left unfinished: handed to the task again", run_id)
        compute_rankings.delay(edition_id, method, run_id=run_id)
    return [run_id for run_id, _edition, _method in stale]


def _report_progress(run_id: int, percent: int, stage: str, **fields) -> None:
    """A short transaction of its own, visible to the organiser's page at once, that does
    not wait for the disk (`_commit_without_waiting_for_disk`)."""
    with _commit_without_waiting_for_disk(connections[RankingRun.objects.db]):
        RankingRun.objects.filter(pk=run_id).update(progress=percent, progress_message=stage,
                                                    **fields)


@contextmanager
def _commit_without_waiting_for_disk(connection):
    """A transaction whose commit does not wait for the disk: a run is recomputed from the
    sheets whenever it is lost. On PostgreSQL synchronous_commit is off for this
    transaction only; on SQLite (in WAL mode) `synchronous` is NORMAL around it, then back
    to what it was. A crash of the machine may lose the last commits, never leave the
    database inconsistent, and any later durable commit (a publication, an organiser's
    action) writes them to disk first; a run left queued or running is handed to the task
    again (`ranking_runs_requeue_stale`). Inside an outer transaction, which decides its
    own commit, SQLite's setting cannot change and is left alone."""
    sqlite = connection.vendor == "sqlite" and not connection.in_atomic_block
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            before = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA synchronous = NORMAL")
    try:
        with transaction.atomic(using=connection.alias):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            yield
    finally:
        if sqlite:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA synchronous = {before:d}")


def ranking_run_execute(*, run_id: int) -> RankingRun:
    """Load the counted sheets, run the engine, and store the results with the `succeeded`
    status in one transaction. A run that already succeeded is returned untouched (the
    task is safe to retry); a run whose inputs the engine refuses is marked `failed` with
    the reason; any other error marks it `failed` and is raised again."""
    run = RankingRun.objects.select_related("edition", "round").get(pk=run_id)
    if run.status == RunStatus.SUCCEEDED:
        return run
    return _execute(run)


def _execute(run: RankingRun) -> RankingRun:
    run_id = run.pk
    began = time.perf_counter()
    _report_progress(run_id, 5, "loading", status=RunStatus.RUNNING, started_at=timezone.now(),
                     error="")
    try:
        timings: dict[str, float] = {}
        clock = time.perf_counter()
        data = ranking_input_load(edition=run.edition, judging_round=run.round)
        # The engine and the sensitivity report (numpy, no database) run in a second
        # thread, which hands over each area's results as soon as they are ranked; this
        # thread reads the snapshot and stores the results meanwhile. The database does
        # most of that work without holding the GIL (in its own process on PostgreSQL, in
        # C on SQLite), so the writing and the computing overlap (README).
        areas: SimpleQueue = SimpleQueue()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ranking") as pool:
            computed = pool.submit(_compute, data, run, areas, timings)
            snapshot = ranking_snapshot_load(edition=run.edition, method=run.method,
                                             parameters=run.parameters or {},
                                             judging_round=run.round)
            timings["load"] = time.perf_counter() - clock
            _report_progress(run_id, 25, "ranking")
            return _store(run_id, areas, computed, timings, began, snapshot=snapshot,
                          data=data)
    except ValueError as error:  # the engine or the loader refuses the data as it is
        _mark_failed(run_id, str(error))
        return RankingRun.objects.get(pk=run_id)
    except BaseException as error:
        _mark_failed(run_id, f"{type(error).__name__}: {error}")
        raise


def _compute(data, run: RankingRun, areas: SimpleQueue, timings: dict) -> tuple:
    """(the engine's outcome, the sensitivity report), from the engine's input alone: no
    database (it runs beside the store, `_execute`). Each area's result columns are put on
    `areas` as the engine ranks them, then None, whatever happens."""
    parameters = run.parameters or {}
    clock = time.perf_counter()
    try:
        outcome = compute_ranking_columns(
            data, run.method,
            bootstrap_samples=int(parameters.get("bootstrap_samples",
                                                 settings.RANKING_BOOTSTRAP_SAMPLES)),
            seed=int(parameters.get("seed", DEFAULT_SEED)),
            on_area=areas.put)
    finally:
        areas.put(None)
    timings["engine"] = time.perf_counter() - clock
    clock = time.perf_counter()
    sensitivity = sensitivity_report(data, run.method)
    timings["sensitivity"] = time.perf_counter() - clock
    return outcome, sensitivity


_INSUFFICIENT_BIT = 1 << FLAGS.index(FLAG_INSUFFICIENT_REVIEWS)


def _complete_record(snapshot: dict, data, outcome, salt: str) -> str:
    """Add to the snapshot the entries the engine did not rank for too few sheets and the
    number of counted sheets, and return the fingerprint of the run's record: the snapshot
    and every counted sheet with its juror's anonymous code (what the published downloads
    hold, so anyone can recompute it)."""
    columns = outcome.columns
    short_rows = np.flatnonzero(columns.flags & _INSUFFICIENT_BIT)
    short = [{"entry": entry, "area": area,
              "reason": str(LeftOutReason.INSUFFICIENT_REVIEWS.value)}
             for entry, area in zip(columns.entry_id[short_rows].tolist(),
                                    columns.area_id[short_rows].tolist(), strict=True)]
    snapshot["left_out"] = sorted(snapshot["left_out"] + short, key=lambda item: item["entry"])
    snapshot["counted_sheets"] = int(data.sheet_count)
    return record_fingerprint(snapshot, data.sheet_entry_ids,
                              juror_code_numbers(salt, data.sheet_juror_ids), data.scores)


def _mark_failed(run_id: int, message: str) -> None:
    logger.warning("ranking run %s failed: %s", run_id, message)
    RankingRun.objects.filter(pk=run_id).exclude(status=RunStatus.SUCCEEDED).update(
        status=RunStatus.FAILED, error=message[:2000], progress_message="failed",
        finished_at=timezone.now())


def _report_json(outcome, sensitivity, counts: dict) -> dict:
    """The run's report as the showcase and the results page read it."""
    return {
        "areas": [dataclasses.asdict(area) for area in outcome.areas],
        "sensitivity": dataclasses.asdict(sensitivity),
        "counts": counts,
        "bootstrap_samples": outcome.bootstrap_samples,
        "seed": outcome.seed,
    }


_RESULT_COLUMNS = ("run_id", "entry_id", "area_id", "criterion_scores", "total", "rank",
                   "place", "sheet_count", "spread", "rank_confidence", "flags")
# The JSON text of each combination of flags (a bit mask in the engine's columns).
_FLAGS_JSON = tuple(json.dumps(list(flags)) for flags in FLAG_TUPLES)


def _result_rows(run_id: int, columns: ResultColumns) -> Iterator[tuple]:
    """The result rows, one tuple at a time, from the engine's columns: plain numbers
    (None where missing) and the JSON text of the criterion scores and the flags. The
    columns become Python values ROW_SLICE rows at a time, so memory does not grow with
    the number of results."""
    for start in range(0, len(columns), ROW_SLICE):
        part = columns.rows(slice(start, start + ROW_SLICE))
        # json.dumps of a list of floats, faster: finite floats print as repr() does.
        scores = ("[" + ", ".join(map(repr, row)) + "]" if has else "[]"
                  for has, row in zip(part.has_scores.tolist(),
                                      part.criterion_scores.tolist(), strict=True))
        flags = (_FLAGS_JSON[mask] for mask in part.flags.tolist())
        yield from zip(repeat(run_id), part.entry_id.tolist(), part.area_id.tolist(), scores,
                       part.plain("total"), part.plain("rank"), part.plain("place"),
                       part.sheet_count.tolist(), part.plain("spread"),
                       part.plain("rank_confidence"), flags, strict=False)


def _insert_results(run_id: int, columns: ResultColumns) -> None:
    """INSERT every result row with plain parameters, streamed from the engine's columns.

    The ORM's bulk_create would prepare each of the 10,000 objects field by field; the
    values here are plain numbers, so they go straight to the driver: COPY fed a few
    hundred rows of text at a time on PostgreSQL, elsewhere multi-row VALUES of as many
    rows as the database takes parameters (one statement per row, as executemany sends
    them, costs SQLite twice as much: it updates the table's AUTOINCREMENT counter after
    each). Nothing holds every row, or the whole text, at once. Same columns, same JSON text.
    """
    if not len(columns):
        return
    rows = _result_rows(run_id, columns)
    connection = connections[RankingResult.objects.db]
    quote = connection.ops.quote_name
    table = quote(RankingResult._meta.db_table)
    names = ", ".join(quote(RankingResult._meta.get_field(name.removesuffix("_id")).column)
                      for name in _RESULT_COLUMNS)
    with connection.cursor() as cursor:
        raw = getattr(cursor, "cursor", None)
        if connection.vendor == "postgresql" and hasattr(raw, "copy_expert"):
            raw.copy_expert(f"COPY {table} ({names}) FROM STDIN", _CopyText(rows))
            return
        execute, placeholder = _plain_execute(cursor, connection)
        one_row = "(" + ", ".join([placeholder] * len(_RESULT_COLUMNS)) + ")"
        per_statement = _rows_per_statement(connection)
        while batch := list(islice(rows, per_statement)):
            values = ", ".join([one_row] * len(batch))
            execute(f"INSERT INTO {table} ({names}) VALUES {values}",  # noqa: S608 - names from the model, values as parameters
                    list(chain.from_iterable(batch)))


def _plain_execute(cursor, connection):
    """(execute, placeholder) for the results' INSERTs. On SQLite the statement goes to the
    sqlite3 cursor itself with its own `?` placeholders: Django's cursor would first rewrite
    every `%s` of the statement with a regular expression (22,000 of them per statement, a
    fifth of the INSERT's time); elsewhere Django's cursor as it is."""
    raw = getattr(cursor, "cursor", None)
    if connection.vendor != "sqlite" or not isinstance(raw, sqlite3.Cursor):
        return cursor.execute, "%s"
    logged = getattr(cursor, "debug_sql", None)  # where queries are logged (DEBUG, tests)

    def execute(sql: str, params: list) -> None:
        with logged(sql) if logged else nullcontext():
            sqlite3.Cursor.execute(raw, sql, params)

    return execute, "?"


def _rows_per_statement(connection) -> int:
    """Result rows in one INSERT: RESULT_BATCH_SIZE, or fewer where the database takes
    fewer parameters. Django assumes SQLite's old limit of 999; the library says its own
    (32,766 since SQLite 3.32)."""
    limit = connection.features.max_query_params
    getlimit = getattr(connection.connection, "getlimit", None)
    if connection.vendor == "sqlite" and getlimit is not None:
        limit = getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    if limit is None:
        return RESULT_BATCH_SIZE
    return max(1, min(RESULT_BATCH_SIZE, limit // len(_RESULT_COLUMNS)))


class _CopyText:
    """A file for psycopg2's copy_expert: the rows in COPY's text format, made
    COPY_ROWS at a time as the driver reads. The values are numbers, NULLs, and JSON
    arrays of numbers or flag names: no tab, newline or backslash to escape, and no
    "None" but a NULL (str(None)), which becomes \\N."""

    def __init__(self, rows: Iterator[tuple]):
        self.rows = rows

    def read(self, size: int = -1) -> str:
        lines = ["\t".join(map(str, row)) for row in islice(self.rows, COPY_ROWS)]
        if not lines:
            return ""
        return ("\n".join(lines) + "\n").replace("None", "\\N")

    readline = read


def _store(run_id: int, areas: SimpleQueue, computed: Future, timings: dict,
           began: float, *, snapshot: dict, data) -> RankingRun:
    """Every result row, the report, the record (the snapshot completed and its
    fingerprint) and the `succeeded` status, in one transaction that does not wait for
    the disk. The rows come area by area from `areas` (None ends them) while `computed`
    ranks them (`_compute`); its error is the run's, and nothing is stored."""
    with _commit_without_waiting_for_disk(connections[RankingResult.objects.db]):
        run = RankingRun.objects.select_for_update().select_related("edition").get(pk=run_id)
        if run.status == RunStatus.SUCCEEDED:  # another delivery of the task got there first
            return run
        timings["store"] = 0.0
        for columns in iter(areas.get, None):
            clock = time.perf_counter()
            _insert_results(run_id, columns)
            timings["store"] += time.perf_counter() - clock
        outcome, sensitivity = computed.result()
        fingerprint = _complete_record(snapshot, data, outcome, run.juror_salt)
        counts = {"entries": len(data.entry_ids), "sheets": data.sheet_count,
                  "criteria": len(data.criteria)}
        timings["total"] = time.perf_counter() - began
        run.status = RunStatus.SUCCEEDED
        run.progress = 100
        run.progress_message = "done"
        run.fingerprint = fingerprint
        run.snapshot = snapshot
        run.report = _report_json(outcome, sensitivity, counts)
        run.timings = {key: round(value, 4) for key, value in timings.items()}
        run.error = ""
        run.finished_at = timezone.now()
        run.save()
        edition = run.edition
        if edition.phase == Phase.REVIEW and edition.review_close_at <= timezone.now():
            edition_phase_change(edition=edition, to=Phase.RANKED, by=None)
    return run


# --- publication -------------------------------------------------------------------------
def _locked_run(run: RankingRun) -> RankingRun:
    return RankingRun.objects.select_for_update().select_related("edition").get(pk=run.pk)


def ranking_run_publish(*, run: RankingRun, by: User | None, notify: bool = True) -> RankingRun:
    """Publish a succeeded run: it becomes the one the showcase shows, the edition moves to
    `published`, the publication is recorded, and the officers of every municipality with
    an eligible entry are told by e-mail after commit (unless `notify` is off: the demo
    data). One run per edition is published:
    unpublish the current one (with a reason) first. The jury must have finished."""
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=run.edition_id)
        run = _locked_run(run)
        if run.status != RunStatus.SUCCEEDED:
            raise RankingError(_("Only a run that succeeded can be published."))
        if run.is_published:
            raise RankingError(_("This run is already published."))
        final = final_round(edition)
        if final is not None and run.round_id != final.pk:
            raise RankingError(_("Only a run of the final round (%(round)s) can be published.")
                               % {"round": final.label})
        if RankingRun.objects.filter(edition=edition, is_published=True).exists():
            raise RankingError(_("Another run of this edition is published: unpublish it "
                                 "first, with a reason."))
        now = timezone.now()
        if edition.phase not in PUBLISHABLE_PHASES or edition.is_in_review(now):
            raise RankingError(_("Results can be published once the jury review has closed "
                                 "(the edition is “%(phase)s”).")
                               % {"phase": edition.get_phase_display()})
        run.is_published = True
        run.published_at = now
        run.published_by = by
        run.save(update_fields=["is_published", "published_at", "published_by"])
        run_published_places_write(run=run)
        notice, notified = (_notify_publish(edition=edition, run=run) if notify
                            else (PublicationNotice.NONE, 0))
        PublicationEvent.objects.create(run=run, action=PublicationAction.PUBLISH, by=by,
                                        notice=notice, notified=notified)
        _phase_change_for_publication(edition=edition, by=by, at=now)
        run_publication_announce(run_id=run.pk, published=True)
    return run


def run_published_places_write(*, run: RankingRun) -> int:
    """Write each result's `published_place` (`published_places`: the jury's recorded
    decision where the area has one, else the computed place), in the publication's
    transaction, for the SQL readers of the public pages. A decision cannot change while its
    run is published (`deliberation.services`), so the column stays true until the run is
    unpublished (which clears it). Three queries; the number of results written."""
    results = list(RankingResult.objects.filter(run=run).only("pk", "run_id", "entry_id",
                                                                "place"))
    places = published_places(results)
    for result in results:
        result.published_place = places[(result.run_id, result.entry_id)]
    RankingResult.objects.bulk_update(results, ["published_place"], batch_size=1000)
    return len(results)


def _phase_change_for_publication(*, edition: Edition, by: User | None, at) -> None:
    """The edition moves to `published` through the phase service (a closed review first
    becomes `ranked`); a refusal is the publication's refusal."""
    if edition.phase == Phase.REVIEW and edition.review_close_at > at:
        raise RankingError(_("Results can be published once the jury review has closed "
                             "(the edition is “%(phase)s”).")
                           % {"phase": edition.get_phase_display()})
    try:
        if edition.phase == Phase.REVIEW:
            edition_phase_change(edition=edition, to=Phase.RANKED, by=by, at=at)
        if edition.phase != Phase.PUBLISHED:
            edition_phase_change(edition=edition, to=Phase.PUBLISHED, by=by, at=at)
    except PhaseRefused as refusal:
        raise RankingError(refusal.messages) from refusal


def ranking_run_unpublish(*, run: RankingRun, by: User, reason: str) -> RankingRun:
    """Withdraw the published run (the showcase then shows no results for the edition) and
    move the edition back to `ranked`. A reason is required and recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise RankingError(_("Say why the results are unpublished."))
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=run.edition_id)
        run = _locked_run(run)
        if not run.is_published:
            raise RankingError(_("This run is not published."))
        run.is_published = False
        run.save(update_fields=["is_published"])
        RankingResult.objects.filter(run=run).update(published_place=None)
        notice, notified = _notify_unpublish(edition=edition)
        PublicationEvent.objects.create(run=run, action=PublicationAction.UNPUBLISH, by=by,
                                        reason=reason, notice=notice, notified=notified)
        if edition.phase == Phase.PUBLISHED:
            edition_phase_change(edition=edition, to=Phase.RANKED, by=by, reason=reason)
        run_publication_announce(run_id=run.pk, published=False)
    return run


def _announced_run(edition: Edition) -> RankingRun | None:
    """The run whose places the officers were last told (by a first publication or a
    change), or None when they were never told any."""
    event = (PublicationEvent.objects.filter(run__edition=edition,
                                             action=PublicationAction.PUBLISH,
                                             notice__in=PublicationNotice.announcing)
             .select_related("run").order_by("-at", "-pk").first())
    return event.run if event else None


def officers_were_told(*, edition: Edition) -> bool:
    """Whether the officers were e-mailed places of this edition (so a withdrawal is news)."""
    return _announced_run(edition) is not None


def _places(run: RankingRun) -> set[tuple[int, int | None, int | None]]:
    """Each entry's rank and published place (the jury's decision where there is one)."""
    results = list(RankingResult.objects.filter(run=run).only("pk", "run_id", "entry_id",
                                                               "rank", "place"))
    places = published_places(results)
    return {(result.entry_id, result.rank, places[(result.run_id, result.entry_id)])
            for result in results}


def publication_notice(*, edition: Edition, run: RankingRun) -> str:
    """What publishing this run would tell the officers: the first publication of the
    edition's results is announced; a run with the places they were last told (the same
    run published again, or a new run that changes no rank or published place: the jury's
    decision where there is one) is not; other places are announced as a change. The
    publish page shows it before the organiser confirms."""
    announced = _announced_run(edition)
    if announced is None:
        return PublicationNotice.PUBLISHED
    if announced.pk == run.pk or _places(announced) == _places(run):
        return PublicationNotice.UNCHANGED
    return PublicationNotice.CHANGED


def _notify_publish(*, edition: Edition, run: RankingRun) -> tuple[str, int]:
    notice = publication_notice(edition=edition, run=run)
    if notice == PublicationNotice.UNCHANGED:
        return notice, 0
    template = ("scoring/email/results_published" if notice == PublicationNotice.PUBLISHED
                else "scoring/email/results_changed")
    sent = _email_officers(edition=edition, run=run, template=template)
    return (notice if sent else PublicationNotice.NONE), sent


def _notify_unpublish(*, edition: Edition) -> tuple[str, int]:
    """Officers who were told places hear that they are withdrawn for review; the reason
    stays in the organisers' record. Officers never told anything hear nothing."""
    announced = _announced_run(edition)
    if announced is None:
        return PublicationNotice.NONE, 0
    sent = _email_officers(edition=edition, run=announced,
                           template="scoring/email/results_withdrawn")
    return (PublicationNotice.WITHDRAWN if sent else PublicationNotice.NONE), sent


def _email_officers(*, edition: Edition, run: RankingRun, template: str) -> int:
    """One e-mail per officer (sent after commit): their municipality's entries with their
    published places in `run` (the jury's decision where there is one). Returns how many
    officers are e-mailed."""
    places: dict[int, list[dict]] = defaultdict(list)
    results = list(RankingResult.objects.filter(run=run, entry__status__in=EntryStatus.ranked)
                   .select_related("entry__practice", "area").order_by("area__order", "rank"))
    published = published_places(results)
    for result in results:
        places[result.entry.practice.municipality_id].append(
            {"practice": result.entry.practice, "area": result.area.code,
             "rank": result.rank, "place": published[(result.run_id, result.entry_id)]})
    municipality_ids = set(Entry.objects.filter(edition=edition, status__in=EntryStatus.ranked)
                           .values_list("practice__municipality_id", flat=True))
    officers = (User.objects.filter(municipality_id__in=municipality_ids, is_active=True)
                .order_by("pk"))
    url = absolute_url(reverse("showcase:edition", args=[edition.slug]))
    sent = 0
    for officer in officers:
        if not officer.is_approved_officer or not officer.email:
            continue
        queue_email(to=[officer], template=template,
                    context={"edition": edition, "officer": officer, "url": url,
                             "entries": places.get(officer.municipality_id, [])},
                    language=edition.language)
        sent += 1
    return sent
