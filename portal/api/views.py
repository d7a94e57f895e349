"""The read-only open-data API: published data only, through portal.selectors."""

from django.db.models import Exists, OuterRef, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from competitions.models import Criterion, ThematicArea
from portal import selectors
from portal.showcase.licence import license_link_header
from practices.models import Entry, Photo, Topic
from scoring.models import RankingRun
from scoring.selectors.snapshot import published_snapshot
from uptake.models import Adoption

from . import serializers
from .filters import PracticeFilter, ResultFilter


class LicensedViewSet(viewsets.ReadOnlyModelViewSet):
    """Every answer names the licence of the data (an RFC 8288 Link header)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Link"] = license_link_header()
        return response


class EditionViewSet(LicensedViewSet):
    """Editions whose results are published."""

    serializer_class = serializers.EditionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return selectors.editions_public().prefetch_related(Prefetch(
            "ranking_runs", queryset=RankingRun.objects.filter(is_published=True),
            to_attr="published_runs"))


class AreaViewSet(LicensedViewSet):
    """Thematic areas of the published editions."""

    serializer_class = serializers.AreaSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = {"edition__slug": ["exact"]}

    def get_queryset(self):
        return (ThematicArea.objects.filter(edition__in=selectors.editions_public())
                .annotate(run_snapshot=published_snapshot())
                .select_related("edition").order_by("edition__slug", "order", "code"))


class CriterionViewSet(LicensedViewSet):
    """Criteria (with weights and rubric) of the published editions."""

    serializer_class = serializers.CriterionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_fields = {"edition__slug": ["exact"]}

    def get_queryset(self):
        return (Criterion.objects.filter(edition__in=selectors.editions_public())
                .annotate(run_snapshot=published_snapshot())
                .select_related("edition").prefetch_related("rubric_levels")
                .order_by("edition__slug", "order"))


class PracticeViewSet(LicensedViewSet):
    """Published practices, with their municipality, photos and public results."""

    serializer_class = serializers.PracticeSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PracticeFilter

    def get_queryset(self):
        public = selectors.results_published().select_related("area", "run__edition")
        return (selectors.practices_published().select_related("municipality")
                .prefetch_related(
                    Prefetch("photos", queryset=Photo.objects.order_by("order", "id")),
                    Prefetch("topics", queryset=Topic.objects.order_by("order", "name")),
                    Prefetch("entries", queryset=Entry.objects.order_by("id")),
                    Prefetch("entries__ranking_results", queryset=public,
                             to_attr="public"),
                    Prefetch("adoptions", queryset=Adoption.objects.select_related(
                        "municipality").order_by("adopted_on", "id"))).order_by("id"))


class ResultViewSet(LicensedViewSet):
    """Public results: the published run of each published edition."""

    serializer_class = serializers.ResultSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ResultFilter

    def get_queryset(self):
        return (selectors.results_published()
                .select_related("run__edition", "area", "entry__practice__municipality")
                .order_by("run__edition__slug", "area__order", "rank", "id"))


class TopicViewSet(LicensedViewSet):
    """Topics of published practices (the values of the `topic` filters)."""

    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return (Topic.objects.filter(Exists(selectors.practices_published()
                                            .filter(topics=OuterRef("pk"))))
                .order_by("order", "name"))
