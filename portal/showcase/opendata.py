"""Results of a public edition as CSV and JSON, and the counted sheets of its published run,
anonymised, as CSV and JSON (what each holds: `exports`). Each is served from its file,
written once when the run was published (`export_files`), else streamed from the database
while it is written; never built whole in memory.

HTTP caching as on every public page (`portal.cache.public_page`): an ETag of the showcase
version, `Cache-Control` for a reverse proxy, and the file's Last-Modified."""

from django.http import Http404
from django.views.decorators.http import require_GET

from portal import selectors
from portal.cache import cached, origin, public_page

from .export_files import export_response, exports_stamp, run_scope
from .exports import EDITION_EXPORTS, PublishedRun


def _published_run_id(slug: str) -> tuple[int, int]:
    """(run id, edition id) of the edition's published run (cached under the showcase
    version: no query while nothing public changes); 404 when the edition is not public."""
    found = cached("export-run", (slug,),
                   lambda: {"run": selectors.published_run_id(slug=slug)})
    if found["run"] is None:
        raise Http404
    return tuple(found["run"])


def _export(request, slug: str, name: str):
    kind = EDITION_EXPORTS[name]
    run_id, edition_id = _published_run_id(slug)
    base = origin(request)

    def write():
        found = selectors.published_run(run_id=run_id)
        if found is None:  # unpublished since
            raise Http404
        return kind.write(PublishedRun(*found, base=base))

    return export_response(kind=kind, scope=run_scope(run_id), base=base,
                           stamp=exports_stamp(edition_id=edition_id),
                           filename=f"{slug}-{name}", write=write)


def _verification_export(request, slug: str, run_id: int, name: str):
    """An earlier round's run behind a shortlist (`selectors.verification_run`): its
    results.json or sheets.json, so that every round of a public edition can be verified.
    Asked of the database on every request (a run stops being public with its edition)."""
    kind = EDITION_EXPORTS[name]
    found = selectors.verification_run(slug=slug, run_id=run_id)
    if found is None:
        raise Http404
    base = origin(request)
    return export_response(kind=kind, scope=run_scope(run_id), base=base,
                           stamp=exports_stamp(edition_id=found[0].pk),
                           filename=f"{slug}-run-{run_id}-{name}",
                           write=lambda: kind.write(PublishedRun(*found, base=base,
                                                                 verification=True)))


@require_GET
@public_page()
def verification_results_json(request, slug: str, run_id: int):
    return _verification_export(request, slug, run_id, "results.json")


@require_GET
@public_page()
def verification_sheets_json(request, slug: str, run_id: int):
    return _verification_export(request, slug, run_id, "sheets.json")


@require_GET
@public_page()
def results_json(request, slug: str):
    return _export(request, slug, "results.json")


@require_GET
@public_page()
def results_csv(request, slug: str):
    return _export(request, slug, "results.csv")


@require_GET
@public_page()
def sheets_json(request, slug: str):
    """The published run's counted sheets, anonymised, with its snapshot."""
    return _export(request, slug, "sheets.json")


@require_GET
@public_page()
def sheets_csv(request, slug: str):
    """One row per counted sheet: area, entry, juror code, a score per criterion."""
    return _export(request, slug, "sheets.csv")
