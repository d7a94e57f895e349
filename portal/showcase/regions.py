"""The regions of the map on /showcase/map/, read from a data file (settings.
SHOWCASE_REGIONS_FILE: Bulgaria's 28 regions by default; another country names its own
file with the same columns), and placed on a tile grid by their approximate centres.

No boundaries and nothing fetched: each region is a square tile at the grid cell nearest
its centre (longitude to columns, latitude to rows), moved to the nearest free cell when
two regions would share one. The layout is computed once per file."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

# How many columns the grid has; rows follow from the country's proportions.
GRID_COLUMNS = 9


@dataclass(frozen=True)
class Region:
    code: str  # e.g. the ISO 3166-2 code
    name: str  # as municipalities record their region (Municipality.region)
    name_en: str
    lat: float
    lon: float
    column: int = 0
    row: int = 0

    @property
    def display_name(self) -> str:
        if self.name_en and (get_language() or "en").startswith("en"):
            return self.name_en
        return self.name


def _read(path: Path) -> list[Region]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [Region(code=row.get("iso_3166_2") or row.get("nuts3") or row["region_bg"],
                   name=row["region_bg"].strip(), name_en=(row.get("region_en") or "").strip(),
                   lat=float(row["centre_lat"]), lon=float(row["centre_lon"]))
            for row in rows if row.get("region_bg")]


def _place(regions: list[Region], columns: int) -> tuple[list[Region], int, int]:
    """Each region on a free grid cell near its centre, the northernmost first."""
    if not regions:
        return [], 0, 0
    west, east = min(r.lon for r in regions), max(r.lon for r in regions)
    south, north = min(r.lat for r in regions), max(r.lat for r in regions)
    # A degree of longitude is shorter than one of latitude by cos(latitude).
    width = max((east - west) * math.cos(math.radians((north + south) / 2)), 1e-9)
    rows = max(1, round((columns - 1) * (north - south) / width) + 1)
    taken: dict[tuple[int, int], Region] = {}
    placed = []
    for region in sorted(regions, key=lambda r: (-r.lat, r.lon)):
        x = (region.lon - west) / max(east - west, 1e-9) * (columns - 1)
        y = (north - region.lat) / max(north - south, 1e-9) * (rows - 1)
        cells = sorted(((c, r) for c in range(columns) for r in range(rows + 2)
                        if (c, r) not in taken),
                       key=lambda cell: ((cell[0] - x) ** 2 + (cell[1] - y) ** 2, cell[1],
                                         cell[0]))
        column, row = cells[0]
        taken[(column, row)] = region
        placed.append(Region(region.code, region.name, region.name_en, region.lat,
                             region.lon, column, row))
    used_rows = max(r.row for r in placed) + 1
    return sorted(placed, key=lambda r: (r.row, r.column)), columns, used_rows


@lru_cache(maxsize=4)
def _layout(path: str, columns: int) -> tuple[tuple[Region, ...], int, int]:
    placed, width, height = _place(_read(Path(path)), columns)
    return tuple(placed), width, height


def regions_layout() -> tuple[tuple[Region, ...], int, int]:
    """The regions of settings.SHOWCASE_REGIONS_FILE placed on the grid: (regions, columns,
    rows)."""
    return _layout(str(settings.SHOWCASE_REGIONS_FILE), GRID_COLUMNS)
