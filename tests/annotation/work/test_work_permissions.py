"""Who may reach each work and batch page and endpoint, and another expert's assignment."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern
from django.utils import timezone

from annotation import urls as annotation_urls
from annotation.models import Assignment, AssignmentStatus, ComparisonBatch, Judgment
from experts.models import DomainApproval
from tests.annotation.work.rating_setup import JUDGMENT_BODY, JUDGMENT_FORM, lease, logged_in
from tests.annotation.work_setup import approved_expert, make_batch
from tests.experts.factories import (
    DomainApprovalFactory,
    DomainFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED = {
    "error": {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
        "fields": {},
    }
}
ONLY_STAFF = {"error": {"code": "permission_denied", "message": "Only staff may do this."}}
NOT_APPROVED = (
    "You are not approved in Coding. Apply for the domain and pass its qualification test."
)


@dataclass(frozen=True)
class Call:
    """One request: method, path, and the form or JSON body it sends."""

    method: str
    path: str
    body: dict[str, Any] | None = None

    def send(self, client: Client) -> Any:
        if self.method == "get":
            return client.get(self.path)
        if self.path.startswith("/api/"):
            return client.post(self.path, self.body or {}, content_type="application/json")
        return client.post(self.path, self.body or {})


def task_pages(assignment_id: int) -> list[Call]:
    return [
        Call("get", f"/work/tasks/{assignment_id}/"),
        Call("post", f"/work/tasks/{assignment_id}/submit/", JUDGMENT_FORM),
        Call("post", f"/work/tasks/{assignment_id}/skip/", {"reason": "Not my field"}),
    ]


def task_endpoints(assignment_id: int) -> list[Call]:
    return [
        Call("get", f"/api/work/tasks/{assignment_id}/"),
        Call("post", f"/api/work/tasks/{assignment_id}/judgment/", JUDGMENT_BODY),
        Call("post", f"/api/work/tasks/{assignment_id}/skip/", {"reason": "Not my field"}),
    ]


STAFF_PAGES = [Call("get", "/work/staff/batches/"), Call("get", "/work/staff/batches/new/")]


def staff_batch_body() -> dict[str, Any]:
    """A valid staff API body for a second batch of the fixture's prompt set."""
    batch = ComparisonBatch.objects.get()
    return {"domain": batch.domain.slug, "prompt_set": batch.prompt_set.name, "name": "second"}


@pytest.fixture
def leased() -> Assignment:
    domain = DomainFactory(slug="coding", name="Coding")
    make_batch(domain, comparisons=2)
    return lease(approved_expert(domain), domain)


def assert_unchanged(assignment: Assignment) -> None:
    before = assignment.status, assignment.lease_expires_at, assignment.skip_reason
    assignment.refresh_from_db()
    assert (assignment.status, assignment.lease_expires_at, assignment.skip_reason) == before
    assert assignment.status == AssignmentStatus.LEASED
    assert not Judgment.objects.exists()


def test_anonymous_pages_go_to_login(leased: Assignment) -> None:
    calls = [
        Call("get", "/work/"),
        Call("get", "/work/domains/coding/next/"),
        *task_pages(leased.pk),
        *STAFF_PAGES,
        Call("post", "/work/staff/batches/new/", {"name": "x"}),
    ]

    for call in calls:
        response = call.send(Client())
        assert response.status_code == 302, call
        assert response["Location"].startswith("/accounts/login/?next=/work/"), call
    assert_unchanged(leased)
    assert ComparisonBatch.objects.count() == 1


def test_anonymous_endpoints_are_403_json(leased: Assignment) -> None:
    calls = [
        Call("post", "/api/work/coding/next/"),
        *task_endpoints(leased.pk),
        Call("get", "/api/staff/batches/"),
        Call("post", "/api/staff/batches/", staff_batch_body()),
    ]

    for call in calls:
        response = call.send(Client())
        assert response.status_code == 403, call
        assert response.json() == NOT_AUTHENTICATED, call
    assert_unchanged(leased)
    assert ComparisonBatch.objects.count() == 1


def test_unapproved_user_sees_the_reason(leased: Assignment) -> None:
    client = logged_in(UserFactory())

    index = client.get("/work/")
    page = client.get("/work/domains/coding/next/")
    api = client.post("/api/work/coding/next/")

    assert index.status_code == 200
    assert "You are not approved in any domain yet." in index.content.decode()
    assert page.status_code == 403
    assert NOT_APPROVED in page.content.decode()
    assert api.status_code == 403
    assert api.json() == {
        "error": {"code": "work_not_allowed", "message": NOT_APPROVED, "fields": {}}
    }
    assert Assignment.objects.count() == 1


def test_other_domain_expert_gets_403(leased: Assignment) -> None:
    client = logged_in(approved_expert(DomainFactory(slug="math", name="Math")))

    page = client.get("/work/domains/coding/next/")
    api = client.post("/api/work/coding/next/")

    assert page.status_code == 403
    assert NOT_APPROVED in page.content.decode()
    assert api.status_code == 403
    assert api.json()["error"]["message"] == NOT_APPROVED
    assert Assignment.objects.count() == 1


def test_unknown_domain_is_404() -> None:
    client = logged_in(UserFactory())

    page = client.get("/work/domains/nowhere/next/")
    api = client.post("/api/work/nowhere/next/")

    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "domain_not_found"


@pytest.mark.parametrize("intruder_kind", ["same_domain", "other_domain", "unapproved"])
def test_another_experts_assignment_is_404_and_unchanged(
    leased: Assignment, intruder_kind: str
) -> None:
    domain = leased.comparison.domain
    intruders: dict[str, Callable[[], User]] = {
        "same_domain": lambda: approved_expert(domain),
        "other_domain": lambda: approved_expert(DomainFactory()),
        "unapproved": lambda: UserFactory(),
    }
    client = logged_in(intruders[intruder_kind]())

    for call in task_pages(leased.pk):
        response = call.send(client)
        assert response.status_code == 404, call
        assert (
            f"Assignment {leased.pk} does not exist or is not yours." in response.content.decode()
        ), call
    for call in task_endpoints(leased.pk):
        response = call.send(client)
        assert response.status_code == 404, call
        assert response.json() == {
            "error": {
                "code": "assignment_not_found",
                "message": (
                    f"Assignment {leased.pk} does not exist or is not yours. Take your next task."
                ),
                "fields": {},
            }
        }, call
    assert_unchanged(leased)


def lose_approval(assignment: Assignment) -> None:
    """Let the expert's approval run out while their lease is still live."""
    DomainApproval.objects.filter(expert=assignment.expert).update(
        expires_at=timezone.now() - timedelta(days=1)
    )


def expired_reason() -> str:
    day = (timezone.now() - timedelta(days=1)).strftime("%Y-%m-%d")
    return f"Your approval in Coding expired on {day}. Ask staff to renew it."


def test_lapsed_expert_cannot_open_own_task(leased: Assignment) -> None:
    lose_approval(leased)
    client = logged_in(leased.expert)

    for call in task_pages(leased.pk):
        response = call.send(client)
        page = response.content.decode()
        assert response.status_code == 403, call
        assert expired_reason() in page, call
        assert "write a haiku about rain" not in page, call
    assert_unchanged(leased)


def test_lapsed_expert_cannot_use_task_api(leased: Assignment) -> None:
    lose_approval(leased)
    client = logged_in(leased.expert)

    for call in task_endpoints(leased.pk):
        response = call.send(client)
        assert response.status_code == 403, call
        assert response.json() == {
            "error": {"code": "work_not_allowed", "message": expired_reason(), "fields": {}}
        }, call
    assert_unchanged(leased)


def test_staff_pages_and_api_refuse_experts(leased: Assignment) -> None:
    client = logged_in(leased.expert)
    body = staff_batch_body()

    for call in STAFF_PAGES:
        assert call.send(client).status_code == 403, call
    created = client.post("/api/staff/batches/", body, content_type="application/json")
    listed = client.get("/api/staff/batches/")

    assert created.status_code == 403
    assert listed.status_code == 403
    for response in (created, listed):
        error = response.json()["error"]
        assert {"code": error["code"], "message": error["message"]} == ONLY_STAFF["error"]
    assert ComparisonBatch.objects.count() == 1


def test_staff_reach_batch_pages_and_api(leased: Assignment) -> None:
    client = logged_in(StaffUserFactory())
    body = staff_batch_body()

    for call in STAFF_PAGES:
        assert call.send(client).status_code == 200, call
    listed = client.get("/api/staff/batches/")
    created = client.post("/api/staff/batches/", body, content_type="application/json")

    assert listed.status_code == 200
    assert [item["name"] for item in listed.json()] == ["test batch"]
    assert created.status_code == 201
    assert created.json()["name"] == "second"
    assert ComparisonBatch.objects.count() == 2


def test_expert_reaches_own_task(leased: Assignment) -> None:
    client: Client = logged_in(leased.expert)
    user: User = leased.expert

    page = client.get(f"/work/tasks/{leased.pk}/")
    api = client.get(f"/api/work/tasks/{leased.pk}/")

    assert page.status_code == 200
    assert api.status_code == 200
    assert api.json()["assignment_id"] == leased.pk
    assert user.pk == leased.expert_id


def index_query_count(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/work/")
    assert response.status_code == 200
    return len(queries)


def test_work_index_query_budget() -> None:
    first = DomainFactory()
    make_batch(first)
    expert = approved_expert(first)
    client = logged_in(expert)
    with_one = index_query_count(client)
    for _ in range(2):
        domain = DomainFactory()
        make_batch(domain)
        DomainApprovalFactory(expert=expert, domain=domain)

    with_three = index_query_count(client)

    # work_access reads each domain's approval again; progress is three queries in all.
    assert with_three == with_one + 2


def test_work_index_counts_progress_per_domain() -> None:
    coding = DomainFactory(name="Coding")
    math = DomainFactory(name="Math")
    make_batch(coding, comparisons=3)
    make_batch(math, comparisons=2)
    expert = approved_expert(coding)
    DomainApprovalFactory(expert=expert, domain=math)
    client = logged_in(expert)
    judged = lease(expert, coding)
    client.post(
        f"/api/work/tasks/{judged.pk}/judgment/", JUDGMENT_BODY, content_type="application/json"
    )
    lease(expert, coding)

    rows = client.get("/work/").context["rows"]

    progress = {row["domain"].name: (row["progress"].done, row["progress"].left) for row in rows}
    assert progress == {"Coding": (1, 1), "Math": (0, 2)}


def sample_path(prefix: str, pattern: URLPattern) -> str:
    """Fill a URL pattern's parameters with sample values: 'coding' for slugs, 1 for ids."""
    samples = {"slug": "coding", "int": "1"}
    route = str(pattern.pattern)
    for name, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__.removesuffix("Converter").lower()
        route = route.replace(f"<{kind}:{name}>", samples[kind])
    return prefix + route


ALL_PAGES = [sample_path("/work/", pattern) for pattern in annotation_urls.urlpatterns]
ALL_ENDPOINTS = [sample_path("/api/", pattern) for pattern in annotation_urls.api_urlpatterns]


@pytest.mark.parametrize("path", ALL_PAGES)
def test_every_work_page_needs_login(path: str) -> None:
    for method in ("get", "post"):
        response = getattr(Client(), method)(path)
        if response.status_code == 405:
            continue
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith(f"/accounts/login/?next={path}"), (method, path)


@pytest.mark.parametrize("path", ALL_ENDPOINTS)
def test_every_annotation_endpoint_needs_login(path: str) -> None:
    for method in ("get", "post"):
        response = getattr(Client(), method)(path)
        if response.status_code == 405:
            continue
        assert response.status_code == 403, (method, path)
        assert response.json() == NOT_AUTHENTICATED, (method, path)
