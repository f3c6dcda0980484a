"""Approve experts per domain, and suspend, reinstate or revoke them, or change their role.

Every change takes effect on the next request because `experts.services.access` reads the
approval on each one. Each decision is audited with its reason in the same transaction.
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from experts.emails import queue_email
from experts.models import (
    ApplicationStatus,
    ApprovalStatus,
    AuditAction,
    DomainApplication,
    DomainApproval,
)
from experts.selectors.application import (
    application_has_passed_test,
    application_has_verified_credential,
)
from experts.services.application import ApplicationDecided, require_assigned, require_staff
from experts.services.audit import audit_record
from experts.signals import work_withdrawn
from seal_platform.errors import Conflict, InvalidInput

DEFAULT_APPROVAL_DAYS = 365


class ApprovalNotReady(Conflict):
    code = "approval_not_ready"


class ApprovalStateInvalid(Conflict):
    code = "approval_state_invalid"


def _require_reason(reason: str, action: str) -> str:
    if not reason.strip():
        raise InvalidInput(
            f"A reason is required to {action}; the expert is shown it.",
            fields={"reason": ["Required."]},
        )
    return reason.strip()


def _valid_for(application: DomainApplication) -> timedelta:
    test = getattr(application.domain, "qualification_test", None)
    return test.approval_valid_for if test is not None else timedelta(days=DEFAULT_APPROVAL_DAYS)


def expert_approve(
    *, application: DomainApplication, staff_user: Any, expires_at: datetime | None = None
) -> DomainApproval:
    """Staff sign-off: approve an applicant who has a verified credential and a passed test."""
    with transaction.atomic():
        locked = (
            DomainApplication.objects.select_for_update()
            .select_related("domain", "applicant")
            .get(pk=application.pk)
        )
        require_assigned(application=locked, staff_user=staff_user)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ApplicationDecided(f"Application {locked.pk} is already {locked.status}.")
        if not application_has_verified_credential(application=locked):
            raise ApprovalNotReady(
                f"Application {locked.pk} has no verified credential. Verify one first."
            )
        if not application_has_passed_test(application=locked):
            raise ApprovalNotReady(
                f"Application {locked.pk} has no passed qualification test. The applicant "
                "must pass it before approval."
            )

        now = timezone.now()
        expiry = expires_at or now + _valid_for(locked)
        if expiry <= now:
            raise InvalidInput(
                f"The expiry {expiry.isoformat()} is in the past. Choose a future date.",
                fields={"expires_at": ["In the past."]},
            )
        approval, _ = DomainApproval.objects.update_or_create(
            expert=locked.applicant,
            domain=locked.domain,
            defaults={
                "status": ApprovalStatus.ACTIVE,
                "approved_by": staff_user,
                "approved_at": now,
                "expires_at": expiry,
                "status_reason": "",
                "status_changed_at": now,
            },
        )
        locked.status = ApplicationStatus.APPROVED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at"])
        audit_record(
            actor=staff_user,
            action=AuditAction.EXPERT_APPROVED,
            subject=locked.applicant,
            target=approval,
            domain=locked.domain,
            details={"expires_at": expiry.isoformat(), "application_id": locked.pk},
        )
        queue_email(
            subject=f"You are approved in {locked.domain.name}",
            body=f"You are approved as an expert in {locked.domain.name} until "
            f"{expiry:%Y-%m-%d}. Your work is waiting on your dashboard.",
            recipient=locked.applicant.email,
            event="expert_approved",
            ids={"approval_id": approval.pk},
        )
    return approval


def _change_status(
    *,
    approval: DomainApproval,
    staff_user: Any,
    reason: str,
    allowed_from: set[str],
    new_status: str,
    action: AuditAction,
    verb: str,
) -> DomainApproval:
    require_staff(staff_user)
    reason = _require_reason(reason, verb)
    with transaction.atomic():
        locked = (
            DomainApproval.objects.select_for_update()
            .select_related("domain", "expert")
            .get(pk=approval.pk)
        )
        if locked.status not in allowed_from:
            raise ApprovalStateInvalid(
                f"Approval {locked.pk} is {locked.status}; it cannot be {action.label.lower()}."
            )
        locked.status = new_status
        locked.status_reason = reason
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_reason", "status_changed_at"])
        if new_status != ApprovalStatus.ACTIVE:
            work_withdrawn.send(
                sender=DomainApproval, user_id=locked.expert_id, domain_id=locked.domain_id
            )
        audit_record(
            actor=staff_user,
            action=action,
            subject=locked.expert,
            target=locked,
            domain=locked.domain,
            reason=reason,
        )
        queue_email(
            subject=f"Your approval in {locked.domain.name} changed",
            body=f"{action.label} in {locked.domain.name}. Reason: {reason}",
            recipient=locked.expert.email,
            event=action.value,
            ids={"approval_id": locked.pk},
        )
    return locked


def approval_suspend(*, approval: DomainApproval, staff_user: Any, reason: str) -> DomainApproval:
    return _change_status(
        approval=approval,
        staff_user=staff_user,
        reason=reason,
        allowed_from={ApprovalStatus.ACTIVE},
        new_status=ApprovalStatus.SUSPENDED,
        action=AuditAction.APPROVAL_SUSPENDED,
        verb="suspend an approval",
    )


def approval_reinstate(*, approval: DomainApproval, staff_user: Any, reason: str) -> DomainApproval:
    return _change_status(
        approval=approval,
        staff_user=staff_user,
        reason=reason,
        allowed_from={ApprovalStatus.SUSPENDED},
        new_status=ApprovalStatus.ACTIVE,
        action=AuditAction.APPROVAL_REINSTATED,
        verb="reinstate an approval",
    )


def approval_revoke(*, approval: DomainApproval, staff_user: Any, reason: str) -> DomainApproval:
    """Revoke for good; a revoked expert must apply again to work in the domain.

    Like a suspension, it returns the expert's leased comparisons in the domain to the pool
    in the same transaction.
    """
    return _change_status(
        approval=approval,
        staff_user=staff_user,
        reason=reason,
        allowed_from={ApprovalStatus.ACTIVE, ApprovalStatus.SUSPENDED},
        new_status=ApprovalStatus.REVOKED,
        action=AuditAction.APPROVAL_REVOKED,
        verb="revoke an approval",
    )


def reviewer_role_set(
    *, approval: DomainApproval, staff_user: Any, is_reviewer: bool, reason: str
) -> DomainApproval:
    """Give or remove the reviewer role in the approval's domain."""
    require_staff(staff_user)
    reason = _require_reason(reason, "change a role")
    with transaction.atomic():
        locked = (
            DomainApproval.objects.select_for_update().select_related("domain").get(pk=approval.pk)
        )
        if is_reviewer and locked.status != ApprovalStatus.ACTIVE:
            raise ApprovalStateInvalid(
                f"Approval {locked.pk} is {locked.status}; only an active expert can review."
            )
        if locked.is_reviewer == is_reviewer:
            return locked
        locked.is_reviewer = is_reviewer
        locked.save(update_fields=["is_reviewer"])
        audit_record(
            actor=staff_user,
            action=AuditAction.REVIEWER_GRANTED if is_reviewer else AuditAction.REVIEWER_REMOVED,
            subject=locked.expert,
            target=locked,
            domain=locked.domain,
            reason=reason,
        )
    return locked


def accounts_suspend(*, users: QuerySet[User], staff_user: Any, reason: str) -> int:
    """Deactivate accounts in bulk with one UPDATE (no save() runs) and audit each one.

    Django refuses an inactive user on the next request, by session (ModelBackend.get_user)
    and by API token (TokenAuthentication), so no further step is needed to log them out.
    """
    require_staff(staff_user)
    reason = _require_reason(reason, "suspend accounts")
    with transaction.atomic():
        targets = list(users.select_for_update().filter(is_active=True))
        count = users.model.objects.filter(pk__in=[user.pk for user in targets]).update(
            is_active=False
        )
        for user in targets:
            work_withdrawn.send(sender=User, user_id=user.pk, domain_id=None)
            audit_record(
                actor=staff_user,
                action=AuditAction.ACCOUNT_SUSPENDED,
                subject=user,
                target=user,
                reason=reason,
            )
    return count
