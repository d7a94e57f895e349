import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from portal.selectors import results_published
from practices.models import Practice
from scoring.models import RankingResult


class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number that fits the database's integer (a larger one is a
    400, not a database error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class PracticeFilter(django_filters.FilterSet):
    edition = django_filters.CharFilter(method="filter_edition", label="Edition slug")
    area = IdFilter(method="filter_area", label="Thematic area id")
    municipality = IdFilter(field_name="municipality_id")
    region = django_filters.CharFilter(field_name="municipality__region")

    class Meta:
        model = Practice
        fields = ["edition", "area", "municipality", "region"]

    def filter_edition(self, queryset, name, value):
        return queryset.filter(Exists(results_published().filter(
            entry__practice=OuterRef("pk"), run__edition__slug=value)))

    def filter_area(self, queryset, name, value):
        return queryset.filter(Exists(results_published().filter(
            entry__practice=OuterRef("pk"), area_id=value)))


class ResultFilter(django_filters.FilterSet):
    edition = django_filters.CharFilter(field_name="run__edition__slug")
    area = IdFilter(field_name="area_id")
    awarded = django_filters.BooleanFilter(field_name="place", lookup_expr="isnull",
                                           exclude=True, label="Only awarded results")

    class Meta:
        model = RankingResult
        fields = ["edition", "area", "awarded"]
