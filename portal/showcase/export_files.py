"""The open-data exports as files: written once, then served as files.

When a run is published, `open_data_exports_generate` (the Celery task
`portal.tasks.open_data_exports_build`, queued after the commit: see portal/signals.py)
writes its edition's exports and the bulk download into files, a chunk of rows at a time;
every request then gets the file (`FileResponse`: nothing is computed, nothing held in
memory). When the run is unpublished, its files are removed (`open_data_exports_remove`)
and its addresses answer 404 at once (the showcase version changes with the run).

Files live in a private folder, OPEN_DATA_DIR (default MEDIA_ROOT/open-data), that no
address serves directly (MEDIA_ROOT is not served: practices' files go through their
views); only the views, after checking that the edition is public, hand them out:

    <OPEN_DATA_DIR>/<scope>/<stamp>/<origin>/<name>

`scope` is `run-<id>` (an edition's exports) or `all` (the bulk download); `stamp`
(`exports_stamp`) names what the files were written from. An edition's stamp is the epoch
and that edition's token (portal/cache.py): the receivers of portal/signals.py renew the
edition's token when what its rows read changes (its run, set-up or entries; the title or
topics of one of its public practices; an adoption of one), and the epoch when what every
edition reads does (a municipality, a topic, a release, a delete), so a change elsewhere (a
practice of another edition, a draft) leaves its files served. The bulk download's stamp
is the epoch and the showcase's version (it holds everything public). A file never
outlives the data it was written from; one of an older stamp is never served (it is
removed when a newer one is written, after STALE_GRACE_SECONDS). `origin` is a digest of
the scheme and host the file's absolute URLs start with: the task writes SITE_URL's; a
request from another origin, or for a file not written (yet, or any more) gets the export
streamed from the database while the same chunks are written to the file
(`StreamingHttpResponse`, memory flat), which the next request is served (files are kept
for the hosts of SITE_URL and ALLOWED_HOSTS only: `keeps_files_for`). `manage.py
open_data_exports` writes every file again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http import FileResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.http import http_date

from portal import selectors
from portal.cache import (
    EXPORTS_EPOCH_KEY,
    cache_seconds,
    exports_edition_key,
    exports_tokens,
    showcase_version,
)

from .exports import BULK_EXPORTS, EDITION_EXPORTS, ExportKind, PublishedRun
from .licence import open_data_license, with_license

logger = logging.getLogger(__name__)

BULK_SCOPE = "all"

# A folder of an older stamp is left this long after a newer one is written: a request
# that has just resolved it may still be opening its file.
STALE_GRACE_SECONDS = 60


def exports_root() -> Path:
    return Path(settings.OPEN_DATA_DIR or Path(settings.MEDIA_ROOT) / "open-data")


def run_scope(run_id: int) -> str:
    return f"run-{int(run_id)}"


def exports_stamp(*, edition_id: int | None = None) -> str:
    """The stamp the files are kept under: with `edition_id`, that edition's exports (its
    token and the epoch: renewed by what its rows read, see portal/signals.py, and by
    nothing another edition does); without, the bulk download (the epoch and the
    showcase's version: it holds every public edition). Both name the licence the files
    carry. One or two cache reads."""
    licence = hashlib.sha256(repr(sorted(open_data_license().items())).encode()).hexdigest()[:8]
    if edition_id is None:
        [epoch] = exports_tokens(EXPORTS_EPOCH_KEY)
        return f"{epoch}-v{showcase_version()}-{licence}"
    epoch, edition = exports_tokens(EXPORTS_EPOCH_KEY, exports_edition_key(edition_id))
    return f"{epoch}-e{edition}-{licence}"


def site_origin() -> str:
    """The scheme and host of SITE_URL: the origin the files written after publication
    are for."""
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def keeps_files_for(base: str) -> bool:
    """Whether exports for `base` are kept in files: only for SITE_URL's host and the hosts
    ALLOWED_HOSTS names one by one, so that a wildcard in ALLOWED_HOSTS never lets made-up
    Host headers fill the disk (their exports are streamed, not kept)."""
    host = urlsplit(base).hostname or ""
    named = {name.lower() for name in settings.ALLOWED_HOSTS
             if "*" not in name and not name.startswith(".")}
    return host == (urlsplit(settings.SITE_URL).hostname or "") or host.lower() in named


def export_path(*, scope: str, name: str, base: str, stamp: str) -> Path:
    origin = hashlib.sha256(base.encode()).hexdigest()[:16]
    return exports_root() / scope / stamp / origin / name


# --- writing ---------------------------------------------------------------------------
def _written(chunks: Iterable[str], path: Path) -> Iterator[bytes]:
    """`chunks` encoded, each written to a new file as it passes; the file takes `path`'s
    name once complete (an interrupted one is deleted, never served), and folders of other
    stamps of the same scope are removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    complete = False
    try:
        with open(partial, "wb") as out:
            for chunk in chunks:
                data = chunk.encode()
                out.write(data)
                yield data
        os.replace(partial, path)
        complete = True
    finally:
        if not complete:
            partial.unlink(missing_ok=True)
    _remove_older_stamps(path)


def _remove_older_stamps(path: Path) -> None:
    stamp_folder = path.parent.parent
    limit = time.time() - STALE_GRACE_SECONDS
    for other in stamp_folder.parent.iterdir():
        try:
            if other != stamp_folder and other.stat().st_mtime < limit:
                shutil.rmtree(other, ignore_errors=True)
        except FileNotFoundError:
            pass


def export_write(chunks: Iterable[str], path: Path) -> int:
    """Write the export to `path` (complete, or not at all); returns its size in bytes."""
    return sum(len(data) for data in _written(chunks, path))


# --- serving ----------------------------------------------------------------------------
def export_response(*, kind: ExportKind, scope: str, base: str, stamp: str, filename: str,
                    write: Callable[[], Iterable[str]]) -> HttpResponseBase:
    """The export `kind` of `scope`: its file when written for `stamp` (`exports_stamp`) and this
    origin, else `write()`'s chunks streamed and written to that file as they pass. With
    the showcase cache off (SHOWCASE_CACHE_SECONDS=0), or for a host not named
    (`keeps_files_for`), it is streamed and not kept."""
    if cache_seconds() <= 0 or not keeps_files_for(base):
        response = StreamingHttpResponse((chunk.encode() for chunk in write()),
                                         content_type=kind.content_type)
        response["Last-Modified"] = http_date()
    else:
        path = export_path(scope=scope, name=kind.name, base=base, stamp=stamp)
        try:
            handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
        except FileNotFoundError:
            response = StreamingHttpResponse(_written(write(), path),
                                             content_type=kind.content_type)
            response["Last-Modified"] = http_date()
        else:
            response = FileResponse(handle, content_type=kind.content_type)
            response["Last-Modified"] = http_date(os.fstat(handle.fileno()).st_mtime)
    # the name a browser saves it under (the edition's, never the file's own)
    if kind.attachment:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    elif "Content-Disposition" in response:
        del response["Content-Disposition"]
    response["Access-Control-Allow-Origin"] = "*"
    return with_license(response)


# --- the services: after publication, after unpublication, on demand -----------------
def open_data_exports_generate(*, run_id: int, base: str | None = None,
                               bulk: bool = True) -> list[Path]:
    """Write the exports of run `run_id`'s edition and (with `bulk`) the bulk download, for `base`
    (default: SITE_URL's origin), under the current stamp; nothing when the run is not
    public (unpublished before the task ran). Idempotent: files written already are
    written again, the same. Returns the files written."""
    base = base or site_origin()
    found = selectors.published_run(run_id=run_id)
    if found is None:
        return []
    published = PublishedRun(*found, base=base)
    stamp = exports_stamp(edition_id=published.edition.pk)
    written = []
    for kind in EDITION_EXPORTS.values():
        path = export_path(scope=run_scope(run_id), name=kind.name, base=base, stamp=stamp)
        export_write(kind.write(published), path)
        written.append(path)
    if bulk:
        written += bulk_exports_generate(base=base)
    logger.info("open-data exports of run %s written for %s", run_id, base)
    return written


def bulk_exports_generate(*, base: str | None = None) -> list[Path]:
    """Write the bulk download (every published edition) for `base`."""
    base = base or site_origin()
    stamp = exports_stamp()
    written = []
    for kind in BULK_EXPORTS.values():
        path = export_path(scope=BULK_SCOPE, name=kind.name, base=base, stamp=stamp)
        export_write(kind.write(base), path)
        written.append(path)
    return written


def open_data_exports_remove(*, run_id: int) -> None:
    """Remove every file of run `run_id`'s exports (it was unpublished): they are not
    served any more anyway, the showcase version having changed with the run."""
    shutil.rmtree(exports_root() / run_scope(run_id), ignore_errors=True)
    logger.info("open-data exports of run %s removed", run_id)
