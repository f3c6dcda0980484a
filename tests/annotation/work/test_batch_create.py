"""Creating comparison batches through the service, the staff API and the staff page."""

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotation.models import (
    Comparison,
    ComparisonBatch,
    EvaluatedModel,
    Prompt,
    PromptSet,
    PromptStatus,
    Response,
)
from annotation.services.batch import batch_create
from experts.models import AuditAction, AuditEntry, Domain
from seal_platform.errors import InvalidInput, SealError
from tests.annotation.work.rating_setup import logged_in
from tests.experts.factories import DomainFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db

MODELS = ("model-c", "model-a", "model-b")
ALL_PAIRS = [("model-a", "model-b"), ("model-a", "model-c"), ("model-b", "model-c")]


def answered_set(domain: Domain, statuses: Sequence[str], name: str = "set") -> PromptSet:
    """A prompt set with one prompt per status, each answered by every model in MODELS."""
    prompt_set = PromptSet.objects.create(domain=domain, name=name)
    models = [EvaluatedModel.objects.get_or_create(name=model)[0] for model in MODELS]
    for number, status in enumerate(statuses):
        prompt = Prompt.objects.create(
            domain=domain,
            source=f"test:{name}",
            external_id=str(number),
            text=f"Prompt {number}",
            prompt_set=prompt_set,
            status=status,
        )
        for model in models:
            Response.objects.create(prompt=prompt, model=model, text=f"{model.name} {number}")
    return prompt_set


def pairs_of(batch: ComparisonBatch) -> list[tuple[str, str, str]]:
    return list(
        batch.comparisons.order_by("prompt__external_id", "id").values_list(
            "prompt__external_id", "response_a__model__name", "response_b__model__name"
        )
    )


def test_all_pairs_of_every_frozen_prompt() -> None:
    domain = DomainFactory()
    prompt_set = answered_set(domain, [PromptStatus.FROZEN, PromptStatus.FROZEN])
    staff = StaffUserFactory()

    batch = batch_create(
        domain=domain,
        prompt_set=prompt_set,
        name="  first  ",
        staff_user=staff,
        judgments_per_comparison=3,
        lease_minutes=25,
        gold_share=0.1,
    )

    assert pairs_of(batch) == [(prompt, *pair) for prompt in ("0", "1") for pair in ALL_PAIRS]
    assert batch.name == "first"
    assert batch.judgments_per_comparison == 3
    assert batch.lease_duration == timedelta(minutes=25)
    assert batch.gold_share == 0.1
    assert set(batch.comparisons.values_list("required_judgments", "slots_taken")) == {(3, 0)}
    audit = AuditEntry.objects.get(action=AuditAction.BATCH_CREATED)
    assert (audit.actor_id, audit.object_id, audit.domain_id) == (staff.pk, batch.pk, domain.pk)
    assert audit.details == {"comparisons": 6, "pairs": 3}


def test_chosen_pairs_only() -> None:
    domain = DomainFactory()
    prompt_set = answered_set(domain, [PromptStatus.FROZEN, PromptStatus.FROZEN])

    batch = batch_create(
        domain=domain,
        prompt_set=prompt_set,
        name="",
        staff_user=StaffUserFactory(),
        pairs=[("model-c", "model-a")],
    )

    assert pairs_of(batch) == [("0", "model-c", "model-a"), ("1", "model-c", "model-a")]
    assert batch.name == "set batch"


def test_only_frozen_prompts_enter() -> None:
    domain = DomainFactory()
    statuses = [
        PromptStatus.DRAFT,
        PromptStatus.FROZEN,
        PromptStatus.IN_REVIEW,
        PromptStatus.RETIRED,
    ]
    prompt_set = answered_set(domain, statuses)

    batch = batch_create(
        domain=domain,
        prompt_set=prompt_set,
        name="frozen",
        staff_user=StaffUserFactory(),
        pairs=[("model-a", "model-b")],
    )

    assert pairs_of(batch) == [("1", "model-a", "model-b")]


def assert_nothing_created() -> None:
    assert not ComparisonBatch.objects.exists()
    assert not Comparison.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.BATCH_CREATED).exists()


# (keyword arguments, expected message, expected fields)
REJECTED: dict[str, tuple[dict[str, Any], str, dict[str, list[str]]]] = {
    "unknown_model": (
        {"pairs": [("model-a", "ghost-model")]},
        "No responses in this prompt set from: ghost-model. Import their responses first, or "
        "choose among: model-a, model-b, model-c.",
        {"pairs": ["Unknown model."]},
    ),
    "same_model": (
        {"pairs": [("model-a", "model-a")]},
        "A pair needs two different models.",
        {"pairs": ["Same model."]},
    ),
    "repeated_pair": (
        {"pairs": [("model-a", "model-b"), ("model-b", "model-a")]},
        "The pair model-b, model-a is listed twice (as model-a, model-b too). List each pair "
        "once; its sides are randomized for each expert.",
        {"pairs": ["Repeated pair."]},
    ),
    "no_judgments": (
        {"judgments_per_comparison": 0},
        "Judgments per comparison must be 1 to 20, not 0.",
        {"judgments_per_comparison": ["Out of range."]},
    ),
    "too_many_judgments": (
        {"judgments_per_comparison": 21},
        "Judgments per comparison must be 1 to 20, not 21.",
        {"judgments_per_comparison": ["Out of range."]},
    ),
    "no_lease": (
        {"lease_minutes": 0},
        "The lease must last 1 to 1440 minutes, not 0.",
        {"lease_minutes": ["Out of range."]},
    ),
    "lease_over_a_day": (
        {"lease_minutes": 1441},
        "The lease must last 1 to 1440 minutes, not 1441.",
        {"lease_minutes": ["Out of range."]},
    ),
    "negative_gold_share": (
        {"gold_share": -0.1},
        "The gold share must be at least 0 and below 1, not -0.1.",
        {"gold_share": ["Out of range."]},
    ),
    "gold_share_one": (
        {"gold_share": 1.0},
        "The gold share must be at least 0 and below 1, not 1.0.",
        {"gold_share": ["Out of range."]},
    ),
    "long_name": (
        {"name": "n" * 201},
        "The batch name is 201 characters long; at most 200 fit.",
        {"name": ["Too long."]},
    ),
    "gold_share_nan": (
        {"gold_share": float("nan")},
        "The gold share must be at least 0 and below 1, not nan.",
        {"gold_share": ["Out of range."]},
    ),
}


@pytest.mark.parametrize("case", sorted(REJECTED))
def test_invalid_batch_is_rejected(case: str) -> None:
    arguments, message, fields = REJECTED[case]
    domain = DomainFactory()
    prompt_set = answered_set(domain, [PromptStatus.FROZEN])

    with pytest.raises(InvalidInput) as caught:
        batch_create(
            domain=domain,
            prompt_set=prompt_set,
            staff_user=StaffUserFactory(),
            **{"name": "x", **arguments},
        )

    assert caught.value.message == message
    assert caught.value.fields == fields
    assert_nothing_created()


def test_set_without_frozen_answers_is_rejected() -> None:
    domain = DomainFactory()
    prompt_set = answered_set(domain, [PromptStatus.DRAFT], name="drafts")

    with pytest.raises(InvalidInput) as caught:
        batch_create(domain=domain, prompt_set=prompt_set, name="x", staff_user=StaffUserFactory())

    assert caught.value.message == (
        "Prompt set 'drafts' has no frozen prompt answered by both models of any chosen pair, so "
        "the batch would be empty."
    )
    assert_nothing_created()


def test_prompt_set_of_another_domain_is_rejected() -> None:
    prompt_set = answered_set(DomainFactory(), [PromptStatus.FROZEN], name="math set")
    coding = DomainFactory(name="Coding")

    with pytest.raises(InvalidInput) as caught:
        batch_create(domain=coding, prompt_set=prompt_set, name="x", staff_user=StaffUserFactory())

    assert caught.value.message == (
        "Prompt set 'math set' belongs to another domain; choose one of Coding's sets."
    )
    assert_nothing_created()


def test_non_staff_cannot_create_batch() -> None:
    domain = DomainFactory()
    prompt_set = answered_set(domain, [PromptStatus.FROZEN])

    with pytest.raises(SealError) as caught:
        batch_create(domain=domain, prompt_set=prompt_set, name="x", staff_user=UserFactory())

    assert caught.value.message == "Only staff may do this."
    assert caught.value.status_code == 403
    assert_nothing_created()


@pytest.fixture
def staff() -> User:
    user: User = StaffUserFactory()
    return user


def test_api_creates_batch_of_all_pairs(staff: User) -> None:
    domain = DomainFactory(slug="coding")
    answered_set(domain, [PromptStatus.FROZEN, PromptStatus.DRAFT])
    body = {"domain": "coding", "prompt_set": "set", "name": "api batch", "gold_share": 0.25}

    response = logged_in(staff).post("/api/staff/batches/", body, content_type="application/json")

    batch = ComparisonBatch.objects.get()
    assert response.status_code == 201
    assert response.json() == {
        "id": batch.pk,
        "name": "api batch",
        "domain": "coding",
        "prompt_set": "set",
        "status": "open",
        "judgments_per_comparison": 1,
        "gold_share": 0.25,
        "comparison_count": 3,
        "submitted_count": 0,
    }
    assert pairs_of(batch) == [("0", *pair) for pair in ALL_PAIRS]


def test_api_creates_batch_of_chosen_pairs(staff: User) -> None:
    domain = DomainFactory(slug="coding")
    answered_set(domain, [PromptStatus.FROZEN, PromptStatus.FROZEN])
    body = {
        "domain": "coding",
        "prompt_set": "set",
        "pairs": [["model-b", "model-c"]],
        "judgments_per_comparison": 2,
        "lease_minutes": 30,
    }

    response = logged_in(staff).post("/api/staff/batches/", body, content_type="application/json")

    batch = ComparisonBatch.objects.get()
    assert response.status_code == 201
    assert response.json()["comparison_count"] == 2
    assert response.json()["judgments_per_comparison"] == 2
    assert batch.lease_duration == timedelta(minutes=30)
    assert pairs_of(batch) == [("0", "model-b", "model-c"), ("1", "model-b", "model-c")]


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        (
            {"pairs": [["model-a", "ghost-model"]]},
            400,
            {
                "code": "invalid_input",
                "message": REJECTED["unknown_model"][1],
                "fields": {"pairs": ["Unknown model."]},
            },
        ),
        (
            {"lease_minutes": 5000},
            400,
            {
                "code": "invalid_input",
                "message": "The lease must last 1 to 1440 minutes, not 5000.",
                "fields": {"lease_minutes": ["Out of range."]},
            },
        ),
        (
            {"judgments_per_comparison": 0},
            400,
            {
                "code": "invalid_input",
                "message": "Judgments per comparison must be 1 to 20, not 0.",
                "fields": {"judgments_per_comparison": ["Out of range."]},
            },
        ),
        (
            {"gold_share": 1.5},
            400,
            {
                "code": "invalid_input",
                "message": "The gold share must be at least 0 and below 1, not 1.5.",
                "fields": {"gold_share": ["Out of range."]},
            },
        ),
        (
            {"name": "n" * 201},
            400,
            {
                "code": "invalid_input",
                "message": "The batch name is 201 characters long; at most 200 fit.",
                "fields": {"name": ["Too long."]},
            },
        ),
        (
            {"prompt_set": "missing set"},
            404,
            {
                "code": "not_found",
                "message": "Prompt set 'missing set' does not exist in 'coding'.",
                "fields": {},
            },
        ),
    ],
    ids=["unknown_model", "long_lease", "no_judgments", "gold_share", "long_name", "unknown_set"],
)
def test_api_rejects_invalid_batch(
    staff: User, change: dict[str, Any], status: int, error: dict[str, Any]
) -> None:
    domain = DomainFactory(slug="coding")
    answered_set(domain, [PromptStatus.FROZEN])
    body = {"domain": "coding", "prompt_set": "set", **change}

    response = logged_in(staff).post("/api/staff/batches/", body, content_type="application/json")

    assert response.status_code == status
    assert response.json() == {"error": error}
    assert_nothing_created()


@pytest.mark.parametrize(
    ("pairs", "problems"),
    [
        (
            [["model-a", "model-b"], ["model-a", "model-b", "model-c"], ["model-c", " "]],
            [
                'Pair 2 must be two model names, not ["model-a", "model-b", "model-c"].',
                'Pair 3 must be two model names, not ["model-c", " "].',
            ],
        ),
        (
            "model-a, model-b",
            ['Give a list of pairs such as [["model-x", "model-y"]], or null for every pair.'],
        ),
    ],
    ids=["malformed_pairs", "not_a_list"],
)
def test_api_lists_each_malformed_pair(staff: User, pairs: Any, problems: list[str]) -> None:
    domain = DomainFactory(slug="coding")
    answered_set(domain, [PromptStatus.FROZEN])
    body = {"domain": "coding", "prompt_set": "set", "pairs": pairs}

    response = logged_in(staff).post("/api/staff/batches/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"pairs": problems}
    assert_nothing_created()


def test_staff_page_rejects_repeated_pair(staff: User) -> None:
    domain = DomainFactory()
    prompt_set = answered_set(domain, [PromptStatus.FROZEN])
    form = {
        "prompt_set": str(prompt_set.pk),
        "name": "page batch",
        "pairs": "model-a, model-b\nmodel-a, model-b",
        "judgments_per_comparison": "1",
        "lease_minutes": "10",
        "gold_share": "0",
    }

    response = logged_in(staff).post("/work/staff/batches/new/", form)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The pair model-a, model-b is listed twice (as model-a, model-b too). List each pair "
        "once; its sides are randomized for each expert."
    ]
    assert_nothing_created()


def test_staff_page_creates_batch(staff: User) -> None:
    domain = DomainFactory()
    prompt_set = answered_set(domain, [PromptStatus.FROZEN])
    form = {
        "prompt_set": str(prompt_set.pk),
        "name": "page batch",
        "pairs": "model-a, model-b\n\nmodel-b, model-c\n",
        "judgments_per_comparison": "2",
        "lease_minutes": "15",
        "gold_share": "0",
    }
    client = logged_in(staff)

    response = client.post("/work/staff/batches/new/", form)

    batch = ComparisonBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/work/staff/batches/"
    assert f"Batch {batch.pk} created." in client.get(response["Location"]).content.decode()
    assert pairs_of(batch) == [("0", "model-a", "model-b"), ("0", "model-b", "model-c")]
    assert batch.judgments_per_comparison == 2


def test_staff_page_shows_service_error(staff: User) -> None:
    domain = DomainFactory()
    prompt_set = answered_set(domain, [PromptStatus.FROZEN])
    form = {
        "prompt_set": str(prompt_set.pk),
        "name": "page batch",
        "pairs": "model-a, ghost-model",
        "judgments_per_comparison": "1",
        "lease_minutes": "10",
        "gold_share": "0",
    }

    response = logged_in(staff).post("/work/staff/batches/new/", form)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [REJECTED["unknown_model"][1]]
    assert_nothing_created()


def list_query_count(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/staff/batches/")
    assert response.status_code == 200
    return len(queries)


def test_api_batch_list_query_count_does_not_grow(staff: User) -> None:
    domain = DomainFactory()
    prompt_set = answered_set(domain, [PromptStatus.FROZEN])
    client = logged_in(staff)
    batch_create(domain=domain, prompt_set=prompt_set, name="first", staff_user=staff)
    with_one = list_query_count(client)
    for number in range(4):
        batch_create(domain=domain, prompt_set=prompt_set, name=f"more {number}", staff_user=staff)

    with_five = list_query_count(client)

    assert len(client.get("/api/staff/batches/").json()) == 5
    assert with_five == with_one
