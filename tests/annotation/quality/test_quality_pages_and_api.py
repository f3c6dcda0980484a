"""Quality pages, exports and API: who may open them, what they show, and query budgets."""

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.utils.html import escape
from pytest_django import DjangoAssertNumQueries

from annotation.models import ComparisonBatch, ReviewStatus, ReviewTaskStatus
from annotation.services.agreement import REASON_NO_VARIATION
from experts.models import Domain, ExpertProfile
from tests.annotation.quality.quality_setup import (
    decide,
    expert_with_profile,
    judge,
    logged_in,
    staff_user,
)
from tests.annotation.work_setup import make_batch
from tests.experts.factories import DomainFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED = {
    "error": {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
        "fields": {},
    }
}
ONLY_STAFF = {"code": "permission_denied", "message": "Only staff may do this."}
NAN_WORD = re.compile(r"\bnan\b", re.IGNORECASE)


@dataclass(frozen=True)
class Setting:
    domain: Domain
    batch: ComparisonBatch
    experts: list[ExpertProfile]
    reviewer: Any


@pytest.fixture
def setting() -> Setting:
    """Three experts judge two comparisons of one batch; a reviewer decides some of them."""
    domain = DomainFactory(slug="coding", name="Coding")
    batch = make_batch(domain, comparisons=2, required=3)
    experts = [expert_with_profile(domain, name=name) for name in ("Ada", "Bob", "Cy")]
    reviewer = expert_with_profile(domain, name="Rev", is_reviewer=True)
    for number, comparison in enumerate(batch.comparisons.order_by("id")):
        for index, expert in enumerate(experts):
            judgment = judge(
                comparison,
                expert,
                is_swapped=index == 1,
                verdict=["a", "b", "tie"][(number + index) % 3],
                scores={"correctness": index - 1, "readability": 0},
                review_status=ReviewStatus.ACCEPTED,
            )
            decide(judgment, number=1, status=ReviewTaskStatus.ACCEPTED, reviewer=reviewer.user)
    return Setting(domain, batch, experts, reviewer.user)


def people(setting: Setting) -> dict[str, Any]:
    expert = setting.experts[0].user
    return {"expert": expert, "reviewer": setting.reviewer, "staff": staff_user()}


def pages(setting: Setting) -> list[str]:
    return [
        "/work/staff/quality/",
        "/work/staff/quality/coding/",
        f"/work/staff/quality/batches/{setting.batch.pk}/agreement/",
        "/work/staff/quality/coding/judgments.csv",
        f"/work/staff/quality/batches/{setting.batch.pk}/judgments.csv",
    ]


def endpoints(setting: Setting) -> list[str]:
    return [
        "/api/staff/quality/coding/experts/",
        f"/api/staff/quality/batches/{setting.batch.pk}/agreement/",
    ]


def test_pages_send_anonymous_to_login(setting: Setting) -> None:
    for path in pages(setting):
        response = logged_in(None).get(path)

        assert response.status_code == 302, path
        assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={path}"


@pytest.mark.parametrize("role", ["expert", "reviewer"])
def test_pages_forbid_experts_and_reviewers(setting: Setting, role: str) -> None:
    client = logged_in(people(setting)[role])
    for path in pages(setting):
        response = client.get(path)

        assert response.status_code == 403, path
        assert b"Ada" not in response.content


def test_pages_open_for_staff(setting: Setting) -> None:
    client = logged_in(people(setting)["staff"])
    for path in pages(setting):
        response = client.get(path)

        assert response.status_code == 200, path


def test_endpoints_reject_anonymous(setting: Setting) -> None:
    for path in endpoints(setting):
        response = logged_in(None).get(path)

        assert response.status_code == 403, path
        assert response.json() == NOT_AUTHENTICATED


@pytest.mark.parametrize("role", ["expert", "reviewer"])
def test_endpoints_forbid_experts_and_reviewers(setting: Setting, role: str) -> None:
    client = logged_in(people(setting)[role])
    for path in endpoints(setting):
        response = client.get(path)

        assert response.status_code == 403, path
        assert {key: response.json()["error"][key] for key in ONLY_STAFF} == ONLY_STAFF


def test_unknown_batch_and_domain_are_404(setting: Setting) -> None:
    client = logged_in(people(setting)["staff"])

    assert client.get("/work/staff/quality/no-such-domain/").status_code == 404
    assert client.get("/work/staff/quality/batches/999999/agreement/").status_code == 404
    assert client.get("/work/staff/quality/batches/999999/judgments.csv").status_code == 404
    response = client.get("/api/staff/quality/batches/999999/agreement/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "batch_not_found"
    assert response.json()["error"]["message"] == (
        "Batch 999999 does not exist. Pick a batch from the staff batch list."
    )


def test_expert_api_lists_figures(
    setting: Setting, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = logged_in(people(setting)["staff"])

    with django_assert_max_num_queries(9):
        response = client.get("/api/staff/quality/coding/experts/?sort=-name")

    body = response.json()
    assert response.status_code == 200
    assert body["domain"] == "coding"
    assert body["sort"] == "-name"
    assert body["thresholds"] == {
        "min_consensus_agreement": 0.6,
        "min_gold_accuracy": 0.7,
        "max_rejection_rate": 0.2,
        "max_position_bias_p_value": 0.01,
    }
    assert [row["display_name"] for row in body["experts"]] == ["Cy", "Bob", "Ada"]
    ada = body["experts"][2]
    assert ada["profile_id"] == setting.experts[0].pk
    assert ada["judgment_count"] == 2
    assert (ada["review_rejected"], ada["review_decided"]) == (0, 2)
    assert ada["gold_accuracy"] is None
    assert ada["median_seconds"] == 60.0


def test_expert_api_query_count_does_not_grow(
    setting: Setting, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    for number in range(6):
        extra = expert_with_profile(setting.domain, name=f"Extra{number}")
        for comparison in setting.batch.comparisons.all():
            judge(comparison, extra, is_swapped=number % 2 == 0, verdict="a")
    client = logged_in(people(setting)["staff"])

    with django_assert_max_num_queries(9):
        response = client.get("/api/staff/quality/coding/experts/")

    assert response.status_code == 200
    assert len(response.json()["experts"]) == 9


def test_batch_agreement_api(
    setting: Setting, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = logged_in(people(setting)["staff"])

    with django_assert_max_num_queries(8):
        response = client.get(f"/api/staff/quality/batches/{setting.batch.pk}/agreement/")

    body = response.json()
    assert response.status_code == 200
    assert body["judgment_count"] == 6
    assert body["verdict"]["name"] == "verdict"
    assert body["verdict"]["level"] == "nominal"
    assert body["verdict"]["unit_count"] == 2
    assert body["verdict"]["rater_count"] == 3
    assert body["verdict"]["kappas"]["min_shared_units"] == 10
    assert body["verdict"]["kappas"]["pairs_below_minimum"] == 3
    assert [dimension["name"] for dimension in body["dimensions"]] == [
        "correctness",
        "readability",
    ]


def test_no_variation_page_shows_reason_not_nan(setting: Setting) -> None:
    domain = DomainFactory(slug="law", name="Law")
    batch = make_batch(domain, comparisons=3, required=2)
    first, second = (expert_with_profile(domain, name=name) for name in ("Dee", "Eve"))
    for comparison in batch.comparisons.all():
        judge(comparison, first, is_swapped=False, verdict="tie", scores={"correctness": 0})
        judge(comparison, second, is_swapped=True, verdict="tie", scores={"correctness": 0})
    client = logged_in(people(setting)["staff"])

    page = client.get(f"/work/staff/quality/batches/{batch.pk}/agreement/")
    api = client.get(f"/api/staff/quality/batches/{batch.pk}/agreement/").json()

    html = page.content.decode("utf-8")
    assert page.status_code == 200
    assert escape(REASON_NO_VARIATION.format(value="'tie'")) in html
    assert escape(REASON_NO_VARIATION.format(value="0")) in html
    assert NAN_WORD.search(html) is None
    assert api["verdict"]["alpha"] == {
        "value": None,
        "reason": REASON_NO_VARIATION.format(value="'tie'"),
    }


def test_domain_page_marks_flagged_rows_and_sort_links(setting: Setting) -> None:
    client = logged_in(people(setting)["staff"])

    response = client.get("/work/staff/quality/coding/?sort=consensus")

    html = response.content.decode("utf-8")
    assert response.status_code == 200
    assert '<a href="?sort=-consensus">Consensus agreement</a> (ascending)' in html
    assert '<a href="?sort=time">Median time (s)</a>' in html
    # Only Cy has a consensus to compare with (Ada and Bob agree on the first unit) and differs.
    assert html.count('<tr class="flagged">') == 1
    assert '<tr class="flagged">\n      <td>Cy <span class="slug">' in html
    assert "Consensus agreement 0.00 is below 0.60." in html
    assert "rev" in html
    assert NAN_WORD.search(html) is None


def test_nav_links_to_quality(setting: Setting) -> None:
    response = logged_in(people(setting)["staff"]).get("/work/staff/batches/")

    assert b'href="/work/staff/quality/"' in response.content


def test_expert_without_approval_is_forbidden(setting: Setting) -> None:
    response = logged_in(UserFactory()).get("/work/staff/quality/coding/")

    assert response.status_code == 403
