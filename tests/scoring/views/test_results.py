"""The organiser's results pages: who may see them, what they show, publish and unpublish."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competitions.enums import Phase
from scoring.enums import PublicationAction, RankingMethod, RunStatus
from scoring.models import PublicationEvent, RankingRun
from scoring.services.ranking import (
    ranking_run_create,
    ranking_run_execute,
    ranking_run_publish,
)
from tests.factories import JuryMemberFactory, OfficerFactory, OrganiserFactory

from ..factories_ranking import competition

pytestmark = pytest.mark.django_db


def _computed(game, method=RankingMethod.WEIGHTED_MEAN) -> RankingRun:
    return ranking_run_execute(run_id=ranking_run_create(edition=game.edition,
                                                         method=method).pk)


@pytest.fixture
def game():
    return competition(entries_per_area=3, jurors=3)


@pytest.fixture
def run(game):
    return _computed(game)


@pytest.fixture
def organiser(client):
    user = OrganiserFactory()
    client.force_login(user)
    return user


def _organiser_page(game) -> bytes:
    """What an organiser sees on the results page (the data the others must not see)."""
    from django.test import Client

    organiser = Client()
    organiser.force_login(OrganiserFactory())
    return organiser.get(reverse("organiser_results", args=[game.edition.slug])).content


def _urls(game, run) -> list[tuple[str, str]]:
    slug = game.edition.slug
    return [
        ("get", reverse("organiser_results", args=[slug])),
        ("post", reverse("organiser_run_start", args=[slug])),
        ("get", reverse("organiser_run_progress", args=[slug, run.pk])),
        ("get", reverse("organiser_run_publish", args=[slug, run.pk])),
        ("post", reverse("organiser_run_publish", args=[slug, run.pk])),
        ("get", reverse("organiser_run_unpublish", args=[slug, run.pk])),
        ("post", reverse("organiser_run_unpublish", args=[slug, run.pk])),
    ]


# --- who may see -------------------------------------------------------------------------
def test_results_pages_send_anonymous_visitors_to_sign_in(client, game, run):
    for method, url in _urls(game, run):
        response = getattr(client, method)(url, {"method": "median", "confirm": "on",
                                                 "reason": "x"})
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/"), url
    assert RankingRun.objects.count() == 1
    assert RankingRun.objects.filter(is_published=True).count() == 0


@pytest.mark.parametrize("role", ["officer", "juror", "juror_with_sheets"])
def test_results_pages_are_forbidden_to_officers_and_jurors(client, game, run, role):
    assert game.entries[0].practice.title_en.encode() in _organiser_page(game)
    """Jurors never see rankings before publication; officers never see unpublished ones,
    not even for their own municipality's entry."""
    if role == "officer":
        user = OfficerFactory(municipality=game.entries[0].practice.municipality)
    elif role == "juror":
        user = JuryMemberFactory(edition=game.edition).user
    else:
        user = game.jurors[0]
    client.force_login(user)
    for method, url in _urls(game, run):
        response = getattr(client, method)(url, {"method": "median", "confirm": "on",
                                                 "reason": "x"})
        assert response.status_code == 403, url
        for entry in game.entries:
            assert entry.practice.title_en.encode() not in response.content
    assert RankingRun.objects.count() == 1
    assert RankingRun.objects.filter(is_published=True).count() == 0


def test_results_page_for_an_unknown_edition_or_run_is_404(client, organiser, game, run):
    assert client.get(reverse("organiser_results", args=["nope"])).status_code == 404
    other = competition()
    other_run = _computed(other)
    url = reverse("organiser_run_progress", args=[game.edition.slug, other_run.pk])
    assert client.get(url).status_code == 404
    url = reverse("organiser_run_publish", args=[game.edition.slug, other_run.pk])
    assert client.post(url, {"confirm": "on"}).status_code == 404
    assert client.get(reverse("organiser_results", args=[game.edition.slug]),
                      {"area": other.areas[0].pk}).status_code == 404


def test_organiser_dashboard_links_to_each_edition_results(client, organiser, game):
    other = competition()
    response = client.get(reverse("organiser_dashboard"))
    for edition in (game.edition, other.edition):
        assert reverse("organiser_results", args=[edition.slug]).encode() in response.content


# --- what the page shows -----------------------------------------------------------------
def test_results_page_shows_the_latest_run_with_places_and_flags(client, organiser, game):
    # One sheet left of the two required.
    game.entries[2].sheets.filter(juror__in=game.jurors[:2]).delete()
    run = _computed(game)
    response = client.get(reverse("organiser_results", args=[game.edition.slug]))
    assert response.status_code == 200
    page = response.context["page"]
    assert page.run == run
    rows = page.areas[0].rows
    assert [(r.result.entry.practice.title, r.result.rank, r.result.place) for r in rows] == [
        ("P0-0", 1, 1), ("P0-1", 2, 2), ("P0-2", None, None)]
    assert rows[0].scores == [9.0, 9.0]
    assert rows[2].flag_labels == [("insufficient_reviews", "Too few jury sheets")]
    assert b'data-flag="insufficient_reviews"' in response.content
    assert b'id="results-chart-data"' in response.content
    assert b"vendor/chartjs/chart.umd.min.js" in response.content
    assert b"scoring/results.js" in response.content
    assert page.chart["distribution"][0]["counts"][-3:] == [0, 1, 0]  # P0-0 totals 9: bin 9-9.5


def test_results_page_compares_two_runs_and_highlights_who_moved(client, organiser):
    # Juror 0 is lenient on entry 1: the mean puts entry 1 first, the median entry 0.
    table = {(0, 0): 7, (0, 1): 7, (0, 2): 7, (1, 0): 10, (1, 1): 6, (1, 2): 6,
             (2, 0): 1, (2, 1): 1, (2, 2): 1}
    game = competition(entries_per_area=3, jurors=3, score=lambda a, e, j, c: table[(e, j)])
    mean_run = _computed(game)
    median_run = _computed(game, RankingMethod.MEDIAN)
    response = client.get(reverse("organiser_results", args=[game.edition.slug]),
                          {"run": mean_run.pk, "compare": median_run.pk})
    page = response.context["page"]
    assert (page.run, page.other) == (mean_run, median_run)
    moved = [(r.result.entry.practice.title, r.result.place, r.other_place, r.rank_change)
             for r in page.moved]
    assert moved == [("P0-1", 1, 2, 1), ("P0-0", 2, 1, -1)]
    assert all(row.place_changed for row in page.moved)
    body = response.content.decode()
    assert len(re.findall(r'<tr data-moved="\d+" class="table-warning"', body)) == 2
    assert len(re.findall(r'<tr data-entry="\d+" class="table-warning"', body)) == 2


def test_results_page_query_count_does_not_grow_with_entries(client, organiser):
    counts = []
    for entries in (1, 25):
        game = competition(areas=2, entries_per_area=entries, jurors=2)
        first, second = _computed(game), _computed(game, RankingMethod.MEDIAN)
        ranking_run_publish(run=first, by=organiser)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("organiser_results", args=[game.edition.slug]),
                                  {"run": first.pk, "compare": second.pk})
        assert response.status_code == 200
        counts.append(len(queries))
    # 12, the undecided entries (a run start would leave out), the second factor's device
    assert counts == [14, 14]


def test_results_page_without_runs_invites_to_start_one(client, organiser, game):
    response = client.get(reverse("organiser_results", args=[game.edition.slug]))
    assert response.status_code == 200
    assert response.context["page"].run is None
    assert b"No ranking run yet" in response.content


def test_results_page_shows_one_area_in_full(client, organiser):
    game = competition(areas=2, entries_per_area=4, jurors=2)
    run = _computed(game)
    response = client.get(reverse("organiser_results", args=[game.edition.slug]),
                          {"run": run.pk, "area": game.areas[1].pk})
    page = response.context["page"]
    assert [block.area for block in page.areas] == [game.areas[1]]
    assert [r.result.entry.practice.title for r in page.areas[0].rows] == [
        "P1-0", "P1-1", "P1-2", "P1-3"]


# --- starting a run and following its progress -------------------------------------------
def test_run_start_queues_a_run_of_the_chosen_method(client, organiser, game,
                                                     django_capture_on_commit_callbacks):
    url = reverse("organiser_run_start", args=[game.edition.slug])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"method": "zscore"})
    run = RankingRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("organiser_results", args=[game.edition.slug]) + \
        f"?run={run.pk}"
    assert (run.method, run.status, run.requested_by) == ("zscore", "succeeded", organiser)


def test_run_start_refuses_an_unknown_method(client, organiser, game):
    response = client.post(reverse("organiser_run_start", args=[game.edition.slug]),
                           {"method": "coin_toss"})
    assert response.status_code == 302
    assert RankingRun.objects.count() == 0


def test_run_progress_of_an_active_run_polls_every_second(client, organiser, game):
    run = ranking_run_create(edition=game.edition)
    RankingRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=25,
                                                progress_message="ranking")
    url = reverse("organiser_run_progress", args=[game.edition.slug, run.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{url}"' in body
    assert 'hx-trigger="every 1s"' in body
    assert 'aria-valuenow="25"' in body
    assert "Ranking, comparing methods and saving the results" in body
    assert "HX-Redirect" not in response


def test_run_progress_of_a_finished_run_stops_polling_and_reloads(client, organiser, game, run):
    url = reverse("organiser_run_progress", args=[game.edition.slug, run.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    assert b"hx-trigger" not in response.content
    assert response["HX-Redirect"] == reverse("organiser_results",
                                              args=[game.edition.slug]) + f"?run={run.pk}"


def test_results_page_polls_the_progress_of_active_runs_only(client, organiser, game, run):
    queued = ranking_run_create(edition=game.edition)
    response = client.get(reverse("organiser_results", args=[game.edition.slug]))
    body = response.content.decode()
    assert body.count('hx-trigger="every 1s"') == 1
    assert reverse("organiser_run_progress", args=[game.edition.slug, queued.pk]) in body


# --- publishing and unpublishing ---------------------------------------------------------
def test_publish_asks_for_confirmation_first(client, organiser, game, run):
    url = reverse("organiser_run_publish", args=[game.edition.slug, run.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b'name="confirm"' in response.content
    response = client.post(url, {})
    assert response.status_code == 400
    run.refresh_from_db()
    assert run.is_published is False
    assert PublicationEvent.objects.count() == 0


def test_publish_confirmed_publishes_and_e_mails_after_commit(
        client, organiser, game, run, mailoutbox, django_capture_on_commit_callbacks):
    officer = OfficerFactory(municipality=game.entries[1].practice.municipality)
    url = reverse("organiser_run_publish", args=[game.edition.slug, run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    run.refresh_from_db()
    game.edition.refresh_from_db()
    assert (run.is_published, run.published_by) == (True, organiser)
    assert game.edition.phase == Phase.PUBLISHED
    assert [m.to for m in mailoutbox] == [[officer.email]]
    # In the edition's language (Bulgarian by default).
    assert "- P0-1 (област I): 2 място" in mailoutbox[0].body


def test_publish_of_a_second_run_is_refused_with_a_message(client, organiser, game, run):
    ranking_run_publish(run=run, by=organiser)
    other = _computed(game)
    url = reverse("organiser_run_publish", args=[game.edition.slug, other.pk])
    response = client.post(url, {"confirm": "on"}, follow=True)
    assert b"Another run of this edition is published" in response.content
    other.refresh_from_db()
    assert other.is_published is False


def test_unpublish_needs_a_reason(client, organiser, game, run):
    ranking_run_publish(run=run, by=organiser)
    url = reverse("organiser_run_unpublish", args=[game.edition.slug, run.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    run.refresh_from_db()
    assert run.is_published is True


def test_unpublish_with_a_reason_is_recorded_and_shown(client, organiser, game, run):
    ranking_run_publish(run=run, by=organiser)
    url = reverse("organiser_run_unpublish", args=[game.edition.slug, run.pk])
    response = client.post(url, {"reason": "Sheets of one juror were swapped."})
    assert response.status_code == 302
    run.refresh_from_db()
    game.edition.refresh_from_db()
    assert run.is_published is False
    assert game.edition.phase == Phase.RANKED
    event = PublicationEvent.objects.get(action=PublicationAction.UNPUBLISH)
    assert (event.by, event.reason) == (organiser, "Sheets of one juror were swapped.")
    page = client.get(reverse("organiser_results", args=[game.edition.slug]))
    assert b"Sheets of one juror were swapped." in page.content


def test_results_page_flags_low_jury_agreement(client, organiser):
    # Two jurors in opposite orders (9, 5, 1 and 1, 5, 9): alpha is negative.
    game = competition(entries_per_area=3, jurors=2,
                       score=lambda a, e, j, c: (9, 5, 1)[e] if j == 0 else (1, 5, 9)[e])
    _computed(game)
    response = client.get(reverse("organiser_results", args=[game.edition.slug]))
    block = response.context["page"].areas[0]
    assert block.agreement < 0
    assert block.low_agreement is True
    assert response.content.count(b'data-flag="low_agreement"') == 1


def test_results_page_does_not_flag_a_jury_that_agrees(client, organiser, game, run):
    response = client.get(reverse("organiser_results", args=[game.edition.slug]))
    assert response.context["page"].areas[0].agreement == 1.0
    assert b'data-flag="low_agreement"' not in response.content


def test_results_page_shows_whose_place_a_weight_change_would_move(client, organiser):
    # Equal weights. Entry 0 scores (9, 5), entry 1 (6, 8): both total 7.0, entry 0 first
    # by the first criterion. First weight x0.9: (8.1 + 5) / 1.9 = 6.89 < (5.4 + 8) / 1.9
    # = 7.05; second weight x1.1: (9 + 5.5) / 2.1 = 6.90 < (6 + 8.8) / 2.1 = 7.05. Either
    # gives entry 1 the only award; first x1.1 and second x0.9 keep entry 0 first.
    values = {0: (9, 5), 1: (6, 8), 2: (1, 1)}
    game = competition(entries_per_area=3, jurors=2, awards=1,
                       score=lambda a, e, j, c: values[e][c])
    _computed(game)
    response = client.get(reverse("organiser_results", args=[game.edition.slug]))
    first, second = game.criteria
    scenarios = {s.label: s.changes for s in response.context["page"].sensitivity}
    e0, e1 = (entry.practice.title_en for entry in game.entries[:2])
    assert scenarios[f"Weight of C{first.order} ×0.9"] == [(e0, 1, None), (e1, None, 1)]
    assert scenarios[f"Weight of C{second.order} ×1.1"] == [(e0, 1, None), (e1, None, 1)]
    assert scenarios[f"Weight of C{first.order} ×1.1"] == []
    assert scenarios[f"Weight of C{second.order} ×0.9"] == []
    assert scenarios["Median of sheets"] == []
    assert len(scenarios) == 7
    assert response.content.count(b"data-scenario") == 7
