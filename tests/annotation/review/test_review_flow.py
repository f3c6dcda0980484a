"""Review rounds: who may review what, decisions, returns, and what counts for the fit."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from annotation.models import (
    BatchStatus,
    ComparisonBatch,
    Judgment,
    ReviewRound,
    ReviewStatus,
    ReviewTask,
    ReviewTaskStatus,
)
from annotation.selectors_review import judgments_returned_to
from annotation.services.assignment import WorkNotAllowed, assignment_next
from annotation.services.batch_close import REFIT_TASK_NAME, BatchAlreadyClosed, batch_close
from annotation.services.judgment_submit import JudgmentInput, judgment_submit
from annotation.services.review import (
    ReviewTaskNotFound,
    is_sampled,
    review_decide,
    review_next,
)
from annotation.signals import judgments_reversed
from experts.models import Domain
from leaderboards.fit_input import DomainHasNoJudgments, fit_input_for_domain
from tests.annotation.work.test_assignment import race
from tests.annotation.work_setup import approved_expert, make_batch
from tests.experts.factories import DomainApprovalFactory, DomainFactory, StaffUserFactory

pytestmark = pytest.mark.django_db

GOOD = JudgmentInput(
    verdict="a",
    dimension_scores={"correctness": -1, "readability": 0},
    rationale="A keeps the form and the imagery; B rambles.",
)
BETTER = JudgmentInput(
    verdict="b",
    dimension_scores={"correctness": 1, "readability": 1},
    rationale="On a second read B is the better poem by far.",
)


def judged(domain: Domain, expert: Any, data: JudgmentInput = GOOD) -> Judgment:
    assignment = assignment_next(user=expert, domain=domain)
    assert assignment is not None
    return judgment_submit(user=expert, assignment_id=assignment.pk, data=data)


def assignment_of(judgment: Judgment) -> int:
    assert judgment.assignment_id is not None
    return judgment.assignment_id


def reviewer_in(domain: Domain, user: Any = None) -> Any:
    kwargs = {"expert": user} if user is not None else {}
    return DomainApprovalFactory(domain=domain, is_reviewer=True, **kwargs).expert


def two_rounds(domain: Domain) -> None:
    ReviewRound.objects.create(domain=domain, number=1, name="Peer", requires_reviewer_role=False)
    ReviewRound.objects.create(domain=domain, number=2, name="Audit", requires_reviewer_role=True)


def accepted_count(domain: Domain) -> int:
    try:
        return fit_input_for_domain(domain=domain).judgment_count
    except DomainHasNoJudgments:
        return 0


def test_submitted_judgment_waits_for_review_and_stays_out_of_the_fit() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)

    judgment = judged(domain, approved_expert(domain))

    assert judgment.review_status == ReviewStatus.PENDING
    task = ReviewTask.objects.get(judgment=judgment)
    assert (task.status, task.round.number, task.judgment_version) == ("waiting", 1, 1)
    assert accepted_count(domain) == 0


def test_accept_in_the_last_round_counts_the_judgment() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=2)
    judgment = judged(domain, approved_expert(domain))
    reviewer = reviewer_in(domain)

    task = review_next(reviewer=reviewer, domain=domain)
    assert task is not None
    review_decide(reviewer=reviewer, task_id=task.pk, decision="accept")

    judgment.refresh_from_db()
    assert judgment.review_status == ReviewStatus.ACCEPTED
    assert accepted_count(domain) == 1


def test_two_rounds_pass_in_order() -> None:
    domain = DomainFactory()
    two_rounds(domain)
    make_batch(domain, comparisons=2, required=1)
    judgment = judged(domain, approved_expert(domain))
    peer = approved_expert(domain)
    auditor = reviewer_in(domain)

    first = review_next(reviewer=peer, domain=domain)
    assert first is not None and first.round.number == 1
    review_decide(reviewer=peer, task_id=first.pk, decision="accept")
    judgment.refresh_from_db()
    assert judgment.review_status == ReviewStatus.PENDING
    assert review_next(reviewer=peer, domain=domain) is None
    second = review_next(reviewer=auditor, domain=domain)
    assert second is not None and second.round.number == 2
    review_decide(reviewer=auditor, task_id=second.pk, decision="accept")

    judgment.refresh_from_db()
    assert judgment.review_status == ReviewStatus.ACCEPTED


def test_nobody_reviews_their_own_judgment() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=2)
    author = approved_expert(domain, is_reviewer=True)
    judgment = judged(domain, author)

    assert review_next(reviewer=author, domain=domain) is None
    task = ReviewTask.objects.get(judgment=judgment)
    with pytest.raises(ReviewTaskNotFound):
        review_decide(reviewer=author, task_id=task.pk, decision="accept")
    judgment.refresh_from_db()
    assert judgment.review_status == ReviewStatus.PENDING


def test_superuser_author_gets_no_way_around() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=2)
    author = approved_expert(domain, is_reviewer=True)
    User.objects.filter(pk=author.pk).update(is_superuser=True, is_staff=True)
    author.refresh_from_db()
    judged(domain, author)

    assert review_next(reviewer=author, domain=domain) is None


def test_reviewer_never_gets_a_comparison_they_judged() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1, required=2)
    both = approved_expert(domain, is_reviewer=True)
    other = approved_expert(domain)
    judged(domain, both)
    judged(domain, other)

    assert review_next(reviewer=both, domain=domain) is None


def test_reviewer_who_changed_it_skips_its_next_round() -> None:
    domain = DomainFactory()
    ReviewRound.objects.create(domain=domain, number=1, name="Peer", requires_reviewer_role=True)
    ReviewRound.objects.create(domain=domain, number=2, name="Audit", requires_reviewer_role=True)
    make_batch(domain, comparisons=2)
    judgment = judged(domain, approved_expert(domain))
    changer = reviewer_in(domain)
    other = reviewer_in(domain)

    task = review_next(reviewer=changer, domain=domain)
    assert task is not None
    review_decide(reviewer=changer, task_id=task.pk, decision="accept", changes={"verdict": "tie"})

    judgment.refresh_from_db()
    assert (judgment.verdict, judgment.version) == ("tie", 2)
    assert review_next(reviewer=changer, domain=domain) is None
    second = review_next(reviewer=other, domain=domain)
    assert second is not None
    assert (second.round.number, second.judgment_version) == (2, 2)


def test_returned_judgment_goes_to_its_author_and_back_to_the_round() -> None:
    domain = DomainFactory()
    two_rounds(domain)
    make_batch(domain, comparisons=2)
    author = approved_expert(domain)
    judgment = judged(domain, author)
    peer = approved_expert(domain)
    first = review_next(reviewer=peer, domain=domain)
    assert first is not None

    review_decide(reviewer=peer, task_id=first.pk, decision="return", comment="Explain B's error.")

    judgment.refresh_from_db()
    assert judgment.review_status == ReviewStatus.RETURNED
    assert judgments_returned_to(user=author) == [(judgment, "Explain B's error.")]
    assert review_next(reviewer=approved_expert(domain), domain=domain) is None
    assert accepted_count(domain) == 0

    judgment_submit(user=author, assignment_id=assignment_of(judgment), data=BETTER)

    judgment.refresh_from_db()
    waiting = ReviewTask.objects.filter(judgment=judgment, status=ReviewTaskStatus.WAITING)
    assert judgment.review_status == ReviewStatus.PENDING
    assert [(task.round.number, task.judgment_version) for task in waiting] == [(1, 2)]
    assert judgments_returned_to(user=author) == []


def test_edit_after_acceptance_is_a_new_version_out_of_the_fit() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=2)
    author = approved_expert(domain)
    judgment = judged(domain, author)
    reviewer = reviewer_in(domain)
    task = review_next(reviewer=reviewer, domain=domain)
    assert task is not None
    review_decide(reviewer=reviewer, task_id=task.pk, decision="accept")
    assert accepted_count(domain) == 1
    reversed_ids: list[int] = []

    def receiver(sender: Any, judgment_ids: list[int], **kwargs: Any) -> None:
        reversed_ids.extend(judgment_ids)

    judgments_reversed.connect(receiver)
    try:
        judgment_submit(user=author, assignment_id=assignment_of(judgment), data=BETTER)
    finally:
        judgments_reversed.disconnect(receiver)

    judgment.refresh_from_db()
    assert (judgment.review_status, judgment.version) == (ReviewStatus.PENDING, 2)
    assert accepted_count(domain) == 0
    assert reversed_ids == [judgment.pk]


def test_change_while_a_reviewer_holds_it_is_refused() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=2)
    author = approved_expert(domain)
    judgment = judged(domain, author)
    assert review_next(reviewer=reviewer_in(domain), domain=domain) is not None

    with pytest.raises(Exception) as caught:
        judgment_submit(user=author, assignment_id=assignment_of(judgment), data=BETTER)

    judgment.refresh_from_db()
    assert "is with a reviewer now" in str(caught.value)
    assert (judgment.verdict, judgment.version) == ("a", 1)


def test_reject_in_a_later_round_announces_a_reversal() -> None:
    domain = DomainFactory()
    two_rounds(domain)
    make_batch(domain, comparisons=2)
    judgment = judged(domain, approved_expert(domain))
    peer = approved_expert(domain)
    auditor = reviewer_in(domain)
    first = review_next(reviewer=peer, domain=domain)
    assert first is not None
    review_decide(reviewer=peer, task_id=first.pk, decision="accept")
    second = review_next(reviewer=auditor, domain=domain)
    assert second is not None
    reversed_ids: list[int] = []

    def receiver(sender: Any, judgment_ids: list[int], **kwargs: Any) -> None:
        reversed_ids.extend(judgment_ids)

    judgments_reversed.connect(receiver)
    try:
        review_decide(reviewer=auditor, task_id=second.pk, decision="reject", comment="Copied.")
    finally:
        judgments_reversed.disconnect(receiver)

    judgment.refresh_from_db()
    assert judgment.review_status == ReviewStatus.REJECTED
    assert reversed_ids == [judgment.pk]


def test_reject_and_return_need_a_comment() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=2)
    judged(domain, approved_expert(domain))
    reviewer = reviewer_in(domain)
    task = review_next(reviewer=reviewer, domain=domain)
    assert task is not None

    with pytest.raises(Exception) as caught:
        review_decide(reviewer=reviewer, task_id=task.pk, decision="reject", comment=" ")

    task.refresh_from_db()
    assert getattr(caught.value, "fields", {}) == {"comment": ["Required."]}
    assert task.status == ReviewTaskStatus.LEASED


def test_expert_without_reviewer_role_cannot_take_audit_rounds() -> None:
    domain = DomainFactory(name="Coding")
    make_batch(domain, comparisons=2)
    judged(domain, approved_expert(domain))

    with pytest.raises(WorkNotAllowed) as caught:
        review_next(reviewer=approved_expert(domain), domain=domain)

    assert caught.value.message == "You do not have the reviewer role in Coding."


def test_sampling_is_reproducible_and_near_the_share() -> None:
    domain = DomainFactory()
    review_round = ReviewRound.objects.create(
        domain=domain, number=1, name="Spot check", sample_share=0.5
    )
    make_batch(domain, comparisons=1)
    judgment = judged(domain, approved_expert(domain))

    draws = []
    for version in range(1, 401):
        judgment.version = version
        draws.append(is_sampled(judgment=judgment, review_round=review_round))

    assert draws == [
        is_sampled(judgment=judgment, review_round=review_round)
        for judgment.version in range(1, 401)
    ]
    assert 160 <= sum(draws) <= 240


def test_last_settled_judgment_closes_the_batch_and_queues_the_refit(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    domain = DomainFactory()
    batch = make_batch(domain, comparisons=1)
    judged(domain, approved_expert(domain))
    reviewer = reviewer_in(domain)
    task = review_next(reviewer=reviewer, domain=domain)
    assert task is not None

    with django_capture_on_commit_callbacks() as callbacks:
        review_decide(reviewer=reviewer, task_id=task.pk, decision="accept")

    batch.refresh_from_db()
    assert batch.status == BatchStatus.CLOSED
    assert batch.closed_by is None
    assert len(callbacks) == 1


def test_staff_close_counts_what_is_left_out(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    domain = DomainFactory()
    batch = make_batch(domain, comparisons=3)
    expert = approved_expert(domain)
    judged(domain, expert)
    judged(domain, expert)
    staff = StaffUserFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        batch_close(batch=batch, staff_user=staff)

    batch.refresh_from_db()
    assert (batch.status, batch.unsettled_at_close, batch.closed_by) == ("closed", 2, staff)
    assert len(callbacks) == 1
    with pytest.raises(BatchAlreadyClosed) as caught:
        batch_close(batch=batch, staff_user=staff)
    assert caught.value.message == (
        f"Batch {batch.pk} is already closed. Open a new batch to collect more judgments."
    )


def test_failed_request_after_closing_queues_no_refit(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    from django.db import transaction

    domain = DomainFactory()
    batch = make_batch(domain, comparisons=1)

    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            batch_close(batch=batch, staff_user=StaffUserFactory())
            raise RuntimeError("the request failed after closing")

    batch.refresh_from_db()
    assert batch.status == BatchStatus.OPEN
    assert callbacks == []
    assert REFIT_TASK_NAME == "leaderboards.batch_refit"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_reviewers_at_once_never_share_a_task() -> None:
    assert connection.vendor == "postgresql"
    domain = DomainFactory()
    make_batch(domain, comparisons=2)
    expert = approved_expert(domain)
    judged(domain, expert)
    judged(domain, expert)
    reviewers = [reviewer_in(domain), reviewer_in(domain)]

    tasks = race(reviewers, lambda reviewer: review_next(reviewer=reviewer, domain=domain))

    assert all(isinstance(task, ReviewTask) for task in tasks), tasks
    assert tasks[0].pk != tasks[1].pk
    assert not ComparisonBatch.objects.filter(status=BatchStatus.CLOSED).exists()
