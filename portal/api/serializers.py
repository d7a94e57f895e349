"""What the open-data API shows: public fields only. Never a user, a juror, an officer or
a practice's contact details (the tests assert it over every field of every endpoint)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from competitions.models import Criterion, Edition, Municipality, RubricLevel, ThematicArea
from portal.showcase.licence import open_data_license
from practices.models import Photo, Practice, Topic
from scoring.models import RankingResult
from scoring.precision import SCORE_DECIMALS, SHARE_DECIMALS
from scoring.selectors.snapshot import recorded_item


class RecordedMixin:
    """Fields of an area or criterion as the edition's published run recorded them (its
    snapshot, annotated by the view as `run_snapshot`), never the live set-up; the live
    values only for a run computed before runs recorded a snapshot."""

    recorded_kind = ""
    recorded_fields: tuple[str, ...] = ()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        item = recorded_item(getattr(instance, "run_snapshot", None), self.recorded_kind,
                             instance.pk)
        if item is not None:
            for name in self.recorded_fields:
                if name in item:
                    data[name] = item[name]
        return data


def _recorded_area_code(result) -> str:
    return result.recorded_area.code


class RoundedFloatField(serializers.FloatField):
    """A figure of a ranking rounded to `decimals` places (see scoring.precision); the
    schema states the precision in the field's description."""

    def __init__(self, *, decimals: int, **kwargs):
        self.decimals = decimals
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        what = kwargs.pop("what", "")
        kwargs.setdefault("help_text", f"{what}Rounded to {decimals} decimal places.".strip())
        super().__init__(**kwargs)

    def to_representation(self, value):
        return round(float(value), self.decimals)


def score_field(**kwargs) -> RoundedFloatField:
    return RoundedFloatField(decimals=SCORE_DECIMALS, **kwargs)


class EditionSerializer(serializers.ModelSerializer):
    method = serializers.SerializerMethodField()
    fingerprint = serializers.SerializerMethodField()
    published_at = serializers.SerializerMethodField()
    results_url = serializers.SerializerMethodField()
    license = serializers.SerializerMethodField()

    class Meta:
        model = Edition
        fields = ["slug", "title", "title_en", "country", "language", "year_label", "phase",
                  "scale_min", "scale_max", "min_sheets_per_entry", "results_at", "method",
                  "fingerprint", "published_at", "results_url", "license"]

    def get_license(self, edition) -> str:
        """The address of the licence of the edition's published data (CC BY 4.0)."""
        return open_data_license()["url"]

    def _run(self, edition):
        runs = getattr(edition, "published_runs", [])
        return runs[0] if runs else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_method(self, edition) -> str | None:
        run = self._run(edition)
        return run.method if run else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_fingerprint(self, edition) -> str | None:
        run = self._run(edition)
        return run.fingerprint if run else None

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_published_at(self, edition):
        run = self._run(edition)
        return run.published_at.isoformat() if run and run.published_at else None

    def to_representation(self, edition):
        """Scale and minimum of sheets as the published run recorded them."""
        data = super().to_representation(edition)
        run = self._run(edition)
        snapshot = run.snapshot if run is not None and isinstance(run.snapshot, dict) else {}
        if snapshot.get("scale"):
            data["scale_min"], data["scale_max"] = snapshot["scale"]
        if "min_sheets" in snapshot:
            data["min_sheets_per_entry"] = snapshot["min_sheets"]
        return data

    def get_results_url(self, edition) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("showcase:results_json", args=[edition.slug]))


class AreaSerializer(RecordedMixin, serializers.ModelSerializer):
    edition = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    recorded_kind = "areas"
    recorded_fields = ("code", "title", "title_en", "description", "description_en",
                       "order", "awards")

    class Meta:
        model = ThematicArea
        fields = ["id", "edition", "code", "title", "title_en", "description", "description_en",
                  "order", "awards"]


class RubricLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = RubricLevel
        fields = ["score", "description", "description_en"]


class CriterionSerializer(RecordedMixin, serializers.ModelSerializer):
    edition = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    weight = serializers.FloatField()
    rubric = RubricLevelSerializer(source="rubric_levels", many=True, read_only=True)
    recorded_kind = "criteria"
    recorded_fields = ("order", "title", "title_en", "guidance", "guidance_en", "weight",
                       "rubric")

    class Meta:
        model = Criterion
        fields = ["id", "edition", "order", "title", "title_en", "guidance", "guidance_en",
                  "weight", "rubric"]


class MunicipalitySerializer(serializers.ModelSerializer):
    class Meta:
        model = Municipality
        fields = ["id", "code", "name", "name_en", "region", "region_en", "kind", "country"]


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Photo
        fields = ["id", "url", "width", "height", "caption", "alt_text"]

    def get_url(self, photo) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("showcase:photo", args=[photo.pk]))


class PracticeAwardSerializer(serializers.ModelSerializer):
    edition = serializers.CharField(source="run.edition.slug")
    area = serializers.IntegerField(source="area_id")
    area_code = serializers.SerializerMethodField()
    # The published place (the jury's decision where there is one: `published_places`).
    place = serializers.IntegerField(source="published_place", read_only=True, allow_null=True,
                                     min_value=0, max_value=32767)
    total = score_field(what="Weighted total on the edition's scale. ")

    class Meta:
        model = RankingResult
        fields = ["id", "edition", "area", "area_code", "rank", "place", "total"]

    def get_area_code(self, result) -> str:
        return _recorded_area_code(result)


class AdoptionSerializer(serializers.Serializer):
    """A municipality that recorded adopting the practice: public facts only (who recorded
    it is never shown)."""

    municipality = serializers.IntegerField(source="municipality_id")
    name = serializers.CharField(source="municipality.name")
    name_en = serializers.CharField(source="municipality.name_en")
    kind = serializers.CharField()
    adopted_on = serializers.DateField()


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "name", "name_en"]


class PracticeSerializer(serializers.ModelSerializer):
    municipality = MunicipalitySerializer(read_only=True)
    topics = TopicSerializer(many=True, read_only=True)
    photos = PhotoSerializer(many=True, read_only=True)
    links = serializers.ListField(source="link_list", child=serializers.CharField(),
                                  read_only=True)
    results = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    adopted_by = AdoptionSerializer(source="adoptions", many=True, read_only=True)

    class Meta:
        model = Practice
        fields = ["id", "title", "title_en", "summary", "summary_en", "problem", "problem_en",
                  "actions", "actions_en", "partners", "partners_en", "budget", "budget_en",
                  "budget_amount", "budget_currency", "results_text", "results_text_en",
                  "started_on", "implemented_on", "is_sustained", "upgrade_description",
                  "upgrade_description_en", "upgraded_on", "innovation_type", "topics", "links",
                  "municipality", "photos",
                  "results", "url", "adopted_by"]

    results_text = serializers.CharField(source="results", read_only=True)
    results_text_en = serializers.CharField(source="results_en", read_only=True)

    @extend_schema_field(PracticeAwardSerializer(many=True))
    def get_results(self, practice):
        """The public results of its entries (prefetched by the view as `entry.public`)."""
        results = [result for entry in practice.entries.all() for result in entry.public]
        return PracticeAwardSerializer(results, many=True, context=self.context).data

    def get_url(self, practice) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("showcase:practice", args=[practice.pk]))


class ResultSerializer(serializers.ModelSerializer):
    edition = serializers.CharField(source="run.edition.slug")
    area = serializers.IntegerField(source="area_id")
    area_code = serializers.SerializerMethodField()
    practice = serializers.IntegerField(source="entry.practice_id")
    practice_title = serializers.CharField(source="entry.practice.title")
    municipality = serializers.CharField(source="entry.practice.municipality.name")
    region = serializers.CharField(source="entry.practice.municipality.region")
    innovation_type = serializers.CharField(source="entry.practice.innovation_type")
    # The published place (the jury's decision where there is one: `published_places`).
    place = serializers.IntegerField(source="published_place", read_only=True, allow_null=True,
                                     min_value=0, max_value=32767)
    criterion_scores = serializers.ListField(
        child=score_field(), help_text="Per criterion, in criterion order, on the edition's "
        f"scale; each rounded to {SCORE_DECIMALS} decimal places.")
    total = score_field(what="Weighted total on the edition's scale. ")
    rank_confidence = RoundedFloatField(
        decimals=SHARE_DECIMALS, what="Share of bootstrap resamples of jurors in which the "
        "entry keeps its place. ")
    flags = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = RankingResult
        fields = ["id", "edition", "area", "area_code", "practice", "practice_title",
                  "municipality", "region", "innovation_type", "rank", "place", "total",
                  "criterion_scores", "sheet_count", "rank_confidence", "flags"]

    def get_area_code(self, result) -> str:
        return _recorded_area_code(result)
