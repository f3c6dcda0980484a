"""Leasing comparisons: who gets what, leases that expire, skips and concurrency."""

import threading
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.utils import timezone

from annotation.models import Assignment, AssignmentStatus, Comparison
from annotation.services.assignment import (
    WorkNotAllowed,
    assignment_next,
    assignment_skip,
)
from annotation.services.judgment_submit import JudgmentInput, LeaseExpired, judgment_submit
from experts.services.approval import approval_revoke
from tests.annotation.work_setup import approved_expert, make_batch
from tests.experts.factories import DomainFactory, StaffUserFactory, UserFactory

GOOD = JudgmentInput(
    verdict="a",
    dimension_scores={"correctness": -1, "readability": 0},
    rationale="A follows the form; B ignores the syllable count.",
)
CONCURRENCY_ROUNDS = 50


@pytest.mark.django_db
def test_next_task_leases_one_comparison() -> None:
    domain = DomainFactory()
    batch = make_batch(domain)
    expert = approved_expert(domain)

    assignment = assignment_next(user=expert, domain=domain)

    assert assignment is not None
    assert assignment.status == AssignmentStatus.LEASED
    assert assignment.comparison.batch == batch
    assert assignment.lease_expires_at - assignment.leased_at == timedelta(minutes=10)
    assert Comparison.objects.get(pk=assignment.comparison_id).slots_taken == 1


@pytest.mark.django_db
def test_live_lease_is_returned_again() -> None:
    domain = DomainFactory()
    make_batch(domain)
    expert = approved_expert(domain)

    first = assignment_next(user=expert, domain=domain)
    again = assignment_next(user=expert, domain=domain)

    assert first == again
    assert Assignment.objects.count() == 1


@pytest.mark.django_db
def test_expert_never_gets_a_comparison_twice() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=2, required=2)
    expert = approved_expert(domain)

    seen = []
    for _ in range(3):
        assignment = assignment_next(user=expert, domain=domain)
        if assignment is None:
            break
        seen.append(assignment.comparison_id)
        judgment_submit(user=expert, assignment_id=assignment.pk, data=GOOD)

    assert len(seen) == 2
    assert len(set(seen)) == 2


@pytest.mark.django_db
def test_expert_never_judges_their_own_prompt() -> None:
    domain = DomainFactory()
    expert = approved_expert(domain)
    make_batch(domain, comparisons=1, author=expert)

    assert assignment_next(user=expert, domain=domain) is None


@pytest.mark.django_db
def test_full_comparison_goes_to_nobody_else() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1, required=1)
    first = approved_expert(domain)
    second = approved_expert(domain)

    assert assignment_next(user=first, domain=domain) is not None
    assert assignment_next(user=second, domain=domain) is None


@pytest.mark.django_db
def test_unapproved_and_other_domain_experts_are_refused() -> None:
    domain = DomainFactory(name="Coding")
    make_batch(domain)
    other = approved_expert(DomainFactory(name="Math"))

    with pytest.raises(WorkNotAllowed) as unapproved:
        assignment_next(user=UserFactory(), domain=domain)
    with pytest.raises(WorkNotAllowed):
        assignment_next(user=other, domain=domain)

    assert unapproved.value.message.startswith("You are not approved in Coding.")
    assert not Assignment.objects.exists()


@pytest.mark.django_db
def test_expired_lease_goes_to_the_next_expert() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1, lease_minutes=10)
    walker = approved_expert(domain)
    other = approved_expert(domain)
    leased = assignment_next(user=walker, domain=domain)
    assert leased is not None

    later = timezone.now() + timedelta(minutes=11)
    with mock.patch("django.utils.timezone.now", return_value=later):
        taken = assignment_next(user=other, domain=domain)

    leased.refresh_from_db()
    assert taken is not None
    assert taken.comparison_id == leased.comparison_id
    assert leased.status == AssignmentStatus.EXPIRED
    assert Comparison.objects.get(pk=leased.comparison_id).slots_taken == 1


@pytest.mark.django_db
def test_submit_on_expired_lease_is_refused_and_count_kept() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1, lease_minutes=10)
    walker = approved_expert(domain)
    other = approved_expert(domain)
    leased = assignment_next(user=walker, domain=domain)
    assert leased is not None
    later = timezone.now() + timedelta(minutes=11)
    with mock.patch("django.utils.timezone.now", return_value=later):
        taken = assignment_next(user=other, domain=domain)
        assert taken is not None
        judgment_submit(user=other, assignment_id=taken.pk, data=GOOD)

        with pytest.raises(LeaseExpired) as caught:
            judgment_submit(user=walker, assignment_id=leased.pk, data=GOOD)

    comparison = Comparison.objects.get(pk=leased.comparison_id)
    assert caught.value.message.startswith("Your lease on this comparison ended at ")
    assert caught.value.message.endswith(
        "it went back to the pool and your judgment was not stored. Take the next task."
    )
    assert comparison.judgments.count() == 1
    assert comparison.slots_taken == 1


@pytest.mark.django_db
def test_expired_lease_submit_before_anyone_took_it_is_refused() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    walker = approved_expert(domain)
    leased = assignment_next(user=walker, domain=domain)
    assert leased is not None

    with mock.patch(
        "django.utils.timezone.now", return_value=timezone.now() + timedelta(minutes=11)
    ):
        with pytest.raises(LeaseExpired):
            judgment_submit(user=walker, assignment_id=leased.pk, data=GOOD)

    leased.refresh_from_db()
    assert leased.status == AssignmentStatus.EXPIRED
    assert Comparison.objects.get(pk=leased.comparison_id).slots_taken == 0


@pytest.mark.django_db
def test_skip_releases_at_once() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    first = approved_expert(domain)
    second = approved_expert(domain)
    leased = assignment_next(user=first, domain=domain)
    assert leased is not None

    assignment_skip(user=first, assignment_id=leased.pk, reason="Outside my expertise")
    taken = assignment_next(user=second, domain=domain)

    assert taken is not None
    assert taken.comparison_id == leased.comparison_id
    assert assignment_next(user=first, domain=domain) is None


@pytest.mark.django_db
def test_skip_needs_a_reason() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    leased = assignment_next(user=expert, domain=domain)
    assert leased is not None

    with pytest.raises(Exception) as caught:
        assignment_skip(user=expert, assignment_id=leased.pk, reason=" ")

    leased.refresh_from_db()
    assert getattr(caught.value, "fields", {}) == {"reason": ["Required."]}
    assert leased.status == AssignmentStatus.LEASED


@pytest.mark.django_db
def test_revoking_returns_leases_at_once_and_refuses_submit() -> None:
    coding = DomainFactory()
    math = DomainFactory()
    make_batch(coding, comparisons=1)
    make_batch(math, comparisons=1)
    expert = approved_expert(coding)
    math_approval = approved_expert_in(expert, math)
    coding_lease = assignment_next(user=expert, domain=coding)
    math_lease = assignment_next(user=expert, domain=math)
    assert coding_lease is not None and math_lease is not None

    approval_revoke(
        approval=expert.approvals.get(domain=coding), staff_user=StaffUserFactory(), reason="Fraud"
    )

    coding_lease.refresh_from_db()
    assert coding_lease.status == AssignmentStatus.RELEASED
    assert Comparison.objects.get(pk=coding_lease.comparison_id).slots_taken == 0
    with pytest.raises(WorkNotAllowed):
        judgment_submit(user=expert, assignment_id=coding_lease.pk, data=GOOD)
    judgment_submit(user=expert, assignment_id=math_lease.pk, data=GOOD)
    assert math_approval.status == "active"


def approved_expert_in(user: Any, domain: Any) -> Any:
    from tests.experts.factories import DomainApprovalFactory

    return DomainApprovalFactory(expert=user, domain=domain)


def race(workers: list[Any], action: Any) -> list[Any]:
    """Run `action(worker)` in one thread per worker, released together by a barrier."""
    barrier = threading.Barrier(len(workers))
    results: list[Any] = [None] * len(workers)

    def run(index: int, worker: Any) -> None:
        barrier.wait()
        try:
            results[index] = action(worker)
        except Exception as error:  # noqa: BLE001 (the test inspects what each thread raised)
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, worker)) for index, worker in enumerate(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_experts_at_once_never_share_a_lease() -> None:
    assert connection.vendor == "postgresql"
    domain = DomainFactory()
    experts = [approved_expert(domain), approved_expert(domain)]
    collisions = 0
    for _ in range(CONCURRENCY_ROUNDS):
        batch = make_batch(domain, comparisons=2, required=1)

        leases = race(experts, lambda expert: assignment_next(user=expert, domain=domain))

        assert all(isinstance(lease, Assignment) for lease in leases), leases
        assert {lease.comparison.batch_id for lease in leases} == {batch.pk}
        collisions += int(leases[0].comparison_id == leases[1].comparison_id)
        # Finish both leases so that the next round leases fresh comparisons.
        Assignment.objects.filter(pk__in=[lease.pk for lease in leases]).update(
            status=AssignmentStatus.SUBMITTED
        )
    assert collisions == 0
    assert Assignment.objects.count() == 2 * CONCURRENCY_ROUNDS
    assert set(Comparison.objects.values_list("slots_taken", flat=True)) == {1}
