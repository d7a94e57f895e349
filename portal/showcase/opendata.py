"""Results of a public edition as CSV and JSON: only public results, nothing personal;
scores rounded to `scoring.precision.SCORE_DECIMALS` places, shares to `SHARE_DECIMALS`.
Criteria, weights and areas are the published run's snapshot (what it was computed with).

The counted sheets of the published run, anonymised (each juror a code, no comment), as
CSV and JSON: with the results and the snapshot anyone can recompute every total, rank,
place and the fingerprint (tools/verify_results.py)."""

import csv
import io

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from competitions.models import Edition
from deliberation.selectors import decisions_public
from portal import selectors
from portal.cache import cached, origin
from scoring.precision import SCORE_DECIMALS, SHARE_DECIMALS, round_score, round_share
from uptake.selectors import adoptions_by_practice

from .licence import open_data_license, with_license


def _rows(base: str, slug: str) -> dict:
    try:
        edition, run, setup, results = selectors.edition_results_rows(slug=slug)
    except Edition.DoesNotExist:
        return {"missing": True}
    criteria = setup.criteria
    adoptions = adoptions_by_practice({result.entry.practice_id for result in results})
    rows = []
    for result in results:
        practice = result.entry.practice
        area = result.area_record
        scores = result.scores + [None] * (len(criteria) - len(result.scores))
        rows.append({
            "area_code": area.code if area else "",
            "area": area.title if area else "",
            "area_en": area.title_en if area else "",
            "area_id": result.area_id,
            "entry_id": result.entry_id,
            "rank": result.rank,
            "place": result.place,
            "practice_id": practice.pk,
            "practice": practice.title,
            "practice_en": practice.title_en,
            "municipality": practice.municipality.name,
            "municipality_en": practice.municipality.name_en,
            "region": practice.municipality.region,
            "region_en": practice.municipality.region_en,
            "innovation_type": practice.innovation_type,
            "topics": [topic.slug for topic in practice.topics.all()],
            "criterion_scores": [round_score(score) for score in scores[:len(criteria)]],
            "total": round_score(result.total),
            "sheet_count": result.sheet_count,
            "rank_confidence": round_share(result.rank_confidence),
            "flags": [str(flag) for flag in result.flags] if isinstance(result.flags, list)
            else [],
            "url": base + reverse("showcase:practice", args=[practice.pk]),
            # the municipalities that recorded adopting the practice (uptake)
            "adopted_by": [adoption.municipality.name
                           for adoption in adoptions.get(practice.pk, [])],
        })
    return {
        "license": open_data_license(),
        "edition": {"slug": edition.slug, "title": edition.title, "title_en": edition.title_en,
                    "year": edition.year_label, "country": edition.country,
                    "scale": list(setup.scale)},
        "run": {"method": run.method, "parameters": run.parameters,
                "fingerprint": run.fingerprint,
                "published_at": run.published_at.isoformat() if run.published_at else None,
                "sheets_url": base + reverse("showcase:sheets_json", args=[edition.slug])},
        "precision": {"scores": SCORE_DECIMALS, "rank_confidence": SHARE_DECIMALS},
        "criteria": [{"order": c.order, "title": c.title, "title_en": c.title_en,
                      "weight": float(c.weight)} for c in criteria],
        "areas": [{"code": a.code, "title": a.title, "title_en": a.title_en,
                   "awards": a.awards} for a in setup.areas],
        "results": rows,
        # The jury's recorded decision per area (deliberation), beside the computed places
        # of "results": the public places where there is one, with every justification.
        "decisions": _decisions(run, setup),
        # Everything the run was computed with, exactly as its fingerprint covers it.
        "snapshot": run.snapshot if setup.recorded else None,
    }


def _decisions(run, setup) -> list[dict]:
    codes = {area.id: area.code for area in setup.areas}
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
    } for area_id, item in sorted(decisions_public(run=run).items())]


def _data(request, slug: str) -> dict:
    base = origin(request)
    data = cached("results-data", (slug, base), lambda: _rows(base, slug))
    if data.get("missing"):
        raise Http404
    return data


@require_GET
def results_json(request, slug: str):
    response = JsonResponse(_data(request, slug), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return with_license(response)


CSV_COLUMNS = ["area_code", "area", "area_en", "rank", "place", "practice_id", "practice",
               "practice_en", "municipality", "municipality_en", "region", "innovation_type",
               "topics"]


def _csv_safe(value):
    """Text written by municipalities must not run as a spreadsheet formula (CSV injection):
    a cell starting with =, +, -, @, tab or CR is prefixed with an apostrophe."""
    if isinstance(value, list):
        value = ";".join(str(item) for item in value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
def results_csv(request, slug: str):
    data = _data(request, slug)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    criteria = [f"criterion_{c['order']}: {c['title_en'] or c['title']}"
                for c in data["criteria"]]
    writer.writerow([*CSV_COLUMNS, *criteria, "total", "sheet_count", "rank_confidence",
                     "flags", "url", "adopted_by"])
    for row in data["results"]:
        writer.writerow([*(_csv_safe(row[name]) for name in CSV_COLUMNS),
                         *("" if s is None else s for s in row["criterion_scores"]),
                         "" if row["total"] is None else row["total"], row["sheet_count"],
                         "" if row["rank_confidence"] is None else row["rank_confidence"],
                         ";".join(row["flags"]), row["url"],
                         _csv_safe("; ".join(row["adopted_by"]))])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-results.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return with_license(response)


# --- the counted sheets, anonymised --------------------------------------------------
def _sheets(slug: str) -> dict:
    try:
        edition, run, setup, sheets = selectors.edition_sheets(slug=slug)
    except Edition.DoesNotExist:
        return {"missing": True}
    return {
        "license": open_data_license(),
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
    return with_license(response)


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
    return with_license(response)
