"""Sides as shown: a judgment records the models in the order the expert saw them."""

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from annotation.models import Assignment, Comparison, EvaluatedModel, Judgment
from annotation.selectors import gold_accuracy
from annotation.services.assignment import assignment_next
from annotation.services.judgment_submit import JudgmentInput, judgment_submit
from tests.annotation.work.rating_setup import (
    JUDGMENT_BODY,
    RATIONALE,
    SCORES,
    judgment_url,
    lease,
    logged_in,
)
from tests.annotation.work_setup import SECRET_MODELS, approved_expert, make_batch
from tests.experts.factories import DomainFactory

pytestmark = pytest.mark.django_db

FIRST_TEXT = "Stored first: rain taps the tin roof."
SECOND_TEXT = "Stored second: grey clouds, wet street."
ORIENTATION_SAMPLE = 40


@pytest.mark.parametrize("is_swapped", [False, True])
def test_judgment_records_models_as_shown(is_swapped: bool) -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1, texts=(FIRST_TEXT, SECOND_TEXT))
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    Assignment.objects.filter(pk=assignment.pk).update(is_swapped=is_swapped)
    client = logged_in(expert)

    task = client.get(f"/api/work/tasks/{assignment.pk}/").json()
    client.post(judgment_url(assignment), JUDGMENT_BODY, content_type="application/json")

    judgment = Judgment.objects.select_related("model_a", "model_b").get()
    shown_first, shown_second = SECRET_MODELS[::-1] if is_swapped else SECRET_MODELS
    assert task["response_a"] == (SECOND_TEXT if is_swapped else FIRST_TEXT)
    assert task["response_b"] == (FIRST_TEXT if is_swapped else SECOND_TEXT)
    assert judgment.model_a.name == shown_first
    assert judgment.model_b.name == shown_second
    assert judgment.verdict == "a"


@pytest.mark.parametrize("is_swapped", [False, True])
def test_task_page_shows_sides_as_leased(is_swapped: bool) -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1, texts=(FIRST_TEXT, SECOND_TEXT))
    expert = approved_expert(domain)
    assignment = lease(expert, domain)
    Assignment.objects.filter(pk=assignment.pk).update(is_swapped=is_swapped)

    page = logged_in(expert).get(f"/work/tasks/{assignment.pk}/").content.decode()

    shown_a, shown_b = (SECOND_TEXT, FIRST_TEXT) if is_swapped else (FIRST_TEXT, SECOND_TEXT)
    assert f'id="response-a"><p>{shown_a}</p>' in page
    assert f'id="response-b"><p>{shown_b}</p>' in page


def test_both_orientations_occur_over_many_leases() -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=ORIENTATION_SAMPLE)
    expert = approved_expert(domain)
    data = JudgmentInput(verdict="tie", dimension_scores=SCORES, rationale=RATIONALE)

    for _ in range(ORIENTATION_SAMPLE):
        assignment = lease(expert, domain)
        judgment_submit(user=expert, assignment_id=assignment.pk, data=data)

    swapped = Assignment.objects.filter(is_swapped=True).count()
    # Each lease is a fair coin, so one side missing in 40 has probability 2 ** -39.
    assert 0 < swapped < ORIENTATION_SAMPLE
    first = EvaluatedModel.objects.get(name=SECRET_MODELS[0])
    assert Judgment.objects.filter(model_a=first).count() == ORIENTATION_SAMPLE - swapped


@pytest.mark.parametrize("coin", [0, 1])
def test_orientation_comes_from_secrets(coin: int) -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    expert = approved_expert(domain)

    with mock.patch("annotation.services.assignment.secrets.randbelow", return_value=coin) as draw:
        assignment = assignment_next(user=expert, domain=domain)

    assert assignment is not None
    assert assignment.is_swapped is (coin == 1)
    draw.assert_called_once_with(2)


@pytest.mark.parametrize(("is_swapped", "verdict", "correct"), [
    (False, "a", 1), (False, "b", 0), (True, "b", 1), (True, "a", 0), (True, "tie", 0),
])  # fmt: skip
def test_gold_accuracy_maps_shown_sides_to_stored(
    is_swapped: bool, verdict: str, correct: int
) -> None:
    domain = DomainFactory()
    make_batch(domain, comparisons=1)
    Comparison.objects.update(is_gold=True, gold_verdict="a")
    expert = approved_expert(domain)
    now = timezone.now()
    # Created directly: gold comparisons are leased only at random, at the batch's gold share.
    assignment = Assignment.objects.create(
        comparison=Comparison.objects.get(),
        expert=expert,
        is_swapped=is_swapped,
        leased_at=now,
        lease_expires_at=now + timedelta(minutes=10),
    )
    data = JudgmentInput(verdict=verdict, dimension_scores=SCORES, rationale=RATIONALE)

    judgment_submit(user=expert, assignment_id=assignment.pk, data=data)

    assert gold_accuracy(user=expert, domain=domain) == (correct, 1)
