"""Incomplete or invalid judgments: 400 with each bad field, nothing stored, the lease kept."""

from typing import Any

import pytest

from annotation.models import Assignment, AssignmentStatus, Comparison, Judgment
from annotation.services.judgment_submit import JudgmentInput, judgment_submit
from seal_platform.errors import InvalidInput
from tests.annotation.work.rating_setup import (
    JUDGMENT_BODY,
    JUDGMENT_FORM,
    RATIONALE,
    judgment_url,
    lease,
    logged_in,
)
from tests.annotation.work_setup import approved_expert, make_batch
from tests.experts.factories import DomainFactory

pytestmark = pytest.mark.django_db

INCOMPLETE = "The judgment is incomplete; see each field."
DRF_INVALID = "Some fields are invalid; see `fields` for each one."
SCALE_PROBLEM = (
    "{key} must be an integer from -2 (A much better) to 2 (B much better), not {value}."
)

# (change to the valid body, expected error code, message and fields)
API_CASES: dict[str, tuple[dict[str, Any], str, str, dict[str, list[str]]]] = {
    "missing_dimension": (
        {"dimension_scores": {"correctness": -1}},
        "invalid_input",
        INCOMPLETE,
        {"dimension_scores": ["Rate every dimension; missing: readability."]},
    ),
    "unknown_dimension": (
        {"dimension_scores": {"correctness": -1, "readability": 0, "style": 1}},
        "invalid_input",
        INCOMPLETE,
        {"dimension_scores": ["Unknown dimensions: style."]},
    ),
    "score_above_scale": (
        {"dimension_scores": {"correctness": 3, "readability": 0}},
        "invalid_input",
        INCOMPLETE,
        {"dimension_scores": [SCALE_PROBLEM.format(key="correctness", value=3)]},
    ),
    "score_below_scale": (
        {"dimension_scores": {"correctness": -1, "readability": -3}},
        "invalid_input",
        INCOMPLETE,
        {"dimension_scores": [SCALE_PROBLEM.format(key="readability", value=-3)]},
    ),
    "score_text": (
        {"dimension_scores": {"correctness": "much", "readability": 0}},
        "invalid",
        DRF_INVALID,
        {"dimension_scores": [SCALE_PROBLEM.format(key="correctness", value="'much'")]},
    ),
    "score_boolean": (
        {"dimension_scores": {"correctness": True, "readability": 0}},
        "invalid",
        DRF_INVALID,
        {"dimension_scores": [SCALE_PROBLEM.format(key="correctness", value=True)]},
    ),
    "score_fraction": (
        {"dimension_scores": {"correctness": -1, "readability": 1.5}},
        "invalid",
        DRF_INVALID,
        {"dimension_scores": [SCALE_PROBLEM.format(key="readability", value=1.5)]},
    ),
    "short_rationale": (
        {"rationale": "  Too short.  "},
        "invalid_input",
        INCOMPLETE,
        {"rationale": ["Write at least 20 characters explaining the verdict (10 so far)."]},
    ),
    "unknown_verdict": (
        {"verdict": "c"},
        "invalid",
        DRF_INVALID,
        {"verdict": ['"c" is not a valid choice.']},
    ),
}


def assert_nothing_stored(assignment: Assignment) -> None:
    assignment.refresh_from_db()
    assert not Judgment.objects.exists()
    assert assignment.status == AssignmentStatus.LEASED
    assert assignment.finished_at is None
    assert Comparison.objects.get(pk=assignment.comparison_id).slots_taken == 1


@pytest.mark.parametrize("case", sorted(API_CASES))
def test_invalid_judgment_through_api(case: str) -> None:
    change, code, message, fields = API_CASES[case]
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)

    response = logged_in(expert).post(
        judgment_url(assignment), {**JUDGMENT_BODY, **change}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"error": {"code": code, "message": message, "fields": fields}}
    assert_nothing_stored(assignment)


def test_every_problem_is_listed_at_once() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    body = {
        "verdict": "tie",
        "dimension_scores": {"correctness": 5},
        "rationale": "Short.",
    }

    response = logged_in(expert).post(
        judgment_url(assignment), body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "dimension_scores": [
            "Rate every dimension; missing: readability.",
            SCALE_PROBLEM.format(key="correctness", value=5),
        ],
        "rationale": ["Write at least 20 characters explaining the verdict (6 so far)."],
    }
    assert_nothing_stored(assignment)


# (change to the valid form, field whose error shows, expected message)
PAGE_CASES: dict[str, tuple[dict[str, str | None], str, str]] = {
    "missing_dimension": (
        {"dimension_readability": None},
        "dimension_readability",
        "This field is required.",
    ),
    "score_outside_scale": (
        {"dimension_correctness": "3"},
        "dimension_correctness",
        "Select a valid choice. 3 is not one of the available choices.",
    ),
    "short_rationale": (
        {"rationale": "Too short."},
        "rationale",
        "Write at least 20 characters explaining the verdict (10 so far).",
    ),
    "unknown_verdict": (
        {"verdict": "c"},
        "verdict",
        "Select a valid choice. c is not one of the available choices.",
    ),
}


@pytest.mark.parametrize("case", sorted(PAGE_CASES))
def test_invalid_judgment_on_the_page(case: str) -> None:
    change, field, message = PAGE_CASES[case]
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    form = {key: value for key, value in {**JUDGMENT_FORM, **change}.items() if value is not None}

    response = logged_in(expert).post(f"/work/tasks/{assignment.pk}/submit/", form)

    page = response.content.decode()
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert message in page
    assert_nothing_stored(assignment)


def test_invalid_page_keeps_what_the_expert_wrote() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    form = {**JUDGMENT_FORM, "dimension_correctness": "9"}

    response = logged_in(expert).post(f"/work/tasks/{assignment.pk}/submit/", form)

    page = response.content.decode()
    assert response.status_code == 400
    assert f">\n{RATIONALE}</textarea>" in page
    assert 'value="a" required id="id_verdict_0" checked' in page
    assert_nothing_stored(assignment)


def test_service_rejects_boolean_and_float_scores() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    data = JudgmentInput(
        verdict="a",
        dimension_scores={"correctness": True, "readability": 1.0},  # type: ignore[dict-item]
        rationale=RATIONALE,
    )

    with pytest.raises(InvalidInput):
        judgment_submit(user=expert, assignment_id=assignment.pk, data=data)

    assert_nothing_stored(assignment)
