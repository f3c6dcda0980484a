"""Reads for staff pages and the staff API. Callers check the staff role first."""

from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from experts.models import ApplicationStatus, AuditEntry, DomainApplication, DomainApproval
from seal_platform.errors import NotFound

AUDIT_PAGE_SIZE = 200


class ApprovalNotFound(NotFound):
    code = "approval_not_found"


def application_list_queue(
    *, status: str = ApplicationStatus.SUBMITTED
) -> QuerySet[DomainApplication]:
    return (
        DomainApplication.objects.filter(status=status)
        .select_related("domain", "applicant", "assigned_staff")
        .order_by("created_at", "id")
    )


def application_get_for_staff(*, application_id: int) -> DomainApplication:
    application = (
        DomainApplication.objects.select_related(
            "domain", "applicant", "applicant__expert_profile", "assigned_staff"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise NotFound(f"Application {application_id} does not exist. Pick one from the queue.")
    return application


def approval_list(*, domain_slug: str | None = None) -> QuerySet[DomainApproval]:
    approvals = DomainApproval.objects.select_related("expert", "domain").order_by(
        "domain__slug", "expert__username"
    )
    if domain_slug:
        approvals = approvals.filter(domain__slug=domain_slug)
    return approvals


def approval_get(*, approval_id: int) -> DomainApproval:
    approval = (
        DomainApproval.objects.select_related("expert", "domain").filter(pk=approval_id).first()
    )
    if approval is None:
        raise ApprovalNotFound(f"Approval {approval_id} does not exist. Pick one from the list.")
    return approval


def audit_list(*, subject: User | None = None, action: str | None = None) -> QuerySet[AuditEntry]:
    entries = AuditEntry.objects.select_related("actor", "subject", "domain")
    if subject is not None:
        entries = entries.filter(subject=subject)
    if action:
        entries = entries.filter(action=action)
    return entries.order_by("-created_at", "-id")


def applicant_history(*, user: Any) -> QuerySet[AuditEntry]:
    return audit_list(subject=user)[:AUDIT_PAGE_SIZE]
