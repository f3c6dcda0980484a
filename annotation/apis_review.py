"""Review API: the reviewer's queue and decisions. Responses never name a model."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation.models import ReviewDecision
from annotation.selectors_review import review_view
from annotation.services.review import review_decide, review_next, review_task_get_for_reviewer
from experts.selectors.domain import domain_get_by_slug
from seal_platform.verdict import Verdict


class ReviewTaskSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "ReviewTask"

    task_id = serializers.IntegerField(source="task.pk")
    round = serializers.IntegerField(source="task.round.number")
    status = serializers.CharField(source="task.status")
    lease_expires_at = serializers.DateTimeField(source="task.lease_expires_at")
    prompt = serializers.CharField(source="prompt_text")
    response_a = serializers.CharField(source="response_a_text")
    response_b = serializers.CharField(source="response_b_text")
    verdict = serializers.CharField(source="judgment.verdict")
    dimension_scores = serializers.DictField(source="judgment.dimension_scores")
    rationale = serializers.CharField(source="judgment.rationale")
    version = serializers.IntegerField(source="judgment.version")


class ReviewNextApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: ReviewTaskSerializer, 204: None})
    def post(self, request: Request, slug: str) -> Response:
        task = review_next(reviewer=request.user, domain=domain_get_by_slug(slug=slug))
        if task is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        task = review_task_get_for_reviewer(reviewer=request.user, task_id=task.pk)
        return Response(ReviewTaskSerializer(review_view(task=task)).data)


class ReviewTaskApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ReviewTaskSerializer)
    def get(self, request: Request, task_id: int) -> Response:
        task = review_task_get_for_reviewer(reviewer=request.user, task_id=task_id)
        return Response(ReviewTaskSerializer(review_view(task=task)).data)


class ReviewDecideApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        decision = serializers.ChoiceField(choices=ReviewDecision.values)
        comment = serializers.CharField(allow_blank=True, default="")
        corrected_verdict = serializers.ChoiceField(
            choices=Verdict.values, required=False, allow_null=True, default=None
        )

    class OutputSerializer(serializers.Serializer[Any]):
        task_id = serializers.IntegerField(source="pk")
        status = serializers.CharField()
        judgment_status = serializers.CharField(source="judgment.review_status")

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, task_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        corrected = data.validated_data["corrected_verdict"]
        task = review_decide(
            reviewer=request.user,
            task_id=task_id,
            decision=data.validated_data["decision"],
            comment=data.validated_data["comment"],
            changes={"verdict": corrected} if corrected else None,
        )
        task.judgment.refresh_from_db()
        return Response(self.OutputSerializer(task).data)
