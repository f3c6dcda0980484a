"""Who may reach which experts page and endpoint, and revocations that act at once."""

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from rest_framework.authtoken.models import Token

from experts.admin.accounts import ADMIN_SUSPENSION_REASON
from experts.models import ApprovalStatus, AuditEntry, DomainApplication, DomainApproval
from tests.experts.factories import (
    TEST_PASSWORD,
    DomainApplicationFactory,
    DomainApprovalFactory,
    DomainFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STAFF_PAGES = ["/experts/staff/", "/experts/staff/approvals/", "/experts/staff/audit/"]
STAFF_ENDPOINTS = ["/api/staff/applications/", "/api/staff/approvals/", "/api/staff/audit/"]


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_by_role(path: str) -> None:
    anonymous = Client().get(path)
    applicant = logged_in(UserFactory()).get(path)
    staff = logged_in(StaffUserFactory()).get(path)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")
    assert applicant.status_code == 403
    assert staff.status_code == 200


@pytest.mark.parametrize("path", STAFF_ENDPOINTS)
def test_staff_endpoints_by_role(path: str) -> None:
    anonymous = Client().get(path)
    applicant = logged_in(UserFactory()).get(path)
    staff = logged_in(StaffUserFactory()).get(path)

    assert anonymous.status_code == 403
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    assert applicant.status_code == 403
    assert applicant.json()["error"]["message"] == "Only staff may do this."
    assert staff.status_code == 200


def test_applicant_pages_need_login() -> None:
    for path in ["/experts/", "/experts/profile/", "/experts/apply/"]:
        response = Client().get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/login/"), path


def test_other_users_application_is_404_on_page_and_api() -> None:
    application = DomainApplicationFactory()
    intruder = logged_in(UserFactory())

    page = intruder.get(f"/experts/applications/{application.pk}/")
    api = intruder.get(f"/api/experts/applications/{application.pk}/")

    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "application_not_found"
    assert (
        logged_in(application.applicant)
        .get(f"/api/experts/applications/{application.pk}/")
        .status_code
        == 200
    )


def test_applicant_cannot_approve_through_the_api() -> None:
    application = DomainApplicationFactory()
    client = logged_in(application.applicant)

    response = client.post(
        f"/api/staff/applications/{application.pk}/approve/", {}, content_type="application/json"
    )

    assert response.status_code == 403
    assert not DomainApproval.objects.exists()
    application.refresh_from_db()
    assert application.status == "submitted"


def test_staff_cannot_change_an_approval_without_reason() -> None:
    approval = DomainApprovalFactory()
    client = logged_in(StaffUserFactory())

    response = client.post(
        f"/api/staff/approvals/{approval.pk}/revoke/", {}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"reason": ["Required."]}
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.ACTIVE


def access_of(client: Client, domain: str, kind: str) -> dict[str, Any]:
    response = client.get("/api/experts/access/", {"domain": domain, "kind": kind})
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def test_revoking_one_domain_leaves_the_other_working() -> None:
    expert = UserFactory()
    coding = DomainApprovalFactory(expert=expert, domain=DomainFactory(slug="coding"))
    DomainApprovalFactory(expert=expert, domain=DomainFactory(slug="math"))
    client = logged_in(expert)
    staff = logged_in(StaffUserFactory())

    revoked = staff.post(
        f"/api/staff/approvals/{coding.pk}/revoke/",
        {"reason": "Plagiarised rationales"},
        content_type="application/json",
    )

    assert revoked.status_code == 200
    assert access_of(client, "coding", "judge") == {
        "domain": "coding",
        "kind": "judge",
        "allowed": False,
        "reason": "Your approval in Coding was revoked: Plagiarised rationales",
    }
    assert access_of(client, "math", "judge")["allowed"] is True


def test_removing_reviewer_role_acts_without_new_login() -> None:
    approval = DomainApprovalFactory(is_reviewer=True, domain=DomainFactory(slug="stem"))
    client = logged_in(approval.expert)
    assert access_of(client, "stem", "review")["allowed"] is True

    logged_in(StaffUserFactory()).post(
        f"/api/staff/approvals/{approval.pk}/remove-reviewer/",
        {"reason": "Rotation"},
        content_type="application/json",
    )

    assert access_of(client, "stem", "review")["allowed"] is False
    assert access_of(client, "stem", "judge")["allowed"] is True


def test_admin_bulk_suspension_refuses_session_and_token() -> None:
    expert = UserFactory()
    session = logged_in(expert)
    token = Token.objects.create(user=expert)
    token_client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert session.get("/api/experts/applications/").status_code == 200
    assert token_client.get("/api/experts/applications/").status_code == 200
    admin = User.objects.create_superuser("root", "root@example.org", TEST_PASSWORD)

    response = logged_in(admin).post(
        "/admin/auth/user/",
        {"action": "suspend_accounts", "_selected_action": [expert.pk]},
    )

    assert response.status_code == 302
    assert session.get("/api/experts/applications/").status_code == 403
    assert session.get("/experts/").status_code == 302
    by_token = token_client.get("/api/experts/applications/")
    assert by_token.status_code == 403
    assert by_token.json()["error"]["code"] == "authentication_failed"
    assert by_token.json()["error"]["message"] == "User inactive or deleted."
    entry = AuditEntry.objects.get(subject=expert)
    assert (entry.action, entry.reason, entry.actor) == (
        "account_suspended",
        ADMIN_SUSPENSION_REASON,
        admin,
    )


def test_token_login_locks_after_repeated_failures() -> None:
    UserFactory(username="eve")
    client = Client()
    for _ in range(5):
        failed = client.post("/api/auth/token/", {"username": "eve", "password": "wrong"})
        assert failed.status_code in (400, 429)

    locked = client.post("/api/auth/token/", {"username": "eve", "password": TEST_PASSWORD})

    assert locked.status_code == 429
    assert not Token.objects.exists()


def test_login_page_locks_after_repeated_failures() -> None:
    UserFactory(username="mallory")
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "mallory", "password": "wrong"})

    locked = client.post("/accounts/login/", {"username": "mallory", "password": TEST_PASSWORD})

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signup_page_creates_an_account_and_logs_in() -> None:
    client = Client()

    response = client.post(
        "/accounts/signup/",
        {
            "username": "newexpert",
            "email": "new@example.org",
            "display_name": "New Expert",
            "password": TEST_PASSWORD,
            "password_again": TEST_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/experts/profile/"
    assert User.objects.get(username="newexpert").expert_profile.display_name == "New Expert"


def test_apply_page_creates_applications() -> None:
    user = UserFactory()
    domain = DomainFactory()
    client = logged_in(user)

    response = client.post(
        "/experts/apply/", {"domains": [domain.pk], "statement": "Fifteen years of practice here."}
    )

    application = DomainApplication.objects.get(applicant=user)
    assert response.status_code == 302
    assert response["Location"] == f"/experts/applications/{application.pk}/"
