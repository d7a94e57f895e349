"""What keeps an edition's open-data files served, and what makes them stale: each edition's
files are kept under its own stamp (the epoch and the edition's token), renewed by what its
rows read and by nothing another edition does; the older stamps' folders are removed; the
epoch keeps a cache emptied from finding the files of before."""

import datetime
import os
import time

import pytest
from django.core.cache import cache
from django.http import FileResponse

from competitions.enums import Phase
from portal.cache import EXPORTS_EPOCH_KEY, exports_edition_key
from portal.showcase import export_files
from portal.showcase.export_files import exports_root, exports_stamp, run_scope
from practices.enums import EntryStatus
from practices.models import Topic
from scoring.services.ranking import (
    ranking_run_create,
    ranking_run_execute,
    ranking_run_publish,
)
from tests.factories import MunicipalityFactory, PracticeFactory
from tests.scoring.factories_ranking import competition
from uptake.models import Adoption

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_is_the_test_server(settings):
    settings.SITE_URL = "http://testserver"


def _publish(django_capture_on_commit_callbacks, **kwargs):
    game = competition(areas=1, entries_per_area=2, jurors=3, **kwargs)
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_publish(run=run, by=None, notify=False)
    game.edition.refresh_from_db()  # published by the service
    run.refresh_from_db()
    return game, run


@pytest.fixture
def two(django_capture_on_commit_callbacks):
    """Two published editions, their files written."""
    return (_publish(django_capture_on_commit_callbacks),
            _publish(django_capture_on_commit_callbacks))


def _get(client, game, name="results.csv"):
    return client.get(f"/showcase/{game.edition.slug}/{name}")


def _served_from_file(client, game) -> bool:
    """Whether every export of `game` is served from its file (each read through: one
    streamed is written for the next request)."""
    served = []
    for name in ("results.csv", "results.json", "sheets.csv", "sheets.json"):
        response = _get(client, game, name)
        assert response.getvalue()
        served.append(isinstance(response, FileResponse))
    return all(served)


def _practice(game):
    return game.entries[0].practice


# --- a change elsewhere leaves an edition's files served -----------------------------------
def test_practice_of_another_edition_renamed_keeps_the_files(client, two,
                                                            django_capture_on_commit_callbacks):
    (first, _run), (second, _other) = two
    with django_capture_on_commit_callbacks(execute=True):
        practice = _practice(second)
        practice.title = "Renamed in the other edition"
        practice.save()
    assert _served_from_file(client, first)
    renamed = _get(client, second)
    assert not isinstance(renamed, FileResponse)
    assert b"Renamed in the other edition" in renamed.getvalue()


def test_adoption_in_another_edition_keeps_the_files(client, two,
                                                     django_capture_on_commit_callbacks):
    (first, _run), (second, _other) = two
    with django_capture_on_commit_callbacks(execute=True):
        Adoption.objects.create(practice=_practice(second), adopted_on=datetime.date(2026, 1, 5),
                                municipality=MunicipalityFactory(name="Adopting town"))
    assert _served_from_file(client, first)
    assert b"Adopting town" in _get(client, second).getvalue()


def test_edition_and_its_run_saved_keep_the_other_editions_files(
        client, two, django_capture_on_commit_callbacks):
    (first, _run), (second, other_run) = two
    with django_capture_on_commit_callbacks(execute=True):
        second.edition.title = "Another title"
        second.edition.save()
        other_run.save()
    assert _served_from_file(client, first)
    assert b"Another title" in _get(client, second, "results.json").getvalue()


def test_draft_practice_saved_keeps_the_files(client, two,
                                              django_capture_on_commit_callbacks):
    (first, _run), _second = two
    with django_capture_on_commit_callbacks(execute=True):
        PracticeFactory(title="A draft of an open call")
    assert _served_from_file(client, first)


# --- a change to what an edition's rows read makes its files stale --------------------------
def test_practice_topics_added_either_way_are_in_the_next_export(
        client, two, django_capture_on_commit_callbacks):
    (first, _run), (second, _other) = two
    topic = Topic.objects.create(name="Транспорт", slug="transport-topic")
    with django_capture_on_commit_callbacks(execute=True):
        _practice(first).topics.add(topic)
    assert b"transport-topic" in _get(client, first).getvalue()
    assert _served_from_file(client, second)
    with django_capture_on_commit_callbacks(execute=True):
        topic.practices.add(_practice(second))
    assert b"transport-topic" in _get(client, second).getvalue()


def test_topic_renamed_is_in_the_next_export(client, two, django_capture_on_commit_callbacks):
    (first, _run), _second = two
    topic = Topic.objects.create(name="Транспорт", slug="transport-topic")
    with django_capture_on_commit_callbacks(execute=True):
        _practice(first).topics.add(topic)
    assert _get(client, first).getvalue()  # written again
    with django_capture_on_commit_callbacks(execute=True):
        topic.slug = "mobility"
        topic.save()
    body = _get(client, first).getvalue()
    assert b"mobility" in body and b"transport-topic" not in body


def test_municipality_renamed_is_in_every_editions_next_export(
        client, two, django_capture_on_commit_callbacks):
    (first, _run), (second, _other) = two
    municipality = _practice(first).municipality
    with django_capture_on_commit_callbacks(execute=True):
        municipality.name = "Renamed municipality"
        municipality.save()
    assert b"Renamed municipality" in _get(client, first).getvalue()
    assert not _served_from_file(client, second)  # what every edition reads: all stale


def test_adoption_and_innovation_type_are_in_the_next_export(
        client, two, django_capture_on_commit_callbacks):
    (first, _run), _second = two
    with django_capture_on_commit_callbacks(execute=True):
        Adoption.objects.create(practice=_practice(first), adopted_on=datetime.date(2026, 1, 5),
                                municipality=MunicipalityFactory(name="Adopting town"))
    assert b"Adopting town" in _get(client, first).getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        practice = _practice(first)
        practice.innovation_type = "process"
        practice.save()
    assert b",process," in _get(client, first).getvalue()


def test_entry_no_longer_eligible_leaves_the_next_export(client, two,
                                                         django_capture_on_commit_callbacks):
    (first, _run), _second = two
    assert b"P0-1" in _get(client, first).getvalue()
    entry = first.entries[1]
    with django_capture_on_commit_callbacks(execute=True):
        entry.status = EntryStatus.INELIGIBLE
        entry.save()
    assert b"P0-1" not in _get(client, first).getvalue()


def test_edition_archived_or_area_renamed_makes_its_files_stale(
        client, two, django_capture_on_commit_callbacks):
    (first, _run), _second = two
    with django_capture_on_commit_callbacks(execute=True):
        first.edition.phase = Phase.ARCHIVED
        first.edition.save()
    assert not _served_from_file(client, first)
    assert _served_from_file(client, first)  # written again
    with django_capture_on_commit_callbacks(execute=True):
        first.areas[0].title = "Live title"
        first.areas[0].save()
    assert not isinstance(_get(client, first), FileResponse)


def test_a_delete_makes_every_file_stale(client, two, django_capture_on_commit_callbacks):
    (first, _run), _second = two
    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.create(name="Temporary", slug="temporary").delete()
    assert not isinstance(_get(client, first), FileResponse)


def test_licence_changed_makes_every_file_stale(client, settings, two):
    (first, _run), _second = two
    settings.OPEN_DATA_LICENSE = {"id": "CC0-1.0", "name": "CC0 1.0",
                                  "url": "https://creativecommons.org/publicdomain/zero/1.0/"}
    response = _get(client, first, "results.json")
    assert not isinstance(response, FileResponse)
    assert b"CC0-1.0" in response.getvalue()


# --- the epoch and the older stamps -------------------------------------------------------
def test_cache_emptied_never_finds_the_files_of_before(client, two):
    (first, run), _second = two
    before = exports_stamp(edition_id=first.edition.pk)
    bulk_before = exports_stamp()
    cache.clear()  # the showcase version starts again at 1: the epoch does not
    assert exports_stamp(edition_id=first.edition.pk) != before
    assert exports_stamp() != bulk_before
    assert not isinstance(_get(client, first), FileResponse)
    assert not isinstance(client.get("/open-data/all-results.csv"), FileResponse)


@pytest.mark.parametrize("key", ["epoch", "edition"])
def test_a_token_evicted_never_finds_the_files_of_before(client, two, key):
    (first, _run), _second = two
    before = exports_stamp(edition_id=first.edition.pk)
    cache.delete(EXPORTS_EPOCH_KEY if key == "epoch" else exports_edition_key(first.edition.pk))
    assert exports_stamp(edition_id=first.edition.pk) != before
    assert not isinstance(_get(client, first), FileResponse)


def test_migrate_renews_the_epoch(two):
    from django.apps import apps
    from django.db.models.signals import post_migrate

    (first, _run), _second = two
    before = exports_stamp(edition_id=first.edition.pk)
    post_migrate.send(sender=apps.get_app_config("portal"), app_config=apps.get_app_config(
        "portal"), verbosity=0, interactive=False, using="default", plan=[], apps=apps)
    assert exports_stamp(edition_id=first.edition.pk) != before


def _stamp_folders(run_id: int) -> list[str]:
    return sorted(path.name for path in (exports_root() / run_scope(run_id)).iterdir())


def test_writing_a_newer_stamp_removes_older_folders_after_the_grace(
        client, two, django_capture_on_commit_callbacks):
    (first, run), _second = two
    [old] = _stamp_folders(run.pk)
    with django_capture_on_commit_callbacks(execute=True):
        first.edition.title = "Once"
        first.edition.save()
    assert _get(client, first).getvalue()
    # the older folder was written a moment ago: a request may still be opening its file
    folders = _stamp_folders(run.pk)
    assert old in folders and len(folders) == 2
    [newer] = set(folders) - {old}
    aged = time.time() - export_files.STALE_GRACE_SECONDS - 5
    os.utime(exports_root() / run_scope(run.pk) / old, (aged, aged))
    with django_capture_on_commit_callbacks(execute=True):
        first.edition.title = "Twice"
        first.edition.save()
    assert _get(client, first).getvalue()
    folders = _stamp_folders(run.pk)
    assert old not in folders and newer in folders and len(folders) == 2
    assert _get(client, first, "results.csv").getvalue()
    assert isinstance(_get(client, first), FileResponse)
