"""What the municipalities' officers are told when results are published, published again,
changed or withdrawn: each change once, never the same places twice."""

import pytest
from django.urls import reverse

from scoring.enums import PublicationAction, PublicationNotice
from scoring.models import PublicationEvent, SheetScore
from scoring.services.ranking import (
    ranking_run_create,
    ranking_run_execute,
    ranking_run_publish,
    ranking_run_unpublish,
)
from tests.factories import OfficerFactory, OrganiserFactory

from ..factories_ranking import competition

pytestmark = pytest.mark.django_db


@pytest.fixture
def told(django_capture_on_commit_callbacks, mailoutbox):
    """The game, its first run published (its officer e-mailed), and the organiser."""
    game = competition(language="en")
    officer = OfficerFactory(municipality=game.entries[2].practice.municipality)
    organiser = OrganiserFactory()
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_publish(run=run, by=organiser)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([officer.email], f"Results published: {game.edition.display_title}")]
    mailoutbox.clear()
    return game, run, officer, organiser


def _run(game):
    return ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)


def _record(game):
    return list(PublicationEvent.objects.filter(run__edition=game.edition).order_by("pk")
                .values_list("action", "notice", "notified"))


def test_ranking_run_unpublish_tells_the_officers_who_were_told(
        told, mailoutbox, django_capture_on_commit_callbacks):
    game, run, officer, organiser = told
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_unpublish(run=run, by=organiser, reason="Лист, въведен два пъти.")
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([officer.email], f"Results withdrawn for review: {game.edition.display_title}")]
    assert "Лист, въведен два пъти." not in mailoutbox[0].body  # the reason stays internal
    assert _record(game) == [(PublicationAction.PUBLISH, PublicationNotice.PUBLISHED, 1),
                             (PublicationAction.UNPUBLISH, PublicationNotice.WITHDRAWN, 1)]


def test_ranking_run_publish_again_of_the_same_run_emails_nobody(
        told, mailoutbox, django_capture_on_commit_callbacks):
    game, run, _officer, organiser = told
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_unpublish(run=run, by=organiser, reason="Проверка.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_publish(run=run, by=organiser)
    assert mailoutbox == []
    assert _record(game)[-1] == (PublicationAction.PUBLISH, PublicationNotice.UNCHANGED, 0)


def test_ranking_run_publish_of_a_new_run_with_the_same_places_emails_nobody(
        told, mailoutbox, django_capture_on_commit_callbacks):
    game, run, _officer, organiser = told
    ranking_run_unpublish(run=run, by=organiser, reason="Проверка.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_publish(run=_run(game), by=organiser)
    assert mailoutbox == []
    assert _record(game)[-1] == (PublicationAction.PUBLISH, PublicationNotice.UNCHANGED, 0)


def test_ranking_run_publish_of_changed_places_tells_that_results_changed(
        told, mailoutbox, django_capture_on_commit_callbacks):
    game, run, officer, organiser = told
    ranking_run_unpublish(run=run, by=organiser, reason="Грешка в листовете.")
    SheetScore.objects.filter(sheet__entry=game.entries[2]).update(value=10)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_publish(run=_run(game), by=organiser)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([officer.email], f"Results changed: {game.edition.display_title}")]
    winner = game.entries[2].practice
    # the officer reads English: the practice by its English title
    assert f"- {winner.title_en} (area I): place 1" in mailoutbox[0].body
    assert _record(game)[-1] == (PublicationAction.PUBLISH, PublicationNotice.CHANGED, 1)


def test_ranking_run_unpublish_of_results_no_officer_was_told_emails_nobody(
        mailoutbox, django_capture_on_commit_callbacks):
    game = competition()
    OfficerFactory(municipality=game.entries[0].practice.municipality)
    organiser = OrganiserFactory()
    run = _run(game)
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_publish(run=run, by=organiser, notify=False)
        ranking_run_unpublish(run=run, by=organiser, reason="Демо.")
    assert mailoutbox == []
    assert _record(game) == [(PublicationAction.PUBLISH, PublicationNotice.NONE, 0),
                             (PublicationAction.UNPUBLISH, PublicationNotice.NONE, 0)]


def test_ranking_run_unpublish_tells_officers_in_the_editions_language(
        mailoutbox, django_capture_on_commit_callbacks):
    game = competition(language="bg", title="Добри практики")
    officer = OfficerFactory(municipality=game.entries[0].practice.municipality,
                             first_name="Мария", last_name="Петрова")
    organiser = OrganiserFactory()
    run = _run(game)
    ranking_run_publish(run=run, by=organiser)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_unpublish(run=run, by=organiser, reason="Проверка.")
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([officer.email], "Резултатите са оттеглени за преглед: Добри практики")]
    assert mailoutbox[0].body.startswith(
        "Уважаеми/а Мария Петрова,\n\nОрганизаторите оттеглиха резултатите от Добри практики "
        "за преглед")


def test_publish_page_says_what_the_officers_will_be_told(told, client):
    game, run, _officer, organiser = told
    client.force_login(organiser)
    ranking_run_unpublish(run=run, by=organiser, reason="Проверка.")
    same = client.get(reverse("organiser_run_publish", args=[game.edition.slug, run.pk]))
    assert same.context["notice"] == PublicationNotice.UNCHANGED
    assert ("The places are those the officers were last told: no e-mail is sent."
            in same.content.decode())
    SheetScore.objects.filter(sheet__entry=game.entries[2]).update(value=10)
    changed = _run(game)
    page = client.get(reverse("organiser_run_publish", args=[game.edition.slug, changed.pk]))
    assert page.context["notice"] == PublicationNotice.CHANGED
    unpublish = client.get(reverse("organiser_run_unpublish", args=[game.edition.slug, run.pk]))
    assert unpublish.context["officers_told"] is True
    record = client.get(reverse("organiser_results", args=[game.edition.slug])).content.decode()
    assert "officers: results withdrawn for review (1 e-mail)" in record
    assert "officers: results published (1 e-mail)" in record


def test_publish_page_of_a_first_publication_announces_the_e_mail(client):
    game = competition()
    organiser = OrganiserFactory()
    client.force_login(organiser)
    run = _run(game)
    page = client.get(reverse("organiser_run_publish", args=[game.edition.slug, run.pk]))
    assert page.context["notice"] == PublicationNotice.PUBLISHED


def test_ranking_run_unpublish_writes_in_each_officers_own_language_with_a_site_url_link(
        mailoutbox, django_capture_on_commit_callbacks, settings):
    """Officers are told once, each in the language of their account (the edition's only
    when they have none), and the link starts with SITE_URL."""
    from accounts.models import OutboxEmail

    settings.SITE_URL = "http://portal.example.org:8104"
    game = competition(language="bg", title="Добри практики", title_en="Good practices")
    officer = OfficerFactory(municipality=game.entries[0].practice.municipality,
                             language="en")
    organiser = OrganiserFactory()
    run = _run(game)
    ranking_run_publish(run=run, by=organiser)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_unpublish(run=run, by=organiser, reason="Проверка.")
    [message] = mailoutbox
    assert (message.to, message.subject) == (
        [officer.email], "Results withdrawn for review: Good practices")
    assert message.body.rstrip().endswith(
        f"The edition's page:\nhttp://portal.example.org:8104/showcase/{game.edition.slug}/")
    assert list(OutboxEmail.objects.filter(kind="results_withdrawn")
                .values_list("recipient", "language", "status")) == [
        (officer.email, "en", "sent")]
