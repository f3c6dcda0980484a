"""Saving answers and grading: pass mark, blank items, re-submission and expiry."""

import pytest
from django.contrib.auth.models import User

from experts.models import (
    AttemptStatus,
    AuditAction,
    AuditEntry,
    DomainApplication,
    QualificationAttempt,
)
from experts.services.qualification import attempt_start
from tests.experts.qualification.conftest import (
    answers_with_correct_count,
    api_client,
    expire,
    store_answers,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("items")]


@pytest.fixture
def attempt(applicant: User, application: DomainApplication) -> QualificationAttempt:
    return attempt_start(application=application, user=applicant)


def answers_url(attempt: QualificationAttempt) -> str:
    return f"/api/experts/attempts/{attempt.pk}/answers/"


def submit_url(attempt: QualificationAttempt) -> str:
    return f"/api/experts/attempts/{attempt.pk}/submit/"


def stored_answers(attempt: QualificationAttempt) -> dict[int, str]:
    return dict(attempt.items.values_list("position", "answer"))


def test_save_stores_answers(applicant: User, attempt: QualificationAttempt) -> None:
    response = api_client(applicant).put(
        answers_url(attempt), {"answers": {"1": "a", "3": "tie"}}, format="json"
    )

    assert response.status_code == 200
    assert stored_answers(attempt) == {1: "a", 2: "", 3: "tie", 4: ""}


def test_save_returns_own_answers(applicant: User, attempt: QualificationAttempt) -> None:
    response = api_client(applicant).put(
        answers_url(attempt), {"answers": {"2": "both_bad"}}, format="json"
    )

    assert [item["answer"] for item in response.json()["items"]] == ["", "both_bad", "", ""]


def test_save_with_empty_string_clears_answer(
    applicant: User, attempt: QualificationAttempt
) -> None:
    store_answers(attempt, {1: "a"})

    api_client(applicant).put(answers_url(attempt), {"answers": {"1": ""}}, format="json")

    item = attempt.items.get(position=1)
    assert item.answer == ""
    assert item.answered_at is None


def test_save_rejects_unknown_verdict(applicant: User, attempt: QualificationAttempt) -> None:
    response = api_client(applicant).put(
        answers_url(attempt), {"answers": {"1": "a", "2": "maybe"}}, format="json"
    )

    problem = (
        "'maybe' is not a valid verdict for item 2. Use one of a, b, tie, both_bad, or an empty "
    )
    problem += "string to clear it."
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "attempt_answers_invalid",
        "message": problem + " Fix these answers and save again.",
        "fields": {"answers": [problem]},
    }
    assert stored_answers(attempt) == {1: "", 2: "", 3: "", 4: ""}


def test_save_rejects_unknown_position(applicant: User, attempt: QualificationAttempt) -> None:
    response = api_client(applicant).put(
        answers_url(attempt), {"answers": {"9": "a"}}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "answers": ["Item 9 does not exist. This attempt has items 1 to 4."]
    }


def test_save_rejects_non_numeric_position(applicant: User, attempt: QualificationAttempt) -> None:
    response = api_client(applicant).put(
        answers_url(attempt), {"answers": {"first": "a"}}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "answers": ["'first' is not a valid item position. Use the item's number."]
    }


def test_submit_passes_at_pass_mark(applicant: User, attempt: QualificationAttempt) -> None:
    store_answers(attempt, answers_with_correct_count(attempt, 3))

    response = api_client(applicant).post(submit_url(attempt))

    attempt.refresh_from_db()
    assert response.status_code == 200
    assert attempt.status == AttemptStatus.PASSED
    assert attempt.correct_count == 3
    assert attempt.finished_at is not None


def test_submit_fails_below_pass_mark(applicant: User, attempt: QualificationAttempt) -> None:
    store_answers(attempt, answers_with_correct_count(attempt, 2))

    api_client(applicant).post(submit_url(attempt))

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.FAILED
    assert attempt.correct_count == 2


def test_submit_returns_total_and_pass_mark(applicant: User, attempt: QualificationAttempt) -> None:
    store_answers(attempt, answers_with_correct_count(attempt, 2))

    body = api_client(applicant).post(submit_url(attempt)).json()

    assert body["result"] == {"correct_count": 2, "item_count": 4, "pass_mark": 0.75}
    assert body["items"] == []
    assert body["status"] == "failed"


def test_submit_records_graded_audit_entry(applicant: User, attempt: QualificationAttempt) -> None:
    store_answers(attempt, answers_with_correct_count(attempt, 4))

    api_client(applicant).post(submit_url(attempt))

    entry = AuditEntry.objects.get(action=AuditAction.ATTEMPT_GRADED)
    assert entry.actor == applicant
    assert entry.object_id == attempt.pk
    assert entry.details == {
        "number": 1,
        "status": "passed",
        "correct_count": 4,
        "item_count": 4,
    }


def test_submit_with_blank_items_names_positions(
    applicant: User, attempt: QualificationAttempt
) -> None:
    store_answers(attempt, {1: "a", 3: "b"})

    response = api_client(applicant).post(submit_url(attempt))

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "attempt_items_blank",
        "message": "Items 2, 4 have no answer. Choose a verdict for every item, then submit again.",
        "fields": {"answers": ["Item 2 has no answer.", "Item 4 has no answer."]},
    }


def test_submit_with_one_blank_item_uses_singular(
    applicant: User, attempt: QualificationAttempt
) -> None:
    store_answers(attempt, {1: "a", 2: "a", 3: "b"})

    response = api_client(applicant).post(submit_url(attempt))

    assert response.json()["error"]["message"] == (
        "Item 4 has no answer. Choose a verdict for every item, then submit again."
    )


def test_submit_with_blank_items_grades_nothing(
    applicant: User, attempt: QualificationAttempt
) -> None:
    store_answers(attempt, {1: "a"})

    api_client(applicant).post(submit_url(attempt))

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.correct_count is None
    assert not AuditEntry.objects.filter(action=AuditAction.ATTEMPT_GRADED).exists()


def test_second_submit_is_already_graded(applicant: User, attempt: QualificationAttempt) -> None:
    store_answers(attempt, answers_with_correct_count(attempt, 1))
    client = api_client(applicant)
    client.post(submit_url(attempt))

    response = client.post(submit_url(attempt))

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "attempt_already_graded",
        "message": f"Attempt 1 (id {attempt.pk}) is already graded as failed. Open it to see "
        "the result.",
        "fields": {},
    }


def test_save_after_grading_is_rejected(applicant: User, attempt: QualificationAttempt) -> None:
    store_answers(attempt, answers_with_correct_count(attempt, 4))
    client = api_client(applicant)
    client.post(submit_url(attempt))
    before = attempt.items.get(position=1).answer
    other = next(verdict for verdict in ("a", "b", "tie", "both_bad") if verdict != before)

    response = client.put(answers_url(attempt), {"answers": {"1": other}}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "attempt_already_graded"
    assert attempt.items.get(position=1).answer == before


def test_submit_after_expiry_abandons_attempt(
    applicant: User, attempt: QualificationAttempt
) -> None:
    store_answers(attempt, answers_with_correct_count(attempt, 4))
    expire(attempt)
    attempt.refresh_from_db()

    response = api_client(applicant).post(submit_url(attempt))

    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        f"Attempt 1 (id {attempt.pk}) expired at {attempt.expires_at.isoformat()} and was "
        "abandoned, so it counts as a failed attempt. Start a new attempt once the waiting "
        "period ends."
    )
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.ABANDONED
    assert attempt.correct_count is None


def test_save_after_expiry_abandons_attempt(applicant: User, attempt: QualificationAttempt) -> None:
    expire(attempt)

    response = api_client(applicant).put(
        answers_url(attempt), {"answers": {"1": "a"}}, format="json"
    )

    attempt.refresh_from_db()
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "attempt_expired"
    assert attempt.status == AttemptStatus.ABANDONED
    assert attempt.items.get(position=1).answer == ""


def test_fetch_after_expiry_abandons_attempt(
    applicant: User, attempt: QualificationAttempt
) -> None:
    expire(attempt)

    response = api_client(applicant).get(f"/api/experts/attempts/{attempt.pk}/")

    attempt.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["status"] == "abandoned"
    assert attempt.status == AttemptStatus.ABANDONED
