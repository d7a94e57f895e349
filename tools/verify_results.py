#!/usr/bin/env python3
"""Check a published result of the Best Practices Programme from its public downloads.

    python3 verify_results.py RESULTS.json SHEETS.json
    python3 verify_results.py RESULTS.json SHEETS.csv

RESULTS.json is `/showcase/<edition>/results.json`; SHEETS is
`/showcase/<edition>/sheets.json` or `sheets.csv`: every jury sheet the published ranking
run counted, each juror replaced by an anonymous code, without comments. The run's
snapshot (criteria and weights, areas and awards, scale, minimum of sheets, method and
the entries it left out) is in both JSON files.

The script needs Python 3.10 or later and nothing else. It recomputes from the sheets and
the snapshot:

1. per entry, its number of counted sheets, the score on each criterion and the total
   (sum of weight x criterion score / sum of weights), with the run's method:
   `weighted_mean` (mean of the sheets), `median` (of the sheets; mean of the two middle
   values when their number is even) or `trimmed_mean` (with 5 sheets or more, one
   highest and one lowest value per criterion dropped); `zscore` is not verifiable by
   this script (the fingerprint still is);
2. per thematic area, the ranks of the entries with at least the minimum of sheets: by
   total, descending, equal totals (within 1e-9) broken by the criterion scores in
   criterion order, entries still equal share a rank (1, 2, 2, 4); places 1..N (N =
   the area's awards) go to ranks 1..N;
3. the run's fingerprint: SHA-256 of the snapshot as canonical JSON (keys sorted, no
   spaces, ASCII), a zero byte, then the sheets sorted by (entry id, juror code) as
   little-endian 64-bit entry ids, 64-bit juror codes (the hexadecimal code read as a
   number) and 64-bit floating-point scores in criterion order.

It compares them with the published results (scores and totals as published, rounded;
ranks and places exactly) and prints `verified`, or the first difference: the entry, the
field, the published value and the recomputed one. Exit status: 0 verified, 1 a
difference, 2 not verifiable (an unsupported method, or files it cannot read).
"""

from __future__ import annotations

import csv
import hashlib
import json
import statistics
import struct
import sys
from collections import defaultdict
from pathlib import Path

TIE_TOLERANCE = 1e-9
TRIM_MIN_SHEETS = 5
VERIFIABLE_METHODS = ("weighted_mean", "median", "trimmed_mean")


class Difference(Exception):
    """The first difference between what is published and what the data give."""


class NotVerifiable(Exception):
    """What the script cannot check (the message says why)."""


# --- reading the downloads ---------------------------------------------------------------
def read_json(path: Path) -> dict:
    with path.open(encoding="utf-8-sig") as handle:
        return json.load(handle)


def read_sheets(path: Path) -> tuple[list[dict], dict | None]:
    """The sheets as dicts (area_id, entry_id, juror, scores) and the snapshot if the file
    has one (the JSON download does)."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        first = header.index("juror") + 1
        sheets = [{"area_id": int(row[header.index("area_id")]),
                   "entry_id": int(row[header.index("entry_id")]),
                   "juror": row[header.index("juror")],
                   "scores": [float(value) for value in row[first:]]} for row in body if row]
        return sheets, None
    data = read_json(path)
    sheets = [{"area_id": int(s["area_id"]), "entry_id": int(s["entry_id"]),
               "juror": str(s["juror"]), "scores": [float(v) for v in s["scores"]]}
              for s in data["sheets"]]
    return sheets, data.get("snapshot")


# --- the fingerprint ---------------------------------------------------------------------
def fingerprint(snapshot: dict, sheets: list[dict]) -> str:
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    ordered = sorted(sheets, key=lambda s: (s["entry_id"], int(s["juror"], 16)))
    digest = hashlib.sha256(canonical.encode("ascii"))
    digest.update(b"\x00")
    count = len(ordered)
    digest.update(struct.pack(f"<{count}q", *(s["entry_id"] for s in ordered)))
    digest.update(struct.pack(f"<{count}q", *(int(s["juror"], 16) for s in ordered)))
    values = [value + 0.0 for s in ordered for value in s["scores"]]
    digest.update(struct.pack(f"<{len(values)}d", *values))
    return digest.hexdigest()


# --- the method --------------------------------------------------------------------------
def criterion_score(values: list[float], method: str) -> float:
    if method == "weighted_mean":
        return sum(values) / len(values)
    if method == "median":
        return float(statistics.median(values))
    if method == "trimmed_mean":
        if len(values) >= TRIM_MIN_SHEETS:
            ordered = sorted(values)[1:-1]
            return sum(ordered) / len(ordered)
        return sum(values) / len(values)
    raise NotVerifiable(f"the method {method!r} is not verifiable by this script")


def entry_figures(sheets: list[dict], snapshot: dict) -> dict[int, dict]:
    """Per entry: area, sheet count, criterion scores, total."""
    method = snapshot["method"]
    weights = [float(c["weight"]) for c in snapshot["criteria"]]
    by_entry: dict[int, list[dict]] = defaultdict(list)
    for sheet in sheets:
        if len(sheet["scores"]) != len(weights):
            raise Difference(f"entry {sheet['entry_id']}, juror {sheet['juror']}: "
                             f"{len(sheet['scores'])} scores for {len(weights)} criteria")
        by_entry[sheet["entry_id"]].append(sheet)
    figures = {}
    for entry_id, entry_sheets in by_entry.items():
        scores = [criterion_score([s["scores"][c] for s in entry_sheets], method)
                  for c in range(len(weights))]
        total = sum(w * s for w, s in zip(weights, scores, strict=True)) / sum(weights)
        figures[entry_id] = {"area_id": entry_sheets[0]["area_id"],
                             "sheet_count": len(entry_sheets), "criterion_scores": scores,
                             "total": total, "rank": None, "place": None}
    return figures


# --- ranks and places --------------------------------------------------------------------
def _split(group: list[int], value) -> list[list[int]]:
    """One tie class split by `value`, descending; neighbours within the tolerance stay
    together."""
    ordered = sorted(group, key=value, reverse=True)
    classes = [[ordered[0]]]
    for previous, item in zip(ordered, ordered[1:], strict=False):
        if value(previous) - value(item) > TIE_TOLERANCE:
            classes.append([item])
        else:
            classes[-1].append(item)
    return classes


def rank_area(entry_ids: list[int], figures: dict[int, dict], awards: int,
              criteria: int) -> None:
    if not entry_ids:
        return
    classes = _split(entry_ids, lambda e: figures[e]["total"])
    for c in range(criteria):
        refined = []
        for group in classes:
            refined.extend(_split(group, lambda e, c=c: figures[e]["criterion_scores"][c])
                           if len(group) > 1 else [group])
        classes = refined
    rank = 1
    for group in classes:
        for entry_id in group:
            figures[entry_id]["rank"] = rank
            figures[entry_id]["place"] = rank if rank <= awards else None
        rank += len(group)


def recompute(sheets: list[dict], snapshot: dict) -> dict[int, dict]:
    figures = entry_figures(sheets, snapshot)
    minimum = int(snapshot["min_sheets"])
    for area in snapshot["areas"]:
        ranked = sorted(e for e, f in figures.items()
                        if f["area_id"] == area["id"] and f["sheet_count"] >= minimum)
        rank_area(ranked, figures, int(area["awards"]), len(snapshot["criteria"]))
    return figures


# --- comparing ---------------------------------------------------------------------------
def _close(published, recomputed: float | None, decimals: int) -> bool:
    if published is None or recomputed is None:
        return published is None and recomputed is None
    return abs(float(published) - recomputed) <= 0.5 * 10 ** -decimals + 1e-9


def _shown(value: float | None, decimals: int):
    return None if value is None else round(value, decimals)


def compare(results: dict, figures: dict[int, dict], snapshot: dict) -> int:
    """Raise Difference at the first published figure the data do not give; return the
    number of results checked."""
    decimals = int(results.get("precision", {}).get("scores", 2))
    orders = [c["order"] for c in snapshot["criteria"]]
    for row in results["results"]:
        entry_id = int(row["entry_id"])
        title = row.get("practice_en") or row.get("practice", "")
        name = (f"entry {entry_id} (area {row.get('area_code', '')}, practice "
                f"{row.get('practice_id', '?')}: {title})")
        mine = figures.get(entry_id)
        if mine is None:
            raise Difference(f"{name}: published with rank {row['rank']}, but no counted sheet "
                             f"of it is in the sheets")
        if int(row["sheet_count"]) != mine["sheet_count"]:
            raise Difference(f"{name}, sheet_count: published {row['sheet_count']}, "
                             f"recomputed {mine['sheet_count']}")
        for index, published in enumerate(row["criterion_scores"]):
            value = mine["criterion_scores"][index]
            if not _close(published, value, decimals):
                raise Difference(f"{name}, criterion {orders[index]} score: published "
                                 f"{published}, recomputed {_shown(value, decimals)}")
        if not _close(row["total"], mine["total"], decimals):
            raise Difference(f"{name}, total: published {row['total']}, recomputed "
                             f"{_shown(mine['total'], decimals)}")
        for field in ("rank", "place"):
            if row[field] != mine[field]:
                raise Difference(f"{name}, {field}: published {row[field]}, recomputed "
                                 f"{mine[field]}")
    return len(results["results"])


def verify(results: dict, sheets: list[dict], snapshot: dict | None) -> str:
    """The report line; raises Difference or NotVerifiable."""
    snapshot = results.get("snapshot") or snapshot
    if not snapshot:
        raise NotVerifiable("the published run recorded no snapshot (computed before runs "
                            "recorded one)")
    published = results.get("run", {}).get("fingerprint", "")
    counted = snapshot.get("counted_sheets")
    if counted is not None and counted != len(sheets):
        raise Difference(f"number of counted sheets: the snapshot says {counted}, the "
                         f"sheets file has {len(sheets)}")
    if snapshot["method"] not in VERIFIABLE_METHODS:
        found = fingerprint(snapshot, sheets)
        if found != published:
            raise Difference(f"fingerprint: published {published}, recomputed {found}")
        raise NotVerifiable(f"fingerprint verified; the totals of the method "
                            f"{snapshot['method']!r} are not verifiable by this script")
    figures = recompute(sheets, snapshot)
    checked = compare(results, figures, snapshot)
    found = fingerprint(snapshot, sheets)
    if found != published:
        raise Difference(f"fingerprint: published {published}, recomputed {found}")
    return (f"verified: {checked} published results, {len(sheets)} counted sheets, method "
            f"{snapshot['method']}, fingerprint {found}")


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] in ("-h", "--help"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        results = read_json(Path(argv[1]))
        sheets, snapshot = read_sheets(Path(argv[2]))
        print(verify(results, sheets, snapshot))
        return 0
    except Difference as difference:
        print(f"difference: {difference}")
        return 1
    except NotVerifiable as reason:
        print(f"not verifiable: {reason}")
        return 2
    except (OSError, ValueError, KeyError, IndexError) as error:
        print(f"not verifiable: cannot read the files ({type(error).__name__}: {error})")
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
