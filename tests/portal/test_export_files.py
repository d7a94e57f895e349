"""The open-data exports as files: written when a run is published (after the commit),
served as files, streamed while written when missing, gone when the run is unpublished."""

import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext

from portal.showcase.export_files import exports_root, run_scope
from scoring.services.ranking import (
    ranking_run_create,
    ranking_run_execute,
    ranking_run_publish,
    ranking_run_unpublish,
)
from tests.factories import UserFactory
from tests.scoring.factories_ranking import competition

pytestmark = pytest.mark.django_db

EDITION_FILES = ["results.csv", "results.json", "sheets.csv", "sheets.json"]
BULK_FILES = ["all-results.csv", "all-results.json"]


@pytest.fixture(autouse=True)
def _site_is_the_test_server(settings):
    """The files written after publication are for SITE_URL's origin: the test client's."""
    settings.SITE_URL = "http://testserver"


def _published(django_capture_on_commit_callbacks, entries_per_area=3):
    game = competition(areas=2, entries_per_area=entries_per_area, jurors=3)
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_publish(run=run, by=None, notify=False)
    return game.edition.slug, run


def _files(scope: str) -> list[str]:
    return sorted(path.name for path in (exports_root() / scope).rglob("*") if path.is_file())


def _urls(slug: str) -> list[str]:
    return ([f"/showcase/{slug}/{name}" for name in EDITION_FILES]
            + [f"/open-data/{name}" for name in BULK_FILES])


def test_publishing_writes_the_exports_once_committed(django_capture_on_commit_callbacks):
    game = competition(areas=1, entries_per_area=2, jurors=3)
    run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ranking_run_publish(run=run, by=None, notify=False)
    assert _files(run_scope(run.pk)) == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert _files(run_scope(run.pk)) == sorted(EDITION_FILES)
    assert _files("all") == sorted(BULK_FILES)


def test_served_files_are_the_exports_as_streamed(client, settings,
                                                  django_capture_on_commit_callbacks):
    slug, _run = _published(django_capture_on_commit_callbacks)
    served = {}
    for url in _urls(slug):
        response = client.get(url)
        assert isinstance(response, FileResponse), url
        served[url] = response.getvalue()
    settings.SHOWCASE_CACHE_SECONDS = 0  # the cache off: streamed from the database
    for url in _urls(slug):
        response = client.get(url)
        assert isinstance(response, StreamingHttpResponse)
        assert not isinstance(response, FileResponse)
        assert response.getvalue() == served[url], url
    results = json.loads(served[f"/showcase/{slug}/results.json"])
    assert [row["rank"] for row in results["results"]] == [1, 2, 3, 1, 2, 3]
    assert results["results"][0]["url"].startswith("http://testserver/practices/")


def test_served_file_keeps_the_headers_of_each_export(client,
                                                      django_capture_on_commit_callbacks):
    slug, _run = _published(django_capture_on_commit_callbacks)
    csv_file = client.get(f"/showcase/{slug}/results.csv")
    assert csv_file["Content-Type"] == "text/csv; charset=utf-8"
    assert csv_file["Content-Disposition"] == f'attachment; filename="{slug}-results.csv"'
    assert csv_file["Access-Control-Allow-Origin"] == "*"
    assert csv_file["Link"].endswith('rel="license"')
    json_file = client.get(f"/showcase/{slug}/results.json")
    assert json_file["Content-Type"] == "application/json"
    assert "Content-Disposition" not in json_file
    assert int(json_file["Content-Length"]) == len(json_file.getvalue())


def test_served_file_is_cached_like_a_public_page(client, settings,
                                                  django_capture_on_commit_callbacks):
    settings.PUBLIC_PROXY_SECONDS = 5
    slug, _run = _published(django_capture_on_commit_callbacks)
    response = client.get(f"/showcase/{slug}/results.csv")
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=5"
    assert response["Last-Modified"]
    etag = response["ETag"]
    again = client.get(f"/showcase/{slug}/results.csv", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_served_file_needs_no_query(client, django_capture_on_commit_callbacks,
                                    django_assert_num_queries):
    slug, _run = _published(django_capture_on_commit_callbacks)
    with django_assert_num_queries(1):  # which run is published (then cached)
        client.get(f"/showcase/{slug}/results.json").getvalue()
    with django_assert_num_queries(0):
        for url in _urls(slug):
            assert client.get(url).getvalue()


def test_unpublishing_removes_the_files_and_answers_404_at_once(
        client, django_capture_on_commit_callbacks):
    slug, run = _published(django_capture_on_commit_callbacks)
    for url in _urls(slug):
        assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        ranking_run_unpublish(run=run, by=UserFactory(is_staff=True), reason="A mistake")
    for url in _urls(slug)[:4]:
        assert client.get(url).status_code == 404, url
    assert _files(run_scope(run.pk)) == []
    # the bulk download no longer holds the edition
    assert json.loads(client.get("/open-data/all-results.json").getvalue())["editions"] == []


def test_missing_file_is_streamed_and_written_for_the_next_request(
        client, django_capture_on_commit_callbacks):
    slug, run = _published(django_capture_on_commit_callbacks)
    shutil.rmtree(exports_root())
    first = client.get(f"/showcase/{slug}/sheets.csv")
    assert not isinstance(first, FileResponse) and first.streaming
    body = first.getvalue()
    assert body.startswith(b"area_code,area_id,entry_id,juror")
    assert _files(run_scope(run.pk)) == ["sheets.csv"]
    second = client.get(f"/showcase/{slug}/sheets.csv")
    assert isinstance(second, FileResponse)
    assert second.getvalue() == body


def test_interrupted_stream_leaves_no_file(client, django_capture_on_commit_callbacks):
    from portal.showcase import exports

    slug, run = _published(django_capture_on_commit_callbacks, entries_per_area=3)
    shutil.rmtree(exports_root())
    exports.ROWS_PER_CHUNK, before = 1, exports.ROWS_PER_CHUNK
    try:
        response = client.get(f"/showcase/{slug}/results.csv")
        next(iter(response.streaming_content))
        assert [path.name.endswith(".part") for path in exports_root().rglob("*")
                if path.is_file()] == [True]
        response.close()  # the visitor went away
    finally:
        exports.ROWS_PER_CHUNK = before
    left = [path.name for path in exports_root().rglob("*") if path.is_file()]
    assert left == []


def test_a_change_to_a_public_practice_is_in_the_next_export(
        client, django_capture_on_commit_callbacks):
    slug, run = _published(django_capture_on_commit_callbacks)
    assert b"Renamed after publication" not in client.get(
        f"/showcase/{slug}/results.csv").getvalue()
    practice = run.results.order_by("rank").first().entry.practice
    with django_capture_on_commit_callbacks(execute=True):
        practice.title = "Renamed after publication"
        practice.save()
    assert b"Renamed after publication" in client.get(
        f"/showcase/{slug}/results.csv").getvalue()


def test_regenerate_command_writes_every_file_again(django_capture_on_commit_callbacks,
                                                    capsys):
    slug, run = _published(django_capture_on_commit_callbacks)
    shutil.rmtree(exports_root())
    call_command("open_data_exports")
    assert _files(run_scope(run.pk)) == sorted(EDITION_FILES)
    assert _files("all") == sorted(BULK_FILES)
    assert f"{slug}: 4 files" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("open_data_exports", "not-public")


def test_files_live_in_the_private_folder(settings, tmp_path,
                                          django_capture_on_commit_callbacks):
    settings.OPEN_DATA_DIR = str(tmp_path / "private")
    _slug, run = _published(django_capture_on_commit_callbacks)
    assert exports_root() == Path(settings.OPEN_DATA_DIR)
    assert _files(run_scope(run.pk)) == sorted(EDITION_FILES)
    assert not (Path(settings.MEDIA_ROOT) / "open-data").exists()


@pytest.mark.parametrize("name", ["results.csv", "sheets.json"])
def test_streamed_export_query_count_is_fixed(client, name):
    counts = []
    for entries in (1, 6):
        game = competition(areas=2, entries_per_area=entries, jurors=3)
        run = ranking_run_execute(run_id=ranking_run_create(edition=game.edition).pk)
        ranking_run_publish(run=run, by=None, notify=False)  # no commit: no file
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/showcase/{game.edition.slug}/{name}").getvalue()
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_task_writes_the_files_again_and_nothing_for_a_run_not_public(
        django_capture_on_commit_callbacks):
    from portal.tasks import open_data_exports_build

    slug, run = _published(django_capture_on_commit_callbacks)
    assert open_data_exports_build(run.pk) == 6
    assert open_data_exports_build(run.pk) == 6  # a retry writes the same files
    assert _files(run_scope(run.pk)) == sorted(EDITION_FILES)
    other = ranking_run_execute(run_id=ranking_run_create(edition=run.edition).pk)
    assert open_data_exports_build(other.pk) == 0
    assert _files(run_scope(other.pk)) == []


def test_exports_for_a_host_not_named_are_streamed_not_kept(client, settings,
                                                           django_capture_on_commit_callbacks):
    slug, run = _published(django_capture_on_commit_callbacks)
    settings.ALLOWED_HOSTS = ["*"]
    response = client.get(f"/showcase/{slug}/results.csv", HTTP_HOST="made-up.example")
    assert not isinstance(response, FileResponse)
    assert b"http://made-up.example/practices/" in response.getvalue()
    assert len(list(exports_root().rglob("results.csv"))) == 1  # SITE_URL's only
