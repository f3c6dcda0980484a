"""Qualification attempts: start, save answers, submit, abandon on expiry, extra attempts.

The database enforces the attempt rules under concurrency. A start locks the application row,
and the unique constraints on (application, number) and on one in-progress attempt per
application reject a second attempt whatever the callers race on. Answers and grading lock the
attempt row, so an attempt is graded exactly once.

An in-progress attempt past its expires_at is abandoned: it counts as an attempt and as failed.
Every function that touches an attempt marks it abandoned first and commits that mark, even
when it then rejects the request, so no expired attempt stays "in progress".

NOTE: "commits" is true only when no outer transaction is open. A caller that wraps these
functions in `transaction.atomic` and lets the error propagate rolls the abandonment back too.
"""

import logging
import random
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from experts.models import (
    ApplicationStatus,
    AttemptItem,
    AttemptStatus,
    AuditAction,
    DomainApplication,
    GoldItem,
    QualificationAttempt,
    QualificationTest,
)
from experts.roles import is_staff_member
from experts.selectors.application import (
    ApplicationNotFound,
    application_has_verified_credential,
)
from experts.selectors.qualification import (
    AttemptNotFound,
    attempt_allowance,
    attempt_is_expired,
    qualification_test_get_for_application,
)
from experts.services.audit import audit_record
from seal_platform.errors import Conflict, InvalidInput, SealError
from seal_platform.verdict import Verdict

logger = logging.getLogger(__name__)

# The draw needs no secrecy, but SystemRandom keeps one applicant's draws from being predicted
# from another's.
_draw_rng = random.SystemRandom()

VERDICT_VALUES = tuple(Verdict.values)


class StaffRequired(SealError):
    code = "staff_required"
    status_code = 403


class QualificationTestMissing(Conflict):
    code = "qualification_test_missing"

    def __init__(self, application: DomainApplication) -> None:
        super().__init__(
            f"Domain {application.domain.name} has no qualification test yet, so application "
            f"{application.pk} cannot start one. Try again after staff set up the test."
        )


class QualificationTestItemsShort(Conflict):
    code = "qualification_test_items_short"

    def __init__(self, test: QualificationTest, active_count: int) -> None:
        super().__init__(
            f"The {test.domain.name} qualification test needs {test.item_count} active gold "
            f"items but has {active_count}. Ask staff to add gold items, then start again."
        )


class ApplicationNotOpen(Conflict):
    code = "application_not_open"

    def __init__(self, application: DomainApplication) -> None:
        status = ApplicationStatus(application.status).label.lower()
        super().__init__(
            f"Application {application.pk} is {status}, and only a submitted application can "
            "take the qualification test."
        )


class CredentialNotVerified(Conflict):
    code = "credential_not_verified"

    def __init__(self, application: DomainApplication) -> None:
        super().__init__(
            f"Application {application.pk} has no verified credential yet. Start the "
            "qualification test after staff verify one of your credentials."
        )


class AttemptInProgress(Conflict):
    code = "attempt_in_progress"

    def __init__(self, attempt: QualificationAttempt) -> None:
        super().__init__(
            f"Attempt {attempt.number} of application {attempt.application_id} is already in "
            f"progress (attempt id {attempt.pk}). Finish and submit it before starting another."
        )


class AttemptAlreadyPassed(Conflict):
    code = "attempt_already_passed"

    def __init__(self, attempt: QualificationAttempt) -> None:
        super().__init__(
            f"Application {attempt.application_id} already passed the qualification test in "
            f"attempt {attempt.number}, so it needs no further attempt."
        )


class AttemptLimitReached(Conflict):
    code = "attempt_limit_reached"

    def __init__(self, application: DomainApplication, used: int, limit: int) -> None:
        super().__init__(
            f"Application {application.pk} has used {used} of {limit} qualification attempts. "
            "Ask staff for an extra attempt to try again."
        )


class AttemptWaitingPeriod(Conflict):
    code = "attempt_waiting_period"

    def __init__(self, application: DomainApplication, opens_at: datetime) -> None:
        self.opens_at = opens_at
        super().__init__(
            f"The next qualification attempt for application {application.pk} opens at "
            f"{timezone.localtime(opens_at).isoformat()}. Start it then."
        )


class AttemptAlreadyGraded(Conflict):
    code = "attempt_already_graded"

    def __init__(self, attempt: QualificationAttempt) -> None:
        status = AttemptStatus(attempt.status).label.lower()
        super().__init__(
            f"Attempt {attempt.number} (id {attempt.pk}) is already graded as {status}. Open "
            "it to see the result."
        )


class AttemptExpired(Conflict):
    code = "attempt_expired"

    def __init__(self, attempt: QualificationAttempt) -> None:
        super().__init__(
            f"Attempt {attempt.number} (id {attempt.pk}) expired at "
            f"{timezone.localtime(attempt.expires_at).isoformat()} and was abandoned, so it "
            "counts as a failed attempt. Start a new attempt once the waiting period ends."
        )


class AttemptItemsBlank(InvalidInput):
    """Raised when a submit finds items without an answer. It names their positions only."""

    code = "attempt_items_blank"

    def __init__(self, positions: Sequence[int]) -> None:
        self.positions = list(positions)
        listed = ", ".join(str(position) for position in positions)
        noun = "Item" if len(positions) == 1 else "Items"
        verb = "has" if len(positions) == 1 else "have"
        super().__init__(
            f"{noun} {listed} {verb} no answer. Choose a verdict for every item, then submit "
            "again.",
            fields={"answers": [f"Item {position} has no answer." for position in positions]},
        )


class AttemptAnswersInvalid(InvalidInput):
    code = "attempt_answers_invalid"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            " ".join(problems) + " Fix these answers and save again.",
            fields={"answers": problems},
        )


class ExtraAttemptReasonMissing(InvalidInput):
    code = "extra_attempt_reason_missing"

    def __init__(self) -> None:
        message = "The reason for the extra attempt is missing. Write one for the audit trail."
        super().__init__(message, fields={"reason": [message]})


class ExtraAttemptOwnApplication(StaffRequired):
    code = "extra_attempt_own_application"

    def __init__(self, application: DomainApplication) -> None:
        super().__init__(
            f"Application {application.pk} is your own, so you cannot grant it an extra "
            "attempt. Ask another staff member."
        )


def attempt_start(*, application: DomainApplication, user: Any) -> QualificationAttempt:
    """Start the application's next attempt, with `item_count` gold items drawn for it.

    Raises ApplicationNotFound when `user` is not the applicant. Raises a Conflict when the
    domain has no test or too few active gold items, or the application is not open or has no
    verified credential. It also raises one when an attempt is in progress or has passed, when
    the limit (max_attempts + extra_attempts) is used up, or during the waiting period after
    the latest attempt. An expired attempt found here is marked abandoned first and counts.
    """
    _check_applicant(application=application, user=user)

    now = timezone.now()
    rejection: SealError | None = None
    with transaction.atomic():
        locked = DomainApplication.objects.select_for_update().get(pk=application.pk)
        attempts = list(
            QualificationAttempt.objects.select_for_update()
            .filter(application=locked)
            .order_by("number")
        )
        for attempt in attempts:
            _abandon_locked_if_expired(attempt=attempt, now=now)

        # A rejection is raised after this block commits, so an abandonment marked above is
        # kept. The checks write nothing before they raise.
        try:
            started = _attempt_create(application=locked, attempts=attempts, user=user, now=now)
        except SealError as error:
            rejection = error
    if rejection is not None:
        raise rejection

    logger.info(
        "experts.attempt.started",
        extra={"attempt_id": started.pk, "application_id": locked.pk, "number": started.number},
    )
    return started


def attempt_save_answers(
    *, attempt: QualificationAttempt, user: Any, answers: Mapping[int, str]
) -> QualificationAttempt:
    """Store the applicant's answers, a map from item position to verdict.

    An empty string clears an answer, and positions not named in `answers` keep their saved
    answer. Raises AttemptNotFound for
    someone else's attempt, AttemptAnswersInvalid for an unknown position or verdict (saving
    nothing), AttemptExpired once the attempt has expired and AttemptAlreadyGraded after
    submission.
    """
    _check_attempt_owner(attempt=attempt, user=user)

    now = timezone.now()
    rejection: SealError | None = None
    with transaction.atomic():
        locked = _attempt_lock(attempt=attempt)
        rejection = _attempt_closed_rejection(attempt=locked, now=now)
        if rejection is None:
            items = {item.position: item for item in locked.items.all()}
            _check_answers(answers=answers, positions=sorted(items))
            changed = []
            for position, verdict in answers.items():
                item = items[position]
                if item.answer == verdict:
                    continue
                item.answer = verdict
                item.answered_at = now if verdict else None
                changed.append(item)
            AttemptItem.objects.bulk_update(changed, ["answer", "answered_at"])
    if rejection is not None:
        raise rejection
    return locked


def attempt_submit(*, attempt: QualificationAttempt, user: Any) -> QualificationAttempt:
    """Grade the attempt: passed when correct answers / item_count reach the pass mark.

    Raises AttemptItemsBlank naming the positions without an answer, and grades nothing then.
    Raises AttemptAlreadyGraded when the attempt was graded before. The attempt row lock makes
    parallel submits wait, so exactly one grades. The ATTEMPT_GRADED audit entry contains the
    number and the total, never per-item results.
    """
    _check_attempt_owner(attempt=attempt, user=user)

    now = timezone.now()
    rejection: SealError | None = None
    with transaction.atomic():
        locked = _attempt_lock(attempt=attempt)
        rejection = _attempt_closed_rejection(attempt=locked, now=now)
        if rejection is None:
            _attempt_grade(attempt=locked, user=user, now=now)
    if rejection is not None:
        raise rejection

    logger.info(
        "experts.attempt.graded",
        extra={"attempt_id": locked.pk, "status": locked.status},
    )
    return locked


def attempt_abandon_if_expired(*, attempt: QualificationAttempt) -> bool:
    """Mark an in-progress attempt past its expires_at as abandoned, and return True if so.

    Runs in its own transaction, so the mark is committed before the caller goes on. The
    caller's instance gets the new status.
    """
    with transaction.atomic():
        locked = _attempt_lock(attempt=attempt)
        is_abandoned = _abandon_locked_if_expired(attempt=locked, now=timezone.now())
    attempt.status = locked.status
    return is_abandoned


def extra_attempt_grant(
    *, application: DomainApplication, staff_user: Any, reason: str
) -> DomainApplication:
    """Allow the application one more qualification attempt beyond the domain's limit.

    The waiting period still applies. Raises StaffRequired for a non-staff user,
    ExtraAttemptOwnApplication when staff grant their own application,
    ExtraAttemptReasonMissing for a blank reason, ApplicationNotOpen for a decided or withdrawn
    application and AttemptAlreadyPassed when an attempt has passed.
    """
    if not is_staff_member(staff_user):
        raise StaffRequired("Only staff may grant an extra qualification attempt.")
    if application.applicant_id == staff_user.pk:
        raise ExtraAttemptOwnApplication(application)
    reason = reason.strip()
    if not reason:
        raise ExtraAttemptReasonMissing()

    with transaction.atomic():
        locked = DomainApplication.objects.select_for_update().get(pk=application.pk)
        if locked.status != ApplicationStatus.SUBMITTED:
            raise ApplicationNotOpen(locked)
        passed = locked.attempts.filter(status=AttemptStatus.PASSED).first()
        if passed is not None:
            raise AttemptAlreadyPassed(passed)

        locked.extra_attempts += 1
        locked.save(update_fields=["extra_attempts"])
        audit_record(
            actor=staff_user,
            action=AuditAction.EXTRA_ATTEMPT_GRANTED,
            subject=locked.applicant,
            target=locked,
            domain=locked.domain,
            reason=reason,
            details={"extra_attempts": locked.extra_attempts},
        )

    application.extra_attempts = locked.extra_attempts
    logger.info(
        "experts.extra_attempt.granted",
        extra={"application_id": locked.pk, "extra_attempts": locked.extra_attempts},
    )
    return locked


def _check_applicant(*, application: DomainApplication, user: Any) -> None:
    if not user.is_authenticated or application.applicant_id != user.pk:
        raise ApplicationNotFound(application.pk)


def _check_attempt_owner(*, attempt: QualificationAttempt, user: Any) -> None:
    if not user.is_authenticated:
        raise AttemptNotFound(attempt.pk)
    is_owner = DomainApplication.objects.filter(
        pk=attempt.application_id, applicant_id=user.pk
    ).exists()
    if not is_owner:
        raise AttemptNotFound(attempt.pk)


def _attempt_lock(*, attempt: QualificationAttempt) -> QualificationAttempt:
    return QualificationAttempt.objects.select_for_update().get(pk=attempt.pk)


def _attempt_closed_rejection(*, attempt: QualificationAttempt, now: datetime) -> SealError | None:
    """Return the error for an attempt that no longer takes answers, abandoning it if expired.

    The caller raises the error after its transaction commits, so the abandonment is kept.
    """
    if _abandon_locked_if_expired(attempt=attempt, now=now):
        return AttemptExpired(attempt)
    if attempt.status == AttemptStatus.ABANDONED:
        return AttemptExpired(attempt)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        return AttemptAlreadyGraded(attempt)
    return None


def _abandon_locked_if_expired(*, attempt: QualificationAttempt, now: datetime) -> bool:
    """Mark a locked, expired attempt abandoned and audit it as graded with no score.

    Its finished_at stays empty, because the attempt ended at its expires_at, which the waiting
    period counts from.
    """
    if not attempt_is_expired(attempt=attempt, now=now):
        return False

    attempt.status = AttemptStatus.ABANDONED
    attempt.save(update_fields=["status"])
    application = DomainApplication.objects.select_related("applicant", "domain").get(
        pk=attempt.application_id
    )
    audit_record(
        actor=None,
        action=AuditAction.ATTEMPT_GRADED,
        subject=application.applicant,
        target=attempt,
        domain=application.domain,
        details={
            "number": attempt.number,
            "status": AttemptStatus.ABANDONED.value,
            "item_count": attempt.item_count,
        },
    )
    logger.info("experts.attempt.abandoned", extra={"attempt_id": attempt.pk})
    return True


def _attempt_create(
    *,
    application: DomainApplication,
    attempts: list[QualificationAttempt],
    user: Any,
    now: datetime,
) -> QualificationAttempt:
    """Check the start rules on locked rows, then create the attempt and its items."""
    test = qualification_test_get_for_application(application=application)
    if test is None:
        raise QualificationTestMissing(application)
    _check_may_start(application=application, test=test, attempts=attempts, now=now)
    gold_item_ids = _gold_items_draw(test=test, application=application)

    number = max((attempt.number for attempt in attempts), default=0) + 1
    try:
        # The savepoint lets the unique constraints reject a duplicate without losing the
        # abandonment already written in this transaction.
        with transaction.atomic():
            attempt = QualificationAttempt.objects.create(
                application=application,
                number=number,
                status=AttemptStatus.IN_PROGRESS,
                started_at=now,
                expires_at=now + test.attempt_duration,
                item_count=test.item_count,
            )
    except IntegrityError as error:
        existing = QualificationAttempt.objects.filter(
            application=application, status=AttemptStatus.IN_PROGRESS
        ).first()
        if existing is None:
            raise
        raise AttemptInProgress(existing) from error

    AttemptItem.objects.bulk_create(
        AttemptItem(attempt=attempt, gold_item_id=gold_item_id, position=position)
        for position, gold_item_id in enumerate(gold_item_ids, start=1)
    )
    audit_record(
        actor=user,
        action=AuditAction.ATTEMPT_STARTED,
        subject=application.applicant,
        target=attempt,
        domain=application.domain,
        details={"number": number, "item_count": attempt.item_count},
    )
    return attempt


def _check_may_start(
    *,
    application: DomainApplication,
    test: QualificationTest,
    attempts: list[QualificationAttempt],
    now: datetime,
) -> None:
    if application.status != ApplicationStatus.SUBMITTED:
        raise ApplicationNotOpen(application)
    if not application_has_verified_credential(application=application):
        raise CredentialNotVerified(application)

    allowance = attempt_allowance(test=test, application=application, attempts=attempts)
    if allowance.in_progress is not None:
        raise AttemptInProgress(allowance.in_progress)
    passed = next((attempt for attempt in attempts if attempt.status == AttemptStatus.PASSED), None)
    if passed is not None:
        raise AttemptAlreadyPassed(passed)
    if allowance.used >= allowance.limit:
        raise AttemptLimitReached(application, allowance.used, allowance.limit)
    if allowance.opens_at is not None and now < allowance.opens_at:
        raise AttemptWaitingPeriod(application, allowance.opens_at)


def _gold_items_draw(*, test: QualificationTest, application: DomainApplication) -> list[int]:
    """Draw `item_count` active gold item ids in shuffled order, unseen ones first.

    Items the applicant met in earlier attempts fill the draw only when the unseen active
    items run short.
    """
    active_ids = list(
        GoldItem.objects.filter(test=test, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if len(active_ids) < test.item_count:
        raise QualificationTestItemsShort(test, len(active_ids))

    seen_ids = set(
        AttemptItem.objects.filter(attempt__application=application).values_list(
            "gold_item_id", flat=True
        )
    )
    unseen = [item_id for item_id in active_ids if item_id not in seen_ids]
    seen = [item_id for item_id in active_ids if item_id in seen_ids]
    if len(unseen) >= test.item_count:
        drawn = _draw_rng.sample(unseen, test.item_count)
    else:
        drawn = unseen + _draw_rng.sample(seen, test.item_count - len(unseen))
    _draw_rng.shuffle(drawn)
    return drawn


def _check_answers(*, answers: Mapping[int, str], positions: list[int]) -> None:
    problems = []
    for position, verdict in sorted(answers.items()):
        if position not in positions:
            problems.append(
                f"Item {position} does not exist. This attempt has items {positions[0]} to "
                f"{positions[-1]}."
            )
        elif verdict and verdict not in VERDICT_VALUES:
            problems.append(
                f"{verdict!r} is not a valid verdict for item {position}. Use one of "
                f"{', '.join(VERDICT_VALUES)}, or an empty string to clear it."
            )
    if problems:
        raise AttemptAnswersInvalid(problems)


def _attempt_grade(*, attempt: QualificationAttempt, user: Any, now: datetime) -> None:
    items = list(attempt.items.select_related("gold_item").order_by("position"))
    blank = [item.position for item in items if not item.answer]
    if blank:
        raise AttemptItemsBlank(blank)

    application = DomainApplication.objects.select_related("applicant", "domain").get(
        pk=attempt.application_id
    )
    test = QualificationTest.objects.get(domain_id=application.domain_id)
    correct_count = sum(1 for item in items if item.answer == item.gold_item.correct_verdict)
    # Divide rather than multiply: 0.55 * 100 is 55.00000000000001 in floating point, which
    # would fail a score of exactly 55 of 100, while 55 / 100 equals the float 0.55.
    is_passed = correct_count / attempt.item_count >= test.pass_mark
    attempt.status = AttemptStatus.PASSED if is_passed else AttemptStatus.FAILED
    attempt.correct_count = correct_count
    attempt.finished_at = now
    attempt.save(update_fields=["status", "correct_count", "finished_at"])

    audit_record(
        actor=user,
        action=AuditAction.ATTEMPT_GRADED,
        subject=application.applicant,
        target=attempt,
        domain=application.domain,
        details={
            "number": attempt.number,
            "status": attempt.status,
            "correct_count": correct_count,
            "item_count": attempt.item_count,
        },
    )
