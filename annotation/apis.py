"""Work API for experts and the batch API for staff. Responses never name a model."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation.models import PromptSet
from annotation.selectors import TaskView, task_view, work_progress
from annotation.selectors_staff import batch_list_with_progress
from annotation.services.assignment import (
    assignment_get_for_expert,
    assignment_next,
    assignment_skip,
)
from annotation.services.batch import batch_create
from annotation.services.judgment_submit import JudgmentInput, judgment_submit
from experts.permissions import IsStaffMember
from experts.selectors.domain import domain_get_by_slug
from seal_platform.errors import NotFound
from seal_platform.verdict import Verdict


class TaskSerializer(serializers.Serializer[Any]):
    """The task exactly as the expert's page shows it; texts are raw and untrusted."""

    class Meta:
        ref_name = "Task"

    assignment_id = serializers.IntegerField(source="assignment.pk")
    domain = serializers.CharField(source="domain.slug")
    status = serializers.CharField(source="assignment.status")
    lease_expires_at = serializers.DateTimeField(source="assignment.lease_expires_at")
    prompt = serializers.CharField(source="prompt_text")
    response_a = serializers.CharField(source="response_a_text")
    response_b = serializers.CharField(source="response_b_text")
    dimensions = serializers.ListField(child=serializers.DictField())
    min_rationale_length = serializers.IntegerField()
    done = serializers.IntegerField()
    left = serializers.IntegerField()


def task_payload(view: TaskView, user: Any) -> dict[str, Any]:
    progress = work_progress(user=user, domain=view.domain)
    return {**TaskSerializer(view).data, "done": progress.done, "left": progress.left}


class TaskNextApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: TaskSerializer, 204: None})
    def post(self, request: Request, slug: str) -> Response:
        domain = domain_get_by_slug(slug=slug)
        assignment = assignment_next(user=request.user, domain=domain)
        if assignment is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(task_payload(task_view(assignment=assignment), request.user))


class TaskDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TaskSerializer)
    def get(self, request: Request, assignment_id: int) -> Response:
        assignment = assignment_get_for_expert(user=request.user, assignment_id=assignment_id)
        return Response(task_payload(task_view(assignment=assignment), request.user))


class JudgmentSubmitApi(APIView):
    """Idempotent: a repeat with the same content returns the stored judgment (200)."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        verdict = serializers.ChoiceField(choices=Verdict.values)
        dimension_scores = serializers.DictField(child=serializers.IntegerField(), default=dict)
        rationale = serializers.CharField()
        active_seconds = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    class OutputSerializer(serializers.Serializer[Any]):
        judgment_id = serializers.IntegerField(source="pk")
        version = serializers.IntegerField()
        verdict = serializers.CharField()
        review_status = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, assignment_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        judgment = judgment_submit(
            user=request.user,
            assignment_id=assignment_id,
            data=JudgmentInput(
                verdict=data.validated_data["verdict"],
                dimension_scores=data.validated_data["dimension_scores"],
                rationale=data.validated_data["rationale"],
                active_seconds=data.validated_data.get("active_seconds"),
            ),
        )
        return Response(self.OutputSerializer(judgment).data)


class TaskSkipApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        reason = serializers.CharField(allow_blank=True)

    class OutputSerializer(serializers.Serializer[Any]):
        assignment_id = serializers.IntegerField(source="pk")
        status = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, assignment_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = assignment_skip(
            user=request.user, assignment_id=assignment_id, reason=data.validated_data["reason"]
        )
        return Response(self.OutputSerializer(assignment).data)


class BatchSerializer(serializers.Serializer[Any]):
    class Meta:
        ref_name = "Batch"

    id = serializers.IntegerField()
    name = serializers.CharField()
    domain = serializers.CharField(source="domain.slug")
    prompt_set = serializers.CharField(source="prompt_set.name")
    status = serializers.CharField()
    judgments_per_comparison = serializers.IntegerField()
    gold_share = serializers.FloatField()
    comparison_count = serializers.IntegerField()
    submitted_count = serializers.IntegerField()


class BatchListApi(APIView):
    permission_classes = [IsStaffMember]

    class InputSerializer(serializers.Serializer[Any]):
        domain = serializers.SlugField()
        prompt_set = serializers.CharField()
        name = serializers.CharField(allow_blank=True, default="")
        pairs = serializers.ListField(
            child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2),
            required=False,
            allow_null=True,
            default=None,
        )
        judgments_per_comparison = serializers.IntegerField(default=1)
        lease_minutes = serializers.IntegerField(default=10)
        gold_share = serializers.FloatField(default=0.0)

    @extend_schema(responses=BatchSerializer(many=True))
    def get(self, request: Request) -> Response:
        return Response(BatchSerializer(batch_list_with_progress(), many=True).data)

    @extend_schema(request=InputSerializer, responses=BatchSerializer)
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        domain = domain_get_by_slug(slug=data.validated_data["domain"])
        prompt_set = PromptSet.objects.filter(
            domain=domain, name=data.validated_data["prompt_set"]
        ).first()
        if prompt_set is None:
            raise NotFound(
                f"Prompt set {data.validated_data['prompt_set']!r} does not exist in "
                f"{domain.slug!r}."
            )
        pairs = data.validated_data["pairs"]
        batch = batch_create(
            domain=domain,
            prompt_set=prompt_set,
            name=data.validated_data["name"],
            staff_user=request.user,
            pairs=[(pair[0], pair[1]) for pair in pairs] if pairs is not None else None,
            judgments_per_comparison=data.validated_data["judgments_per_comparison"],
            lease_minutes=data.validated_data["lease_minutes"],
            gold_share=data.validated_data["gold_share"],
        )
        created = next(item for item in batch_list_with_progress() if item.pk == batch.pk)
        return Response(BatchSerializer(created).data, status=status.HTTP_201_CREATED)
