"""What the decision changes once its run is published: the officers' results and the
certificates (special mentions too)."""

import json

import pytest

from giveback.pdf import certificate_pdf
from giveback.selectors import certificates
from scoring.selectors.public import entry_results_public

from .test_views import _publish, _recorded_departure

pytestmark = pytest.mark.django_db


def test_officers_read_the_decided_places(panel):
    _recorded_departure(panel)
    _publish(panel)
    first, second, third = panel.entries
    results = entry_results_public([first, second, third])
    assert {pk: r.place for pk, r in results.items()} == {first.pk: 2, second.pk: 1,
                                                          third.pk: None}


def test_officers_read_the_computed_places_without_a_decision(panel):
    _publish(panel)
    first, second, third = panel.entries
    results = entry_results_public([first, second, third])
    assert {pk: r.place for pk, r in results.items()} == {first.pk: 1, second.pk: 2,
                                                          third.pk: None}


def test_certificates_follow_the_decision_and_cover_special_mentions(panel):
    _recorded_departure(panel)
    _publish(panel)
    first, second, third = panel.entries
    made = certificates(run=panel.run)
    assert [(c.entry.pk, c.place, c.mention) for c in made] == [
        (second.pk, 1, False), (first.pk, 2, False), (third.pk, None, True)]
    assert made[2].filename.endswith(f"-mention-entry-{third.pk}.pdf")
    assert certificate_pdf(made[2]).startswith(b"%PDF")
    assert [c.place for c in certificates(run=panel.run, entry=first)] == [2]


def test_the_verification_download_holds_the_decision(client, panel):
    from django.urls import reverse

    _recorded_departure(panel)
    _publish(panel)
    data = json.loads(client.get(reverse("showcase:results_json",
                                         args=[panel.edition.slug])).getvalue())
    first, second, third = panel.entries
    (decision,) = data["decisions"]
    assert (decision["area_code"], decision["departs_from_computed"],
            decision["public_justification"]) == ("I", True, "PUBLIC-WHY lasting results.")
    assert [(p["entry_id"], p["place"], p["computed_place"], p["special_mention"])
            for p in decision["places"]] == [(second.pk, 1, 2, False), (first.pk, 2, 1, False),
                                             (third.pk, None, None, True)]
    # the computed places stay in "results", as the run computed them
    assert {r["entry_id"]: r["place"] for r in data["results"]} == {
        first.pk: 1, second.pk: 2, third.pk: None}


# --- the officers' e-mails read the published (decided) places ----------------------------
def _decide(run, area, places: dict):
    """A recorded decision of `area` on `run` placing the entries as `places` says."""
    from django.utils import timezone

    from deliberation.enums import DecisionStatus
    from deliberation.models import AreaDecision, DecisionPlace
    from scoring.models import RankingResult

    decision = AreaDecision.objects.create(run=run, area=area, status=DecisionStatus.RECORDED,
                                           departs=True, chair=run.edition.jury.first().user,
                                           public_justification="Why.",
                                           recorded_at=timezone.now())
    computed = dict(RankingResult.objects.filter(run=run).values_list("entry_id", "place"))
    for entry, place in places.items():
        DecisionPlace.objects.create(decision=decision, entry=entry, place=place,
                                     computed_place=computed[entry.pk], justification="J.")
    return decision


def _run_of(game):
    from scoring.services.ranking import ranking_run_create, ranking_run_execute

    return ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)


@pytest.fixture
def game_told(django_capture_on_commit_callbacks, mailoutbox):
    """A competition of one area (entry 0 first, entry 1 second), the officer of entry 1's
    municipality, and a run whose decision swaps the two places, published."""
    from scoring.services.ranking import ranking_run_publish
    from tests.factories import OfficerFactory, OrganiserFactory
    from tests.scoring.factories_ranking import competition

    game = competition(language="en")
    officer = OfficerFactory(municipality=game.entries[1].practice.municipality)
    organiser = OrganiserFactory()
    run = _run_of(game)
    first, second, _third = game.entries
    _decide(run, game.areas[0], {second: 1, first: 2})
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_publish(run=run, by=organiser)
    return game, run, officer, organiser


def test_officers_are_emailed_the_decided_place(game_told, mailoutbox):
    game, _run, officer, _organiser = game_told
    (mail,) = mailoutbox
    assert mail.to == [officer.email]
    # computed second, decided first: the e-mail says the decided place
    assert f"- {game.entries[1].practice.title_en} (area I): place 1" in mail.body


def _publish_again(game, organiser, decided: dict | None, capture):
    from scoring.models import PublicationEvent
    from scoring.services.ranking import ranking_run_publish, ranking_run_unpublish

    published = game.edition.ranking_runs.get(is_published=True)
    ranking_run_unpublish(run=published, by=organiser, reason="Проверка.")
    run = _run_of(game)  # the same sheets: the same computed places
    if decided is not None:
        _decide(run, game.areas[0], decided)
    with capture(execute=True):
        ranking_run_publish(run=run, by=organiser)
    return PublicationEvent.objects.filter(run=run).values_list("notice", flat=True).get()


def test_a_new_run_with_the_same_decided_places_is_unchanged(
        game_told, mailoutbox, django_capture_on_commit_callbacks):
    from scoring.enums import PublicationNotice

    game, _run, _officer, organiser = game_told
    first, second, _third = game.entries
    mailoutbox.clear()
    notice = _publish_again(game, organiser, {second: 1, first: 2},
                            django_capture_on_commit_callbacks)
    assert (notice, mailoutbox) == (PublicationNotice.UNCHANGED, [])


def test_a_new_run_without_the_decision_changes_the_decided_places(
        game_told, mailoutbox, django_capture_on_commit_callbacks):
    """The computed places are the same as the first run's, but the officers were told the
    decided ones: publishing the computed places again is a change."""
    from scoring.enums import PublicationNotice

    game, _run, officer, organiser = game_told
    mailoutbox.clear()
    notice = _publish_again(game, organiser, None, django_capture_on_commit_callbacks)
    assert notice == PublicationNotice.CHANGED
    (mail,) = mailoutbox
    assert (mail.to, f"- {game.entries[1].practice.title_en} (area I): place 2" in mail.body) \
        == ([officer.email], True)
