"""Submitting a judgment twice, changing one's mind, and the lock that a rejection sets."""

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from annotation.models import (
    Assignment,
    AssignmentStatus,
    Comparison,
    Judgment,
    JudgmentRevision,
    ReviewStatus,
)
from tests.annotation.work.rating_setup import (
    JUDGMENT_BODY,
    RATIONALE,
    SCORES,
    judgment_url,
    lease,
    logged_in,
)
from tests.annotation.work_setup import approved_expert, make_batch
from tests.experts.factories import DomainFactory

REPEATS_AFTER_RACE = 5
CHANGED_RATIONALE = "On a second reading B answers the question and A drifts off topic."


def post_together(clients: list[Client], url: str, body: dict[str, Any]) -> list[Any]:
    """POST the same body from one thread per client, all released at once by a barrier.

    Each thread has its own database connection, as Django opens one per thread.
    """
    barrier = threading.Barrier(len(clients))
    results: list[Any] = [None] * len(clients)

    def run(index: int, client: Client) -> None:
        barrier.wait()
        try:
            results[index] = client.post(url, body, content_type="application/json")
        except Exception as error:  # noqa: BLE001 (the test asserts on what each thread raised)
            results[index] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, client)) for index, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_same_judgment_sent_at_once_is_stored_once() -> None:
    assert connection.vendor == "postgresql"
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    url = judgment_url(assignment)

    raced = post_together([logged_in(expert), logged_in(expert)], url, JUDGMENT_BODY)
    repeated = [
        logged_in(expert).post(url, JUDGMENT_BODY, content_type="application/json")
        for _ in range(REPEATS_AFTER_RACE)
    ]

    judgment = Judgment.objects.get()
    for response in raced + repeated:
        assert not isinstance(response, Exception), response
        assert response.status_code == 200, response.content
        assert response.json() == {
            "judgment_id": judgment.pk,
            "version": 1,
            "verdict": "a",
            "review_status": "pending",
        }
    assert Judgment.objects.count() == 1
    assert judgment.assignment_id == assignment.pk
    assert judgment.version == 1
    assert judgment.rationale == RATIONALE
    assert judgment.dimension_scores == SCORES
    assert not JudgmentRevision.objects.exists()
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.SUBMITTED
    assert Comparison.objects.get(pk=assignment.comparison_id).slots_taken == 1


@pytest.mark.django_db
def test_database_rejects_second_judgment_row() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    logged_in(expert).post(judgment_url(assignment), JUDGMENT_BODY, content_type="application/json")
    stored = Judgment.objects.get()

    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        Judgment.objects.create(
            domain=domain,
            comparison=stored.comparison,
            assignment=assignment,
            model_a_id=stored.model_a_id,
            model_b_id=stored.model_b_id,
            verdict="b",
            review_status=ReviewStatus.PENDING,
        )

    assert "annotation_judgment_assignment_id" in str(caught.value)
    assert Judgment.objects.count() == 1


@pytest.mark.django_db
def test_change_of_mind_updates_and_keeps_history() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    client = logged_in(expert)
    client.post(judgment_url(assignment), JUDGMENT_BODY, content_type="application/json")
    changed = {
        "verdict": "b",
        "dimension_scores": {"correctness": 2, "readability": 1},
        "rationale": CHANGED_RATIONALE,
    }

    response = client.post(judgment_url(assignment), changed, content_type="application/json")

    judgment = Judgment.objects.get()
    revision = JudgmentRevision.objects.get()
    assert response.status_code == 200
    assert response.json() == {
        "judgment_id": judgment.pk,
        "version": 2,
        "verdict": "b",
        "review_status": "pending",
    }
    assert judgment.version == 2
    assert judgment.verdict == "b"
    assert judgment.rationale == CHANGED_RATIONALE
    assert judgment.dimension_scores == {"correctness": 2, "readability": 1}
    assert revision.judgment_id == judgment.pk
    assert revision.version == 1
    assert revision.verdict == "a"
    assert revision.rationale == RATIONALE
    assert revision.dimension_scores == SCORES


@pytest.mark.django_db
def test_rejected_judgment_cannot_change() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    client = logged_in(expert)
    client.post(judgment_url(assignment), JUDGMENT_BODY, content_type="application/json")
    Judgment.objects.update(review_status=ReviewStatus.REJECTED)
    before = Judgment.objects.get()
    changed = {**JUDGMENT_BODY, "verdict": "b", "rationale": CHANGED_RATIONALE}

    response = client.post(judgment_url(assignment), changed, content_type="application/json")

    after = Judgment.objects.get()
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "judgment_locked",
            "message": f"Judgment {before.pk} is rejected, so it can no longer be changed.",
            "fields": {},
        }
    }
    assert after.version == 1
    assert after.verdict == "a"
    assert after.rationale == RATIONALE
    assert after.review_status == ReviewStatus.REJECTED
    assert after.updated_at == before.updated_at
    assert not JudgmentRevision.objects.exists()


@pytest.mark.django_db
def test_rejected_judgment_cannot_change_on_page() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    client = logged_in(expert)
    client.post(judgment_url(assignment), JUDGMENT_BODY, content_type="application/json")
    Judgment.objects.update(review_status=ReviewStatus.REJECTED)
    judgment_id = Judgment.objects.get().pk
    form = {
        "verdict": "b",
        "dimension_correctness": "1",
        "dimension_readability": "1",
        "rationale": CHANGED_RATIONALE,
    }

    response = client.post(f"/work/tasks/{assignment.pk}/submit/", form)

    after = Judgment.objects.get()
    assert response.status_code == 409
    assert (
        f"Judgment {judgment_id} is rejected, so it can no longer be changed."
        in response.content.decode()
    )
    assert after.verdict == "a"
    assert after.version == 1
    assert not JudgmentRevision.objects.exists()


@pytest.mark.django_db
def test_same_content_after_rejection_is_kept() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    client = logged_in(expert)
    client.post(judgment_url(assignment), JUDGMENT_BODY, content_type="application/json")
    Judgment.objects.update(review_status=ReviewStatus.REJECTED)

    response = client.post(judgment_url(assignment), JUDGMENT_BODY, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["review_status"] == "rejected"
    assert response.json()["version"] == 1
    assert Judgment.objects.get().review_status == ReviewStatus.REJECTED


@pytest.mark.django_db
def test_api_submit_after_lease_expiry() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    ended = timezone.now() - timedelta(seconds=1)
    Assignment.objects.filter(pk=assignment.pk).update(lease_expires_at=ended)

    response = logged_in(expert).post(
        judgment_url(assignment), JUDGMENT_BODY, content_type="application/json"
    )

    body = response.json()
    assert response.status_code == 409
    assert body["error"]["code"] == "lease_expired"
    assert body["error"]["message"] == (
        f"Your lease on this comparison ended at {ended.isoformat()} (expired); it went back to "
        "the pool and your judgment was not stored. Take the next task."
    )
    assert not Judgment.objects.exists()
    assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.EXPIRED
    assert Comparison.objects.get(pk=assignment.comparison_id).slots_taken == 0
