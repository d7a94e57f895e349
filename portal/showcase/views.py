"""The public showcase: thin views over portal.selectors, cached (portal/cache.py).

Each view builds a small dict (the rendered main content and the page's metadata) once
per showcase version and language, and renders the page shell around it per request, so
that nothing personal (the navigation, the CSRF token of the language form) is cached.
"""

import mimetypes

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from competitions.models import Edition, ThematicArea
from portal import selectors
from portal.cache import cached, origin, public_page
from practices.models import Photo, Practice
from scoring.precision import round_score

from .facets import showcase_facets
from .forms import FILTER_NAMES, ShowcaseFilterForm, filter_values, filters_from

PAGE_SIZE = 24
CHART_BARS = 30  # more bars than this are unreadable; the table has them all


def _page_number(raw: str) -> int:
    """The page asked for, as a number (anything else is the first page); the paginator
    clamps it to the pages there are."""
    raw = raw.strip()
    return min(int(raw), 100_000) if raw.isascii() and raw.isdigit() and raw[:1] != "0" else 1


@require_GET
@public_page(params=("q", "edition", "area", "region", "municipality", "award", "page"))
def showcase(request):
    """Every public result as a card, with filters, search and pagination.

    The cached list is keyed on the *normalised* filters and the page number, and
    everything in it (the form's values, the pagination links) is built from those alone:
    never from the raw query string, or one request's extra parameters (`?utm=...`) would
    be planted in every visitor's links until the cache expires."""
    def choices():
        return cached("showcase-choices", (), selectors.showcase_choices)

    # Each request reads its filters against the small set of accepted values; the
    # choices themselves (hundreds of municipalities) are read only to build a page.
    filters = filters_from(request.GET, cached("showcase-filter-values", (),
                                               lambda: filter_values(choices())))
    query = QueryDict(mutable=True)
    for name in FILTER_NAMES:
        value = getattr(filters, name)
        if value not in ("", None):
            query[name] = str(value)
    number = _page_number(request.GET.get("page", ""))

    def build() -> dict:
        offered = choices()
        form = ShowcaseFilterForm(query, choices=offered)
        form.is_valid()
        results = selectors.showcase_results(filters=filters)
        paginator = Paginator(results, PAGE_SIZE)
        paginator.count, practice_count = selectors.showcase_counts(results)
        page = paginator.get_page(number)
        active = bool(query)
        facets = showcase_facets(selectors.showcase_facets(results), query, offered)
        body = render_to_string("portal/showcase/_list.html", {
            "form": form, "page": page, "paginator": paginator, "active": active,
            "filters": filters, "query": query, "facets": facets,
            "practice_count": practice_count})
        return {"body": body, "count": paginator.count}

    content = cached("showcase", (query.urlencode(), number), build)
    return render(request, "portal/showcase/list.html", {"content": content})


@require_GET
@public_page(params=("area",))
def edition_results(request, slug: str):
    """An edition's results per area, with the methodology of its published run; with
    ?area=<id>, every ranked entry of that area (the page shows the first ranks of each)."""
    area = request.GET.get("area", "")
    area_id = int(area) if area.isascii() and area.isdigit() else None
    number = _page_number(request.GET.get("page", "")) if area_id is not None else 1
    query = QueryDict(mutable=True)  # the page links: from the normalised area alone
    if area_id is not None:
        query["area"] = str(area_id)

    def build() -> dict | None:
        try:
            data = selectors.edition_results(slug=slug, area_id=area_id, page=number)
        except (Edition.DoesNotExist, ThematicArea.DoesNotExist):
            return {"missing": True}
        chart = [{
            "id": f"chart-area-{block.area.pk}",
            "labels": [Truncator(r.entry.practice.display_title).chars(40)
                       for r in block.ranked[:CHART_BARS]],
            "totals": [round_score(r.total)
                       for r in block.ranked[:CHART_BARS]],
            "scale": data.setup.scale,
        } for block in data.areas]
        # a later round's published run: the runs its shortlists were made from
        earlier = selectors.verification_runs(published=data.run) if data.run else []
        body = render_to_string("portal/showcase/_edition.html", {
            "data": data, "edition": data.edition, "run": data.run, "earlier_runs": earlier,
            "criteria": data.criteria, "areas": data.areas, "charts": chart,
            "chart_bars": CHART_BARS, "one_area": data.area, "preview": data.preview,
            "scale": data.setup.scale, "page": data.page, "query": query}, request=request)
        winners = [w for block in data.areas for w in block.winners]
        return {"body": body, "title": data.edition.display_title,
                "description": _("Results of %(edition)s: %(awarded)s in %(areas)s, with "
                                 "every score and the method.") % {
                    "edition": data.edition.display_title,
                    "awarded": ngettext("%(count)s awarded practice",
                                        "%(count)s awarded practices",
                                        len(winners)) % {"count": len(winners)},
                    "areas": ngettext("%(count)s thematic area", "%(count)s thematic areas",
                                      len(data.areas)) % {"count": len(data.areas)}},
                "charts": chart}

    content = cached("edition", (slug, area_id, number), build)
    if content.get("missing"):
        raise Http404
    return render(request, "portal/showcase/edition.html", {"content": content})


@require_GET
@public_page()
def practice_detail(request, pk: int):
    """A published practice; 404 for any other."""
    base = origin(request)

    def build() -> dict:
        try:
            data = selectors.practice_page(practice_id=pk)
        except Practice.DoesNotExist:
            return {"missing": True}
        photos = list(data.practice.photos.all())
        body = render_to_string("portal/showcase/_practice.html", {
            "practice": data.practice, "photos": photos, "results": data.results,
            "related": data.related, "follow_ups": data.follow_ups,
            "adoptions": data.adoptions}, request=request)
        image = base + reverse("showcase:photo", args=[photos[0].pk]) if photos else ""
        return {"body": body, "title": data.practice.display_title,
                "description": Truncator(data.practice.localized("summary")
                                         or data.practice.display_title).chars(200),
                "image": image,
                "image_alt": photos[0].alt_text or photos[0].caption if photos else "",
                "url": base + reverse("showcase:practice", args=[pk])}

    content = cached("practice", (pk, base), build)
    if content.get("missing"):
        raise Http404
    return render(request, "portal/showcase/practice.html", {"content": content})


@require_GET
def photo(request, pk: int):
    """A photo of a published practice, from MEDIA_ROOT; 404 for any other photo."""
    try:
        item = selectors.photos_published().get(pk=pk)
    except Photo.DoesNotExist as missing:
        raise Http404 from missing
    try:
        handle = item.image.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404 from missing
    content_type = mimetypes.guess_type(item.image.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


VERIFY_SCRIPT = settings.BASE_DIR / "tools" / "verify_results.py"


@require_GET
def verify_script(request):
    """The standalone script that checks a published result (tools/verify_results.py)."""
    response = FileResponse(VERIFY_SCRIPT.open("rb"), content_type="text/x-python; charset=utf-8",
                            as_attachment=True, filename="verify_results.py")
    response["X-Content-Type-Options"] = "nosniff"
    return response
