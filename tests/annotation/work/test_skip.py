"""Skipping a leased comparison on the page and through the API."""

import pytest

from annotation.models import Assignment, AssignmentStatus, Comparison
from tests.annotation.work.rating_setup import lease, logged_in
from tests.annotation.work_setup import approved_expert, make_batch
from tests.experts.factories import DomainFactory

pytestmark = pytest.mark.django_db

MISSING_REASON = "Say why you skip this comparison (for example: outside my expertise)."


def leased_assignment() -> Assignment:
    domain = DomainFactory(slug="coding")
    make_batch(domain, comparisons=1)
    return lease(approved_expert(domain), domain)


def assert_still_leased(assignment: Assignment) -> None:
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.LEASED
    assert assignment.skip_reason == ""
    assert Comparison.objects.get(pk=assignment.comparison_id).slots_taken == 1


def test_page_skip_gives_the_comparison_back() -> None:
    assignment = leased_assignment()
    client = logged_in(assignment.expert)

    response = client.post(f"/work/tasks/{assignment.pk}/skip/", {"reason": " Not my field "})

    assignment.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/work/domains/coding/next/"
    assert assignment.status == AssignmentStatus.SKIPPED
    assert assignment.skip_reason == "Not my field"
    assert Comparison.objects.get(pk=assignment.comparison_id).slots_taken == 0


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("  ", MISSING_REASON),
        ("x" * 501, "Ensure this value has at most 500 characters (it has 501)."),
    ],
    ids=["blank", "too_long"],
)
def test_page_skip_with_bad_reason_keeps_the_lease(reason: str, message: str) -> None:
    assignment = leased_assignment()
    client = logged_in(assignment.expert)

    response = client.post(f"/work/tasks/{assignment.pk}/skip/", {"reason": reason})
    page = client.get(response["Location"]).content.decode()

    assert response.status_code == 302
    assert response["Location"] == f"/work/tasks/{assignment.pk}/"
    assert f'<li class="message error">{message}</li>' in page
    assert_still_leased(assignment)


@pytest.mark.parametrize(
    ("reason", "fields"),
    [
        ("", {"reason": ["Required."]}),
        ("x" * 501, {"reason": ["Ensure this field has no more than 500 characters."]}),
    ],
    ids=["blank", "too_long"],
)
def test_api_skip_with_bad_reason_keeps_the_lease(
    reason: str, fields: dict[str, list[str]]
) -> None:
    assignment = leased_assignment()

    response = logged_in(assignment.expert).post(
        f"/api/work/tasks/{assignment.pk}/skip/",
        {"reason": reason},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == fields
    assert_still_leased(assignment)


def test_second_skip_is_a_conflict() -> None:
    assignment = leased_assignment()
    client = logged_in(assignment.expert)
    url = f"/api/work/tasks/{assignment.pk}/skip/"
    client.post(url, {"reason": "Not my field"}, content_type="application/json")

    response = client.post(url, {"reason": "Again"}, content_type="application/json")

    assignment.refresh_from_db()
    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "assignment_not_leased",
        "message": f"Assignment {assignment.pk} is skipped, so it cannot be skipped.",
        "fields": {},
    }
    assert assignment.skip_reason == "Not my field"
    assert Comparison.objects.get(pk=assignment.comparison_id).slots_taken == 0
