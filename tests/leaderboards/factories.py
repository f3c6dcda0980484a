"""Small leaderboard inputs: closed batches and judgments with verdicts and dimension scores."""

from typing import Any

import factory
from django.utils import timezone

from annotation.models import (
    BatchStatus,
    ComparisonBatch,
    EvaluatedModel,
    Judgment,
    PromptSet,
    ReviewStatus,
    Rubric,
    Verdict,
)
from experts.models import Domain
from tests.experts.factories import DomainFactory, StaffUserFactory

# (model shown as A, model shown as B, verdict, dimension scores, how many such judgments)
JudgmentSpec = tuple[str, str, str, dict[str, Any], int]

SMALL_INPUT: list[JudgmentSpec] = [
    ("alpha", "beta", Verdict.A_BETTER, {"correctness": -2, "style": -1}, 6),
    ("alpha", "beta", Verdict.B_BETTER, {"correctness": 1, "style": 0}, 2),
    ("beta", "alpha", Verdict.TIE, {"correctness": 0, "style": 2}, 2),
    ("beta", "gamma", Verdict.A_BETTER, {"correctness": -1}, 5),
    ("beta", "gamma", Verdict.B_BETTER, {"correctness": 2}, 3),
    ("gamma", "beta", Verdict.BOTH_BAD, {"correctness": 0}, 1),
    ("alpha", "gamma", Verdict.A_BETTER, {"correctness": -1, "style": -2}, 4),
    ("gamma", "alpha", Verdict.A_BETTER, {"correctness": -1, "style": 1}, 1),
]
SMALL_INPUT_COUNT = 24


class PromptSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PromptSet
        django_get_or_create = ("domain", "name")

    domain = factory.SubFactory(DomainFactory)
    name = factory.LazyAttribute(lambda prompt_set: f"set-{prompt_set.domain.slug}")


class BatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComparisonBatch

    domain = factory.SubFactory(DomainFactory)
    prompt_set = factory.SubFactory(PromptSetFactory, domain=factory.SelfAttribute("..domain"))
    name = factory.Sequence(lambda number: f"batch {number}")
    created_by = factory.SubFactory(StaffUserFactory)
    status = BatchStatus.CLOSED
    closed_at = factory.LazyFunction(timezone.now)


def add_judgments(
    domain: Domain,
    specs: list[JudgmentSpec],
    *,
    review_status: str = ReviewStatus.ACCEPTED,
    is_gold: bool = False,
) -> list[Judgment]:
    """Store each spec's judgments in one bulk insert, so their IDs are consecutive."""
    models = {
        name: EvaluatedModel.objects.get_or_create(name=name)[0]
        for spec in specs
        for name in spec[:2]
    }
    return Judgment.objects.bulk_create(
        [
            Judgment(
                domain=domain,
                model_a=models[model_a],
                model_b=models[model_b],
                verdict=verdict,
                dimension_scores=scores,
                review_status=review_status,
                is_gold=is_gold,
            )
            for model_a, model_b, verdict, scores, count in specs
            for _ in range(count)
        ]
    )


def rubric_for(domain: Domain) -> Rubric:
    rubric, _ = Rubric.objects.get_or_create(
        domain=domain,
        defaults={
            "dimensions": [
                {"key": "correctness", "label": "Correctness"},
                {"key": "style", "label": "Style"},
            ]
        },
    )
    return rubric


def software_domains() -> tuple[Domain, Domain]:
    """Return a parent domain and its child, the child holding SMALL_INPUT as accepted."""
    parent = DomainFactory(slug="software", name="Software")
    child = DomainFactory(slug="coding", name="Coding", parent=parent)
    rubric_for(child)
    add_judgments(child, SMALL_INPUT)
    return parent, child
