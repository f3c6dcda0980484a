"""Starting an attempt: credential, limit, waiting period, abandonment and the audit entry."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from experts.models import (
    ApplicationStatus,
    AttemptStatus,
    AuditAction,
    AuditEntry,
    CredentialStatus,
    DomainApplication,
    GoldItem,
    QualificationAttempt,
    QualificationTest,
)
from experts.services.qualification import attempt_start
from tests.experts.qualification.conftest import (
    api_client,
    ended_attempt,
    expire,
    gold_items,
)

pytestmark = pytest.mark.django_db

WAIT = timedelta(days=14)


def start_url(application: DomainApplication) -> str:
    return f"/api/experts/applications/{application.pk}/attempts/"


@pytest.mark.usefixtures("items")
def test_start_creates_attempt_one(applicant: User, application: DomainApplication) -> None:
    response = api_client(applicant).post(start_url(application))

    attempt = QualificationAttempt.objects.get(application=application)
    assert response.status_code == 201
    assert response.json()["id"] == attempt.pk
    assert attempt.number == 1
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.item_count == 4
    assert attempt.expires_at - attempt.started_at == timedelta(hours=2)


@pytest.mark.usefixtures("items")
def test_start_numbers_items_from_one(applicant: User, application: DomainApplication) -> None:
    response = api_client(applicant).post(start_url(application))

    positions = [item["position"] for item in response.json()["items"]]
    assert positions == [1, 2, 3, 4]


@pytest.mark.usefixtures("items")
def test_start_records_audit_entry(applicant: User, application: DomainApplication) -> None:
    api_client(applicant).post(start_url(application))

    entry = AuditEntry.objects.get(action=AuditAction.ATTEMPT_STARTED)
    attempt = QualificationAttempt.objects.get(application=application)
    assert entry.actor == applicant
    assert entry.subject == applicant
    assert entry.object_id == attempt.pk
    assert entry.details == {"number": 1, "item_count": 4}


@pytest.mark.usefixtures("items")
def test_start_needs_verified_credential(applicant: User, application: DomainApplication) -> None:
    application.credentials.update(status=CredentialStatus.PENDING)

    response = api_client(applicant).post(start_url(application))

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "credential_not_verified",
        "message": f"Application {application.pk} has no verified credential yet. Start the "
        "qualification test after staff verify one of your credentials.",
        "fields": {},
    }
    assert not QualificationAttempt.objects.exists()


def test_start_without_test_is_rejected(applicant: User, application: DomainApplication) -> None:
    response = api_client(applicant).post(start_url(application))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "qualification_test_missing"
    assert response.json()["error"]["message"] == (
        f"Domain {application.domain.name} has no qualification test yet, so application "
        f"{application.pk} cannot start one. Try again after staff set up the test."
    )


def test_start_with_too_few_gold_items_is_rejected(
    applicant: User, application: DomainApplication, qualification_test: QualificationTest
) -> None:
    gold_items(qualification_test, ["a", "b", "tie"])

    response = api_client(applicant).post(start_url(application))

    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        f"The {application.domain.name} qualification test needs 4 active gold items but has "
        "3. Ask staff to add gold items, then start again."
    )
    assert not QualificationAttempt.objects.exists()


@pytest.mark.usefixtures("items")
def test_start_on_rejected_application_is_rejected(
    applicant: User, application: DomainApplication
) -> None:
    application.status = ApplicationStatus.REJECTED
    application.save()

    response = api_client(applicant).post(start_url(application))

    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        f"Application {application.pk} is rejected, and only a submitted application can take "
        "the qualification test."
    )


@pytest.mark.usefixtures("items")
def test_start_while_in_progress_names_the_attempt(
    applicant: User, application: DomainApplication
) -> None:
    first = attempt_start(application=application, user=applicant)

    response = api_client(applicant).post(start_url(application))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "attempt_in_progress"
    assert response.json()["error"]["message"] == (
        f"Attempt 1 of application {application.pk} is already in progress (attempt id "
        f"{first.pk}). Finish and submit it before starting another."
    )


def test_start_after_limit_is_rejected(
    applicant: User, application: DomainApplication, items: list[GoldItem]
) -> None:
    long_ago = timezone.now() - timedelta(days=60)
    ended_attempt(
        application, number=1, status=AttemptStatus.FAILED, ended_at=long_ago, items=items
    )
    ended_attempt(
        application, number=2, status=AttemptStatus.FAILED, ended_at=long_ago, items=items
    )

    response = api_client(applicant).post(start_url(application))

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "attempt_limit_reached",
        "message": f"Application {application.pk} has used 2 of 2 qualification attempts. Ask "
        "staff for an extra attempt to try again.",
        "fields": {},
    }
    assert QualificationAttempt.objects.count() == 2


def test_start_after_pass_is_rejected(
    applicant: User, application: DomainApplication, items: list[GoldItem]
) -> None:
    ended_attempt(
        application,
        number=1,
        status=AttemptStatus.PASSED,
        ended_at=timezone.now() - timedelta(days=60),
        items=items,
    )

    response = api_client(applicant).post(start_url(application))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "attempt_already_passed"


def test_start_in_waiting_period_gives_opening_time(
    applicant: User, application: DomainApplication, items: list[GoldItem]
) -> None:
    ended_at = timezone.now() - WAIT + timedelta(minutes=1)
    ended_attempt(
        application, number=1, status=AttemptStatus.FAILED, ended_at=ended_at, items=items
    )

    response = api_client(applicant).post(start_url(application))

    opens_at = ended_at + WAIT
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "attempt_waiting_period",
        "message": f"The next qualification attempt for application {application.pk} opens at "
        f"{opens_at.isoformat()}. Start it then.",
        "fields": {},
    }
    assert QualificationAttempt.objects.count() == 1


def test_waiting_period_time_has_utc_offset(
    applicant: User, application: DomainApplication, items: list[GoldItem]
) -> None:
    ended_at = timezone.now() - WAIT + timedelta(minutes=1)
    ended_attempt(
        application, number=1, status=AttemptStatus.FAILED, ended_at=ended_at, items=items
    )

    message = api_client(applicant).post(start_url(application)).json()["error"]["message"]

    stamp = message.split(" opens at ")[1].removesuffix(". Start it then.")
    assert datetime.fromisoformat(stamp).utcoffset() == timedelta(0)
    assert stamp.endswith("+00:00")


def test_start_after_waiting_period_creates_attempt_two(
    applicant: User, application: DomainApplication, items: list[GoldItem]
) -> None:
    ended_at = timezone.now() - WAIT - timedelta(minutes=1)
    ended_attempt(
        application, number=1, status=AttemptStatus.FAILED, ended_at=ended_at, items=items
    )

    response = api_client(applicant).post(start_url(application))

    assert response.status_code == 201
    assert response.json()["number"] == 2


def test_abandoned_attempt_counts_toward_limit(
    applicant: User, application: DomainApplication, qualification_test: QualificationTest
) -> None:
    gold_items(qualification_test, ["a", "b", "tie", "both_bad"])
    qualification_test.max_attempts = 1
    qualification_test.save()
    attempt = attempt_start(application=application, user=applicant)
    expire(attempt, ago=WAIT + timedelta(days=1))

    response = api_client(applicant).post(start_url(application))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "attempt_limit_reached"
    assert response.json()["error"]["message"] == (
        f"Application {application.pk} has used 1 of 1 qualification attempts. Ask staff for "
        "an extra attempt to try again."
    )


@pytest.mark.usefixtures("items")
def test_rejected_start_keeps_abandonment(applicant: User, application: DomainApplication) -> None:
    attempt = attempt_start(application=application, user=applicant)
    expire(attempt)

    api_client(applicant).post(start_url(application))

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.ABANDONED
    assert attempt.finished_at is None


@pytest.mark.usefixtures("items")
def test_waiting_period_after_abandonment_runs_from_expiry(
    applicant: User, application: DomainApplication
) -> None:
    attempt = attempt_start(application=application, user=applicant)
    expire(attempt, ago=timedelta(days=1))
    attempt.refresh_from_db()

    response = api_client(applicant).post(start_url(application))

    opens_at = attempt.expires_at + WAIT
    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        f"The next qualification attempt for application {application.pk} opens at "
        f"{opens_at.isoformat()}. Start it then."
    )


@pytest.mark.usefixtures("items")
def test_abandonment_is_audited_as_graded(applicant: User, application: DomainApplication) -> None:
    attempt = attempt_start(application=application, user=applicant)
    expire(attempt)

    api_client(applicant).post(start_url(application))

    entry = AuditEntry.objects.get(action=AuditAction.ATTEMPT_GRADED)
    assert entry.actor is None
    assert entry.subject == applicant
    assert entry.details == {"number": 1, "status": "abandoned", "item_count": 4}
