"""Public leaderboard API. It never shows prompts, responses, experts or who published.

Once a domain has a published snapshot, every endpoint here shows snapshots only. Before
that, the domain's endpoint shows the latest finished fit with `published` false.
"""

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from experts.models import Domain
from experts.selectors import domain_get_by_slug
from leaderboards.export import (
    snapshot_export_csv,
    snapshot_export_json,
    snapshot_export_payload,
)
from leaderboards.models import Snapshot
from leaderboards.selectors import (
    fit_get_latest_finished,
    fit_standing_rows,
    leaderboard_list,
    leaderboard_payload,
    snapshot_get,
    snapshot_get_latest,
    snapshot_list,
    snapshot_standing_rows,
)
from leaderboards.services.fit import VERDICT_LEADERBOARD, StandingRow
from seal_platform.errors import NotFound


class LeaderboardNotFitted(NotFound):
    code = "leaderboard_not_fitted"


class DimensionNotFound(NotFound):
    code = "dimension_not_found"


class CsvRenderer(BaseRenderer):
    """Lets clients ask for text/csv; the export views return their bytes themselves."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        return JSONRenderer().render(data)


class StandingSerializer(serializers.Serializer[Any]):
    model = serializers.CharField()
    rating = serializers.FloatField()
    ci_lower = serializers.FloatField(allow_null=True)
    ci_upper = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField()
    component = serializers.IntegerField()
    judgments = serializers.IntegerField()
    wins = serializers.IntegerField()
    losses = serializers.IntegerField()
    ties = serializers.IntegerField()
    win_rate = serializers.FloatField()


class FitSummarySerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    finished_at = serializers.DateTimeField()
    judgment_count = serializers.IntegerField()
    bootstrap_rounds = serializers.IntegerField()
    seed = serializers.IntegerField()
    code_version = serializers.CharField()


class SnapshotSummarySerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField()
    fitted_at = serializers.DateTimeField()
    note = serializers.CharField()
    judgment_count = serializers.IntegerField()
    judgment_ids_sha256 = serializers.CharField()
    seed = serializers.IntegerField()
    bootstrap_rounds = serializers.IntegerField()
    code_version = serializers.CharField()
    affected_at = serializers.DateTimeField(allow_null=True)


class DimensionSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    # DRF takes declared fields off the class, so this does not replace Field.label at run time.
    label = serializers.CharField()  # type: ignore[assignment]
    models = StandingSerializer(many=True)


class LeaderboardListApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LeaderboardSummary"

        domain = serializers.CharField(source="domain.slug")
        name = serializers.CharField(source="domain.name")
        parent_domain = serializers.CharField(source="domain.parent.slug", allow_null=True)
        model_count = serializers.IntegerField()
        snapshot = SnapshotSummarySerializer(allow_null=True)
        fit = FitSummarySerializer(allow_null=True)

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        summaries = leaderboard_list()
        return Response(self.OutputSerializer(summaries, many=True).data)


class LeaderboardDetailApi(APIView):
    """The domain's latest snapshot, in the shape of `fit_leaderboard --json`.

    Until staff publish a snapshot, this is the latest finished fit, `published` is false and
    `snapshot` is null. Once published, `fit` is null.
    """

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LeaderboardDetail"

        domain = serializers.CharField()
        published = serializers.BooleanField()
        snapshot = SnapshotSummarySerializer(allow_null=True)
        fit = FitSummarySerializer(allow_null=True)
        models = StandingSerializer(many=True)
        warnings = serializers.ListField(child=serializers.CharField())
        dimensions = DimensionSerializer(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, slug: str) -> Response:
        domain = domain_get_by_slug(slug=slug)
        snapshot = snapshot_get_latest(domain=domain)
        if snapshot is not None:
            payload = _snapshot_payload(snapshot)
            payload.update(published=True, fit=None)
            return Response(self.OutputSerializer(payload).data)

        fit = fit_get_latest_finished(domain=domain)
        if fit is None:
            raise LeaderboardNotFitted(
                f"Domain {slug!r} has no finished fit yet. Run `manage.py fit_leaderboard "
                f"--domain {slug}` or wait for the running fit."
            )
        payload = leaderboard_payload(
            domain=domain, rows=fit_standing_rows(fit=fit), warnings=fit.warnings
        )
        payload.update(published=False, fit=fit, snapshot=None, dimensions=[])
        return Response(self.OutputSerializer(payload).data)


def _snapshot_leaderboards(snapshot: Snapshot) -> dict[str, list[StandingRow]]:
    keys = [VERDICT_LEADERBOARD, *(dimension["key"] for dimension in snapshot.dimensions)]
    return {key: snapshot_standing_rows(snapshot=snapshot, dimension=key) for key in keys}


def _snapshot_payload(snapshot: Snapshot) -> dict[str, Any]:
    return snapshot_export_payload(snapshot, _snapshot_leaderboards(snapshot))


class SnapshotListApi(APIView):
    """Every published version of a domain's leaderboard, newest first."""

    permission_classes = [AllowAny]

    class OutputSerializer(SnapshotSummarySerializer):
        model_count = serializers.IntegerField()

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request, slug: str) -> Response:
        domain = domain_get_by_slug(slug=slug)
        snapshots = snapshot_list(domain=domain)
        return Response(self.OutputSerializer(snapshots, many=True).data)


def _snapshot_of(slug: str, version: int) -> tuple[Domain, Snapshot]:
    domain = domain_get_by_slug(slug=slug)
    return domain, snapshot_get(domain=domain, version=version)


class SnapshotDetailApi(APIView):
    """One published version: the command's shape, the snapshot's facts, each dimension."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer[Any]):
        domain = serializers.CharField()
        snapshot = SnapshotSummarySerializer()
        models = StandingSerializer(many=True)
        warnings = serializers.ListField(child=serializers.CharField())
        dimensions = DimensionSerializer(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, slug: str, version: int) -> Response:
        _, snapshot = _snapshot_of(slug, version)
        return Response(self.OutputSerializer(_snapshot_payload(snapshot)).data)


def _attachment(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


class SnapshotExportJsonApi(APIView):
    """Download one published version as a JSON file (the same body as the version endpoint)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={(200, "application/json"): SnapshotDetailApi.OutputSerializer})
    def get(self, request: Request, slug: str, version: int) -> HttpResponse:
        domain, snapshot = _snapshot_of(slug, version)
        return _attachment(
            snapshot_export_json(_snapshot_payload(snapshot)),
            "application/json",
            f"{domain.slug}-v{snapshot.version}.json",
        )


class SnapshotExportCsvApi(APIView):
    """Download one leaderboard of a published version as CSV (see leaderboards.export)."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, CsvRenderer]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "dimension",
                OpenApiTypes.STR,
                description="A rubric dimension key; leave out for the overall verdict.",
            )
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request: Request, slug: str, version: int) -> HttpResponse:
        domain, snapshot = _snapshot_of(slug, version)
        dimension = request.query_params.get("dimension", VERDICT_LEADERBOARD)
        known = [item["key"] for item in snapshot.dimensions]
        if dimension != VERDICT_LEADERBOARD and dimension not in known:
            raise DimensionNotFound(
                f"Snapshot {snapshot.version} of {domain.slug!r} has no dimension "
                f"{dimension!r}. Choose one of: {', '.join(known) or 'none'}, or leave "
                "`dimension` out for the overall verdict."
            )
        rows = snapshot_standing_rows(snapshot=snapshot, dimension=dimension)
        suffix = f"-{dimension}" if dimension else ""
        return _attachment(
            snapshot_export_csv(snapshot, rows, dimension),
            "text/csv; charset=utf-8",
            f"{domain.slug}-v{snapshot.version}{suffix}.csv",
        )
