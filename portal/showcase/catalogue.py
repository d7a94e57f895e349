"""Open data that others can build on: the bulk download of every published edition (CSV
and JSON), its data dictionary (a page and a Frictionless `datapackage.json`), and the
dataset metadata in DCAT-AP as JSON-LD for open-data portals to harvest.

Everything reads the published runs through `opendata._data` (the same rows as each
edition's export: the published run's snapshot, never the live set-up) and names the
licence of `licence.open_data_license`."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django.views.decorators.http import require_GET

from portal import selectors
from portal.cache import cached, origin
from scoring.models import RankingRun
from scoring.precision import SCORE_DECIMALS, SHARE_DECIMALS

from .licence import open_data_license, with_license
from .opendata import CSV_COLUMNS, _csv_safe, _data

# The columns of the bulk CSV (one row per public result of every published edition) and,
# but for `edition` and `edition_year`, of each result in the JSON: name, type, meaning.
DICTIONARY = [
    ("edition", "string", _("The edition's short name (as in its addresses).")),
    ("edition_year", "string", _("The edition's years.")),
    ("area_code", "string", _("The thematic area's code within the edition.")),
    ("area", "string", _("The thematic area's title, in Bulgarian.")),
    ("area_en", "string", _("The thematic area's title, in English.")),
    ("rank", "integer", _("The rank of the entry in its area (1 is the best).")),
    ("place", "integer", _("The award: the place won in the area; empty when not awarded.")),
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


def _editions(request) -> list[dict]:
    slugs = cached("open-data-editions", (), lambda: list(
        selectors.editions_public().values_list("slug", flat=True)))
    return [_data(request, slug) for slug in slugs]


def _bulk_rows(editions: list[dict]):
    for data in editions:
        for row in data["results"]:
            yield {**row, "edition": data["edition"]["slug"],
                   "edition_year": data["edition"]["year"]}


@require_GET
def bulk_json(request):
    """Every published edition's results, with its criteria, areas and run."""
    payload = {"license": open_data_license(),
               "data_dictionary": origin(request) + reverse("showcase:datapackage"),
               "precision": {"scores": SCORE_DECIMALS, "rank_confidence": SHARE_DECIMALS},
               "editions": _editions(request)}
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="all-results.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return with_license(response)


@require_GET
def bulk_csv(request):
    """One row per public result of every published edition (columns: DICTIONARY); the
    licence and the data dictionary in the sidecar datapackage.json and the Link header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(BULK_COLUMNS)
    for row in _bulk_rows(_editions(request)):
        writer.writerow([
            ";".join("" if s is None else str(s) for s in row["criterion_scores"])
            if name == "criterion_scores" else
            ";".join(row["flags"]) if name == "flags" else
            "" if row.get(name) is None else _csv_safe(row[name])
            for name in BULK_COLUMNS])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="all-results.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return with_license(response)


def _license_resource() -> dict:
    licence = open_data_license()
    return {"name": licence["id"], "path": licence["url"], "title": licence["name"]}


@require_GET
def datapackage(request):
    """The data dictionary as a Frictionless Data Package (the sidecar of the CSV files):
    its licence, and each file with the meaning of each column (in English)."""
    base = origin(request)
    with override("en"):
        fields = [{"name": name, "type": kind, "description": str(meaning)}
                  for name, kind, meaning in DICTIONARY]
    package = {
        "name": "best-practices-programme-results",
        "title": "Best Practices Programme: published results",
        "licenses": [_license_resource()],
        "homepage": base + reverse("showcase:open_data"),
        "resources": [
            {"name": "all-results", "path": base + reverse("showcase:bulk_csv"),
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8-sig",
             "licenses": [_license_resource()], "schema": {"fields": fields}},
            {"name": "all-results-json", "path": base + reverse("showcase:bulk_json"),
             "format": "json", "mediatype": "application/json",
             "licenses": [_license_resource()]},
        ],
    }
    response = JsonResponse(package, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return with_license(response)


@require_GET
def open_data(request):
    """What may be downloaded, under which licence, and what each column means."""
    def build() -> dict:
        editions = list(selectors.editions_public())
        body = render_to_string("portal/showcase/_open_data.html", {
            "editions": editions, "dictionary": DICTIONARY,
            "license": open_data_license()})
        return {"body": body}

    return render(request, "portal/showcase/open_data.html",
                  {"content": cached("open-data-page", (), build)})


# --- DCAT-AP ---------------------------------------------------------------------------
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dct:issued": {"@type": "xsd:dateTime"},
    "dct:modified": {"@type": "xsd:dateTime"},
    "dcat:startDate": {"@type": "xsd:dateTime"},
    "dcat:endDate": {"@type": "xsd:dateTime"},
}
EU = "http://publications.europa.eu/resource/authority/"
FILE_TYPES = {"csv": "CSV", "json": "JSON"}


def _text(english: str, bulgarian: str) -> list[dict]:
    return [{"@language": "en", "@value": english}, {"@language": "bg", "@value": bulgarian}]


def _publisher(base: str) -> dict:
    return {"@id": base + "/#publisher", "@type": "foaf:Agent",
            "foaf:name": settings.OPEN_DATA_PUBLISHER,
            "dct:type": {"@id": "http://purl.org/adms/publishertype/NationalAuthority"}}


def _contact() -> dict:
    return {"@type": "vcard:Organization", "vcard:fn": settings.OPEN_DATA_PUBLISHER,
            "vcard:hasEmail": {"@id": f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}"}}


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _dataset(base: str, edition, run: RankingRun) -> dict:
    licence = {"@id": settings.OPEN_DATA_LICENSE["url"], "@type": "dct:LicenseDocument"}
    page = base + reverse("showcase:edition", args=[edition.slug])
    distributions = []
    for kind, name in (("csv", "showcase:results_csv"), ("json", "showcase:results_json")):
        url = base + reverse(name, args=[edition.slug])
        distributions.append({
            "@id": url, "@type": "dcat:Distribution",
            "dct:title": _text(f"Results of {edition.title_en or edition.title} ({kind.upper()})",
                               f"Резултати от {edition.title} ({kind.upper()})"),
            "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url},
            "dct:format": {"@id": f"{EU}file-type/{FILE_TYPES[kind]}"},
            "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/"
                                      + ("text/csv" if kind == "csv" else "application/json")},
            "dct:license": licence})
    api = base + reverse("api:result-list") + f"?edition={edition.slug}"
    distributions.append({
        "@id": api, "@type": "dcat:Distribution",
        "dct:title": _text("Open data API (results of the edition)",
                           "Приложен програмен интерфейс за отворени данни (резултати от "
                           "изданието)"),
        "dcat:accessURL": {"@id": api},
        "dct:conformsTo": {"@id": base + reverse("api:schema")},
        "dct:format": {"@id": f"{EU}file-type/JSON"}, "dct:license": licence})
    end = edition.results_at or edition.review_close_at
    return {
        "@id": page + "#dataset", "@type": "dcat:Dataset",
        "dct:identifier": edition.slug,
        "dct:title": _text(f"Results of {edition.title_en or edition.title}",
                           f"Резултати от {edition.title}"),
        "dct:description": _text(
            f"Published results of the {edition.year_label or edition.slug} edition of the "
            "Best Practices Programme: every ranked practice per thematic area, with its "
            "scores per criterion, total, rank and award.",
            f"Публикувани резултати от издание {edition.year_label or edition.slug} на "
            "Програмата за най-добри практики: всяка класирана практика по тематична област, "
            "с оценките по критерии, общия резултат, мястото и наградата."),
        "dcat:landingPage": {"@id": page},
        "dct:publisher": {"@id": base + "/#publisher"},
        "dcat:contactPoint": _contact(),
        "dct:license": licence,
        "dcat:theme": [{"@id": f"{EU}data-theme/GOVE"}, {"@id": f"{EU}data-theme/REGI"}],
        "dcat:keyword": _text("best practices", "най-добри практики")
        + _text("municipalities", "общини") + _text("local government", "местно управление"),
        "dct:spatial": {"@id": settings.OPEN_DATA_SPATIAL},
        "dct:temporal": {"@type": "dct:PeriodOfTime",
                         "dcat:startDate": _iso(edition.submissions_open_at),
                         "dcat:endDate": _iso(end)},
        "dct:language": [{"@id": f"{EU}language/BUL"}, {"@id": f"{EU}language/ENG"}],
        "dct:issued": _iso(run.published_at or run.finished_at),
        "dct:modified": _iso(run.published_at or run.finished_at),
        "dct:accrualPeriodicity": {"@id": f"{EU}frequency/NEVER"},
        "dcat:distribution": distributions,
    }


def dcat_catalogue(base: str) -> dict:
    """The catalogue: one dataset per published edition (two queries)."""
    editions = list(selectors.editions_public())
    runs = {run.edition_id: run for run in
            RankingRun.objects.filter(edition__in=editions, is_published=True)}
    datasets = [_dataset(base, edition, runs[edition.pk]) for edition in editions
                if edition.pk in runs]
    moments = [item["dct:modified"] for item in datasets if item["dct:modified"]]
    catalogue = {
        "@context": DCAT_CONTEXT,
        "@id": base + reverse("showcase:dcat"),
        "@type": "dcat:Catalog",
        "dct:title": _text("Best Practices Programme: open data",
                           "Програма за най-добри практики: отворени данни"),
        "dct:description": _text(
            "The published results of every edition of the national competition of "
            "municipal best practices.",
            "Публикуваните резултати от всяко издание на националния конкурс за най-добри "
            "практики на общините."),
        "dct:publisher": _publisher(base),
        "dcat:contactPoint": _contact(),
        "foaf:homepage": {"@id": base + reverse("showcase:open_data")},
        "dct:license": {"@id": settings.OPEN_DATA_LICENSE["url"],
                        "@type": "dct:LicenseDocument"},
        "dct:language": [{"@id": f"{EU}language/BUL"}, {"@id": f"{EU}language/ENG"}],
        "dct:spatial": {"@id": settings.OPEN_DATA_SPATIAL},
        "dcat:themeTaxonomy": {"@id": f"{EU}data-theme"},
        "dcat:dataset": datasets,
    }
    if moments:
        catalogue["dct:issued"] = min(moments)
        catalogue["dct:modified"] = max(moments)
    return catalogue


@require_GET
def dcat(request):
    """The DCAT-AP catalogue as JSON-LD, at a stable address."""
    base = origin(request)
    data = cached("dcat", (base,), lambda: dcat_catalogue(base))
    response = JsonResponse(data, content_type="application/ld+json",
                            json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return with_license(response)
