"""Judgments made through assignments, with the sides as shown, for the quality tests."""

from datetime import timedelta
from typing import Any

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from annotation.models import (
    Assignment,
    AssignmentStatus,
    Comparison,
    Judgment,
    ReviewRound,
    ReviewStatus,
    ReviewTask,
)
from experts.models import Domain, ExpertProfile
from tests.experts.factories import (
    DomainApprovalFactory,
    ExpertProfileFactory,
    StaffUserFactory,
)


def expert_with_profile(domain: Domain, *, name: str, is_reviewer: bool = False) -> ExpertProfile:
    """An approved expert of the domain with a profile called `name`.

    The users get no password (tests log in with `force_login`), which skips the slow
    password hashing, and one approver serves every approval.
    """
    approver = User.objects.get_or_create(username="quality-approver")[0]
    approval = DomainApprovalFactory(
        domain=domain,
        expert__username=name.lower(),
        expert__password=None,
        approved_by=approver,
        is_reviewer=is_reviewer,
    )
    profile: ExpertProfile = ExpertProfileFactory(user=approval.expert, display_name=name)
    return profile


def judge(
    comparison: Comparison,
    profile: ExpertProfile,
    *,
    is_swapped: bool,
    verdict: str,
    scores: dict[str, int] | None = None,
    seconds: int | None = 60,
    review_status: str = ReviewStatus.PENDING,
) -> Judgment:
    """Store a submitted assignment and its judgment; `verdict` and `scores` are as shown."""
    now = timezone.now()
    assignment = Assignment.objects.create(
        comparison=comparison,
        expert=profile.user,
        status=AssignmentStatus.SUBMITTED,
        is_swapped=is_swapped,
        leased_at=now,
        lease_expires_at=now + timedelta(minutes=10),
        finished_at=now,
    )
    shown_a, shown_b = comparison.response_a, comparison.response_b
    if is_swapped:
        shown_a, shown_b = shown_b, shown_a
    judgment: Judgment = Judgment.objects.create(
        domain=comparison.domain,
        comparison=comparison,
        assignment=assignment,
        model_a_id=shown_a.model_id,
        model_b_id=shown_b.model_id,
        verdict=verdict,
        dimension_scores=scores or {},
        rationale="The first response answers the question; the second does not.",
        judge=profile.user.username,
        expert=profile,
        judged_at=now,
        time_spent_seconds=seconds,
        review_status=review_status,
        is_gold=comparison.is_gold,
    )
    return judgment


def review_round(domain: Domain, number: int) -> ReviewRound:
    review_round_row: ReviewRound = ReviewRound.objects.get_or_create(
        domain=domain, number=number, defaults={"name": f"Round {number}"}
    )[0]
    return review_round_row


def decide(judgment: Judgment, *, number: int, status: str, reviewer: User) -> ReviewTask:
    """Store a decided review task of the judgment in round `number` of its domain."""
    task: ReviewTask = ReviewTask.objects.create(
        judgment=judgment,
        round=review_round(judgment.domain, number),
        judgment_version=judgment.version,
        status=status,
        reviewer=reviewer,
        decided_at=timezone.now(),
    )
    return task


def staff_user() -> User:
    """A staff member without a password, for `force_login`."""
    user: User = StaffUserFactory(password=None)
    return user


def logged_in(user: Any) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client
