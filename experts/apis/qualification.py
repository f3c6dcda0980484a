"""Qualification test API: start an attempt, fetch it, save answers, submit, extra attempts.

No response here carries a gold item's correct verdict or a per-item score. The attempt
payload comes from `attempt_view_for_applicant`, which never loads the verdict.
"""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from experts.permissions import IsStaffMember
from experts.selectors.application import application_get_for_applicant
from experts.selectors.qualification import (
    attempt_allowance_get,
    attempt_get_for_applicant,
    attempt_view_for_applicant,
)
from experts.selectors.staff import application_get_for_staff
from experts.services.qualification import (
    attempt_abandon_if_expired,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    extra_attempt_grant,
)


class AttemptItemSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    prompt = serializers.CharField(source="prompt_text")
    response_a = serializers.CharField(source="response_a_text")
    response_b = serializers.CharField(source="response_b_text")
    answer = serializers.CharField(allow_blank=True)


class AttemptResultSerializer(serializers.Serializer[Any]):
    correct_count = serializers.IntegerField()
    item_count = serializers.IntegerField()
    pass_mark = serializers.FloatField()


class AttemptSerializer(serializers.Serializer[Any]):
    """An attempt in the applicant's view. `items` is empty once the attempt has ended."""

    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    domain = serializers.CharField(source="domain_name")
    number = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    item_count = serializers.IntegerField()
    pass_mark = serializers.FloatField()
    items = AttemptItemSerializer(many=True)
    result = AttemptResultSerializer(allow_null=True)


class AttemptStartApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: AttemptSerializer})
    def post(self, request: Request, application_id: int) -> Response:
        application = application_get_for_applicant(
            user=request.user, application_id=application_id
        )
        attempt = attempt_start(application=application, user=request.user)
        view = attempt_view_for_applicant(attempt=attempt)
        return Response(AttemptSerializer(view).data, status=status.HTTP_201_CREATED)


class AttemptDetailApi(APIView):
    """Return the attempt. Fetching an expired attempt marks it abandoned."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=AttemptSerializer)
    def get(self, request: Request, attempt_id: int) -> Response:
        attempt = attempt_get_for_applicant(user=request.user, attempt_id=attempt_id)
        attempt_abandon_if_expired(attempt=attempt)
        return Response(AttemptSerializer(attempt_view_for_applicant(attempt=attempt)).data)


class AttemptAnswersApi(APIView):
    permission_classes = [IsAuthenticated]

    class InputSerializer(serializers.Serializer[Any]):
        answers = serializers.DictField(
            child=serializers.CharField(allow_blank=True, max_length=20),
            help_text='Item position to verdict ("a", "b", "tie", "both_bad"); "" clears it.',
        )

        def validate_answers(self, value: dict[str, str]) -> dict[int, str]:
            bad_keys = [key for key in value if not key.isdecimal()]
            if bad_keys:
                raise serializers.ValidationError(
                    [
                        f"{key!r} is not a valid item position. Use the item's number."
                        for key in bad_keys
                    ]
                )
            return {int(key): verdict for key, verdict in value.items()}

    @extend_schema(request=InputSerializer, responses=AttemptSerializer)
    def put(self, request: Request, attempt_id: int) -> Response:
        attempt = attempt_get_for_applicant(user=request.user, attempt_id=attempt_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        attempt = attempt_save_answers(
            attempt=attempt, user=request.user, answers=data.validated_data["answers"]
        )
        return Response(AttemptSerializer(attempt_view_for_applicant(attempt=attempt)).data)


class AttemptSubmitApi(APIView):
    """Grade the attempt from its saved answers. The response shows the total and pass mark."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=AttemptSerializer)
    def post(self, request: Request, attempt_id: int) -> Response:
        attempt = attempt_get_for_applicant(user=request.user, attempt_id=attempt_id)
        attempt = attempt_submit(attempt=attempt, user=request.user)
        return Response(AttemptSerializer(attempt_view_for_applicant(attempt=attempt)).data)


class ExtraAttemptGrantApi(APIView):
    permission_classes = [IsAuthenticated, IsStaffMember]

    class InputSerializer(serializers.Serializer[Any]):
        reason = serializers.CharField(allow_blank=True, max_length=2000)

    class OutputSerializer(serializers.Serializer[Any]):
        application = serializers.IntegerField()
        extra_attempts = serializers.IntegerField()
        attempts_used = serializers.IntegerField()
        attempt_limit = serializers.IntegerField(
            allow_null=True, help_text="None while the domain has no qualification test."
        )

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request: Request, application_id: int) -> Response:
        application = application_get_for_staff(application_id=application_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = extra_attempt_grant(
            application=application,
            staff_user=request.user,
            reason=data.validated_data["reason"],
        )
        allowance = attempt_allowance_get(application=application)
        payload = {
            "application": application.pk,
            "extra_attempts": application.extra_attempts,
            "attempts_used": allowance.used if allowance else 0,
            "attempt_limit": allowance.limit if allowance else None,
        }
        return Response(self.OutputSerializer(payload).data)
