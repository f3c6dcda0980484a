"""Closing a comparison batch, which queues the leaderboard refit once the close commits."""

import logging
from typing import Any

from celery import current_app
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from annotation.models import (
    Assignment,
    AssignmentStatus,
    BatchStatus,
    Comparison,
    ComparisonBatch,
    Judgment,
    ReviewStatus,
)
from experts.models import AuditAction
from experts.services.application import require_staff
from experts.services.audit import audit_record
from seal_platform.errors import Conflict

logger = logging.getLogger(__name__)

# The refit task lives in the leaderboards app, which depends on this one; it is queued by
# its pinned name so that this app never imports leaderboards.
REFIT_TASK_NAME = "leaderboards.batch_refit"
UNSETTLED = (ReviewStatus.PENDING, ReviewStatus.RETURNED)


class BatchAlreadyClosed(Conflict):
    code = "batch_already_closed"


def queue_refit(batch_id: int) -> None:
    """Queue the refit; in-process when no broker is configured (the demo)."""
    task = current_app.tasks.get(REFIT_TASK_NAME)
    if task is not None:
        task.apply_async(kwargs={"batch_id": batch_id})
    else:
        current_app.send_task(REFIT_TASK_NAME, kwargs={"batch_id": batch_id})
    logger.info("annotation.batch.refit_queued", extra={"batch_id": batch_id})


def _unsettled_count(batch: ComparisonBatch) -> int:
    return Judgment.objects.filter(
        comparison__batch=batch, is_gold=False, review_status__in=UNSETTLED
    ).count()


def _all_judged(batch: ComparisonBatch) -> bool:
    short = (
        Comparison.objects.filter(batch=batch, is_gold=False)
        .annotate(
            done=Count("judgments", filter=~Q(judgments__review_status=ReviewStatus.RETURNED))
        )
        .filter(done__lt=batch.judgments_per_comparison)
    )
    return not short.exists()


def batch_close(*, batch: ComparisonBatch, staff_user: Any) -> ComparisonBatch:
    """Close a batch on staff's word: judgments still in review are left out and counted.

    Live leases in the batch are released. The refit is queued only after the transaction
    commits, so a request that fails after closing queues nothing.
    """
    require_staff(staff_user)
    with transaction.atomic():
        locked = ComparisonBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status == BatchStatus.CLOSED:
            raise BatchAlreadyClosed(
                f"Batch {locked.pk} is already closed. Open a new batch to collect more judgments."
            )
        _close(locked, staff_user=staff_user, unsettled=_unsettled_count(locked))
    return locked


def batch_close_when_done(*, batch_id: int) -> bool:
    """Close the batch if every comparison has its judgments and every judgment is settled."""
    with transaction.atomic():
        locked = ComparisonBatch.objects.select_for_update().filter(pk=batch_id).first()
        if locked is None or locked.status == BatchStatus.CLOSED:
            return False
        if _unsettled_count(locked) or not _all_judged(locked):
            return False
        _close(locked, staff_user=None, unsettled=0)
    return True


def _close(batch: ComparisonBatch, *, staff_user: Any, unsettled: int) -> None:
    now = timezone.now()
    batch.status = BatchStatus.CLOSED
    batch.closed_at = now
    batch.closed_by = staff_user
    batch.unsettled_at_close = unsettled
    batch.save(update_fields=["status", "closed_at", "closed_by", "unsettled_at_close"])
    Assignment.objects.filter(comparison__batch=batch, status=AssignmentStatus.LEASED).update(
        status=AssignmentStatus.RELEASED, finished_at=now
    )
    audit_record(
        actor=staff_user,
        action=AuditAction.BATCH_CLOSED,
        subject=None,
        target=batch,
        domain=batch.domain,
        details={"unsettled_left_out": unsettled, "by_staff": staff_user is not None},
    )
    batch_id = batch.pk
    transaction.on_commit(lambda: queue_refit(batch_id))
