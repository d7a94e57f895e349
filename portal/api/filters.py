import django_filters
from django import forms
from django.db.models import Exists, OuterRef

from portal.selectors import SHOWCASE_SORTS, results_published, showcase_ordering
from practices.enums import InnovationType
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
    type = django_filters.ChoiceFilter(field_name="innovation_type",
                                       choices=InnovationType.choices,
                                       label="Kind of innovation")
    topic = django_filters.CharFilter(method="filter_topic", label="Topic (its slug)")
    award = django_filters.CharFilter(method="filter_award",
                                      label='"winner" (any place) or a place number')

    class Meta:
        model = Practice
        fields = ["edition", "area", "municipality", "region", "type", "topic", "award"]

    def filter_topic(self, queryset, name, value):
        return queryset.filter(topics__slug=value).distinct()

    def filter_award(self, queryset, name, value):
        if value == "winner":
            public = results_published().filter(published_place__isnull=False)
        elif value.isdigit():
            public = results_published().filter(published_place=int(value))
        else:
            return queryset.none()
        return queryset.filter(Exists(public.filter(entry__practice=OuterRef("pk"))))

    def filter_edition(self, queryset, name, value):
        return queryset.filter(Exists(results_published().filter(
            entry__practice=OuterRef("pk"), run__edition__slug=value)))

    def filter_area(self, queryset, name, value):
        return queryset.filter(Exists(results_published().filter(
            entry__practice=OuterRef("pk"), area_id=value)))


class ResultFilter(django_filters.FilterSet):
    edition = django_filters.CharFilter(field_name="run__edition__slug")
    area = IdFilter(field_name="area_id")
    awarded = django_filters.BooleanFilter(field_name="published_place", lookup_expr="isnull",
                                           exclude=True, label="Only awarded results")
    place = django_filters.NumberFilter(field_name="published_place", label="The place won")
    region = django_filters.CharFilter(field_name="entry__practice__municipality__region")
    type = django_filters.ChoiceFilter(field_name="entry__practice__innovation_type",
                                       choices=InnovationType.choices,
                                       label="Kind of innovation")
    topic = django_filters.CharFilter(method="filter_topic", label="Topic (its slug)")
    sort = django_filters.ChoiceFilter(method="filter_sort", label="Order (as on /showcase/)",
                                       choices=[(name, name) for name in SHOWCASE_SORTS])

    class Meta:
        model = RankingResult
        fields = ["edition", "area", "awarded", "place", "region", "type", "topic", "sort"]

    def filter_topic(self, queryset, name, value):
        return queryset.filter(Exists(Practice.topics.through.objects.filter(
            practice_id=OuterRef("entry__practice_id"), topic__slug=value)))

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*showcase_ordering(value))
