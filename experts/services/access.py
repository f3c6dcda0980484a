"""The one answer to "may this user do work of kind K in domain D now?".

Assignment, review and every expert-facing view ask `work_access` on each request, so a
suspension, revocation, expiry or role change takes effect on the next request, whatever
session or API token the user holds.
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.utils import timezone

from experts.models import ApprovalStatus, Domain, DomainApproval


class WorkKind(StrEnum):
    JUDGE = "judge"
    WRITE_PROMPT = "write_prompt"
    REVIEW = "review"


@dataclass(frozen=True)
class WorkAccess:
    allowed: bool
    reason: str


def work_access(*, user: Any, domain: Domain, kind: WorkKind) -> WorkAccess:
    """Return whether the user may do this kind of work in the domain now, and why not."""
    if not user.is_authenticated:
        return WorkAccess(False, "Log in to work in this domain.")
    if not user.is_active:
        return WorkAccess(False, "Your account is suspended. Contact staff.")

    approval = DomainApproval.objects.filter(expert=user, domain=domain).first()
    if approval is None:
        return WorkAccess(
            False,
            f"You are not approved in {domain.name}. Apply for the domain and pass its "
            "qualification test.",
        )
    if approval.status == ApprovalStatus.SUSPENDED:
        return WorkAccess(
            False, f"Your approval in {domain.name} is suspended: {approval.status_reason}"
        )
    if approval.status == ApprovalStatus.REVOKED:
        return WorkAccess(
            False, f"Your approval in {domain.name} was revoked: {approval.status_reason}"
        )
    if approval.expires_at <= timezone.now():
        return WorkAccess(
            False,
            f"Your approval in {domain.name} expired on {approval.expires_at:%Y-%m-%d}. Ask "
            "staff to renew it.",
        )
    if kind == WorkKind.REVIEW and not approval.is_reviewer:
        return WorkAccess(False, f"You do not have the reviewer role in {domain.name}.")
    return WorkAccess(True, "")


def may_work(*, user: Any, domain: Domain, kind: WorkKind) -> bool:
    return work_access(user=user, domain=domain, kind=kind).allowed
