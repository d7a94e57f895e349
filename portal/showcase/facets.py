"""The facets of /showcase/: for each filter, its values with how many practices of the
current selection have each, as links that add (or, when chosen, remove) that filter.
Counts come from `portal.selectors.showcase_facets` (one query per facet)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.selectors import ShowcaseChoices
from practices.enums import InnovationType

TITLES = {
    "type": gettext_lazy("Kind of innovation"),
    "topic": gettext_lazy("Topic"),
    "area": gettext_lazy("Thematic area"),
    "region": gettext_lazy("Region"),
    "edition": gettext_lazy("Edition"),
    "award": gettext_lazy("Award"),
}


@dataclass
class FacetValue:
    label: str
    count: int
    chosen: bool
    url: str  # the query string that chooses it (or, chosen, drops it)


@dataclass
class Facet:
    name: str
    title: str
    values: list[FacetValue]


def _labels(choices: ShowcaseChoices) -> dict[str, dict]:
    return {
        "type": dict(InnovationType.choices),
        "topic": {topic.slug: topic.display_name for topic in choices.topics},
        "area": {area.pk: f"{area.code}. {area.display_title} "
                          f"({area.edition.year_label or area.edition.slug})"
                 for area in choices.areas},
        "region": dict(choices.regions),
        "edition": {edition.slug: edition.display_title for edition in choices.editions},
    }


def showcase_facets(counts: dict[str, dict], query: QueryDict,
                    choices: ShowcaseChoices) -> list[Facet]:
    """The facets in the order of the filters, each value in the order its filter offers
    it (the awards: first place first, then "no award" left out: the award filter has no
    such value); values the choices do not know (stale cache) are left out."""
    labels = _labels(choices)
    facets = []
    for name, title in TITLES.items():
        found = counts.get(name, {})
        if name == "award":
            ordered = [(str(place), _("Place %(place)s") % {"place": place})
                       for place in sorted(value for value in found if value is not None)]
            found = {str(value): n for value, n in found.items() if value is not None}
        else:
            ordered = [(value, label) for value, label in labels[name].items()
                       if value in found]
        chosen = query.get(name, "")
        values = []
        for value, label in ordered:
            link = query.copy()
            link.pop("page", None)
            is_chosen = str(value) == chosen
            if is_chosen:
                link.pop(name, None)
            else:
                link[name] = str(value)
            values.append(FacetValue(str(label), found[value], is_chosen, link.urlencode()))
        if values:
            facets.append(Facet(name, str(title), values))
    return facets
