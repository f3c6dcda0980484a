"""Staff credential pages: the review page and the verify and reject actions."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from experts.models import AuditAction, AuditEntry, Credential, CredentialStatus
from tests.experts.credentials.conftest import Roles, client_for


def review_url(credential: Credential) -> str:
    return reverse("experts:credential-review", kwargs={"credential_id": credential.pk})


def verify_url(credential: Credential) -> str:
    return reverse("experts:credential-verify", kwargs={"credential_id": credential.pk})


def reject_url(credential: Credential) -> str:
    return reverse("experts:credential-reject", kwargs={"credential_id": credential.pk})


def assert_unchanged(credential: Credential) -> None:
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.PENDING
    assert credential.reviewed_by is None
    assert credential.review_reason == ""
    assert not AuditEntry.objects.exclude(action=AuditAction.CREDENTIAL_UPLOADED).exists()


def test_review_page_shows_forms_to_assigned_staff(roles: Roles, credential: Credential) -> None:
    response = client_for(roles.assigned_staff).get(review_url(credential))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'action="{verify_url(credential)}"' in page
    assert f'action="{reject_url(credential)}"' in page
    assert reverse("experts:credential-document", args=[credential.pk]) in page


def test_review_page_for_unassigned_staff(roles: Roles, credential: Credential) -> None:
    response = client_for(roles.unassigned_staff).get(review_url(credential))

    page = response.content.decode()
    assert response.status_code == 200
    assert verify_url(credential) not in page
    assert reverse("experts:credential-document", args=[credential.pk]) not in page
    assert (
        f"Only the staff member assigned to application {roles.application.pk} can verify or "
        "reject this credential."
    ) in page


@pytest.mark.parametrize("who", ["applicant", "other_applicant"])
def test_review_page_is_forbidden_to_non_staff(
    roles: Roles, credential: Credential, who: str
) -> None:
    user: User = getattr(roles, who)

    response = client_for(user).get(review_url(credential))

    assert response.status_code == 403


def test_review_page_redirects_anonymous_to_login(credential: Credential) -> None:
    response = Client().get(review_url(credential))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={review_url(credential)}"


@pytest.mark.parametrize("action", ["verify", "reject"])
def test_anonymous_decision_redirects_to_login(credential: Credential, action: str) -> None:
    url = verify_url(credential) if action == "verify" else reject_url(credential)

    response = Client().post(url, {"reason": "Looks fine."})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert_unchanged(credential)


@pytest.mark.parametrize("action", ["verify", "reject"])
@pytest.mark.parametrize("who", ["applicant", "other_applicant"])
def test_non_staff_decision_is_forbidden(
    roles: Roles, credential: Credential, action: str, who: str
) -> None:
    user: User = getattr(roles, who)
    url = verify_url(credential) if action == "verify" else reject_url(credential)

    response = client_for(user).post(url, {"reason": "Looks fine."})

    assert response.status_code == 403
    assert_unchanged(credential)


@pytest.mark.parametrize("action", ["verify", "reject"])
def test_unassigned_staff_decision_is_forbidden(
    roles: Roles, credential: Credential, action: str
) -> None:
    url = verify_url(credential) if action == "verify" else reject_url(credential)

    response = client_for(roles.unassigned_staff).post(url, {"reason": "Looks fine."})

    assert response.status_code == 403
    assert (
        f"Application {roles.application.pk} is assigned to another staff member. Only the "
        f"assigned staff member may verify or reject credential {credential.pk}."
    ) in response.content.decode()
    assert_unchanged(credential)


def test_assigned_staff_verifies(roles: Roles, credential: Credential) -> None:
    response = client_for(roles.assigned_staff).post(verify_url(credential), {"reason": ""})

    credential.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "experts:staff-application", kwargs={"application_id": roles.application.pk}
    )
    assert credential.status == CredentialStatus.VERIFIED
    assert credential.reviewed_by == roles.assigned_staff


def test_assigned_staff_rejects_with_reason(roles: Roles, credential: Credential) -> None:
    response = client_for(roles.assigned_staff).post(
        reject_url(credential), {"reason": "The license number does not match the registry."}
    )

    credential.refresh_from_db()
    entry = AuditEntry.objects.get(action=AuditAction.CREDENTIAL_REJECTED)
    assert response.status_code == 302
    assert credential.status == CredentialStatus.REJECTED
    assert credential.review_reason == "The license number does not match the registry."
    assert entry.actor == roles.assigned_staff
    assert entry.reason == "The license number does not match the registry."


def test_reject_with_empty_reason_shows_message(roles: Roles, credential: Credential) -> None:
    response = client_for(roles.assigned_staff).post(reject_url(credential), {"reason": "  "})

    assert response.status_code == 400
    assert (
        f"Give a reason for rejecting credential {credential.pk}. The applicant sees it and can "
        "upload a corrected document."
    ) in response.content.decode()
    assert_unchanged(credential)


def test_decision_by_get_is_not_allowed(roles: Roles, credential: Credential) -> None:
    response = client_for(roles.assigned_staff).get(verify_url(credential))

    assert response.status_code == 405
    assert_unchanged(credential)


def test_decision_on_missing_credential_is_404(roles: Roles) -> None:
    url = reverse("experts:credential-verify", kwargs={"credential_id": 999999})

    response = client_for(roles.assigned_staff).post(url, {"reason": ""})

    assert response.status_code == 404
