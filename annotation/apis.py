"""Work API for experts and the batch API for staff. Responses never name a model."""

import json
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotation.forms import SKIP_REASON_MAX_LENGTH
from annotation.models import Assignment, PromptSet
from annotation.selectors import TaskView, task_view, work_progress
from annotation.selectors_staff import batch_list_with_progress
from annotation.services.assignment import (
    assignment_get_for_expert,
    assignment_next,
    assignment_skip,
    require_work_access,
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
    fields = {name: getattr(view, name) for name in view.__dataclass_fields__}
    return dict(TaskSerializer({**fields, "done": progress.done, "left": progress.left}).data)


class TaskNextApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: TaskSerializer, 204: None})
    def post(self, request: Request, slug: str) -> Response:
        domain = domain_get_by_slug(slug=slug)
        assignment = assignment_next(user=request.user, domain=domain)
        if assignment is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(task_payload(task_view(assignment=assignment), request.user))


def own_assignment_with_access(request: Request, assignment_id: int) -> Assignment:
    """Return the user's own assignment once they may still judge in its domain.

    Raises AssignmentNotFound (404) for anyone else's assignment before any access check, so
    that the response does not reveal whether it exists. Then raises WorkNotAllowed (403) with
    the reason, because a suspended, revoked or expired expert keeps no access to their leases.
    """
    assignment = assignment_get_for_expert(user=request.user, assignment_id=assignment_id)
    comparison = assignment.comparison
    domain = comparison.batch.domain if comparison.batch else comparison.domain
    require_work_access(user=request.user, domain=domain)
    return assignment


class TaskDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=TaskSerializer)
    def get(self, request: Request, assignment_id: int) -> Response:
        assignment = own_assignment_with_access(request, assignment_id)
        return Response(task_payload(task_view(assignment=assignment), request.user))


class JudgmentSubmitApi(APIView):
    """Idempotent: a repeat with the same content returns the stored judgment (200)."""

    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        verdict = serializers.ChoiceField(choices=Verdict.values)
        dimension_scores = serializers.DictField(default=dict)
        rationale = serializers.CharField()
        active_seconds = serializers.IntegerField(required=False, allow_null=True, min_value=0)

        def validate_dimension_scores(self, scores: dict[str, Any]) -> dict[str, int]:
            """Accept JSON integers only, listing each other value in one flat message list.

            DRF's IntegerField child would accept "1", 1.0 and true, and it reports a bad
            child as a nested dict that the error handler can only print as its repr.
            """
            problems = [
                f"{key} must be an integer from -2 (A much better) to 2 (B much better), "
                f"not {value!r}."
                for key, value in scores.items()
                if type(value) is not int
            ]
            if problems:
                raise serializers.ValidationError(problems)
            return scores

    class OutputSerializer(serializers.Serializer[Any]):
        judgment_id = serializers.IntegerField(source="pk")
        version = serializers.IntegerField()
        verdict = serializers.CharField()
        review_status = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, assignment_id: int) -> Response:
        own_assignment_with_access(request, assignment_id)
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
        reason = serializers.CharField(allow_blank=True, max_length=SKIP_REASON_MAX_LENGTH)

    class OutputSerializer(serializers.Serializer[Any]):
        assignment_id = serializers.IntegerField(source="pk")
        status = serializers.CharField()

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, assignment_id: int) -> Response:
        own_assignment_with_access(request, assignment_id)
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
        pairs = serializers.JSONField(required=False, allow_null=True, default=None)
        judgments_per_comparison = serializers.IntegerField(default=1)
        lease_minutes = serializers.IntegerField(default=10)
        gold_share = serializers.FloatField(default=0.0)

        def validate_pairs(self, pairs: Any) -> list[tuple[str, str]] | None:
            """Accept null (every pair) or a list of [model, model] name lists.

            Checked here rather than by nested ListFields, whose errors arrive as a nested
            dict that the error handler can only print as its repr.
            """
            if pairs is None:
                return None
            if not isinstance(pairs, list):
                raise serializers.ValidationError(
                    'Give a list of pairs such as [["model-x", "model-y"]], or null for every pair.'
                )
            problems = [
                f"Pair {number} must be two model names, not {json.dumps(pair)[:100]}."
                for number, pair in enumerate(pairs, start=1)
                if not (
                    isinstance(pair, list)
                    and len(pair) == 2
                    and all(isinstance(name, str) and name.strip() for name in pair)
                )
            ]
            if problems:
                raise serializers.ValidationError(problems)
            return [(pair[0].strip(), pair[1].strip()) for pair in pairs]

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
        batch = batch_create(
            domain=domain,
            prompt_set=prompt_set,
            name=data.validated_data["name"],
            staff_user=request.user,
            pairs=data.validated_data["pairs"],
            judgments_per_comparison=data.validated_data["judgments_per_comparison"],
            lease_minutes=data.validated_data["lease_minutes"],
            gold_share=data.validated_data["gold_share"],
        )
        created = next(item for item in batch_list_with_progress() if item.pk == batch.pk)
        return Response(BatchSerializer(created).data, status=status.HTTP_201_CREATED)
