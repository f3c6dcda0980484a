"""Reads of qualification tests and attempts, scoped to the requesting user.

The applicant's view of an attempt is built here and nowhere else. It carries the prompt, the
two response texts and the applicant's own answers, and never a gold item's correct verdict,
a per-item score or a count of right answers while the attempt is in progress.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from experts.models import (
    AttemptStatus,
    DomainApplication,
    QualificationAttempt,
    QualificationTest,
)
from seal_platform.errors import NotFound


class AttemptNotFound(NotFound):
    code = "attempt_not_found"

    def __init__(self, attempt_id: int) -> None:
        super().__init__(
            f"Qualification attempt {attempt_id} does not exist or is not yours. Open your "
            "attempts from your application."
        )


@dataclass(frozen=True)
class AttemptAllowance:
    """An application's position against its test's attempt rules at one moment.

    `used` counts every attempt, abandoned ones included. `opens_at` is when the waiting
    period after the latest attempt ends, or None when no attempt has finished yet.
    """

    used: int
    limit: int
    in_progress: QualificationAttempt | None
    has_passed: bool
    opens_at: datetime | None

    @property
    def remaining(self) -> int:
        return max(self.limit - self.used, 0)


@dataclass(frozen=True)
class AttemptItemView:
    position: int
    prompt_text: str
    response_a_text: str
    response_b_text: str
    answer: str


@dataclass(frozen=True)
class AttemptResult:
    """Outcome shown to an applicant, which is the total and the pass mark, never per-item data."""

    correct_count: int
    item_count: int
    pass_mark: float


@dataclass(frozen=True)
class AttemptView:
    id: int
    application_id: int
    domain_name: str
    number: int
    status: str
    started_at: datetime
    expires_at: datetime
    finished_at: datetime | None
    item_count: int
    pass_mark: float
    items: list[AttemptItemView]
    result: AttemptResult | None


def attempt_effective_end(*, attempt: QualificationAttempt) -> datetime | None:
    """Return when the attempt ended: its finished_at, or its expires_at if it was abandoned.

    An attempt still in progress has no end and returns None.
    """
    if attempt.status == AttemptStatus.ABANDONED:
        return attempt.expires_at
    return attempt.finished_at


def attempt_allowance(
    *,
    test: QualificationTest,
    application: DomainApplication,
    attempts: Sequence[QualificationAttempt],
) -> AttemptAllowance:
    """Apply the attempt rules to `attempts`, which must be all of the application's attempts.

    The start service passes rows it has locked, and pages pass a plain read. An in-progress
    attempt past its expires_at must already be marked abandoned, because this function only
    reads.
    """
    in_progress = next(
        (attempt for attempt in attempts if attempt.status == AttemptStatus.IN_PROGRESS), None
    )
    ends = [attempt_effective_end(attempt=attempt) for attempt in attempts]
    known_ends = [end for end in ends if end is not None]
    opens_at = max(known_ends) + test.wait_between_attempts if known_ends else None
    return AttemptAllowance(
        used=len(attempts),
        limit=test.max_attempts + application.extra_attempts,
        in_progress=in_progress,
        has_passed=any(attempt.status == AttemptStatus.PASSED for attempt in attempts),
        opens_at=opens_at,
    )


def attempt_allowance_get(*, application: DomainApplication) -> AttemptAllowance | None:
    """Return the application's standing for display, or None when its domain has no test.

    This is a plain read, so an expired attempt not yet marked abandoned shows as in progress.
    """
    test = qualification_test_get_for_application(application=application)
    if test is None:
        return None
    attempts = list(attempt_list_for_application(application=application))
    return attempt_allowance(test=test, application=application, attempts=attempts)


def qualification_test_get_for_application(
    *, application: DomainApplication
) -> QualificationTest | None:
    return QualificationTest.objects.filter(domain_id=application.domain_id).first()


def attempt_get_for_applicant(*, user: Any, attempt_id: int) -> QualificationAttempt:
    """Return the user's own attempt. Anyone else's, staff included, raises AttemptNotFound."""
    if not user.is_authenticated:
        raise AttemptNotFound(attempt_id)
    attempt = (
        QualificationAttempt.objects.select_related("application__domain")
        .filter(pk=attempt_id, application__applicant_id=user.pk)
        .first()
    )
    if attempt is None:
        raise AttemptNotFound(attempt_id)
    return attempt


def attempt_list_for_application(
    *, application: DomainApplication
) -> QuerySet[QualificationAttempt]:
    return QualificationAttempt.objects.filter(application=application).order_by("number")


def attempt_view_for_applicant(*, attempt: QualificationAttempt) -> AttemptView:
    """Build the applicant-safe view of an attempt.

    Gold items are read through `values()` with the display fields only, so the correct
    verdict is never loaded into this view. Items are listed only while the attempt is in
    progress. A finished attempt shows the total and the pass mark alone, so its page cannot
    be read item by item against the applicant's answers.
    """
    test = QualificationTest.objects.get(domain_id=attempt.application.domain_id)
    rows = (
        attempt.items.order_by("position").values(
            "position",
            "answer",
            "gold_item__prompt_text",
            "gold_item__response_a_text",
            "gold_item__response_b_text",
        )
        if attempt.status == AttemptStatus.IN_PROGRESS
        else []
    )
    items = [
        AttemptItemView(
            position=row["position"],
            prompt_text=row["gold_item__prompt_text"],
            response_a_text=row["gold_item__response_a_text"],
            response_b_text=row["gold_item__response_b_text"],
            answer=row["answer"],
        )
        for row in rows
    ]
    return AttemptView(
        id=attempt.pk,
        application_id=attempt.application_id,
        domain_name=attempt.application.domain.name,
        number=attempt.number,
        status=attempt.status,
        started_at=attempt.started_at,
        expires_at=attempt.expires_at,
        finished_at=attempt.finished_at,
        item_count=attempt.item_count,
        pass_mark=test.pass_mark,
        items=items,
        result=_attempt_result(attempt=attempt, test=test),
    )


def _attempt_result(
    *, attempt: QualificationAttempt, test: QualificationTest
) -> AttemptResult | None:
    is_graded = attempt.status in (AttemptStatus.PASSED, AttemptStatus.FAILED)
    if not is_graded or attempt.correct_count is None:
        return None
    return AttemptResult(
        correct_count=attempt.correct_count,
        item_count=attempt.item_count,
        pass_mark=test.pass_mark,
    )


def attempt_is_expired(*, attempt: QualificationAttempt, now: datetime | None = None) -> bool:
    """Return whether an in-progress attempt has passed its expires_at and must be abandoned."""
    moment = now or timezone.now()
    return attempt.status == AttemptStatus.IN_PROGRESS and attempt.expires_at <= moment
