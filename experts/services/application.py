"""Applications for domains: submit, assign to a staff member, reject."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from experts.emails import queue_email
from experts.models import (
    ApplicationStatus,
    ApprovalStatus,
    AuditAction,
    Domain,
    DomainApplication,
    DomainApproval,
)
from experts.roles import is_staff_member
from experts.services.audit import audit_record
from seal_platform.errors import Conflict, InvalidInput, SealError

MIN_STATEMENT_LENGTH = 20


class ApplicationExists(Conflict):
    code = "application_exists"


class NotStaff(SealError):
    code = "not_staff"
    status_code = 403


class ApplicationDecided(Conflict):
    code = "application_decided"


class NotAssigned(SealError):
    code = "application_not_assigned"
    status_code = 403


def require_staff(user: Any) -> None:
    if not is_staff_member(user):
        raise NotStaff("Only staff may do this.")


class OwnApplication(SealError):
    code = "application_own"
    status_code = 403


def require_not_own(*, application: DomainApplication, staff_user: Any) -> None:
    if application.applicant_id == staff_user.pk:
        raise OwnApplication(
            f"Application {application.pk} is your own; another staff member must decide it."
        )


def require_assigned(*, application: DomainApplication, staff_user: Any) -> None:
    """Staff act on an application only after claiming it (superusers on any), and never on
    their own."""
    require_staff(staff_user)
    require_not_own(application=application, staff_user=staff_user)
    if staff_user.is_superuser or application.assigned_staff_id == staff_user.pk:
        return
    raise NotAssigned(
        f"Application {application.pk} is not assigned to you. Claim it from the queue first."
    )


def application_submit(
    *, user: Any, domains: list[Domain], statement: str
) -> list[DomainApplication]:
    """Apply for one or more domains at once; all are created or none."""
    if not domains:
        raise InvalidInput("Choose at least one domain.", fields={"domains": ["Required."]})
    if len(statement.strip()) < MIN_STATEMENT_LENGTH:
        raise InvalidInput(
            f"The statement has {len(statement.strip())} characters; write at least "
            f"{MIN_STATEMENT_LENGTH} about your experience in these domains.",
            fields={"statement": ["Too short."]},
        )
    existing = DomainApplication.objects.filter(
        applicant=user, domain__in=domains, status=ApplicationStatus.SUBMITTED
    )
    if existing.exists():
        names = ", ".join(sorted(application.domain.slug for application in existing))
        raise ApplicationExists(
            f"You have already applied for {names}. Open that application from your dashboard."
        )
    approved = DomainApproval.objects.filter(expert=user, domain__in=domains).exclude(
        status=ApprovalStatus.REVOKED
    )
    if approved.exists():
        names = ", ".join(sorted(approval.domain.slug for approval in approved))
        raise ApplicationExists(
            f"You are already approved in {names}; a new application is needed only after a "
            "revocation."
        )

    with transaction.atomic():
        created = [
            DomainApplication.objects.create(
                applicant=user, domain=domain, statement=statement.strip()
            )
            for domain in domains
        ]
        for application in created:
            audit_record(
                actor=user,
                action=AuditAction.APPLICATION_SUBMITTED,
                subject=user,
                target=application,
                domain=application.domain,
            )
        names = ", ".join(application.domain.name for application in created)
        queue_email(
            subject="Your application was received",
            body=f"We received your application for: {names}. Staff will review your "
            "credentials; you can follow the status on your dashboard.",
            recipient=user.email,
            event="application_received",
            ids={"application_ids": [application.pk for application in created]},
        )
    return created


def application_assign(*, application: DomainApplication, staff_user: Any) -> DomainApplication:
    """Claim an application for review; its documents are then open to this staff member."""
    require_staff(staff_user)
    with transaction.atomic():
        locked = DomainApplication.objects.select_for_update().get(pk=application.pk)
        require_not_own(application=locked, staff_user=staff_user)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ApplicationDecided(
                f"Application {locked.pk} is already {locked.status}; nothing to claim."
            )
        previous = locked.assigned_staff_id
        locked.assigned_staff = staff_user
        locked.save(update_fields=["assigned_staff"])
        audit_record(
            actor=staff_user,
            action=AuditAction.APPLICATION_ASSIGNED,
            subject=locked.applicant,
            target=locked,
            domain=locked.domain,
            details={"previous_staff_id": previous},
        )
    return locked


def application_reject(
    *, application: DomainApplication, staff_user: Any, reason: str
) -> DomainApplication:
    """Turn down an application with a reason the applicant will read."""
    if not reason.strip():
        raise InvalidInput(
            "A rejection needs a reason; the applicant is shown it.",
            fields={"reason": ["Required."]},
        )
    with transaction.atomic():
        locked = (
            DomainApplication.objects.select_for_update()
            .select_related("domain")
            .get(pk=application.pk)
        )
        require_assigned(application=locked, staff_user=staff_user)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ApplicationDecided(f"Application {locked.pk} is already {locked.status}.")
        locked.status = ApplicationStatus.REJECTED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
        audit_record(
            actor=staff_user,
            action=AuditAction.APPLICATION_REJECTED,
            subject=locked.applicant,
            target=locked,
            domain=locked.domain,
            reason=reason.strip(),
        )
        queue_email(
            subject=f"Decision on your application for {locked.domain.name}",
            body=f"Your application for {locked.domain.name} was not approved. Reason: "
            f"{reason.strip()}",
            recipient=locked.applicant.email,
            event="application_rejected",
            ids={"application_id": locked.pk},
        )
    return locked
