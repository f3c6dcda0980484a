"""Review rounds for judgments: sampling, the reviewer's queue, and decisions.

A judgment made on this platform counts for a leaderboard only after it passed every round of
its domain's pipeline (accepted, or not sampled). Reviewer leases use the same row locking as
expert assignment. Nobody reviews their own work or a comparison they judged, superusers
included, and a reviewer who changed a judgment while accepting it is not eligible for its
next round.
"""

import hashlib
import logging
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from annotation.models import (
    Assignment,
    Judgment,
    JudgmentRevision,
    ReviewDecision,
    ReviewRound,
    ReviewStatus,
    ReviewTask,
    ReviewTaskStatus,
)
from annotation.services.assignment import WorkNotAllowed, _locked
from annotation.services.batch_close import batch_close_when_done
from annotation.signals import judgments_reversed
from experts.models import Domain
from experts.services.access import WorkKind, work_access
from seal_platform.errors import Conflict, InvalidInput, NotFound, SealError

logger = logging.getLogger(__name__)

REVIEW_LEASE = timedelta(minutes=15)
SAMPLE_RESOLUTION = 2**32


class ReviewTaskNotFound(NotFound):
    code = "review_task_not_found"

    def __init__(self, task_id: int) -> None:
        super().__init__(
            f"Review task {task_id} does not exist or is not leased to you. Take the next one "
            "from your review queue."
        )


class ReviewOwnWork(SealError):
    code = "review_own_work"
    status_code = 403


class ReviewTaskNotLeased(Conflict):
    code = "review_task_not_leased"


def review_rounds(*, domain: Domain) -> list[ReviewRound]:
    """Return the domain's review rounds, creating one full review by a reviewer if none exist."""
    rounds = list(ReviewRound.objects.filter(domain=domain).order_by("number"))
    if rounds:
        return rounds
    default, _ = ReviewRound.objects.get_or_create(
        domain=domain,
        number=1,
        defaults={"name": "Review", "sample_share": 1.0, "requires_reviewer_role": True},
    )
    return [default]


def is_sampled(*, judgment: Judgment, review_round: ReviewRound) -> bool:
    """Decide sampling from a hash of (judgment, version, round), so it is reproducible."""
    if review_round.sample_share >= 1:
        return True
    key = f"{judgment.pk}:{judgment.version}:{review_round.pk}".encode()
    draw = int.from_bytes(hashlib.sha256(key).digest()[:4], "big") / SAMPLE_RESOLUTION
    return draw < review_round.sample_share


def review_enter(*, judgment: Judgment, from_round: int = 1, force_first: bool = False) -> None:
    """Queue the judgment's current version in the first round (from `from_round`) that
    samples it, or accept it when no round remains. Runs inside the caller's transaction.

    `force_first` puts it in round `from_round` whatever the sampling, for a returned
    judgment coming back to the round that returned it.
    """
    now = timezone.now()
    for review_round in review_rounds(domain=judgment.domain):
        if review_round.number < from_round:
            continue
        forced = force_first and review_round.number == from_round
        if forced or is_sampled(judgment=judgment, review_round=review_round):
            ReviewTask.objects.create(
                judgment=judgment, round=review_round, judgment_version=judgment.version
            )
            judgment.review_status = ReviewStatus.PENDING
            judgment.save(update_fields=["review_status", "updated_at"])
            return
        ReviewTask.objects.create(
            judgment=judgment,
            round=review_round,
            judgment_version=judgment.version,
            status=ReviewTaskStatus.NOT_SAMPLED,
            decided_at=now,
        )
    judgment.review_status = ReviewStatus.ACCEPTED
    judgment.save(update_fields=["review_status", "updated_at"])


def review_cancel_waiting(*, judgment: Judgment) -> int | None:
    """Cancel the judgment's waiting task and return its round number, or None if none waits.

    Raises Conflict when a reviewer has leased the judgment, because it is in review and must
    not change.
    """
    open_tasks = list(
        ReviewTask.objects.select_for_update()
        .filter(judgment=judgment, status__in=[ReviewTaskStatus.WAITING, ReviewTaskStatus.LEASED])
        .select_related("round")
    )
    if any(task.status == ReviewTaskStatus.LEASED for task in open_tasks):
        raise Conflict(
            f"Judgment {judgment.pk} is with a reviewer now, so it cannot be changed until they "
            "decide."
        )
    for task in open_tasks:
        task.status = ReviewTaskStatus.CANCELLED
        task.decided_at = timezone.now()
        task.save(update_fields=["status", "decided_at"])
    return open_tasks[0].round.number if open_tasks else None


def review_after_author_edit(*, judgment: Judgment, previous_status: str) -> None:
    """Send an edited judgment back through review (inside the author's transaction)."""
    waiting_round = review_cancel_waiting(judgment=judgment)
    if previous_status == ReviewStatus.RETURNED:
        returned_round = (
            ReviewTask.objects.filter(judgment=judgment, status=ReviewTaskStatus.RETURNED)
            .order_by("-decided_at", "-id")
            .values_list("round__number", flat=True)
            .first()
        )
        review_enter(judgment=judgment, from_round=returned_round or 1, force_first=True)
        return
    if previous_status == ReviewStatus.ACCEPTED:
        judgments_reversed.send(sender=Judgment, judgment_ids=[judgment.pk])
        review_enter(judgment=judgment, from_round=1)
        return
    review_enter(
        judgment=judgment, from_round=waiting_round or 1, force_first=waiting_round is not None
    )


def _author_id(judgment: Judgment) -> int | None:
    if judgment.assignment_id is not None:
        return (
            Assignment.objects.filter(pk=judgment.assignment_id)
            .values_list("expert_id", flat=True)
            .first()
        )
    profile = judgment.expert
    return profile.user_id if profile is not None else None


def _eligible_rounds(*, reviewer: Any, domain: Domain) -> list[ReviewRound]:
    may_review = work_access(user=reviewer, domain=domain, kind=WorkKind.REVIEW)
    may_judge = work_access(user=reviewer, domain=domain, kind=WorkKind.JUDGE)
    rounds = [
        review_round
        for review_round in review_rounds(domain=domain)
        if (may_review.allowed if review_round.requires_reviewer_role else may_judge.allowed)
    ]
    if not rounds:
        raise WorkNotAllowed(may_review.reason or may_judge.reason)
    return rounds


def review_leases_expire() -> int:
    with transaction.atomic():
        expired = list(
            _locked(
                ReviewTask.objects.filter(
                    status=ReviewTaskStatus.LEASED, lease_expires_at__lte=timezone.now()
                )
            ).values_list("id", flat=True)
        )
        ReviewTask.objects.filter(pk__in=expired).update(
            status=ReviewTaskStatus.WAITING, reviewer=None, leased_at=None, lease_expires_at=None
        )
    return len(expired)


def review_queue(*, reviewer: Any, rounds: list[ReviewRound]) -> QuerySet[ReviewTask]:
    """Waiting tasks this reviewer may take: never their own work, never a comparison they
    judged, never a judgment they changed in an earlier round."""
    return (
        ReviewTask.objects.filter(status=ReviewTaskStatus.WAITING, round__in=rounds)
        .exclude(judgment__assignment__expert=reviewer)
        .exclude(judgment__expert__user=reviewer)
        .exclude(
            judgment__comparison_id__in=Assignment.objects.filter(expert=reviewer).values(
                "comparison_id"
            )
        )
        .exclude(
            judgment_id__in=ReviewTask.objects.filter(
                reviewer=reviewer, changed_judgment=True
            ).values("judgment_id")
        )
        .order_by("id")
    )


def review_next(*, reviewer: Any, domain: Domain) -> ReviewTask | None:
    """Lease the next judgment to review in the domain, or return the reviewer's live lease."""
    rounds = _eligible_rounds(reviewer=reviewer, domain=domain)
    current = ReviewTask.objects.filter(
        reviewer=reviewer,
        status=ReviewTaskStatus.LEASED,
        round__domain=domain,
        lease_expires_at__gt=timezone.now(),
    ).first()
    if current is not None:
        return current
    review_leases_expire()
    with transaction.atomic():
        task: ReviewTask | None = _locked(review_queue(reviewer=reviewer, rounds=rounds)).first()
        if task is None:
            return None
        now = timezone.now()
        task.status = ReviewTaskStatus.LEASED
        task.reviewer = reviewer
        task.leased_at = now
        task.lease_expires_at = now + REVIEW_LEASE
        task.save(update_fields=["status", "reviewer", "leased_at", "lease_expires_at"])
    return task


def review_task_get_for_reviewer(*, reviewer: Any, task_id: int) -> ReviewTask:
    task = (
        ReviewTask.objects.select_related(
            "round",
            "judgment__comparison__prompt",
            "judgment__comparison__response_a",
            "judgment__comparison__response_b",
            "judgment__assignment",
            "judgment__domain",
        )
        .filter(pk=task_id, reviewer=reviewer)
        .first()
    )
    if task is None:
        raise ReviewTaskNotFound(task_id)
    return task


def _apply_change(judgment: Judgment, changes: dict[str, Any]) -> None:
    JudgmentRevision.objects.create(
        judgment=judgment,
        version=judgment.version,
        verdict=judgment.verdict,
        dimension_scores=judgment.dimension_scores,
        rationale=judgment.rationale,
    )
    judgment.verdict = changes.get("verdict", judgment.verdict)
    judgment.dimension_scores = changes.get("dimension_scores", judgment.dimension_scores)
    judgment.rationale = str(changes.get("rationale", judgment.rationale)).strip()
    judgment.version += 1
    judgment.save()


def review_decide(
    *,
    reviewer: Any,
    task_id: int,
    decision: str,
    comment: str = "",
    changes: dict[str, Any] | None = None,
) -> ReviewTask:
    """Accept, reject or return a leased judgment; all recorded on the task.

    Accept moves the judgment to its next round (or accepts it after the last); a reviewer may
    correct it while accepting, which the revision history keeps. Reject and return need a
    comment. A reject in a later round reverses an earlier acceptance and is announced so
    that published snapshots built on the judgment are marked affected.
    """
    if decision not in ReviewDecision.values:
        raise InvalidInput(
            f"Decision {decision!r} is unknown; use accept, reject or return.",
            fields={"decision": ["Unknown."]},
        )
    if decision != ReviewDecision.ACCEPT and not comment.strip():
        raise InvalidInput(
            "Say why you reject or return this judgment; its author reads the comment.",
            fields={"comment": ["Required."]},
        )
    with transaction.atomic():
        task = ReviewTask.objects.select_for_update().filter(pk=task_id, reviewer=reviewer).first()
        if task is None:
            raise ReviewTaskNotFound(task_id)
        judgment = (
            Judgment.objects.select_for_update().select_related("domain").get(pk=task.judgment_id)
        )
        _check_decidable(task=task, judgment=judgment, reviewer=reviewer)
        _decide(task=task, judgment=judgment, decision=decision, comment=comment, changes=changes)
    logger.info(
        "annotation.review.decided",
        extra={"task_id": task.pk, "judgment_id": task.judgment_id, "decision": decision},
    )
    batch_close_if_settled(judgment_id=task.judgment_id)
    return task


def _check_decidable(*, task: ReviewTask, judgment: Judgment, reviewer: Any) -> None:
    if _author_id(judgment) == reviewer.pk:
        raise ReviewOwnWork(
            "You cannot review your own judgment; another reviewer must decide it. This applies "
            "to staff and superusers too."
        )
    if task.status != ReviewTaskStatus.LEASED or task.lease_expires_at is None:
        raise ReviewTaskNotLeased(f"Review task {task.pk} is {task.status}; take the next one.")
    if task.lease_expires_at <= timezone.now():
        raise ReviewTaskNotLeased(
            f"Your lease on review task {task.pk} ended at {task.lease_expires_at.isoformat()}; "
            "take the next one."
        )
    kind = WorkKind.REVIEW if task.round.requires_reviewer_role else WorkKind.JUDGE
    access = work_access(user=reviewer, domain=judgment.domain, kind=kind)
    if not access.allowed:
        raise WorkNotAllowed(access.reason)


def _decide(
    *,
    task: ReviewTask,
    judgment: Judgment,
    decision: str,
    comment: str,
    changes: dict[str, Any] | None,
) -> None:
    task.decided_at = timezone.now()
    task.comment = comment.strip()
    if decision == ReviewDecision.ACCEPT:
        if changes:
            _apply_change(judgment, changes)
            task.changed_judgment = True
        task.status = ReviewTaskStatus.ACCEPTED
        task.save()
        review_enter(judgment=judgment, from_round=task.round.number + 1)
        return
    reversing = task.round.number > 1 or judgment.review_status == ReviewStatus.ACCEPTED
    task.status = (
        ReviewTaskStatus.REJECTED
        if decision == ReviewDecision.REJECT
        else ReviewTaskStatus.RETURNED
    )
    task.save()
    judgment.review_status = (
        ReviewStatus.REJECTED if decision == ReviewDecision.REJECT else ReviewStatus.RETURNED
    )
    judgment.save(update_fields=["review_status", "updated_at"])
    if reversing:
        judgments_reversed.send(sender=Judgment, judgment_ids=[judgment.pk])


def batch_close_if_settled(*, judgment_id: int) -> None:
    batch_id = (
        Judgment.objects.filter(pk=judgment_id)
        .values_list("comparison__batch_id", flat=True)
        .first()
    )
    if batch_id is not None:
        batch_close_when_done(batch_id=batch_id)
