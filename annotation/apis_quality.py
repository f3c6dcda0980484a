"""Staff API for agreement and expert quality. Figures without data are null, never NaN."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation.selectors_quality import (
    DEFAULT_EXPERT_SORT,
    EXPERT_SORT_KEYS,
    batch_agreement_get,
    batch_get,
    expert_quality_list,
)
from experts.permissions import IsStaffMember
from experts.selectors.domain import domain_get_by_slug


class AgreementFigureSerializer(serializers.Serializer[Any]):
    """A coefficient, or a null value and the reason the data cannot define it."""

    class Meta:
        ref_name = "AgreementFigure"

    value = serializers.FloatField(allow_null=True)
    reason = serializers.CharField()


class PairKappaSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "PairKappa"

    first_rater = serializers.CharField()
    second_rater = serializers.CharField()
    shared_units = serializers.IntegerField()
    kappa = AgreementFigureSerializer()


class KappaSummarySerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "KappaSummary"

    min_shared_units = serializers.IntegerField()
    pairs_below_minimum = serializers.IntegerField()
    defined_count = serializers.IntegerField()
    median = serializers.FloatField(allow_null=True)
    minimum = serializers.FloatField(allow_null=True)
    maximum = serializers.FloatField(allow_null=True)
    pairs = PairKappaSerializer(many=True)


class DimensionAgreementSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "DimensionAgreement"

    name = serializers.CharField()
    level = serializers.CharField()
    alpha = AgreementFigureSerializer()
    unit_count = serializers.IntegerField()
    pairable_unit_count = serializers.IntegerField()
    rating_count = serializers.IntegerField()
    rater_count = serializers.IntegerField()
    kappas = KappaSummarySerializer()


class QualityFlagSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "QualityFlag"

    figure = serializers.CharField()
    message = serializers.CharField()


class QualityThresholdsSerializer(serializers.Serializer[Any]):
    """The domain's thresholds, or the defaults where none are stored."""

    class Meta:
        ref_name = "QualityThresholds"

    min_consensus_agreement = serializers.FloatField()
    min_gold_accuracy = serializers.FloatField()
    max_rejection_rate = serializers.FloatField()
    max_position_bias_p_value = serializers.FloatField()


class ExpertQualitySerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "ExpertQuality"

    profile_id = serializers.IntegerField()
    display_name = serializers.CharField()
    judgment_count = serializers.IntegerField()
    consensus_agreed = serializers.IntegerField()
    consensus_compared = serializers.IntegerField()
    consensus_agreement = serializers.FloatField(allow_null=True)
    gold_correct = serializers.IntegerField()
    gold_judged = serializers.IntegerField()
    gold_accuracy = serializers.FloatField(allow_null=True)
    review_rejected = serializers.IntegerField()
    review_decided = serializers.IntegerField()
    rejection_rate = serializers.FloatField(allow_null=True)
    median_seconds = serializers.FloatField(allow_null=True)
    left_picks = serializers.IntegerField()
    right_picks = serializers.IntegerField()
    left_pick_rate = serializers.FloatField(allow_null=True)
    right_pick_rate = serializers.FloatField(allow_null=True)
    position_p_value = serializers.FloatField(allow_null=True)
    is_flagged = serializers.BooleanField()
    flags = QualityFlagSerializer(many=True)


class ExpertQualityListApi(APIView):
    """Quality figures of every expert in a domain and its children, sorted by `?sort=`."""

    permission_classes = [IsStaffMember]

    class OutputSerializer(serializers.Serializer[Any]):
        domain = serializers.CharField()
        sort = serializers.CharField()
        thresholds = QualityThresholdsSerializer()
        experts = ExpertQualitySerializer(many=True)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "sort",
                str,
                enum=sorted(EXPERT_SORT_KEYS) + sorted(f"-{key}" for key in EXPERT_SORT_KEYS),
                description="Column to sort by; a leading '-' sorts in descending order.",
            )
        ],
        responses=OutputSerializer,
    )
    def get(self, request: Request, slug: str) -> Response:
        domain = domain_get_by_slug(slug=slug)
        table = expert_quality_list(
            domain=domain, sort=request.query_params.get("sort", DEFAULT_EXPERT_SORT)
        )
        return Response(
            self.OutputSerializer(
                {
                    "domain": domain.slug,
                    "sort": table.sort,
                    "thresholds": table.thresholds,
                    "experts": table.rows,
                }
            ).data
        )


class BatchAgreementApi(APIView):
    """Krippendorff's alpha and pairwise Cohen's kappa of a batch, per dimension and verdict."""

    permission_classes = [IsStaffMember]

    class OutputSerializer(serializers.Serializer[Any]):
        batch_id = serializers.IntegerField()
        domain = serializers.CharField()
        judgment_count = serializers.IntegerField()
        verdict = DimensionAgreementSerializer()
        dimensions = DimensionAgreementSerializer(many=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request: Request, batch_id: int) -> Response:
        batch = batch_get(batch_id=batch_id)
        agreement = batch_agreement_get(batch=batch)
        return Response(
            self.OutputSerializer(
                {
                    "batch_id": batch.pk,
                    "domain": batch.domain.slug,
                    "judgment_count": agreement.judgment_count,
                    "verdict": agreement.report.verdict,
                    "dimensions": agreement.report.dimensions,
                }
            ).data
        )
