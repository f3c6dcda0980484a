"""Extra attempts granted by staff: the count, the audit entry, and the checks before it."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from experts.models import (
    ApplicationStatus,
    AttemptStatus,
    AuditAction,
    AuditEntry,
    DomainApplication,
    GoldItem,
)
from experts.services.qualification import extra_attempt_grant
from seal_platform.errors import SealError
from tests.experts.factories import DomainApplicationFactory
from tests.experts.qualification.conftest import api_client, ended_attempt

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("qualification_test")]


def grant_url(application: DomainApplication) -> str:
    return f"/api/staff/applications/{application.pk}/extra-attempt/"


def used_up(application: DomainApplication, items: list[GoldItem]) -> None:
    """Store two failed attempts that ended long enough ago for the waiting period to pass."""
    long_ago = timezone.now() - timedelta(days=60)
    for number in (1, 2):
        ended_attempt(
            application,
            number=number,
            status=AttemptStatus.FAILED,
            ended_at=long_ago,
            items=items,
        )


def test_grant_increments_extra_attempts(staff_user: User, application: DomainApplication) -> None:
    extra_attempt_grant(application=application, staff_user=staff_user, reason="Power cut.")

    application.refresh_from_db()
    assert application.extra_attempts == 1


def test_grant_records_audit_entry(staff_user: User, application: DomainApplication) -> None:
    extra_attempt_grant(application=application, staff_user=staff_user, reason="Power cut.")

    entry = AuditEntry.objects.get(action=AuditAction.EXTRA_ATTEMPT_GRANTED)
    assert entry.actor == staff_user
    assert entry.subject == application.applicant
    assert entry.object_id == application.pk
    assert entry.reason == "Power cut."
    assert entry.details == {"extra_attempts": 1}


def test_granted_attempt_lets_applicant_start(
    staff_user: User, applicant: User, application: DomainApplication, items: list[GoldItem]
) -> None:
    used_up(application, items)
    api_client(staff_user).post(grant_url(application), {"reason": "Power cut."})

    response = api_client(applicant).post(f"/api/experts/applications/{application.pk}/attempts/")

    assert response.status_code == 201
    assert response.json()["number"] == 3


def test_limit_includes_granted_attempts(
    staff_user: User, applicant: User, application: DomainApplication, items: list[GoldItem]
) -> None:
    used_up(application, items)
    ended_attempt(
        application,
        number=3,
        status=AttemptStatus.FAILED,
        ended_at=timezone.now() - timedelta(days=30),
        items=items,
    )
    extra_attempt_grant(application=application, staff_user=staff_user, reason="Power cut.")

    response = api_client(applicant).post(f"/api/experts/applications/{application.pk}/attempts/")

    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        f"Application {application.pk} has used 3 of 3 qualification attempts. Ask staff for "
        "an extra attempt to try again."
    )


def test_grant_with_blank_reason_is_rejected(
    staff_user: User, application: DomainApplication
) -> None:
    response = api_client(staff_user).post(grant_url(application), {"reason": "   "})

    application.refresh_from_db()
    message = "The reason for the extra attempt is missing. Write one for the audit trail."
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "extra_attempt_reason_missing",
        "message": message,
        "fields": {"reason": [message]},
    }
    assert application.extra_attempts == 0


def test_grant_on_own_application_is_rejected(staff_user: User) -> None:
    own: DomainApplication = DomainApplicationFactory(applicant=staff_user)

    response = api_client(staff_user).post(grant_url(own), {"reason": "Power cut."})

    own.refresh_from_db()
    assert response.status_code == 403
    assert response.json()["error"]["message"] == (
        f"Application {own.pk} is your own, so you cannot grant it an extra attempt. Ask "
        "another staff member."
    )
    assert own.extra_attempts == 0


def test_grant_on_rejected_application_is_rejected(
    staff_user: User, application: DomainApplication
) -> None:
    application.status = ApplicationStatus.REJECTED
    application.save()

    response = api_client(staff_user).post(grant_url(application), {"reason": "Power cut."})

    application.refresh_from_db()
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "application_not_open"
    assert application.extra_attempts == 0


def test_grant_after_pass_is_rejected(
    staff_user: User, application: DomainApplication, items: list[GoldItem]
) -> None:
    ended_attempt(
        application, number=1, status=AttemptStatus.PASSED, ended_at=timezone.now(), items=items
    )

    response = api_client(staff_user).post(grant_url(application), {"reason": "Power cut."})

    application.refresh_from_db()
    assert response.status_code == 409
    assert response.json()["error"]["message"] == (
        f"Application {application.pk} already passed the qualification test in attempt 1, so "
        "it needs no further attempt."
    )
    assert application.extra_attempts == 0


def test_grant_service_rejects_non_staff(
    other_applicant: User, application: DomainApplication
) -> None:
    with pytest.raises(SealError) as raised:
        extra_attempt_grant(application=application, staff_user=other_applicant, reason="Why not.")

    assert raised.value.code == "staff_required"
    assert raised.value.status_code == 403


def test_grant_page_redirects_to_staff_application(
    staff_user: User, application: DomainApplication
) -> None:
    client = Client()
    client.force_login(staff_user)

    response = client.post(
        f"/experts/staff/applications/{application.pk}/extra-attempt/", {"reason": "Power cut."}
    )

    application.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/experts/staff/applications/{application.pk}/"
    assert application.extra_attempts == 1


def test_grant_page_shows_blank_reason_error(
    staff_user: User, application: DomainApplication
) -> None:
    client = Client()
    client.force_login(staff_user)

    response = client.post(
        f"/experts/staff/applications/{application.pk}/extra-attempt/", {"reason": ""}
    )

    assert response.status_code == 400
    assert (
        "The reason for the extra attempt is missing. Write one for the audit trail."
        in response.text
    )
