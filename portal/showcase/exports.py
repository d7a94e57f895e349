"""The open-data files of the published results, written as text a chunk at a time.

Each export is a generator of text chunks: rows are read from the database a chunk at a
time (`portal.selectors.edition_results_stream`, `edition_sheets_stream`), formatted and
handed on, so what an export holds in memory does not grow with the edition. The same
chunks are written once into a file (`export_files`) or streamed to a visitor.

Only public results, nothing personal; scores rounded to `scoring.precision.SCORE_DECIMALS`
places, shares to `SHARE_DECIMALS`. Criteria, weights and areas are the published run's
snapshot (what it was computed with). The counted sheets are anonymised (each juror a code,
no comment): with the results and the snapshot anyone can recompute every total, rank,
place and the fingerprint (tools/verify_results.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from competitions.models import Edition
from deliberation.selectors import decisions_public
from portal import selectors
from scoring.models import RankingRun
from scoring.precision import SCORE_DECIMALS, SHARE_DECIMALS, round_score, round_share
from scoring.selectors.snapshot import RunSetup

from .licence import open_data_license

# Formatted rows are handed on this many at a time (one write, one chunk of a response).
ROWS_PER_CHUNK = 500

BOM = "\ufeff"  # Excel reads UTF-8 (Cyrillic) only with the byte-order mark

CSV_COLUMNS = ["area_code", "area", "area_en", "rank", "place", "practice_id", "practice",
               "practice_en", "municipality", "municipality_en", "region", "innovation_type",
               "topics"]


# The columns of the bulk CSV (one row per public result of every published edition) and,
# but for `edition` and `edition_year`, of each result in the JSON: name, type, meaning.
DICTIONARY = [
    ("edition", "string", _("The edition's short name (as in its addresses).")),
    ("edition_year", "string", _("The edition's years.")),
    ("area_code", "string", _("The thematic area's code within the edition.")),
    ("area", "string", _("The thematic area's title, in Bulgarian.")),
    ("area_en", "string", _("The thematic area's title, in English.")),
    ("rank", "integer", _("The rank of the entry in its area (1 is the best).")),
    ("place", "integer", _("The award: the place won in the area, as the jury decided it "
                           "where it recorded a decision; empty when not awarded. In the "
                           "JSON files it is the computed place, with the jury's decisions "
                           "beside the results.")),
    ("practice_id", "integer", _("The practice's number (as in its page's address and the "
                                 "API).")),
    ("practice", "string", _("The practice's title, in Bulgarian.")),
    ("practice_en", "string", _("The practice's title, in English.")),
    ("municipality", "string", _("The municipality, in Bulgarian.")),
    ("municipality_en", "string", _("The municipality, in English.")),
    ("region", "string", _("The region of the municipality, in Bulgarian.")),
    ("innovation_type", "string", _("The kind of innovation: service, process, "
                                    "organisational or communication; empty when not "
                                    "given.")),
    ("topics", "string", _("The practice's topics, by short name, separated by "
                           "semicolons.")),
    ("criterion_scores", "string", _("The mean score per criterion, in the criteria's "
                                     "order, separated by semicolons (the JSON gives the "
                                     "criteria).")),
    ("total", "number", _("The weighted total on the edition's scale.")),
    ("sheet_count", "integer", _("How many jury sheets were counted.")),
    ("rank_confidence", "number", _("The share of bootstrap resamples of jurors in which "
                                    "the entry keeps its place.")),
    ("flags", "string", _("Remarks of the ranking, separated by semicolons.")),
    ("url", "string", _("The practice's public page.")),
]
BULK_COLUMNS = [name for name, _type, _meaning in DICTIONARY]
assert set(CSV_COLUMNS) <= set(BULK_COLUMNS)  # noqa: S101 - the dictionary covers the export


FORMULA_STARTS = frozenset("=+-@\t\r")


def csv_safe(value):
    """Text written by municipalities must not run as a spreadsheet formula (CSV injection):
    a cell starting with =, +, -, @, tab or CR is prefixed with an apostrophe."""
    if type(value) is list:
        value = ";".join(str(item) for item in value)
    return _cell(value)


def _cell(value):
    """`csv_safe` of a value that is never a list (a title, a name): no call to look."""
    if type(value) is str and value and value[0] in FORMULA_STARTS:
        return "'" + value
    return value


def _blank(value):
    """A cell of the bulk CSV: empty for None, else `_cell`."""
    return "" if value is None else _cell(value)


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


# The values of each result, in the order of `PublishedRun.result_values` and of the keys
# of each result in results.json.
RESULT_KEYS = ("area_code", "area", "area_en", "area_id", "entry_id", "rank", "place",
               "practice_id", "practice", "practice_en", "municipality", "municipality_en",
               "region", "region_en", "innovation_type", "topics", "criterion_scores", "total",
               "sheet_count", "rank_confidence", "flags", "url", "adopted_by")


@dataclass
class PublishedRun:
    """A public edition's published run and the set-up it recorded; `base` is the scheme
    and host the exports' absolute URLs start with."""

    edition: Edition
    run: RankingRun
    setup: RunSetup
    base: str
    # An earlier round's run behind a shortlist (`selectors.verification_run`) is downloaded
    # at addresses of its own; the published run's are the edition's.
    verification: bool = False

    def _address(self, name: str) -> str:
        if self.verification:
            return self.base + reverse(f"showcase:verification_{name}",
                                       args=[self.edition.slug, self.run.pk])
        return self.base + reverse(f"showcase:{name}", args=[self.edition.slug])

    # --- the results ----------------------------------------------------------------------
    def results_head(self) -> dict:
        """Everything of results.json but its results and snapshot, in its key order."""
        edition, run, setup = self.edition, self.run, self.setup
        return {
            "license": open_data_license(),
            "edition": {"slug": edition.slug, "title": edition.title,
                        "title_en": edition.title_en, "year": edition.year_label,
                        "country": edition.country, "scale": list(setup.scale)},
            "run": {"method": run.method, "parameters": run.parameters,
                    "fingerprint": run.fingerprint,
                    "published_at": run.published_at.isoformat() if run.published_at else None,
                    "sheets_url": self._address("sheets_json")},
            "precision": {"scores": SCORE_DECIMALS, "rank_confidence": SHARE_DECIMALS},
            "criteria": [{"order": c.order, "title": c.title, "title_en": c.title_en,
                          "weight": float(c.weight)} for c in setup.criteria],
            "areas": [{"code": a.code, "title": a.title, "title_en": a.title_en,
                       "awards": a.awards} for a in setup.areas],
            **self._earlier_rounds(),
        }

    def _earlier_rounds(self) -> dict:
        """For the published run of a later round: the runs of the rounds before that its
        shortlists were made from, each with its own downloads (every round can be
        verified). Nothing (and no query) for a one-round edition's run."""
        if self.verification:
            return {}
        earlier = selectors.verification_runs(published=self.run)
        if not earlier:
            return {}
        slug = self.edition.slug
        return {"earlier_rounds": [
            {"round": number, "run": run_id,
             "results_url": self.base + reverse("showcase:verification_results_json",
                                                args=[slug, run_id]),
             "sheets_url": self.base + reverse("showcase:verification_sheets_json",
                                               args=[slug, run_id])}
            for run_id, number in earlier]}

    def snapshot(self):
        """Everything the run was computed with, exactly as its fingerprint covers it."""
        return self.run.snapshot if self.setup.recorded else None

    def result_values(self, *, published: bool = False) -> Iterator[tuple]:
        """One tuple per public result, in export order, of the values RESULT_KEYS name
        (formatted once here; each export picks what it writes, without a dict per row).
        Its place is the computed one (results.json: the verification recomputes it, the
        decisions are beside it), or with `published` the published one (the CSV files'
        award: `RankingResult.published_place`)."""
        areas = self.setup.areas_by_id
        width = len(self.setup.criteria)
        padding = [None] * width
        # reverse() once: the practice URLs differ by the practice's id only
        url = self.base + reverse("showcase:practice", args=[0]).replace("/0/", "/{}/")
        json_list, floats = selectors.export_json_list, selectors.as_float_list
        for row, topics, adopted_by in selectors.edition_results_stream(run=self.run,
                                                                        setup=self.setup):
            (area_id, entry_id, rank, place, practice_id, title, title_en, municipality,
             municipality_en, region, region_en, innovation_type, criterion_scores, total,
             sheet_count, rank_confidence, flags, published_place) = row
            if published:
                place = published_place
            area = areas.get(area_id)
            scores = (floats(json_list(criterion_scores)) + padding)[:width]
            yield (
                area.code if area else "", area.title if area else "",
                area.title_en if area else "", area_id, entry_id, rank, place, practice_id,
                title, title_en, municipality, municipality_en, region, region_en,
                innovation_type, topics,
                [None if score is None else round(score, SCORE_DECIMALS) for score in scores],
                round_score(total), sheet_count, round_share(rank_confidence),
                [str(flag) for flag in json_list(flags)] if flags else [],
                url.format(practice_id),
                adopted_by,  # the municipalities that recorded adopting the practice (uptake)
            )

    def results(self) -> Iterator[dict]:
        """One dict per public result, in export order (see `results.json`)."""
        for values in self.result_values():
            yield dict(zip(RESULT_KEYS, values, strict=True))

    def results_json(self) -> Iterator[str]:
        """results.json: the document `json.dumps` would write of the head, the results and
        the snapshot, written a chunk of rows at a time."""
        yield _json(self.results_head())[:-1] + ', "results": ['
        yield from _json_items(self.results())
        # The jury's recorded decision per area (deliberation), beside the computed places
        # of "results": the public places where there is one, with every justification.
        yield ('], "decisions": ' + _json(self.decisions()) + ', "snapshot": '
               + _json(self.snapshot()) + "}")

    def decisions(self) -> list[dict]:
        codes = {area.id: area.code for area in self.setup.areas}
        return [{
            "area_id": area_id, "area_code": codes.get(area_id, ""),
            "departs_from_computed": item.decision.departs,
            "public_justification": item.decision.public_justification,
            "recorded_at": item.decision.recorded_at.isoformat()
            if item.decision.recorded_at else None,
            "places": [{"entry_id": row.entry_id, "place": row.place,
                        "computed_place": row.computed_place, "special_mention": row.mention,
                        "justification": row.justification}
                       for row in sorted({*item.places, *item.mentions, *item.deliberated},
                                         key=lambda r: (r.place is None, r.place or 0, r.pk))],
        } for area_id, item in sorted(decisions_public(run=self.run).items())]

    def results_csv(self) -> Iterator[str]:
        """results.csv: one row per public result (columns: CSV_COLUMNS, one per criterion,
        then the figures, the page and the adopters)."""
        criteria = [f"criterion_{c.order}: {c.title_en or c.title}" for c in self.setup.criteria]
        rows = ((_cell(area_code), _cell(area), _cell(area_en), rank, place, practice_id,
                 _cell(practice), _cell(practice_en), _cell(municipality),
                 _cell(municipality_en), _cell(region), _cell(innovation_type),
                 csv_safe(topics), *("" if s is None else s for s in scores),
                 "" if total is None else total, sheet_count,
                 "" if confidence is None else confidence, ";".join(flags), url,
                 _cell("; ".join(adopted_by)))
                for (area_code, area, area_en, _area_id, _entry_id, rank, place, practice_id,
                     practice, practice_en, municipality, municipality_en, region, _region_en,
                     innovation_type, topics, scores, total, sheet_count, confidence, flags,
                     url, adopted_by) in self.result_values(published=True))
        return _csv([*CSV_COLUMNS, *criteria, "total", "sheet_count", "rank_confidence",
                     "flags", "url", "adopted_by"], rows, head=BOM)

    # --- the counted sheets, anonymised ---------------------------------------------------
    def sheets_head(self) -> dict:
        edition, run, setup = self.edition, self.run, self.setup
        return {
            "license": open_data_license(),
            "edition": {"slug": edition.slug, "title": edition.title,
                        "title_en": edition.title_en},
            "run": {"method": run.method, "fingerprint": run.fingerprint,
                    "published_at": run.published_at.isoformat() if run.published_at else None},
            "criteria": [{"id": c.id, "order": c.order, "title": c.title, "title_en": c.title_en,
                          "weight": float(c.weight)} for c in setup.criteria],
            "snapshot": self.snapshot(),
        }

    def sheets(self) -> Iterator[dict]:
        return selectors.edition_sheets_stream(run=self.run, setup=self.setup)

    def sheets_json(self) -> Iterator[str]:
        """sheets.json: the run's counted sheets, anonymised, with its snapshot."""
        yield _json(self.sheets_head())[:-1] + ', "sheets": ['
        yield from _json_items(self.sheets())
        yield "]}"

    def sheets_csv(self) -> Iterator[str]:
        """sheets.csv: one row per counted sheet: area, entry, juror code, a score per
        criterion."""
        rows = ([csv_safe(sheet["area"]), sheet["area_id"], sheet["entry_id"], sheet["juror"],
                 *("" if s is None else s for s in sheet["scores"])] for sheet in self.sheets())
        return _csv(["area_code", "area_id", "entry_id", "juror",
                     *(f"criterion_{c.order}" for c in self.setup.criteria)], rows)


def _json_items(items: Iterable) -> Iterator[str]:
    """`", ".join(json.dumps(item) for item in items)`, handed on ROWS_PER_CHUNK items at a
    time: one dumps of each chunk's list (its brackets cut) writes the same text."""
    items = iter(items)
    separator = ""
    while chunk := list(islice(items, ROWS_PER_CHUNK)):
        yield separator + _json(chunk)[1:-1]
        separator = ", "


def _csv(header: list, rows: Iterable[list], *, head: str = "") -> Iterator[str]:
    """CSV text of `header` and `rows`, handed on ROWS_PER_CHUNK rows at a time."""
    buffer = io.StringIO()
    buffer.write(head)
    writer = csv.writer(buffer)
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# --- every published edition at once: the bulk download ----------------------------------
def published_runs(base: str) -> Iterator[PublishedRun]:
    """Every public edition's published run, newest edition first, read one at a time."""
    for run_id, _slug in selectors.published_runs_ids():
        found = selectors.published_run(run_id=run_id)
        if found is not None:
            yield PublishedRun(*found, base=base)


def bulk_json(base: str, *, data_dictionary: str) -> Iterator[str]:
    """all-results.json: each published edition's results.json, in one document."""
    yield _json({"license": open_data_license(), "data_dictionary": data_dictionary,
                 "precision": {"scores": SCORE_DECIMALS,
                               "rank_confidence": SHARE_DECIMALS}})[:-1] + ', "editions": ['
    separator = ""
    for published in published_runs(base):
        yield separator
        yield from published.results_json()
        separator = ", "
    yield "]}"


def bulk_csv(base: str) -> Iterator[str]:
    """all-results.csv: one row per public result of every published edition (columns:
    BULK_COLUMNS)."""
    def rows() -> Iterator[tuple]:
        for published in published_runs(base):
            edition = _cell(published.edition.slug)
            year = "" if published.edition.year_label is None else _cell(
                published.edition.year_label)
            for (area_code, area, area_en, _area_id, _entry_id, rank, place, practice_id,
                 practice, practice_en, municipality, municipality_en, region, _region_en,
                 innovation_type, topics, scores, total, sheet_count, confidence, flags, url,
                 _adopted_by) in published.result_values(published=True):
                yield (edition, year, _blank(area_code), _blank(area), _blank(area_en),
                       _blank(rank), _blank(place), _blank(practice_id), _blank(practice),
                       _blank(practice_en), _blank(municipality), _blank(municipality_en),
                       _blank(region), _blank(innovation_type), csv_safe(topics),
                       ";".join("" if s is None else str(s) for s in scores),
                       "" if total is None else total, _blank(sheet_count),
                       "" if confidence is None else confidence, ";".join(flags), _cell(url))

    return _csv(BULK_COLUMNS, rows(), head=BOM)


# --- what is exported: each file's name, type and writer ----------------------------------
@dataclass(frozen=True)
class ExportKind:
    """One export: its name (the last part of its address, and of its file), its type,
    whether it is downloaded as an attachment, and what writes it."""

    name: str
    content_type: str
    attachment: bool
    write: Callable[..., Iterator[str]]


CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"

# An edition's exports: write(PublishedRun)
EDITION_EXPORTS = {kind.name: kind for kind in (
    ExportKind("results.csv", CSV_TYPE, True, PublishedRun.results_csv),
    ExportKind("results.json", JSON_TYPE, False, PublishedRun.results_json),
    ExportKind("sheets.csv", CSV_TYPE, True, PublishedRun.sheets_csv),
    ExportKind("sheets.json", JSON_TYPE, False, PublishedRun.sheets_json),
)}

# The bulk download of every published edition: write(base)
BULK_EXPORTS = {kind.name: kind for kind in (
    ExportKind("all-results.csv", CSV_TYPE, True,
               bulk_csv),
    ExportKind("all-results.json", JSON_TYPE, True,
               lambda base: bulk_json(base, data_dictionary=base + reverse(
                   "showcase:datapackage"))),
)}
