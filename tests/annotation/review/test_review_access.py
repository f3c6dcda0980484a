"""Review pages and endpoints by role, and asking for someone else's task by id."""

import pytest
from django.test import Client

from annotation.models import ReviewTask, ReviewTaskStatus
from annotation.services.review import review_next
from tests.annotation.review.test_review_flow import judged, reviewer_in
from tests.annotation.work_setup import approved_expert, make_batch
from tests.experts.factories import DomainFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def leased() -> ReviewTask:
    domain = DomainFactory(slug="verse", name="Verse")
    make_batch(domain, comparisons=2)
    judged(domain, approved_expert(domain))
    reviewer = reviewer_in(domain)
    task = review_next(reviewer=reviewer, domain=domain)
    assert task is not None
    return task


def test_anonymous_is_sent_to_login_or_refused(leased: ReviewTask) -> None:
    page = Client().get(f"/work/review/tasks/{leased.pk}/")
    api = Client().post(f"/api/review/tasks/{leased.pk}/decision/", {"decision": "accept"})

    assert page.status_code == 302
    assert page["Location"].startswith("/accounts/login/")
    assert api.status_code == 403


def test_another_reviewer_gets_404_and_the_task_is_unchanged(leased: ReviewTask) -> None:
    other = logged_in(reviewer_in(leased.judgment.domain))

    page = other.get(f"/work/review/tasks/{leased.pk}/")
    api = other.post(
        f"/api/review/tasks/{leased.pk}/decision/",
        {"decision": "reject", "comment": "hijack"},
        content_type="application/json",
    )

    leased.refresh_from_db()
    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "review_task_not_found"
    assert leased.status == ReviewTaskStatus.LEASED


def test_staff_without_approval_cannot_review(leased: ReviewTask) -> None:
    response = logged_in(StaffUserFactory()).post("/api/review/verse/next/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "work_not_allowed"


def test_expert_of_another_domain_cannot_review(leased: ReviewTask) -> None:
    other_domain = DomainFactory()
    outsider = reviewer_in(other_domain)

    response = logged_in(outsider).get("/work/review/domains/verse/next/")

    assert response.status_code == 403
    assert "You are not approved in Verse." in response.content.decode()


def test_holder_decides_through_the_api(leased: ReviewTask) -> None:
    client = logged_in(leased.reviewer)

    response = client.post(
        f"/api/review/tasks/{leased.pk}/decision/",
        {"decision": "return", "comment": "Name the broken line."},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "task_id": leased.pk,
        "status": "returned",
        "judgment_status": "returned",
    }


def test_review_api_names_no_model(leased: ReviewTask) -> None:
    body = logged_in(leased.reviewer).get(f"/api/review/tasks/{leased.pk}/").content.decode()

    assert "zephyr-secret-alpha" not in body
    assert "orion-secret-beta" not in body


def test_staff_batch_close_needs_staff() -> None:
    domain = DomainFactory()
    batch = make_batch(domain, comparisons=1)

    refused = logged_in(UserFactory()).post(f"/work/staff/batches/{batch.pk}/close/")
    closed = logged_in(StaffUserFactory()).post(f"/work/staff/batches/{batch.pk}/close/")

    batch.refresh_from_db()
    assert refused.status_code == 403
    assert closed.status_code == 302
    assert batch.status == "closed"
