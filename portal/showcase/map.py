"""/showcase/map/: where the published practices come from, region by region, as a tile
grid drawn in SVG by the portal (portal/showcase/regions.py), shaded by the number of
published practices or of awarded ones, each tile a link to the showcase filtered by its
region, with a table of the same figures and a legend."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.http import QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from portal import selectors
from portal.cache import cached

from .regions import Region, regions_layout

MEASURES = ("practices", "winners")
LEVELS = 4  # shades besides "none"
TILE, GAP = 84, 4


@dataclass
class Tile:
    region: Region
    count: int
    level: int  # 0 (none) .. LEVELS
    x: int
    y: int
    url: str  # the showcase filtered by this region ("" when it has no practice)
    practices: int
    winners: int


def shade_level(count: int, most: int) -> int:
    """0 for none, else 1..LEVELS in equal steps of the largest count."""
    if count <= 0 or most <= 0:
        return 0
    return max(1, min(LEVELS, math.ceil(count * LEVELS / most)))


def legend(most: int) -> list[tuple[int, int, int]]:
    """(level, lowest, highest) of each shade in use: 0 is none."""
    steps = [(0, 0, 0)]
    for level in range(1, LEVELS + 1):
        low = math.floor(most * (level - 1) / LEVELS) + 1
        high = math.floor(most * level / LEVELS)
        if most > 0 and low <= high:
            steps.append((level, low, high))
    return steps


def map_tiles(measure: str) -> tuple[list[Tile], int, int, int]:
    """The tiles, the grid's size in pixels and the largest count: one query."""
    regions, columns, rows = regions_layout()
    counts = selectors.region_counts()
    most = max((figures[measure] for figures in counts.values()), default=0)
    base = reverse("showcase:list")
    tiles = []
    for region in regions:
        figures = counts.get(region.name, {"practices": 0, "winners": 0})
        count = figures[measure]
        query = QueryDict(mutable=True)
        query["region"] = region.name
        if measure == "winners":
            query["award"] = "winner"
        tiles.append(Tile(region, count, shade_level(count, most),
                          region.column * (TILE + GAP), region.row * (TILE + GAP),
                          f"{base}?{query.urlencode()}" if count else "",
                          figures["practices"], figures["winners"]))
    return tiles, columns * (TILE + GAP) - GAP, rows * (TILE + GAP) - GAP, most


@require_GET
def regions_map(request):
    measure = request.GET.get("measure", "")
    measure = measure if measure in MEASURES else MEASURES[0]

    def build() -> dict:
        tiles, width, height, most = map_tiles(measure)
        body = render_to_string("portal/showcase/_map.html", {
            "tiles": tiles,
            "rows": selectors.in_language_order(tiles, lambda t: t.region.display_name),
            "width": width, "height": height, "size": TILE,
            "measure": measure, "legend": legend(most), "most": most,
            "total_practices": sum(t.practices for t in tiles),
            "total_winners": sum(t.winners for t in tiles)})
        return {"body": body}

    content = cached("showcase-map", (measure,), build)
    return render(request, "portal/showcase/map.html", {"content": content})
