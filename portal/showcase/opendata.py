"""Results of a public edition as CSV and JSON: only public results, nothing personal;
scores rounded to `scoring.precision.SCORE_DECIMALS` places, shares to `SHARE_DECIMALS`.
Criteria, weights and areas are the published run's snapshot (what it was computed with).

The counted sheets of the published run, anonymised (each juror a code, no comment), as
CSV and JSON: with the results and the snapshot anyone can recompute every total, rank,
place and the fingerprint (tools/verify_results.py)."""

import csv
import io
import json
import os
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.urls import reverse
from django.views.decorators.http import require_GET

from competitions.models import Edition
from portal import selectors
from portal.cache import cache_seconds, cached, origin
from scoring.precision import SCORE_DECIMALS, SHARE_DECIMALS, round_score, round_share
from uptake.selectors import adopters_by_practice

# Rows are read, formatted and written this many at a time: the memory of an export does
# not grow with the edition.
CHUNK_ROWS = 2000

RESULT_FIELDS = ("area_id", "entry_id", "rank", "place", "entry__practice_id",
                 "entry__practice__title", "entry__practice__title_en",
                 "entry__practice__municipality__name",
                 "entry__practice__municipality__name_en",
                 "entry__practice__municipality__region", "criterion_scores", "total",
                 "sheet_count", "rank_confidence", "flags")


class _Export:
    """A public edition's published run and its set-up (the snapshot), resolved before the
    first byte is sent (404 otherwise); `rows()` then reads its results a chunk at a time."""

    def __init__(self, base: str, slug: str):
        try:
            self.edition, self.run, self.setup = selectors.edition_published_run(slug=slug)
        except Edition.DoesNotExist:
            raise Http404 from None
        self.base = base
        self.slug = slug

    def head(self) -> dict:
        edition, run, setup, base = self.edition, self.run, self.setup, self.base
        return {
            "edition": {"slug": edition.slug, "title": edition.title,
                        "title_en": edition.title_en, "year": edition.year_label,
                        "country": edition.country, "scale": list(setup.scale)},
            "run": {"method": run.method, "parameters": run.parameters,
                    "fingerprint": run.fingerprint,
                    "published_at": run.published_at.isoformat() if run.published_at else None,
                    "sheets_url": base + reverse("showcase:sheets_json", args=[edition.slug])},
            "precision": {"scores": SCORE_DECIMALS, "rank_confidence": SHARE_DECIMALS},
            "criteria": [{"order": c.order, "title": c.title, "title_en": c.title_en,
                          "weight": float(c.weight)} for c in setup.criteria],
            "areas": [{"code": a.code, "title": a.title, "title_en": a.title_en,
                       "awards": a.awards} for a in setup.areas],
        }

    def snapshot(self):
        """Everything the run was computed with, exactly as its fingerprint covers it."""
        return self.run.snapshot if self.setup.recorded else None

    def rows(self) -> Iterator[dict]:
        """The public results in the recorded area order (then rank), one dict per result;
        one query for the results (read in chunks) and one for the adoptions per chunk."""
        setup = self.setup
        areas = setup.areas_by_id
        in_order = sorted(setup.areas, key=lambda a: (a.order, a.code, a.id))
        position = Case(*(When(area_id=area.id, then=Value(index))
                          for index, area in enumerate(in_order)),
                        default=Value(-1), output_field=IntegerField())
        results = (selectors.results_published().filter(run=self.run)
                   .annotate(area_position=position)
                   .order_by("area_position", "area_id", "rank", "id")
                   .values_list(*RESULT_FIELDS).iterator(chunk_size=CHUNK_ROWS))
        width = len(setup.criteria)
        # reverse() once: the practice URL of every row differs by its id only
        url = self.base + reverse("showcase:practice", args=[0]).replace("/0/", "/{}/")
        while chunk := list(islice(results, CHUNK_ROWS)):
            adopters = adopters_by_practice({row[4] for row in chunk})
            for (area_id, entry_id, rank, place, practice_id, title, title_en, municipality,
                 municipality_en, region, criterion_scores, total, sheet_count,
                 rank_confidence, flags) in chunk:
                area = areas.get(area_id)
                scores = selectors.as_float_list(criterion_scores)
                scores += [None] * (width - len(scores))
                yield {
                    "area_code": area.code if area else "",
                    "area": area.title if area else "",
                    "area_en": area.title_en if area else "",
                    "area_id": area_id,
                    "entry_id": entry_id,
                    "rank": rank,
                    "place": place,
                    "practice_id": practice_id,
                    "practice": title,
                    "practice_en": title_en,
                    "municipality": municipality,
                    "municipality_en": municipality_en,
                    "region": region,
                    "criterion_scores": [round_score(score) for score in scores[:width]],
                    "total": round_score(total),
                    "sheet_count": sheet_count,
                    "rank_confidence": round_share(rank_confidence),
                    "flags": [str(flag) for flag in flags] if isinstance(flags, list) else [],
                    "url": url.format(practice_id),
                    # the municipalities that recorded adopting the practice (uptake)
                    "adopted_by": adopters.get(practice_id, []),
                }

    def json_chunks(self) -> Iterator[str]:
        """The same document as `json.dumps` of head + results + snapshot, written a
        chunk of rows at a time."""
        yield json.dumps(self.head(), ensure_ascii=False)[:-1] + ', "results": ['
        separator = ""
        buffer: list[str] = []
        for row in self.rows():
            buffer.append(separator + json.dumps(row, ensure_ascii=False))
            separator = ", "
            if len(buffer) >= CHUNK_ROWS:
                yield "".join(buffer)
                buffer.clear()
        yield "".join(buffer)
        yield '], "snapshot": ' + json.dumps(self.snapshot(), ensure_ascii=False) + "}"

    def csv_chunks(self) -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        criteria = [f"criterion_{c.order}: {c.title_en or c.title}" for c in self.setup.criteria]
        writer.writerow([*CSV_COLUMNS, *criteria, "total", "sheet_count", "rank_confidence",
                         "flags", "url", "adopted_by"])
        for count, row in enumerate(self.rows(), start=1):
            writer.writerow([*(_csv_safe(row[name]) for name in CSV_COLUMNS),
                             *("" if s is None else s for s in row["criterion_scores"]),
                             "" if row["total"] is None else row["total"], row["sheet_count"],
                             "" if row["rank_confidence"] is None else row["rank_confidence"],
                             ";".join(row["flags"]), row["url"],
                             _csv_safe("; ".join(row["adopted_by"]))])
            if count % CHUNK_ROWS == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()


# --- exports served as files ------------------------------------------------------------
def exports_dir() -> Path:
    """Where generated exports are kept (a cache: any file may be deleted at any time)."""
    return Path(settings.OPENDATA_EXPORTS_DIR)


def _write_file(prefix: str, chunks: Iterable[str], *, head: str = "") -> str:
    """Write `chunks` to a new file under `exports_dir()` (complete, or not at all) and
    return its name; delete the files of the same export that no cache entry can still
    name (older than the cache's lifetime)."""
    folder = exports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{prefix}-{uuid.uuid4().hex}"
    partial = folder / f".{name}.part"
    with open(partial, "w", encoding="utf-8", newline="") as out:
        out.write(head)
        for chunk in chunks:
            out.write(chunk)
    os.replace(partial, folder / name)
    stale = time.time() - cache_seconds() - 60
    for old in folder.glob(f"{prefix}-*"):
        try:
            if old.stat().st_mtime < stale:
                old.unlink()
        except FileNotFoundError:
            pass
    return name


def _export_response(request, *, kind: str, slug: str, build: Callable[[], Iterable[str]],
                     content_type: str, filename: str | None = None, head: str = ""):
    """Serve an export: generated once per showcase version (and origin) into a file,
    in chunks, then served from that file; streamed straight from the database when the
    showcase cache is off. Memory stays flat in both."""
    if cache_seconds() <= 0:
        response = StreamingHttpResponse(
            (chunk.encode() for chunk in _prefixed(head, build())), content_type=content_type)
    else:
        base = origin(request)
        prefix = f"{slug}-{kind}"
        make = lambda: _write_file(prefix, build(), head=head)  # noqa: E731
        name = cached("export-file", (kind, slug, base), make)
        try:
            handle = open(exports_dir() / name, "rb")  # noqa: SIM115 (FileResponse closes it)
        except FileNotFoundError:  # removed under us (another host's clean-up): write anew
            handle = open(exports_dir() / make(), "rb")  # noqa: SIM115
        # the name a browser saves it under (not the file's own, a random one)
        response = FileResponse(handle, content_type=content_type,
                                filename=filename or f"{slug}-{kind}")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _prefixed(head: str, chunks: Iterable[str]) -> Iterator[str]:
    if head:
        yield head
    yield from chunks


@require_GET
def results_json(request, slug: str):
    base = origin(request)
    return _export_response(request, kind="results.json", slug=slug,
                            build=lambda: _Export(base, slug).json_chunks(),
                            content_type="application/json")


CSV_COLUMNS = ["area_code", "area", "area_en", "rank", "place", "practice_id", "practice",
               "practice_en", "municipality", "municipality_en", "region"]


def _csv_safe(value):
    """Text written by municipalities must not run as a spreadsheet formula (CSV injection):
    a cell starting with =, +, -, @, tab or CR is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
def results_csv(request, slug: str):
    base = origin(request)
    return _export_response(request, kind="results.csv", slug=slug,
                            build=lambda: _Export(base, slug).csv_chunks(),
                            content_type="text/csv; charset=utf-8",
                            filename=f"{slug}-results.csv", head="\ufeff")


# --- the counted sheets, anonymised --------------------------------------------------
def _sheets(slug: str) -> dict:
    try:
        edition, run, setup, sheets = selectors.edition_sheets(slug=slug)
    except Edition.DoesNotExist:
        return {"missing": True}
    return {
        "edition": {"slug": edition.slug, "title": edition.title, "title_en": edition.title_en},
        "run": {"method": run.method, "fingerprint": run.fingerprint,
                "published_at": run.published_at.isoformat() if run.published_at else None},
        "criteria": [{"id": c.id, "order": c.order, "title": c.title, "title_en": c.title_en,
                      "weight": float(c.weight)} for c in setup.criteria],
        "snapshot": run.snapshot if setup.recorded else None,
        "sheets": sheets,
    }


def _sheets_data(slug: str) -> dict:
    data = cached("sheets-data", (slug,), lambda: _sheets(slug))
    if data.get("missing"):
        raise Http404
    return data


@require_GET
def sheets_json(request, slug: str):
    """The published run's counted sheets, anonymised, with its snapshot."""
    response = JsonResponse(_sheets_data(slug), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def sheets_csv(request, slug: str):
    """One row per counted sheet: area, entry, juror code, a score per criterion."""
    data = _sheets_data(slug)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["area_code", "area_id", "entry_id", "juror",
                     *(f"criterion_{c['order']}" for c in data["criteria"])])
    for sheet in data["sheets"]:
        writer.writerow([_csv_safe(sheet["area"]), sheet["area_id"], sheet["entry_id"],
                         sheet["juror"], *("" if s is None else s for s in sheet["scores"])])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-sheets.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
