"""Submitting a judgment on a leased comparison: idempotent, and revisable until review."""

import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from annotation.models import (
    DIMENSION_SCALE,
    Assignment,
    AssignmentStatus,
    Judgment,
    JudgmentRevision,
    ReviewStatus,
    Rubric,
    Verdict,
)
from annotation.services.assignment import AssignmentNotFound, _free_slots, require_work_access
from annotation.services.review import review_after_author_edit, review_enter
from experts.models import ExpertProfile
from seal_platform.errors import Conflict, InvalidInput

logger = logging.getLogger(__name__)

DEFAULT_MIN_RATIONALE = 30
# Statuses in which the author may still change a judgment. A change while a reviewer has
# leased it is rejected by review_cancel_waiting, and a rejected judgment stays rejected.
REVISABLE_STATUSES = {ReviewStatus.PENDING, ReviewStatus.RETURNED, ReviewStatus.ACCEPTED}


class LeaseExpired(Conflict):
    code = "lease_expired"


class JudgmentLocked(Conflict):
    code = "judgment_locked"


@dataclass(frozen=True)
class JudgmentInput:
    """A judgment as the expert saw it: A and B are the sides shown on their page."""

    verdict: str
    dimension_scores: dict[str, int]
    rationale: str
    active_seconds: int | None = None


def validate_judgment_input(*, data: JudgmentInput, rubric: Rubric | None) -> None:
    """Raise InvalidInput naming each bad field; nothing is stored on failure."""
    problems: dict[str, list[str]] = {}
    if data.verdict not in Verdict.values:
        problems["verdict"] = [f"Choose one of {', '.join(Verdict.values)}, not {data.verdict!r}."]

    expected = [dimension["key"] for dimension in (rubric.dimensions if rubric else [])]
    missing = [key for key in expected if key not in data.dimension_scores]
    unknown = [key for key in data.dimension_scores if key not in expected]
    if missing:
        problems["dimension_scores"] = [f"Rate every dimension; missing: {', '.join(missing)}."]
    if unknown:
        problems.setdefault("dimension_scores", []).append(
            f"Unknown dimensions: {', '.join(unknown)}."
        )
    for key, value in data.dimension_scores.items():
        # `type(...) is int`: True and 1.0 compare equal to 1 but are not scores.
        if type(value) is not int or value not in DIMENSION_SCALE:
            problems.setdefault("dimension_scores", []).append(
                f"{key} must be an integer from -2 (A much better) to 2 (B much better), "
                f"not {value!r}."
            )

    minimum = rubric.min_rationale_length if rubric else DEFAULT_MIN_RATIONALE
    if len(data.rationale.strip()) < minimum:
        problems["rationale"] = [
            f"Write at least {minimum} characters explaining the verdict "
            f"({len(data.rationale.strip())} so far)."
        ]
    if problems:
        raise InvalidInput("The judgment is incomplete; see each field.", fields=problems)


def _same_content(judgment: Judgment, data: JudgmentInput) -> bool:
    return (
        judgment.verdict == data.verdict
        and judgment.dimension_scores == data.dimension_scores
        and judgment.rationale == data.rationale.strip()
    )


def _time_spent(assignment: Assignment, active_seconds: int | None) -> int:
    elapsed = int((timezone.now() - assignment.leased_at).total_seconds())
    if active_seconds is not None and 0 <= active_seconds <= elapsed:
        return active_seconds
    return elapsed


def _revise(judgment: Judgment, data: JudgmentInput) -> Judgment:
    """Store a change of mind as a new version and send it back through review.

    Allowed while the judgment waits for review, after it was returned, and after acceptance,
    when the new version leaves the fit until a reviewer accepts it. Raises while a reviewer
    has leased it and after rejection.
    """
    if judgment.review_status not in REVISABLE_STATUSES:
        raise JudgmentLocked(
            f"Judgment {judgment.pk} is {judgment.get_review_status_display().lower()}, so it "
            "can no longer be changed."
        )
    previous_status = judgment.review_status
    JudgmentRevision.objects.create(
        judgment=judgment,
        version=judgment.version,
        verdict=judgment.verdict,
        dimension_scores=judgment.dimension_scores,
        rationale=judgment.rationale,
    )
    judgment.verdict = data.verdict
    judgment.dimension_scores = data.dimension_scores
    judgment.rationale = data.rationale.strip()
    judgment.version += 1
    judgment.save()
    if not judgment.is_gold:
        review_after_author_edit(judgment=judgment, previous_status=previous_status)
    return judgment


def _lost_lease_error(assignment: Assignment) -> LeaseExpired:
    """Expire the lease if it still looks live, in its own transaction, and explain why the
    judgment is refused."""
    if assignment.status == AssignmentStatus.LEASED:
        with transaction.atomic():
            changed = Assignment.objects.filter(
                pk=assignment.pk, status=AssignmentStatus.LEASED
            ).update(status=AssignmentStatus.EXPIRED, finished_at=timezone.now())
            if changed and not assignment.comparison.is_gold:
                _free_slots([assignment.comparison_id])
        assignment.status = AssignmentStatus.EXPIRED
    return LeaseExpired(
        f"Your lease on this comparison ended at {assignment.lease_expires_at.isoformat()} "
        f"({assignment.status}); it went back to the pool and your judgment was not stored. "
        "Take the next task."
    )


def judgment_submit(*, user: Any, assignment_id: int, data: JudgmentInput) -> Judgment:
    """Store the expert's judgment on their lease, exactly once.

    A repeat with the same content (a double click, a retry, a second tab) returns the stored
    judgment. Different content is a change of mind: the old version goes to the revision
    history and the judgment is updated, allowed until review starts. A lease that expired,
    was skipped or was released is refused, so a comparison never gets more judgments than
    asked for.
    """
    with transaction.atomic():
        assignment = (
            Assignment.objects.select_for_update(of=("self",))
            .select_related(
                "comparison__batch__domain", "comparison__response_a", "comparison__response_b"
            )
            .filter(pk=assignment_id, expert=user)
            .first()
        )
        if assignment is None:
            raise AssignmentNotFound(assignment_id)
        comparison = assignment.comparison
        domain = comparison.batch.domain if comparison.batch else comparison.domain
        require_work_access(user=user, domain=domain)
        validate_judgment_input(data=data, rubric=Rubric.objects.filter(domain=domain).first())

        if assignment.status == AssignmentStatus.SUBMITTED:
            judgment = Judgment.objects.select_for_update().get(assignment=assignment)
            return judgment if _same_content(judgment, data) else _revise(judgment, data)
        is_live = assignment.status == AssignmentStatus.LEASED
        created = (
            _create(assignment, user, data)
            if is_live and assignment.lease_expires_at > timezone.now()
            else None
        )
    # Outside the transaction above, so that expiring the lost lease is not rolled back.
    if created is None:
        raise _lost_lease_error(assignment)
    logger.info(
        "annotation.judgment.submitted",
        extra={"judgment_id": created.pk, "assignment_id": assignment.pk},
    )
    return created


def _create(assignment: Assignment, user: Any, data: JudgmentInput) -> Judgment:
    comparison = assignment.comparison
    shown_a, shown_b = comparison.response_a, comparison.response_b
    if assignment.is_swapped:
        shown_a, shown_b = shown_b, shown_a
    profile = ExpertProfile.objects.filter(user=user).first()
    judgment = Judgment.objects.create(
        domain=comparison.domain,
        comparison=comparison,
        assignment=assignment,
        model_a_id=shown_a.model_id,
        model_b_id=shown_b.model_id,
        verdict=data.verdict,
        dimension_scores=data.dimension_scores,
        rationale=data.rationale.strip(),
        judge=user.get_username(),
        expert=profile,
        judged_at=timezone.now(),
        time_spent_seconds=_time_spent(assignment, data.active_seconds),
        review_status=ReviewStatus.ACCEPTED if comparison.is_gold else ReviewStatus.PENDING,
        is_gold=comparison.is_gold,
    )
    if not comparison.is_gold:
        review_enter(judgment=judgment)
    assignment.status = AssignmentStatus.SUBMITTED
    assignment.finished_at = timezone.now()
    assignment.save(update_fields=["status", "finished_at"])
    return judgment
