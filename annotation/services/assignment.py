"""Leasing comparisons to experts: next task, expiry, skip and release.

Concurrency rests on PostgreSQL row locks. `assignment_next` locks one comparison with a free
slot using SELECT ... FOR UPDATE SKIP LOCKED, so two experts asking at the same moment never
get the same lease, and `slots_taken` (live leases plus submitted judgments) is changed only
under that lock. SQLite has no SKIP LOCKED; there the demo serves one person at a time.
"""

import logging
import secrets
from collections import Counter
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from annotation.models import (
    Assignment,
    AssignmentStatus,
    BatchStatus,
    Comparison,
    ComparisonBatch,
)
from experts.models import Domain, DomainApproval
from experts.services.access import WorkKind, work_access
from seal_platform.errors import Conflict, InvalidInput, NotFound, SealError

logger = logging.getLogger(__name__)


class WorkNotAllowed(SealError):
    code = "work_not_allowed"
    status_code = 403


class AssignmentNotFound(NotFound):
    code = "assignment_not_found"

    def __init__(self, assignment_id: int) -> None:
        super().__init__(
            f"Assignment {assignment_id} does not exist or is not yours. Take your next task."
        )


class AssignmentNotLeased(Conflict):
    code = "assignment_not_leased"


def require_work_access(*, user: Any, domain: Domain, kind: WorkKind = WorkKind.JUDGE) -> None:
    access = work_access(user=user, domain=domain, kind=kind)
    if not access.allowed:
        raise WorkNotAllowed(access.reason)


def _locked(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """Lock the selected rows, skipping rows that another transaction holds, where supported."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset.select_for_update()


def _free_slots(comparison_ids: list[int]) -> None:
    for comparison_id, count in Counter(comparison_ids).items():
        Comparison.objects.filter(pk=comparison_id).update(slots_taken=F("slots_taken") - count)


def leases_expire(*, now: datetime | None = None) -> int:
    """Return every expired lease to the pool; safe to run from many requests at once."""
    moment = now or timezone.now()
    with transaction.atomic():
        expired = list(
            _locked(
                Assignment.objects.filter(
                    status=AssignmentStatus.LEASED, lease_expires_at__lte=moment
                )
            ).values_list("id", "comparison_id")
        )
        if not expired:
            return 0
        Assignment.objects.filter(pk__in=[row[0] for row in expired]).update(
            status=AssignmentStatus.EXPIRED, finished_at=moment
        )
        _free_slots([row[1] for row in expired if row[1] is not None])
    logger.info("annotation.lease.expired", extra={"count": len(expired)})
    return len(expired)


def assignment_current(*, user: Any, domain: Domain) -> Assignment | None:
    """Return the user's live lease in this domain, if any, since an expert works one task at a
    time per domain."""
    return (
        Assignment.objects.filter(
            expert=user,
            status=AssignmentStatus.LEASED,
            lease_expires_at__gt=timezone.now(),
            comparison__batch__domain=domain,
        )
        .select_related("comparison__batch")
        .first()
    )


def _candidates(user: Any, batch_ids: list[int], *, gold: bool) -> QuerySet[Comparison]:
    candidates = Comparison.objects.filter(batch_id__in=batch_ids, is_gold=gold)
    if not gold:
        candidates = candidates.filter(slots_taken__lt=F("required_judgments"))
    return (
        candidates.exclude(pk__in=Assignment.objects.filter(expert=user).values("comparison_id"))
        .exclude(prompt__author=user)
        .order_by("id")
    )


def _wants_gold(batches: list[ComparisonBatch]) -> bool:
    share = max((batch.gold_share for batch in batches), default=0.0)
    return share > 0 and secrets.randbelow(1_000_000) < share * 1_000_000


def assignment_next(*, user: Any, domain: Domain) -> Assignment | None:
    """Lease the next comparison to an approved expert, or return None when none is left.

    Never a comparison the expert was given before (a unique constraint), never one on a
    prompt they wrote, never one whose required judgments are already held. Returns the
    expert's live lease if they have one. Raises WorkNotAllowed with the reason otherwise.
    """
    require_work_access(user=user, domain=domain)
    current = assignment_current(user=user, domain=domain)
    if current is not None:
        return current
    leases_expire()

    batches = list(ComparisonBatch.objects.filter(domain=domain, status=BatchStatus.OPEN))
    batch_ids = [batch.pk for batch in batches]
    order = [True, False] if _wants_gold(batches) else [False]
    with transaction.atomic():
        # One expert's requests (two tabs, a retry) take turns on their approval row, so the
        # second sees the lease the first just took instead of leasing a second comparison.
        DomainApproval.objects.select_for_update().filter(expert=user, domain=domain).first()
        current = assignment_current(user=user, domain=domain)
        if current is not None:
            return current
        for gold in order:
            comparison = _locked(_candidates(user, batch_ids, gold=gold)).first()
            if comparison is not None:
                return _lease(comparison, user, batches)
    return None


def _lease(comparison: Comparison, user: Any, batches: list[ComparisonBatch]) -> Assignment:
    batch = next(batch for batch in batches if batch.pk == comparison.batch_id)
    now = timezone.now()
    assignment = Assignment.objects.create(
        comparison=comparison,
        expert=user,
        is_swapped=secrets.randbelow(2) == 1,
        leased_at=now,
        lease_expires_at=now + batch.lease_duration,
    )
    if not comparison.is_gold:
        Comparison.objects.filter(pk=comparison.pk).update(slots_taken=F("slots_taken") + 1)
    logger.info(
        "annotation.assignment.leased",
        extra={"assignment_id": assignment.pk, "comparison_id": comparison.pk},
    )
    return assignment


def assignment_get_for_expert(*, user: Any, assignment_id: int) -> Assignment:
    assignment = (
        Assignment.objects.select_related(
            "comparison__prompt",
            "comparison__response_a__model",
            "comparison__response_b__model",
            "comparison__batch__domain",
        )
        .filter(pk=assignment_id, expert=user)
        .first()
    )
    if assignment is None:
        raise AssignmentNotFound(assignment_id)
    return assignment


def assignment_skip(*, user: Any, assignment_id: int, reason: str) -> Assignment:
    """Give a leased comparison back at once, with a reason; the expert never gets it again."""
    if not reason.strip():
        raise InvalidInput(
            "Say why you skip this comparison (for example: outside my expertise).",
            fields={"reason": ["Required."]},
        )
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update().filter(pk=assignment_id, expert=user).first()
        )
        if assignment is None:
            raise AssignmentNotFound(assignment_id)
        if assignment.status != AssignmentStatus.LEASED:
            raise AssignmentNotLeased(
                f"Assignment {assignment_id} is {assignment.status}, so it cannot be skipped."
            )
        assignment.status = AssignmentStatus.SKIPPED
        assignment.skip_reason = reason.strip()
        assignment.finished_at = timezone.now()
        assignment.save(update_fields=["status", "skip_reason", "finished_at"])
        if not assignment.comparison.is_gold:
            _free_slots([assignment.comparison_id])
    return assignment


def assignments_release_for_expert(*, user_id: int, domain_id: int) -> int:
    """Return an expert's live leases in a domain to the pool at once (on suspension or
    revocation)."""
    with transaction.atomic():
        leased = list(
            Assignment.objects.select_for_update()
            .filter(
                expert_id=user_id,
                status=AssignmentStatus.LEASED,
                comparison__batch__domain_id=domain_id,
            )
            .values_list("id", "comparison_id", "comparison__is_gold")
        )
        Assignment.objects.filter(pk__in=[row[0] for row in leased]).update(
            status=AssignmentStatus.RELEASED, finished_at=timezone.now()
        )
        _free_slots([row[1] for row in leased if not row[2]])
    return len(leased)
