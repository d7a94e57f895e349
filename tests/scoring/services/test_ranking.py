"""The ranking run: loading the counted sheets, computing, storing, publishing."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F, ProtectedError
from django.test.utils import CaptureQueriesContext

from competitions.enums import Phase
from practices.enums import EntryStatus
from practices.services import entry_discard
from scoring.engine import record_fingerprint
from scoring.enums import PublicationAction, RankingMethod, RunStatus, SheetStatus
from scoring.juror_codes import juror_code_numbers
from scoring.models import PublicationEvent, RankingResult, RankingRun, SheetScore
from scoring.selectors.ranking import ranking_input_load
from scoring.services.ranking import (
    RankingError,
    ranking_run_create,
    ranking_run_execute,
    ranking_run_publish,
    ranking_run_start,
    ranking_run_unpublish,
)
from scoring.tasks import compute_rankings
from tests.factories import (
    CriterionFactory,
    EntryFactory,
    OfficerFactory,
    OrganiserFactory,
    UserFactory,
)

from ..factories_ranking import competition, sheet

pytestmark = pytest.mark.django_db


def _places(run: RankingRun) -> list[tuple[str, int | None, int | None]]:
    return list(run.results.order_by("area__order", F("rank").asc(nulls_last=True), "entry_id")
                .values_list("entry__practice__title", "rank", "place"))


# --- loading -----------------------------------------------------------------------------
@pytest.mark.parametrize("entries", [1, 12])
def test_ranking_input_load_uses_four_queries_whatever_the_size(entries,
                                                                django_assert_num_queries):
    game = competition(areas=2, entries_per_area=entries)
    with django_assert_num_queries(4):
        data = ranking_input_load(edition=game.edition)
    assert data.sheet_count == 2 * entries * 3
    assert len(data.entries) == 2 * entries


def test_ranking_input_load_counts_only_submitted_sheets_of_eligible_entries():
    game = competition(entries_per_area=2, jurors=2)
    area, criteria = game.areas[0], game.criteria
    extra = UserFactory()
    sheet(game.entries[0], extra, criteria, [1, 1], status=SheetStatus.DRAFT)
    sheet(game.entries[1], extra, criteria, [1, 1], recused=True)
    ineligible = EntryFactory(area=area, status=EntryStatus.INELIGIBLE)
    sheet(ineligible, extra, criteria, [5, 5])
    submitted_only = EntryFactory(area=area, status=EntryStatus.SUBMITTED)
    sheet(submitted_only, extra, criteria, [5, 5])
    data = ranking_input_load(edition=game.edition)
    assert data.sheet_count == 4
    assert sorted(e.id for e in data.entries) == sorted(e.pk for e in game.entries)


def test_ranking_input_load_puts_scores_in_criterion_order():
    game = competition(entries_per_area=1, jurors=1, weights=(1, 1))
    first, second = game.criteria
    # Swap the orders: the second criterion created is now first (ids no longer in order).
    first.order, second.order = 3, 1
    first.save()
    second.save()
    entry, juror = game.entries[0], game.jurors[0]
    entry.sheets.all().delete()
    sheet(entry, juror, [first, second], [2, 7])
    data = ranking_input_load(edition=game.edition)
    assert [c.id for c in data.criteria] == [second.pk, first.pk]
    assert data.scores.tolist() == [[7.0, 2.0]]


# --- computing and storing ---------------------------------------------------------------
def test_ranking_run_execute_stores_every_result_and_the_report():
    # Weights 3 and 1. Entry 0 scores (6, 10): (18 + 10) / 4 = 7.0; entry 1 (8, 2): 6.5;
    # entry 2 (2, 2): 2.0. Awards 2: places 1, 2, none.
    values = {0: (6, 10), 1: (8, 2), 2: (2, 2)}
    game = competition(entries_per_area=3, jurors=2, weights=(3, 1),
                       score=lambda a, e, j, c: values[e][c])
    run = ranking_run_create(edition=game.edition)
    assert run.status == RunStatus.QUEUED
    run = ranking_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.progress == 100
    assert run.error == ""
    data = ranking_input_load(edition=game.edition)
    assert run.fingerprint == record_fingerprint(
        run.snapshot, data.sheet_entry_ids,
        juror_code_numbers(run.juror_salt, data.sheet_juror_ids), data.scores)
    assert _places(run) == [("P0-0", 1, 1), ("P0-1", 2, 2), ("P0-2", 3, None)]
    first = run.results.get(entry=game.entries[0])
    assert first.criterion_scores == [6.0, 10.0]
    assert first.total == 7.0
    assert first.sheet_count == 2
    assert first.spread == 0.0
    assert first.flags == []
    assert first.area_id == game.areas[0].pk
    assert sorted(run.timings) == ["engine", "load", "sensitivity", "store", "total"]
    area_report = run.report["areas"][0]
    assert area_report["area_id"] == game.areas[0].pk
    assert area_report["agreement_statistic"] == "krippendorff_alpha_interval"
    assert area_report["agreement"] == 1.0
    assert [item["juror_id"] for item in area_report["leniency"]] == sorted(
        j.pk for j in game.jurors)
    assert run.report["sensitivity"]["method"] == "weighted_mean"
    assert run.report["counts"] == {"entries": 3, "sheets": 6, "criteria": 2}


def test_ranking_run_flags_insufficient_reviews_and_ties():
    # Entries 0 and 1 are equal on every criterion: they share rank 1. Entry 2 has one
    # sheet of the two required: not ranked.
    game = competition(entries_per_area=3, jurors=2, score=lambda a, e, j, c: 8 if e < 2 else 5)
    game.entries[2].sheets.first().delete()
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    flags = dict(run.results.values_list("entry__practice__title", "flags"))
    assert flags == {"P0-0": ["shared_rank"], "P0-1": ["shared_rank"],
                     "P0-2": ["insufficient_reviews"]}
    assert _places(run) == [("P0-0", 1, 1), ("P0-1", 1, 1), ("P0-2", None, None)]


def test_ranking_run_again_on_the_same_inputs_gives_the_same_results():
    game = competition(areas=2, entries_per_area=4, jurors=3,
                       score=lambda a, e, j, c: (a * 3 + e * 7 + j * 5 + c) % 11)
    runs = [ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
            for _ in range(2)]
    columns = ("entry_id", "criterion_scores", "total", "rank", "place", "rank_confidence",
               "flags")
    first, second = ([list(r.results.order_by("entry_id").values_list(*columns))
                      for r in runs])
    assert first == second
    assert runs[0].fingerprint == runs[1].fingerprint
    assert runs[0].report == runs[1].report


def test_ranking_run_execute_of_a_succeeded_run_changes_nothing(django_assert_num_queries):
    game = competition()
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    finished = run.finished_at
    with django_assert_num_queries(1):
        again = ranking_run_execute(run_id=run.pk)
    assert again.pk == run.pk
    assert RankingResult.objects.filter(run=run).count() == 3
    run.refresh_from_db()
    assert run.finished_at == finished


def test_ranking_run_failing_while_storing_leaves_no_result(monkeypatch):
    # The first area's results are written, then the database fails on the second's: the
    # transaction takes the first area's rows back with it.
    from scoring.services import ranking

    game = competition(areas=2)
    run = ranking_run_create(edition=game.edition)
    insert = ranking._insert_results
    written = []

    def failing(run_id, columns):
        if written:
            raise RuntimeError("the worker lost its database")
        insert(run_id, columns)
        written.append(len(columns))
        assert RankingResult.objects.filter(run_id=run_id).count() == len(columns)

    monkeypatch.setattr(ranking, "_insert_results", failing)
    with pytest.raises(RuntimeError):
        ranking_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert written == [3]
    assert run.status == RunStatus.FAILED
    assert run.error == "RuntimeError: the worker lost its database"
    assert RankingResult.objects.filter(run=run).count() == 0


def test_ranking_run_with_a_missing_score_fails_with_the_reason():
    game = competition(entries_per_area=1, jurors=1)
    game.entries[0].sheets.get().scores.filter(criterion=game.criteria[1]).update(value=None)
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    assert run.status == RunStatus.FAILED
    sheet_id = game.entries[0].sheets.get().pk
    assert run.error == f"submitted jury sheet {sheet_id} has a criterion without a score"
    assert run.results.count() == 0


def test_ranking_run_with_a_criterion_left_out_of_a_sheet_fails_with_the_reason():
    game = competition(entries_per_area=1, jurors=1)
    scored = game.entries[0].sheets.get()
    scored.scores.filter(criterion=game.criteria[0]).delete()
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    assert run.status == RunStatus.FAILED
    assert run.error == f"submitted jury sheet {scored.pk} has a criterion without a score"


def test_ranking_run_with_a_score_of_another_editions_criterion_fails_with_the_reason():
    game = competition(entries_per_area=1, jurors=1)
    scored = game.entries[0].sheets.get()
    SheetScore.objects.create(sheet=scored, criterion=CriterionFactory(), value=4)
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    assert run.status == RunStatus.FAILED
    assert run.error == f"jury sheet {scored.pk} scores a criterion of another edition"
    assert run.results.count() == 0


def test_ranking_input_load_leaves_out_a_submitted_sheet_without_any_score():
    game = competition(entries_per_area=1, jurors=2)
    emptied = game.entries[0].sheets.first()
    emptied.scores.all().delete()
    data = ranking_input_load(edition=game.edition)
    assert data.sheet_count == 1
    assert data.scores.tolist() == [[9.0, 9.0]]


def test_ranking_run_moves_an_edition_whose_review_closed_to_ranked():
    game = competition(phase=Phase.REVIEW)
    ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    game.edition.refresh_from_db()
    assert game.edition.phase == Phase.RANKED


def test_ranking_run_create_refuses_an_unknown_method():
    game = competition()
    with pytest.raises(RankingError):
        ranking_run_create(edition=game.edition, method="coin_toss")
    assert RankingRun.objects.count() == 0


def test_ranking_run_start_queues_the_task_after_commit(django_capture_on_commit_callbacks):
    game = competition()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = ranking_run_start(edition=game.edition, method=RankingMethod.MEDIAN)
    run.refresh_from_db()
    assert (run.status, run.method, run.progress_message) == ("queued", "median", "queued")
    enqueue = [c for c in callbacks if c.__qualname__ == "ranking_run_start.<locals>.enqueue"]
    assert len(enqueue) == 1
    enqueue[0]()  # Celery runs in-process in the tests
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.results.count() == 3


# --- the task and the command ------------------------------------------------------------
def test_compute_rankings_task_twice_on_one_run_stores_it_once():
    game = competition()
    run = ranking_run_create(edition=game.edition, method=RankingMethod.ZSCORE)
    assert compute_rankings.delay(game.edition.pk, "zscore", run_id=run.pk).get() == run.pk
    assert compute_rankings(game.edition.pk, "zscore", run_id=run.pk) == run.pk
    assert RankingRun.objects.count() == 1
    assert RankingResult.objects.filter(run=run).count() == 3


def test_compute_rankings_command_sync_prints_the_places(capsys):
    game = competition()
    call_command("compute_rankings", game.edition.slug, "--method", "median", "--sync")
    out = capsys.readouterr().out
    run = RankingRun.objects.get()
    assert (run.method, run.status) == ("median", "succeeded")
    assert f"Ranking run #{run.pk} (median) of {game.edition.slug} succeeded" in out
    assert "I place 1: P0-0" in out
    assert "I place 2: P0-1" in out


def test_compute_rankings_command_queues_without_sync(capsys, django_capture_on_commit_callbacks):
    game = competition()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("compute_rankings", game.edition.slug)
    run = RankingRun.objects.get()
    assert run.method == "weighted_mean"
    out = capsys.readouterr().out
    assert f"Ranking run #{run.pk} (weighted_mean) of {game.edition.slug}" in out


def test_compute_rankings_command_refuses_unknown_edition_and_method():
    game = competition()
    with pytest.raises(CommandError, match="No edition with the slug 'nope'"):
        call_command("compute_rankings", "nope", "--sync")
    with pytest.raises(CommandError):
        call_command("compute_rankings", game.edition.slug, "--method", "coin_toss")
    assert RankingRun.objects.count() == 0


def test_compute_rankings_command_reports_a_failed_run():
    game = competition(entries_per_area=1, jurors=1)
    game.entries[0].sheets.get().scores.update(value=None)
    with pytest.raises(CommandError, match="failed: submitted jury sheet"):
        call_command("compute_rankings", game.edition.slug, "--sync")
    assert RankingRun.objects.get().status == RunStatus.FAILED


# --- publishing --------------------------------------------------------------------------
@pytest.fixture
def computed():
    game = competition()
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    return game, run


def test_ranking_run_publish_publishes_records_and_moves_the_edition(computed, mailoutbox,
                                                                     django_capture_on_commit_callbacks):
    game, run = computed
    organiser = OrganiserFactory()
    winner_officer = OfficerFactory(municipality=game.entries[0].practice.municipality)
    OfficerFactory()  # of a municipality without an entry: not told
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_publish(run=run, by=organiser)
    run.refresh_from_db()
    game.edition.refresh_from_db()
    assert run.is_published is True
    assert run.published_by == organiser
    assert game.edition.phase == Phase.PUBLISHED
    event = PublicationEvent.objects.get()
    assert (event.run, event.action, event.by) == (run, PublicationAction.PUBLISH, organiser)
    assert [m.to for m in mailoutbox] == [[winner_officer.email]]
    assert "P0-0" in mailoutbox[0].body
    assert f"/showcase/{game.edition.slug}/" in mailoutbox[0].body


def test_ranking_run_publish_sends_no_mail_before_commit(computed, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    game, run = computed
    OfficerFactory(municipality=game.entries[0].practice.municipality)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ranking_run_publish(run=run, by=OrganiserFactory())
    assert mailoutbox == []
    assert [c.__qualname__ for c in callbacks].count("_queue_one.<locals>.send") == 1


def test_ranking_run_publish_refuses_a_second_published_run(computed):
    game, run = computed
    organiser = OrganiserFactory()
    ranking_run_publish(run=run, by=organiser)
    other = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    with pytest.raises(RankingError, match="Another run of this edition is published"):
        ranking_run_publish(run=other, by=organiser)
    with pytest.raises(RankingError, match="already published"):
        ranking_run_publish(run=run, by=organiser)
    assert list(RankingRun.objects.filter(is_published=True)) == [run]


def test_ranking_run_publish_refuses_a_run_that_did_not_succeed(computed):
    game, _run = computed
    queued = ranking_run_create(edition=game.edition)
    with pytest.raises(RankingError, match="Only a run that succeeded"):
        ranking_run_publish(run=queued, by=OrganiserFactory())
    assert PublicationEvent.objects.count() == 0


def test_ranking_run_publish_refuses_while_the_jury_is_scoring():
    from tests.scoring.factories_jury import ReviewEditionFactory

    game = competition()
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    review = ReviewEditionFactory()
    game.edition.phase = Phase.REVIEW
    game.edition.review_close_at = review.review_close_at
    game.edition.save()
    with pytest.raises(RankingError, match="once the jury review has closed"):
        ranking_run_publish(run=run, by=OrganiserFactory())
    run.refresh_from_db()
    assert run.is_published is False


def test_ranking_run_unpublish_needs_a_reason_and_records_it(computed):
    game, run = computed
    organiser = OrganiserFactory()
    ranking_run_publish(run=run, by=organiser)
    with pytest.raises(RankingError, match="Say why"):
        ranking_run_unpublish(run=run, by=organiser, reason="   ")
    run.refresh_from_db()
    assert run.is_published is True
    ranking_run_unpublish(run=run, by=organiser, reason="A juror's sheet was entered twice.")
    run.refresh_from_db()
    game.edition.refresh_from_db()
    assert run.is_published is False
    assert game.edition.phase == Phase.RANKED
    event = PublicationEvent.objects.filter(action=PublicationAction.UNPUBLISH).get()
    assert (event.by, event.reason) == (organiser, "A juror's sheet was entered twice.")
    with pytest.raises(RankingError, match="not published"):
        ranking_run_unpublish(run=run, by=organiser, reason="again")


@pytest.mark.django_db(transaction=True)
def test_ranking_run_commits_its_progress_and_results_without_waiting_for_the_disk():
    # Two progress steps and the results: each its own transaction that does not wait for
    # the disk (SQLite's setting is restored after each).
    game = competition()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA synchronous")
            before = cursor.fetchone()[0]
    with CaptureQueriesContext(connection) as queries:
        run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    statements = [query["sql"] for query in queries.captured_queries]
    assert run.status == RunStatus.SUCCEEDED
    if connection.vendor == "sqlite":
        assert statements.count("PRAGMA synchronous = NORMAL") == 3
        assert statements.count(f"PRAGMA synchronous = {before:d}") == 3
        results = next(i for i, sql in enumerate(statements)
                       if 'INSERT INTO "scoring_rankingresult"' in sql)
        settings_before = [sql for sql in statements[:results]
                           if sql.startswith("PRAGMA synchronous =")]
        assert settings_before[-1] == "PRAGMA synchronous = NORMAL"
    else:
        assert statements.count("SET LOCAL synchronous_commit TO OFF") == 3


@pytest.mark.parametrize(("rows_per_statement", "slice_rows"), [(2, 3), (1000, 5000)])
def test_ranking_run_stores_every_result_whatever_the_batches(rows_per_statement, slice_rows,
                                                              monkeypatch):
    # Results are written a few rows per statement and turned into Python values a slice
    # at a time: the rows stored are the same whatever the sizes (7 entries here).
    game = competition(areas=1, entries_per_area=7, jurors=2,
                       score=lambda a, e, j, c: 9 - e)
    monkeypatch.setattr("scoring.services.ranking.RESULT_BATCH_SIZE", rows_per_statement)
    monkeypatch.setattr("scoring.services.ranking.ROW_SLICE", slice_rows)
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    assert [(title, rank) for title, rank, _place in _places(run)] == [
        (f"P0-{e}", e + 1) for e in range(7)]
    assert list(run.results.order_by("rank").values_list("criterion_scores", "flags"))[:2] == [
        ([9.0, 9.0], []), ([8.0, 8.0], [])]


# --- the report beside the store, and the results' keys -------------------------------------
def test_ranking_run_stores_each_area_while_a_second_thread_ranks_the_next(monkeypatch):
    # The engine and the sensitivity report run in a second thread; each area's results
    # are written by this one, area by area, as the engine hands them over. The run stores
    # what the engine computes on its own.
    from scoring.services import ranking

    events = []
    compute, insert = ranking.compute_ranking_columns, ranking._insert_results

    def engine(data, method, **options):
        events.append(("engine", threading.current_thread().name))
        return compute(data, method, **options)

    def store(run_id, columns):
        events.append(("store", int(columns.area_id[0])))
        insert(run_id, columns)

    monkeypatch.setattr(ranking, "compute_ranking_columns", engine)
    monkeypatch.setattr(ranking, "_insert_results", store)
    game = competition(areas=2)
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    assert run.status == RunStatus.SUCCEEDED
    (_name, thread), *stores = events
    assert thread.startswith("ranking") and thread != threading.current_thread().name
    assert stores == [("store", area.pk) for area in game.areas]
    data = ranking_input_load(edition=game.edition)
    alone = compute(data, "weighted_mean", bootstrap_samples=run.parameters["bootstrap_samples"],
                    seed=run.parameters["seed"])
    assert list(run.results.order_by("pk").values_list("entry_id", "rank")) == list(
        zip(alone.columns.entry_id.tolist(), alone.columns.rank.tolist(), strict=True))
    assert run.report["sensitivity"]["method"] == "weighted_mean"
    assert run.snapshot["counted_sheets"] == run.report["counts"]["sheets"] == 18


@pytest.mark.parametrize("error", [ValueError("the weights cannot be nudged"),
                                   RuntimeError("the report's thread died")])
def test_ranking_run_whose_report_fails_stores_nothing_and_says_why(error, monkeypatch):
    # An error of the second thread is the run's: the results written beside it are rolled
    # back, the run is failed with the reason (a refusal of the data) or the error raised.
    def failing(data, method):
        raise error

    monkeypatch.setattr("scoring.services.ranking.sensitivity_report", failing)
    game = competition()
    run = ranking_run_create(edition=game.edition)
    if isinstance(error, ValueError):
        ranking_run_execute(run_id=run.pk)
    else:
        with pytest.raises(RuntimeError):
            ranking_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert str(error) in run.error
    assert RankingResult.objects.filter(run=run).count() == 0


def test_ranking_results_keep_their_keys_in_django_not_in_the_database():
    # No row-by-row check at commit (see the model): deleting a run removes its results,
    # an area or an entry with results cannot be deleted, and a ranked entry cannot be
    # discarded.
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, RankingResult._meta.db_table)
    assert not [name for name, constraint in constraints.items() if constraint["foreign_key"]]
    game = competition()
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    entry = game.entries[0]
    for kept in (game.areas[0], entry):
        with pytest.raises(ProtectedError) as refused:
            kept.delete()
        assert {type(item) for item in refused.value.protected_objects} >= {RankingResult}
    with pytest.raises(ValidationError):
        entry_discard(entry=entry, by=OfficerFactory())
    run.delete()
    assert not RankingResult.objects.exists()
