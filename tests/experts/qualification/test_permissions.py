"""Who may call each qualification endpoint and page: anonymous, another applicant, the
applicant, staff. A refused call leaves the attempt and the application unchanged."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.test import APIClient

from experts.models import (
    AttemptStatus,
    AuditEntry,
    DomainApplication,
    QualificationAttempt,
)
from experts.services.qualification import attempt_start
from tests.experts.qualification.conftest import (
    answers_with_correct_count,
    api_client,
    store_answers,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("items")]

Call = Callable[[APIClient, QualificationAttempt], Any]

ATTEMPT_CALLS: dict[str, Call] = {
    "fetch": lambda client, attempt: client.get(f"/api/experts/attempts/{attempt.pk}/"),
    "save": lambda client, attempt: client.put(
        f"/api/experts/attempts/{attempt.pk}/answers/", {"answers": {"1": "tie"}}, format="json"
    ),
    "submit": lambda client, attempt: client.post(f"/api/experts/attempts/{attempt.pk}/submit/"),
}


@pytest.fixture
def attempt(applicant: User, application: DomainApplication) -> QualificationAttempt:
    attempt = attempt_start(application=application, user=applicant)
    store_answers(attempt, answers_with_correct_count(attempt, 2))
    return attempt


def attempt_state(attempt: QualificationAttempt) -> tuple[Any, ...]:
    stored = QualificationAttempt.objects.get(pk=attempt.pk)
    answers = tuple(stored.items.values_list("position", "answer"))
    return stored.status, stored.correct_count, stored.finished_at, answers


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_start_by_anonymous_is_rejected(application: DomainApplication) -> None:
    response = api_client(None).post(f"/api/experts/applications/{application.pk}/attempts/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"
    assert not QualificationAttempt.objects.exists()


@pytest.mark.parametrize("role", ["other_applicant", "staff_user"])
def test_start_on_others_application_is_not_found(
    role: str, request: pytest.FixtureRequest, application: DomainApplication
) -> None:
    user: User = request.getfixturevalue(role)

    response = api_client(user).post(f"/api/experts/applications/{application.pk}/attempts/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "application_not_found"
    assert not QualificationAttempt.objects.exists()


@pytest.mark.parametrize("call", ATTEMPT_CALLS)
def test_attempt_call_by_anonymous_is_rejected(call: str, attempt: QualificationAttempt) -> None:
    before = attempt_state(attempt)

    response = ATTEMPT_CALLS[call](api_client(None), attempt)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"
    assert attempt_state(attempt) == before


@pytest.mark.parametrize("call", ATTEMPT_CALLS)
@pytest.mark.parametrize("role", ["other_applicant", "staff_user"])
def test_others_attempt_is_not_found(
    call: str, role: str, request: pytest.FixtureRequest, attempt: QualificationAttempt
) -> None:
    user: User = request.getfixturevalue(role)
    before = attempt_state(attempt)

    response = ATTEMPT_CALLS[call](api_client(user), attempt)

    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "attempt_not_found",
        "message": f"Qualification attempt {attempt.pk} does not exist or is not yours. Open "
        "your attempts from your application.",
        "fields": {},
    }
    assert attempt_state(attempt) == before


@pytest.mark.parametrize("call", ATTEMPT_CALLS)
def test_attempt_call_by_applicant_succeeds(
    call: str, applicant: User, attempt: QualificationAttempt
) -> None:
    response = ATTEMPT_CALLS[call](api_client(applicant), attempt)

    assert response.status_code == 200
    assert response.json()["id"] == attempt.pk


def test_unknown_attempt_id_is_not_found(applicant: User, attempt: QualificationAttempt) -> None:
    response = api_client(applicant).get(f"/api/experts/attempts/{attempt.pk + 1000}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "attempt_not_found"


def test_strangers_fetch_leaves_expiry_alone(
    other_applicant: User, attempt: QualificationAttempt
) -> None:
    """A stranger's request is rejected before anything, abandonment included, is written."""
    QualificationAttempt.objects.filter(pk=attempt.pk).update(expires_at=attempt.started_at)

    api_client(other_applicant).get(f"/api/experts/attempts/{attempt.pk}/")

    assert QualificationAttempt.objects.get(pk=attempt.pk).status == AttemptStatus.IN_PROGRESS


def extra_attempt_url(application: DomainApplication) -> str:
    return f"/api/staff/applications/{application.pk}/extra-attempt/"


def test_extra_attempt_by_anonymous_is_rejected(application: DomainApplication) -> None:
    response = api_client(None).post(extra_attempt_url(application), {"reason": "Outage."})

    application.refresh_from_db()
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"
    assert application.extra_attempts == 0


@pytest.mark.parametrize("role", ["applicant", "other_applicant"])
def test_extra_attempt_by_non_staff_is_rejected(
    role: str, request: pytest.FixtureRequest, application: DomainApplication
) -> None:
    user: User = request.getfixturevalue(role)

    response = api_client(user).post(extra_attempt_url(application), {"reason": "Outage."})

    application.refresh_from_db()
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Only staff may do this."
    assert application.extra_attempts == 0
    assert not AuditEntry.objects.exists()


def test_extra_attempt_by_staff_succeeds(staff_user: User, application: DomainApplication) -> None:
    response = api_client(staff_user).post(extra_attempt_url(application), {"reason": "Outage."})

    assert response.status_code == 200
    assert response.json() == {
        "application": application.pk,
        "extra_attempts": 1,
        "attempts_used": 0,
        "attempt_limit": 3,
    }


def test_extra_attempt_on_unknown_application_is_not_found(staff_user: User) -> None:
    response = api_client(staff_user).post(
        "/api/staff/applications/999999/extra-attempt/", {"reason": "Outage."}
    )

    assert response.status_code == 404


PAGE_PATHS = {
    "start": "/experts/applications/{application}/qualification/",
    "attempt": "/experts/attempts/{attempt}/",
}


@pytest.mark.parametrize("page", PAGE_PATHS)
def test_page_needs_login(page: str, attempt: QualificationAttempt) -> None:
    path = PAGE_PATHS[page].format(application=attempt.application_id, attempt=attempt.pk)

    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


@pytest.mark.parametrize("page", PAGE_PATHS)
@pytest.mark.parametrize("role", ["other_applicant", "staff_user"])
def test_others_page_is_not_found(
    page: str, role: str, request: pytest.FixtureRequest, attempt: QualificationAttempt
) -> None:
    path = PAGE_PATHS[page].format(application=attempt.application_id, attempt=attempt.pk)

    response = logged_in(request.getfixturevalue(role)).get(path)

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["answers", "submit"])
@pytest.mark.parametrize("role", ["other_applicant", "staff_user"])
def test_page_post_on_others_attempt_is_not_found(
    action: str, role: str, request: pytest.FixtureRequest, attempt: QualificationAttempt
) -> None:
    before = attempt_state(attempt)

    response = logged_in(request.getfixturevalue(role)).post(
        f"/experts/attempts/{attempt.pk}/{action}/", {"answer_1": "tie"}
    )

    assert response.status_code == 404
    assert attempt_state(attempt) == before


def test_extra_attempt_page_by_applicant_is_forbidden(
    applicant: User, application: DomainApplication
) -> None:
    response = logged_in(applicant).post(
        f"/experts/staff/applications/{application.pk}/extra-attempt/", {"reason": "Outage."}
    )

    application.refresh_from_db()
    assert response.status_code == 403
    assert application.extra_attempts == 0


def test_extra_attempt_page_needs_login(application: DomainApplication) -> None:
    path = f"/experts/staff/applications/{application.pk}/extra-attempt/"

    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
