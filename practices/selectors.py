from django.db.models import Prefetch, QuerySet

from competitions.models import Municipality

from .models import Entry, Practice


def practices_of_municipality(*, municipality: Municipality) -> QuerySet[Practice]:
    """A municipality's practices with their entries, areas and editions: two queries."""
    return (Practice.objects.filter(municipality=municipality)
            .prefetch_related(Prefetch("entries", queryset=Entry.objects.select_related(
                "area", "edition").order_by("edition__submissions_open_at", "area__order")))
            .order_by("-updated_at"))
