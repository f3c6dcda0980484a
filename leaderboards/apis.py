"""Public leaderboard API. It shows fits and never prompts, responses or judges."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from experts.selectors import domain_get_by_slug
from leaderboards.selectors import (
    fit_get_latest_finished,
    fit_standing_rows,
    leaderboard_list,
    leaderboard_payload,
)
from seal_platform.errors import NotFound


class LeaderboardNotFitted(NotFound):
    code = "leaderboard_not_fitted"


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


class LeaderboardListApi(APIView):
    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LeaderboardSummary"

        domain = serializers.CharField(source="domain.slug")
        name = serializers.CharField(source="domain.name")
        parent_domain = serializers.CharField(source="domain.parent.slug", allow_null=True)
        model_count = serializers.IntegerField()
        fit = FitSummarySerializer(allow_null=True)

    @extend_schema(responses=OutputSerializer(many=True))
    def get(self, request: Request) -> Response:
        summaries = leaderboard_list()
        return Response(self.OutputSerializer(summaries, many=True).data)


class LeaderboardDetailApi(APIView):
    """The latest fit of a domain, in the shape of `fit_leaderboard --json`.

    Until staff publish snapshots, this is the latest finished fit and `published` is false.
    """

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "LeaderboardDetail"

        domain = serializers.CharField()
        published = serializers.BooleanField()
        fit = FitSummarySerializer()
        models = StandingSerializer(many=True)
        warnings = serializers.ListField(child=serializers.CharField())

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, slug: str) -> Response:
        domain = domain_get_by_slug(slug=slug)
        fit = fit_get_latest_finished(domain=domain)
        if fit is None:
            raise LeaderboardNotFitted(
                f"Domain {slug!r} has no finished fit yet. Run `manage.py fit_leaderboard "
                f"--domain {slug}` or wait for the running fit."
            )
        payload = leaderboard_payload(
            domain=domain, rows=fit_standing_rows(fit=fit), warnings=fit.warnings
        )
        payload.update(published=False, fit=fit)
        return Response(self.OutputSerializer(payload).data)
