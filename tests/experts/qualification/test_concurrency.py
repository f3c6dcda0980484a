"""Parallel starts and submits, each request on its own thread and database connection.

The threads meet at a barrier and then call the API together, so the requests overlap in
PostgreSQL, and only the row locks and unique constraints keep the outcome right. These tests
use `transaction=True` because each thread must see the rows the test committed. They use
`serialized_rollback=True` to restore the staff group, which a migration creates and the flush
after a transactional test removes.
"""

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.test import Client
from django.utils import timezone

from experts.models import (
    AttemptStatus,
    AuditAction,
    AuditEntry,
    DomainApplication,
    GoldItem,
    QualificationAttempt,
)
from experts.services.qualification import attempt_start
from tests.experts.qualification.conftest import (
    answers_with_correct_count,
    ended_attempt,
    store_answers,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

THREAD_COUNT = 10
THREAD_TIMEOUT_SECONDS = 60


def run_together(
    user: User, request: Callable[[Client], tuple[int, dict[str, object]]]
) -> list[tuple[int, dict[str, object]]]:
    """Run `request` on THREAD_COUNT threads released at once, and return (status, body) pairs."""
    barrier = threading.Barrier(THREAD_COUNT, timeout=THREAD_TIMEOUT_SECONDS)
    results: list[tuple[int, dict[str, object]]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            outcome = request(client)
            with lock:
                results.append(outcome)
        except BaseException as error:  # handed to the main thread, which fails the test
            with lock:
                errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(THREAD_COUNT)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(THREAD_TIMEOUT_SECONDS)
    if errors:
        raise errors[0]
    return results


def test_parallel_starts_create_one_attempt(
    applicant: User, application: DomainApplication, items: list[GoldItem]
) -> None:
    ended_attempt(
        application,
        number=1,
        status=AttemptStatus.FAILED,
        ended_at=timezone.now() - timedelta(days=15),
        items=items,
    )
    url = f"/api/experts/applications/{application.pk}/attempts/"

    def start(client: Client) -> tuple[int, dict[str, object]]:
        response = client.post(url)
        return response.status_code, response.json()

    results = run_together(applicant, start)

    created = QualificationAttempt.objects.get(application=application, number=2)
    conflict = {
        "code": "attempt_in_progress",
        "message": f"Attempt 2 of application {application.pk} is already in progress (attempt "
        f"id {created.pk}). Finish and submit it before starting another.",
        "fields": {},
    }
    assert sorted(status for status, _ in results) == [201] + [409] * 9
    assert [body["error"] for status, body in results if status == 409] == [conflict] * 9
    assert QualificationAttempt.objects.filter(application=application).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.ATTEMPT_STARTED).count() == 1


def test_parallel_submits_grade_once(
    applicant: User, application: DomainApplication, items: list[GoldItem]
) -> None:
    attempt = attempt_start(application=application, user=applicant)
    store_answers(attempt, answers_with_correct_count(attempt, 3))
    url = f"/api/experts/attempts/{attempt.pk}/submit/"

    def submit(client: Client) -> tuple[int, dict[str, object]]:
        response = client.post(url)
        return response.status_code, response.json()

    results = run_together(applicant, submit)

    conflict = {
        "code": "attempt_already_graded",
        "message": f"Attempt 1 (id {attempt.pk}) is already graded as passed. Open it to see "
        "the result.",
        "fields": {},
    }
    attempt.refresh_from_db()
    assert sorted(status for status, _ in results) == [200] + [409] * 9
    assert [body["error"] for status, body in results if status == 409] == [conflict] * 9
    assert attempt.status == AttemptStatus.PASSED
    assert attempt.correct_count == 3
    assert AuditEntry.objects.filter(action=AuditAction.ATTEMPT_GRADED).count() == 1
