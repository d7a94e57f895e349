"""Open data that others can build on: the bulk download of every published edition (CSV
and JSON), its data dictionary (a page and a Frictionless `datapackage.json`), and the
dataset metadata in DCAT-AP as JSON-LD for open-data portals to harvest.

The bulk download holds each edition's export (`exports`: the published run's snapshot,
never the live set-up), served from its file like them (`export_files`); everything names
the licence of `licence.open_data_license`."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import override
from django.views.decorators.http import require_GET

from portal import selectors
from portal.cache import cached, origin, public_page
from scoring.models import RankingRun

from .export_files import BULK_SCOPE, export_response, exports_stamp
from .exports import BULK_EXPORTS, DICTIONARY
from .licence import open_data_license, with_license


def _bulk(request, name: str):
    kind = BULK_EXPORTS[name]
    base = origin(request)
    return export_response(kind=kind, scope=BULK_SCOPE, base=base, stamp=exports_stamp(),
                           filename=name, write=lambda: kind.write(base))


@require_GET
@public_page()
def bulk_json(request):
    """Every published edition's results, with its criteria, areas and run."""
    return _bulk(request, "all-results.json")


@require_GET
@public_page()
def bulk_csv(request):
    """One row per public result of every published edition (columns: DICTIONARY); the
    licence and the data dictionary in the sidecar datapackage.json and the Link header."""
    return _bulk(request, "all-results.csv")


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
