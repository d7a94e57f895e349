"""The read-only open-data API: published data only, through portal.selectors."""

from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from competitions.models import Criterion, ThematicArea
from portal import selectors
from practices.models import Entry, Photo
from scoring.models import RankingRun
from scoring.selectors.snapshot import published_snapshot
from uptake.models import Adoption

from . import serializers
from .filters import PracticeFilter, ResultFilter


class EditionViewSet(viewsets.ReadOnlyModelViewSet):
    """Editions whose results are published."""

    serializer_class = serializers.EditionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.editions_public().prefetch_related(Prefetch(
            "ranking_runs", queryset=RankingRun.objects.filter(is_published=True),
            to_attr="published_runs"))


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """Thematic areas of the published editions."""

    serializer_class = serializers.AreaSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = {"edition__slug": ["exact"]}

    def get_queryset(self):
        return (ThematicArea.objects.filter(edition__in=selectors.editions_public())
                .annotate(run_snapshot=published_snapshot())
                .select_related("edition").order_by("edition__slug", "order", "code"))


class CriterionViewSet(viewsets.ReadOnlyModelViewSet):
    """Criteria (with weights and rubric) of the published editions."""

    serializer_class = serializers.CriterionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = {"edition__slug": ["exact"]}

    def get_queryset(self):
        return (Criterion.objects.filter(edition__in=selectors.editions_public())
                .annotate(run_snapshot=published_snapshot())
                .select_related("edition").prefetch_related("rubric_levels")
                .order_by("edition__slug", "order"))


class PracticeViewSet(viewsets.ReadOnlyModelViewSet):
    """Published practices, with their municipality, photos and public results."""

    serializer_class = serializers.PracticeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PracticeFilter

    def get_queryset(self):
        public = selectors.results_published().select_related("area", "run__edition")
        return (selectors.practices_published().select_related("municipality")
                .prefetch_related(
                    Prefetch("photos", queryset=Photo.objects.order_by("order", "id")),
                    Prefetch("entries", queryset=Entry.objects.order_by("id")),
                    Prefetch("entries__ranking_results", queryset=public,
                             to_attr="public"),
                    Prefetch("adoptions", queryset=Adoption.objects.select_related(
                        "municipality").order_by("adopted_on", "id"))).order_by("id"))


class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Public results: the published run of each published edition."""

    serializer_class = serializers.ResultSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ResultFilter

    def get_queryset(self):
        return (selectors.results_published()
                .select_related("run__edition", "area", "entry__practice__municipality")
                .order_by("run__edition__slug", "area__order", "rank", "id"))
