"""Rounds: round 1 for every edition, dates in step with the edition's review, later rounds,
the shortlist between rounds, the panel's fresh sheets, and each round's own runs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from competitions.enums import Phase
from competitions.lifecycle import edition_phase_change
from scoring.enums import RunStatus, SheetStatus, ShortlistRule, ShortlistSource
from scoring.models import Assignment, JudgingRound, JurySheet, RankingRun, ShortlistEntry
from scoring.rules import sheet_is_editable
from scoring.selectors.rounds import (
    current_round,
    edition_rounds,
    final_round,
    round_scoring_closed,
)
from scoring.services.assignments import (
    AssignmentError,
    assignment_add,
    assignments_area_everyone,
)
from scoring.services.ranking import ranking_run_create
from scoring.services.rounds import RoundError, round_add, round_shortlist
from scoring.services.sheets import sheet_get_or_create, sheet_submit
from tests.factories import EditionFactory, EntryFactory, JurySheetFactory, OrganiserFactory


def _at(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


@pytest.mark.django_db
def test_every_new_edition_has_round_one_with_its_review_dates():
    edition = EditionFactory()
    rounds = edition_rounds(edition)
    assert [(r.number, r.review_open_at, r.review_close_at) for r in rounds] == [
        (1, edition.review_open_at, edition.review_close_at)]
    assert final_round(edition) == rounds[0]
    assert current_round(edition) == rounds[0]


@pytest.mark.django_db
def test_records_made_without_a_round_belong_to_round_one():
    entry = EntryFactory()
    made = JurySheetFactory(entry=entry)
    assert made.round == entry.edition.rounds.get(number=1)
    assert Assignment.objects.create(entry=entry, juror=made.juror).round_id == made.round_id
    run = RankingRun.objects.create(edition=entry.edition)
    assert run.round_id == made.round_id


@pytest.mark.django_db
def test_round_one_follows_the_edition_when_the_lifecycle_reopens_the_review():
    edition = EditionFactory(phase=Phase.REVIEW, submissions_open_at=_at(-60),
                             submissions_close_at=_at(-40), review_open_at=_at(-30),
                             review_close_at=_at(-1))
    edition_phase_change(edition=edition, to=Phase.RANKED)
    later = _at(5)
    edition_phase_change(edition=edition, to=Phase.REVIEW, by=OrganiserFactory(),
                         reason="A juror was ill", new_date=later)
    first = edition.rounds.get()
    assert (first.review_open_at, first.review_close_at) == (edition.review_open_at, later)
    assert round_scoring_closed(first) is False


@pytest.mark.django_db
def test_round_add_makes_the_new_round_final_and_moves_the_edition_review_close(two_rounds):
    edition = two_rounds.edition
    assert [r.number for r in edition_rounds(edition)] == [1, 2]
    assert edition.review_close_at == two_rounds.second.review_close_at
    assert final_round(edition) == two_rounds.second
    first = JudgingRound.objects.get(pk=two_rounds.first.pk)
    assert first.review_close_at < two_rounds.second.review_open_at
    assert current_round(edition) == two_rounds.second
    assert current_round(edition, at=_at(-20)) == two_rounds.first
    # between the rounds: the latest round that started
    assert current_round(edition, at=_at(-5)) == two_rounds.first
    assert round_scoring_closed(first) is True
    assert round_scoring_closed(two_rounds.second) is False
    assert edition.is_in_review(_at(-5)) is True


@pytest.mark.django_db
def test_round_add_refuses_a_round_opening_before_the_last_one_closes(two_rounds):
    with pytest.raises(RoundError) as error:
        round_add(edition=two_rounds.edition, review_open_at=_at(5), review_close_at=_at(20),
                  by=two_rounds.organiser, shortlist_top_n=1)
    assert "must open after round 2 closes" in error.value.messages[0]


@pytest.mark.django_db
def test_round_add_refuses_a_top_n_rule_without_n_and_foreign_weights(two_rounds):
    with pytest.raises(RoundError):
        round_add(edition=two_rounds.edition, review_open_at=_at(11), review_close_at=_at(20),
                  by=two_rounds.organiser, shortlist_rule=ShortlistRule.TOP_N)
    with pytest.raises(RoundError):
        round_add(edition=two_rounds.edition, review_open_at=_at(11), review_close_at=_at(20),
                  by=two_rounds.organiser, shortlist_rule=ShortlistRule.BY_HAND,
                  weights={999999: 2})


@pytest.mark.django_db
def test_round_add_refused_once_the_review_is_over():
    edition = EditionFactory(phase=Phase.RANKED, submissions_open_at=_at(-60),
                             submissions_close_at=_at(-40), review_open_at=_at(-30),
                             review_close_at=_at(-1))
    with pytest.raises(RoundError):
        round_add(edition=edition, review_open_at=_at(1), review_close_at=_at(5),
                  by=OrganiserFactory(), shortlist_rule=ShortlistRule.BY_HAND)


@pytest.mark.django_db
def test_shortlist_top_n_takes_the_best_of_the_chosen_run_and_records_it(two_rounds):
    run = two_rounds.run(two_rounds.first)
    assert run.status == RunStatus.SUCCEEDED
    chosen = round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                             by=two_rounds.organiser, run=run, rule=ShortlistRule.TOP_N,
                             top_n=2)
    best = two_rounds.game.by_area[two_rounds.area.pk][:2]
    assert [row.entry_id for row in chosen] == [entry.pk for entry in best]
    row = chosen[0]
    assert (row.source, row.by, row.run) == (ShortlistSource.RULE, two_rounds.organiser, run)
    assert row.reason == f"Top 2 of run #{run.pk}"
    assert row.history.get().history_user == two_rounds.organiser


@pytest.mark.django_db
def test_shortlist_threshold_and_applied_again_takes_off_what_it_no_longer_chooses(two_rounds):
    run = two_rounds.run(two_rounds.first)
    entries = two_rounds.game.by_area[two_rounds.area.pk]
    # totals are 9, 8, 7, 6
    chosen = round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                             by=two_rounds.organiser, run=run, rule=ShortlistRule.THRESHOLD,
                             threshold=Decimal("7"))
    assert [row.entry_id for row in chosen] == [e.pk for e in entries[:3]]
    chosen = round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                             by=two_rounds.organiser, run=run, rule=ShortlistRule.TOP_N,
                             top_n=1)
    assert [row.entry_id for row in chosen] == [entries[0].pk]
    removed = ShortlistEntry.objects.filter(removed_at__isnull=False).order_by("entry_id")
    assert [row.entry_id for row in removed] == [entries[1].pk, entries[2].pk]
    assert removed[0].removal_reason.startswith("Not chosen when the rule was applied again")


@pytest.mark.django_db
def test_shortlist_by_hand_needs_a_reason_each_way_and_keeps_the_record(two_rounds):
    entries = two_rounds.game.by_area[two_rounds.area.pk]
    with pytest.raises(RoundError):
        round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                        by=two_rounds.organiser, add=[(entries[3], "  ")])
    round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                    by=two_rounds.organiser, add=[(entries[3], "Visited: remarkable")])
    with pytest.raises(RoundError):
        round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                        by=two_rounds.organiser, remove=[(entries[3], "")])
    chosen = round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                             by=two_rounds.organiser, remove=[(entries[3], "Double entry")])
    assert chosen == []
    row = ShortlistEntry.objects.get(entry=entries[3])
    assert (row.source, row.reason, row.removal_reason, row.removed_by) == (
        ShortlistSource.BY_HAND, "Visited: remarkable", "Double entry", two_rounds.organiser)
    assert row.history.count() == 2


@pytest.mark.django_db
def test_shortlist_refused_for_round_one_a_run_of_another_round_and_while_round_one_scores(
        two_rounds):
    entries = two_rounds.game.by_area[two_rounds.area.pk]
    with pytest.raises(RoundError):
        round_shortlist(judging_round=two_rounds.first, area=two_rounds.area,
                        by=two_rounds.organiser, add=[(entries[0], "x")])
    # a real, finished run, but of round 2 itself: not the round before
    other_round_run = RankingRun.objects.create(edition=two_rounds.edition,
                                                round=two_rounds.second,
                                                status=RunStatus.SUCCEEDED)
    with pytest.raises(RoundError) as error:
        round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                        by=two_rounds.organiser, run=other_round_run,
                        rule=ShortlistRule.TOP_N, top_n=1)
    assert error.value.messages == ["Choose a finished ranking run of round 1."]
    assert not ShortlistEntry.objects.exists()
    with pytest.raises(RoundError) as error:
        round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                        by=two_rounds.organiser, add=[(entries[0], "x")], at=_at(-20))
    assert "still being scored" in error.value.messages[0]


def _shortlist_two(two_rounds):
    run = two_rounds.run(two_rounds.first)
    round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                    by=two_rounds.organiser, run=run, rule=ShortlistRule.TOP_N, top_n=2)
    return two_rounds.game.by_area[two_rounds.area.pk]


@pytest.mark.django_db
def test_round_two_panel_scores_the_shortlist_on_fresh_sheets(two_rounds):
    entries = _shortlist_two(two_rounds)
    outcome = assignments_area_everyone(area=two_rounds.area, by=two_rounds.organiser,
                                        judging_round=two_rounds.second)
    assert outcome.created == 6  # three jurors x two shortlisted entries
    assert set(Assignment.objects.filter(round=two_rounds.second)
               .values_list("entry_id", flat=True)) == {entries[0].pk, entries[1].pk}
    juror = two_rounds.game.jurors[0]
    fresh = sheet_get_or_create(entry=entries[0], juror=juror)
    old = JurySheet.objects.get(entry=entries[0], juror=juror, round=two_rounds.first)
    assert fresh.round == two_rounds.second and fresh.pk != old.pk
    assert sheet_is_editable(fresh) is True
    old.status = SheetStatus.DRAFT
    assert sheet_is_editable(old) is False  # round 1 has closed
    # an entry not on the shortlist is not assigned in round 2
    with pytest.raises(AssignmentError):
        assignment_add(entry=entries[3], juror=juror, by=two_rounds.organiser,
                       judging_round=two_rounds.second)


@pytest.mark.django_db
def test_shortlist_removal_refused_once_the_entry_has_jurors_in_the_round(two_rounds):
    entries = _shortlist_two(two_rounds)
    assignments_area_everyone(area=two_rounds.area, by=two_rounds.organiser,
                              judging_round=two_rounds.second)
    with pytest.raises(RoundError):
        round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                        by=two_rounds.organiser, remove=[(entries[0], "changed our mind")])


@pytest.mark.django_db
def test_each_round_has_its_own_run_over_its_own_sheets_and_weights(two_rounds):
    entries = _shortlist_two(two_rounds)
    criteria = two_rounds.game.criteria
    assignments_area_everyone(area=two_rounds.area, by=two_rounds.organiser,
                              judging_round=two_rounds.second)
    # round 2: the second entry now wins on every sheet
    for juror in two_rounds.game.jurors:
        for entry, value in ((entries[0], 5), (entries[1], 8)):
            made = sheet_get_or_create(entry=entry, juror=juror)
            sheet_submit(sheet=made, by=juror, scores={c.pk: value for c in criteria})
    second_run = two_rounds.run(two_rounds.second)
    first_run = two_rounds.run(two_rounds.first)
    assert second_run.round == two_rounds.second
    ranked = {r.entry_id: (r.rank, r.total, r.sheet_count) for r in second_run.results.all()}
    assert ranked == {entries[1].pk: (1, 8.0, 3), entries[0].pk: (2, 5.0, 3)}
    assert second_run.snapshot["round"] == 2
    assert "round" not in first_run.snapshot
    assert {r.entry_id: r.rank for r in first_run.results.all()} == {
        e.pk: k + 1 for k, e in enumerate(entries)}


def test_a_run_of_a_round_with_nothing_shortlisted_succeeds_with_no_result(two_rounds):
    """An area with no entry in the round (nothing shortlisted yet) is ranked as empty, not
    failed with the engine's arithmetic on an empty area."""
    run = two_rounds.run(two_rounds.second)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert not run.results.exists()


@pytest.mark.django_db
def test_a_round_with_its_own_weights_ranks_with_them(db):
    from tests.scoring.factories_ranking import competition

    game = competition(entries_per_area=2, jurors=1, weights=(1, 1), phase=Phase.REVIEW,
                       submissions_open_at=_at(-60), submissions_close_at=_at(-40),
                       review_open_at=_at(-30), review_close_at=_at(-10),
                       min_sheets_per_entry=1,
                       score=lambda a, e, j, c: [[9, 1], [2, 7]][e][c])
    organiser = OrganiserFactory()
    heavy = game.criteria[1]
    second = round_add(edition=game.edition, review_open_at=_at(-1), review_close_at=_at(10),
                       by=organiser, shortlist_rule=ShortlistRule.BY_HAND,
                       weights={heavy.pk: 9})
    area = game.areas[0]
    first_entry, second_entry = game.by_area[area.pk]
    round_shortlist(judging_round=second, area=area, by=organiser,
                    add=[(first_entry, "strong"), (second_entry, "strong")])
    juror = game.jurors[0]
    assignments_area_everyone(area=area, by=organiser, judging_round=second)
    for entry, values in ((first_entry, (9, 1)), (second_entry, (2, 7))):
        made = sheet_get_or_create(entry=entry, juror=juror)
        sheet_submit(sheet=made, by=juror, scores=dict(zip([c.pk for c in game.criteria],
                                                           values, strict=True)))
    from scoring.services.ranking import ranking_run_execute

    run = ranking_run_execute(run_id=ranking_run_create(
        edition=game.edition, judging_round=second, bootstrap_samples=0).pk)
    ranks = {r.entry_id: r.rank for r in run.results.all()}
    # equal weights: 5.0 vs 4.5; the round's weights 9 on the second criterion: 1.8 vs 6.5
    assert ranks == {second_entry.pk: 1, first_entry.pk: 2}
    assert [c["weight"] for c in run.snapshot["criteria"]] == [1.0, 9.0]


@pytest.mark.django_db
def test_ranking_run_refuses_a_round_of_another_edition(two_rounds):
    other = EditionFactory()
    with pytest.raises(ValidationError):
        ranking_run_create(edition=other, judging_round=two_rounds.second)


@pytest.mark.django_db
def test_a_one_round_run_reads_only_round_one_sheets(two_rounds):
    entries = _shortlist_two(two_rounds)
    assignments_area_everyone(area=two_rounds.area, by=two_rounds.organiser,
                              judging_round=two_rounds.second)
    juror = two_rounds.game.jurors[0]
    made = sheet_get_or_create(entry=entries[0], juror=juror)
    sheet_submit(sheet=made, by=juror, scores={c.pk: 0 for c in two_rounds.game.criteria})
    run = two_rounds.run(two_rounds.first)
    assert {r.entry_id: r.sheet_count for r in run.results.all()} == {e.pk: 3 for e in entries}


@pytest.mark.django_db
def test_only_a_run_of_the_final_round_is_published(two_rounds):
    from scoring.services.ranking import RankingError, ranking_run_publish

    run = two_rounds.run(two_rounds.first)
    with pytest.raises(RankingError) as error:
        ranking_run_publish(run=run, by=two_rounds.organiser, notify=False)
    assert error.value.messages == ["Only a run of the final round (Round 2) can be published."]


@pytest.mark.django_db
def test_a_round_two_run_publishes_only_its_own_round_sheets(two_rounds):
    from scoring.selectors.snapshot import run_sheets_stream

    entries = _shortlist_two(two_rounds)
    assignments_area_everyone(area=two_rounds.area, by=two_rounds.organiser,
                              judging_round=two_rounds.second)
    for juror in two_rounds.game.jurors:
        made = sheet_get_or_create(entry=entries[0], juror=juror)
        sheet_submit(sheet=made, by=juror, scores={c.pk: 4 for c in two_rounds.game.criteria})
    run = two_rounds.run(two_rounds.second)
    published = list(run_sheets_stream(run=run))
    assert [(s["entry_id"], s["scores"]) for s in published] == [(entries[0].pk, [4, 4])] * 3


@pytest.mark.django_db
def test_scored_in_round_is_every_entry_in_round_one_and_the_shortlist_after(two_rounds):
    from practices.models import Entry
    from scoring.models import entry_scored_in_round, scored_in_round

    entries = _shortlist_two(two_rounds)
    edition_entries = Entry.objects.filter(edition=two_rounds.edition)
    assert set(edition_entries.filter(scored_in_round(two_rounds.first))) == set(entries)
    assert set(edition_entries.filter(scored_in_round(None))) == set(entries)
    assert set(edition_entries.filter(scored_in_round(two_rounds.second))) == set(entries[:2])
    round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                    by=two_rounds.organiser, remove=[(entries[1], "Withdrawn by the town")])
    assert [entry_scored_in_round(entry=e, judging_round=two_rounds.second)
            for e in entries] == [True, False, False, False]
    assert [entry_scored_in_round(entry=e, judging_round=two_rounds.first)
            for e in entries] == [True] * 4


@pytest.mark.django_db
def test_rounds_sync_saves_the_dates_so_the_round_history_records_them(two_rounds):
    edition = two_rounds.edition
    second = JudgingRound.objects.get(pk=two_rounds.second.pk)
    before = second.history.count()
    edition.review_close_at = _at(12)
    edition._history_user = two_rounds.organiser
    edition.save()
    second.refresh_from_db()
    assert second.review_close_at == edition.review_close_at
    assert second.history.count() == before + 1
    latest = second.history.first()
    assert (latest.review_close_at, latest.history_user) == (
        edition.review_close_at, two_rounds.organiser)
    first = JudgingRound.objects.get(pk=two_rounds.first.pk)
    edition.review_open_at = _at(-31)
    edition.save()
    assert first.history.count() == 2
    assert first.history.first().review_open_at == edition.review_open_at


@pytest.mark.django_db
def test_shortlist_rule_takes_entries_off_and_on_in_a_fixed_number_of_queries(two_rounds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run = two_rounds.run(two_rounds.first)

    def apply(top_n):
        with CaptureQueriesContext(connection) as queries:
            round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                            by=two_rounds.organiser, run=run, rule=ShortlistRule.TOP_N,
                            top_n=top_n)
        return len(queries)

    apply(2)
    one_on, one_off = apply(3), apply(2)
    three_on, three_off = apply(4), apply(1)  # two on, then three taken off at once
    assert (three_on, three_off) == (one_on, one_off)
    removed = ShortlistEntry.objects.filter(removed_at__isnull=False)
    assert removed.count() == 4
    assert [row.history.count() for row in removed] == [2] * 4
    assert {row.history.first().history_user for row in removed} == {two_rounds.organiser}


@pytest.mark.django_db
def test_round_to_work_on_is_the_round_given_else_the_current_one(two_rounds):
    from scoring.selectors.rounds import round_to_work_on

    edition = two_rounds.edition
    assert round_to_work_on(edition=edition) == two_rounds.second
    assert round_to_work_on(edition=edition, judging_round=two_rounds.first) == two_rounds.first
    assert round_to_work_on(edition=EditionFactory(), judging_round=two_rounds.first) is None
    # the assignment and the run services ask it, and refuse alike
    entry = two_rounds.game.by_area[two_rounds.area.pk][3]
    with pytest.raises(AssignmentError) as error:
        assignment_add(entry=entry, juror=two_rounds.game.jurors[0], by=None,
                       judging_round=EditionFactory().rounds.get())
    assert error.value.messages == ["This round does not belong to the edition."]
    assert ranking_run_create(edition=edition).round == two_rounds.second


@pytest.mark.django_db
def test_assigned_round_is_the_latest_round_of_the_juror_or_the_one_asked(two_rounds):
    from scoring.selectors.rounds import assigned_round
    from scoring.services.sheets import SheetError

    entries = _shortlist_two(two_rounds)
    juror = two_rounds.game.jurors[0]
    for entry in entries:
        Assignment.objects.create(entry=entry, juror=juror, round=two_rounds.first)
    assignments_area_everyone(area=two_rounds.area, by=two_rounds.organiser,
                              judging_round=two_rounds.second)
    assert assigned_round(entry=entries[0], juror=juror) == two_rounds.second
    assert assigned_round(entry=entries[0], juror=juror, number=1) == two_rounds.first
    assert assigned_round(entry=entries[0], juror=juror,
                          judging_round=two_rounds.first) == two_rounds.first
    assert assigned_round(entry=entries[3], juror=juror) == two_rounds.first
    assert assigned_round(entry=entries[3], juror=juror, number=2) is None
    # the sheet service takes the same round
    assert sheet_get_or_create(entry=entries[3], juror=juror).round == two_rounds.first
    assert sheet_get_or_create(entry=entries[0], juror=juror).round == two_rounds.second
    with pytest.raises(SheetError):
        sheet_get_or_create(entry=entries[3], juror=juror, judging_round=two_rounds.second)


@pytest.mark.django_db
def test_edition_copy_copies_every_round_set_up_but_no_shortlist_sheet_or_run(two_rounds):
    from competitions.services import _shift_years, edition_copy

    first_criterion = two_rounds.game.criteria[0]
    second = JudgingRound.objects.get(pk=two_rounds.second.pk)
    second.weights = {str(first_criterion.pk): 3.0}
    second.shortlist_rule, second.shortlist_top_n = ShortlistRule.TOP_N, 2
    second.save()
    _shortlist_two(two_rounds)
    copy = edition_copy(edition=two_rounds.edition, slug="next-year")
    copied = edition_rounds(copy)
    sources = edition_rounds(two_rounds.edition)
    assert [(r.number, r.review_open_at, r.review_close_at) for r in copied] == [
        (r.number, _shift_years(r.review_open_at, 1), _shift_years(r.review_close_at, 1))
        for r in sources]
    new_criterion = copy.criteria.get(order=first_criterion.order)
    assert copied[1].weights == {str(new_criterion.pk): 3.0}
    assert (copied[1].shortlist_rule, copied[1].shortlist_top_n) == (ShortlistRule.TOP_N, 2)
    # the edition's review still spans the rounds
    assert (copied[0].review_open_at, copied[-1].review_close_at) == (
        copy.review_open_at, copy.review_close_at)
    assert not ShortlistEntry.objects.filter(round__edition=copy).exists()
    assert not JurySheet.objects.filter(round__edition=copy).exists()
    assert not RankingRun.objects.filter(edition=copy).exists()


@pytest.mark.django_db
def test_shortlist_by_hand_refuses_the_same_entry_twice_in_one_change(two_rounds):
    entries = two_rounds.game.by_area[two_rounds.area.pk]
    with pytest.raises(RoundError) as error:
        round_shortlist(judging_round=two_rounds.second, area=two_rounds.area,
                        by=two_rounds.organiser,
                        add=[(entries[3], "remarkable"), (entries[3], "really")])
    assert "already on the shortlist" in error.value.messages[0]
    assert not ShortlistEntry.objects.exists()
