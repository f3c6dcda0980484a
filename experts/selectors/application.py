"""Reads of domain applications."""

from typing import Any

from django.db.models import QuerySet

from experts.models import (
    AttemptStatus,
    AuditAction,
    AuditEntry,
    CredentialStatus,
    DomainApplication,
)
from seal_platform.errors import NotFound


class ApplicationNotFound(NotFound):
    code = "application_not_found"

    def __init__(self, application_id: int) -> None:
        super().__init__(
            f"Application {application_id} does not exist or is not yours. Open your "
            "applications from your dashboard."
        )


def application_get_for_applicant(*, user: Any, application_id: int) -> DomainApplication:
    """Return the user's own application; anyone else's raises ApplicationNotFound (404)."""
    application = (
        DomainApplication.objects.select_related("domain")
        .filter(pk=application_id, applicant=user)
        .first()
    )
    if application is None:
        raise ApplicationNotFound(application_id)
    return application


def application_list_for_applicant(*, user: Any) -> QuerySet[DomainApplication]:
    return DomainApplication.objects.filter(applicant=user).select_related("domain")


def application_rejection_reason(*, application: DomainApplication) -> str:
    """The reason staff gave when they rejected this application, or an empty string."""
    reason = (
        AuditEntry.objects.filter(
            action=AuditAction.APPLICATION_REJECTED,
            object_type=application._meta.label_lower,
            object_id=application.pk,
        )
        .order_by("-created_at")
        .values_list("reason", flat=True)
        .first()
    )
    return reason or ""


def application_has_verified_credential(*, application: DomainApplication) -> bool:
    return application.credentials.filter(status=CredentialStatus.VERIFIED).exists()


def application_has_passed_test(*, application: DomainApplication) -> bool:
    return application.attempts.filter(status=AttemptStatus.PASSED).exists()
