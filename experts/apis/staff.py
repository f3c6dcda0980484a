"""Staff API: the application queue, decisions, approvals and the audit trail."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from experts.models import ApplicationStatus
from experts.permissions import IsStaffMember
from experts.selectors.staff import (
    application_get_for_staff,
    application_list_queue,
    approval_get,
    approval_list,
    audit_list,
)
from experts.services.application import application_assign, application_reject
from experts.services.approval import (
    approval_reinstate,
    approval_revoke,
    approval_suspend,
    expert_approve,
    reviewer_role_set,
)
from seal_platform.errors import NotFound


class StaffApplicationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    applicant = serializers.CharField(source="applicant.username")
    domain = serializers.CharField(source="domain.slug")
    status = serializers.CharField()
    statement = serializers.CharField()
    assigned_staff = serializers.CharField(source="assigned_staff.username", allow_null=True)
    extra_attempts = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class ApprovalSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    expert = serializers.CharField(source="expert.username")
    domain = serializers.CharField(source="domain.slug")
    status = serializers.CharField()
    is_reviewer = serializers.BooleanField()
    approved_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    status_reason = serializers.CharField(allow_blank=True)


class ReasonSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class QueueApi(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        parameters=[OpenApiParameter("status", str, enum=ApplicationStatus.values)],
        responses=StaffApplicationSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status", ApplicationStatus.SUBMITTED)
        if status not in ApplicationStatus.values:
            known = ", ".join(ApplicationStatus.values)
            raise serializers.ValidationError({"status": [f"Use one of {known}, not {status!r}."]})
        applications = application_list_queue(status=status)
        return Response(StaffApplicationSerializer(applications, many=True).data)


class StaffApplicationApi(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(responses=StaffApplicationSerializer)
    def get(self, request: Request, application_id: int) -> Response:
        application = application_get_for_staff(application_id=application_id)
        return Response(StaffApplicationSerializer(application).data)


class ApplicationClaimApi(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(request=None, responses=StaffApplicationSerializer)
    def post(self, request: Request, application_id: int) -> Response:
        application = application_get_for_staff(application_id=application_id)
        claimed = application_assign(application=application, staff_user=request.user)
        return Response(StaffApplicationSerializer(claimed).data)


class ApplicationApproveApi(APIView):
    permission_classes = [IsStaffMember]

    class InputSerializer(serializers.Serializer[Any]):
        expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses=ApprovalSerializer)
    def post(self, request: Request, application_id: int) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = application_get_for_staff(application_id=application_id)
        approval = expert_approve(
            application=application,
            staff_user=request.user,
            expires_at=data.validated_data["expires_at"],
        )
        return Response(ApprovalSerializer(approval).data)


class ApplicationRejectApi(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(request=ReasonSerializer, responses=StaffApplicationSerializer)
    def post(self, request: Request, application_id: int) -> Response:
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = application_get_for_staff(application_id=application_id)
        rejected = application_reject(
            application=application, staff_user=request.user, reason=data.validated_data["reason"]
        )
        return Response(StaffApplicationSerializer(rejected).data)


class ApprovalListApi(APIView):
    permission_classes = [IsStaffMember]

    @extend_schema(
        parameters=[OpenApiParameter("domain", str)], responses=ApprovalSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        approvals = approval_list(domain_slug=request.query_params.get("domain") or None)
        return Response(ApprovalSerializer(approvals, many=True).data)


class ApprovalChangeApi(APIView):
    """Suspend, reinstate or revoke an approval, or grant or remove the reviewer role."""

    permission_classes = [IsStaffMember]
    ACTIONS = ("suspend", "reinstate", "revoke", "grant-reviewer", "remove-reviewer")

    @extend_schema(request=ReasonSerializer, responses=ApprovalSerializer)
    def post(self, request: Request, approval_id: int, action: str) -> Response:
        if action not in self.ACTIONS:
            raise NotFound(f"Unknown action {action!r}. Use one of {', '.join(self.ACTIONS)}.")
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reason = data.validated_data["reason"]
        approval = approval_get(approval_id=approval_id)
        if action == "suspend":
            changed = approval_suspend(approval=approval, staff_user=request.user, reason=reason)
        elif action == "reinstate":
            changed = approval_reinstate(approval=approval, staff_user=request.user, reason=reason)
        elif action == "revoke":
            changed = approval_revoke(approval=approval, staff_user=request.user, reason=reason)
        else:
            changed = reviewer_role_set(
                approval=approval,
                staff_user=request.user,
                is_reviewer=action == "grant-reviewer",
                reason=reason,
            )
        return Response(ApprovalSerializer(changed).data)


class AuditListApi(APIView):
    permission_classes = [IsStaffMember]

    class OutputSerializer(serializers.Serializer[Any]):
        class Meta:
            ref_name = "AuditEntry"

        id = serializers.IntegerField()
        created_at = serializers.DateTimeField()
        actor = serializers.CharField(source="actor.username", allow_null=True)
        action = serializers.CharField()
        subject = serializers.CharField(source="subject.username", allow_null=True)
        domain = serializers.CharField(source="domain.slug", allow_null=True)
        object_type = serializers.CharField()
        object_id = serializers.IntegerField(allow_null=True)
        reason = serializers.CharField(allow_blank=True)
        details = serializers.DictField()

    @extend_schema(
        parameters=[OpenApiParameter("action", str)], responses=OutputSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        entries = audit_list(action=request.query_params.get("action") or None)[:500]
        return Response(self.OutputSerializer(entries, many=True).data)
