"""Results of a public edition as CSV and JSON: only public results, nothing personal;
scores rounded to `scoring.precision.SCORE_DECIMALS` places, shares to `SHARE_DECIMALS`."""

import csv
import io

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from competitions.models import Edition
from portal import selectors
from portal.cache import cached, origin
from scoring.precision import SCORE_DECIMALS, SHARE_DECIMALS, round_score, round_share


def _rows(base: str, slug: str) -> dict:
    try:
        edition, criteria, results = selectors.edition_results_rows(slug=slug)
    except Edition.DoesNotExist:
        return {"missing": True}
    run = results[0].run if results else edition.ranking_runs.get(is_published=True)
    rows = []
    for result in results:
        practice = result.entry.practice
        scores = result.scores + [None] * (len(criteria) - len(result.scores))
        rows.append({
            "area_code": result.area.code,
            "area": result.area.title,
            "area_en": result.area.title_en,
            "rank": result.rank,
            "place": result.place,
            "practice_id": practice.pk,
            "practice": practice.title,
            "practice_en": practice.title_en,
            "municipality": practice.municipality.name,
            "municipality_en": practice.municipality.name_en,
            "region": practice.municipality.region,
            "criterion_scores": [round_score(score) for score in scores[:len(criteria)]],
            "total": round_score(result.total),
            "sheet_count": result.sheet_count,
            "rank_confidence": round_share(result.rank_confidence),
            "flags": [str(flag) for flag in result.flags] if isinstance(result.flags, list)
            else [],
            "url": base + reverse("showcase:practice", args=[practice.pk]),
        })
    return {
        "edition": {"slug": edition.slug, "title": edition.title, "title_en": edition.title_en,
                    "year": edition.year_label, "country": edition.country,
                    "scale": [edition.scale_min, edition.scale_max]},
        "run": {"method": run.method, "parameters": run.parameters,
                "fingerprint": run.fingerprint,
                "published_at": run.published_at.isoformat() if run.published_at else None},
        "precision": {"scores": SCORE_DECIMALS, "rank_confidence": SHARE_DECIMALS},
        "criteria": [{"order": c.order, "title": c.title, "title_en": c.title_en,
                      "weight": float(c.weight)} for c in criteria],
        "results": rows,
    }


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
    return response


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
    data = _data(request, slug)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    criteria = [f"criterion_{c['order']}: {c['title_en'] or c['title']}"
                for c in data["criteria"]]
    writer.writerow([*CSV_COLUMNS, *criteria, "total", "sheet_count", "rank_confidence",
                     "flags", "url"])
    for row in data["results"]:
        writer.writerow([*(_csv_safe(row[name]) for name in CSV_COLUMNS),
                         *("" if s is None else s for s in row["criterion_scores"]),
                         "" if row["total"] is None else row["total"], row["sheet_count"],
                         "" if row["rank_confidence"] is None else row["rank_confidence"],
                         ";".join(row["flags"]), row["url"]])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-results.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
