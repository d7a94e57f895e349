import django_filters
from django.db.models import Exists, OuterRef

from portal.selectors import results_published
from practices.models import Practice
from scoring.models import RankingResult


class PracticeFilter(django_filters.FilterSet):
    edition = django_filters.CharFilter(method="filter_edition", label="Edition slug")
    area = django_filters.NumberFilter(method="filter_area", label="Thematic area id")
    municipality = django_filters.NumberFilter(field_name="municipality_id")
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
    area = django_filters.NumberFilter(field_name="area_id")
    awarded = django_filters.BooleanFilter(field_name="place", lookup_expr="isnull",
                                           exclude=True, label="Only awarded results")

    class Meta:
        model = RankingResult
        fields = ["edition", "area", "awarded"]
