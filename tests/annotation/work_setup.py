"""Build the smallest batch an expert can work on: prompts, responses, comparisons."""

from datetime import timedelta
from typing import Any

from annotation.models import (
    Comparison,
    ComparisonBatch,
    EvaluatedModel,
    Prompt,
    PromptSet,
    Response,
    Rubric,
)
from experts.models import Domain
from tests.experts.factories import DomainApprovalFactory, StaffUserFactory

SECRET_MODELS = ("zephyr-secret-alpha", "orion-secret-beta")


def approved_expert(domain: Domain, **kwargs: Any) -> Any:
    return DomainApprovalFactory(domain=domain, **kwargs).expert


def make_batch(
    domain: Domain,
    *,
    comparisons: int = 2,
    required: int = 1,
    lease_minutes: int = 10,
    author: Any = None,
    texts: tuple[str, str] = ("First answer, plain.", "Second answer, plain."),
) -> ComparisonBatch:
    """A batch of `comparisons` comparisons between two models, one per prompt."""
    staff = StaffUserFactory()
    prompt_set, _ = PromptSet.objects.get_or_create(domain=domain, name=f"set-{domain.slug}")
    batch = ComparisonBatch.objects.create(
        domain=domain,
        prompt_set=prompt_set,
        name="test batch",
        judgments_per_comparison=required,
        lease_duration=timedelta(minutes=lease_minutes),
        created_by=staff,
    )
    first = EvaluatedModel.objects.get_or_create(name=SECRET_MODELS[0])[0]
    second = EvaluatedModel.objects.get_or_create(name=SECRET_MODELS[1])[0]
    start = Prompt.objects.count()
    for number in range(comparisons):
        prompt = Prompt.objects.create(
            domain=domain,
            source="test",
            external_id=f"{domain.slug}-{start + number}",
            text=f"Prompt {start + number}: write a haiku about rain.",
            prompt_set=prompt_set,
            author=author,
        )
        response_a = Response.objects.create(prompt=prompt, model=first, text=texts[0])
        response_b = Response.objects.create(prompt=prompt, model=second, text=texts[1])
        Comparison.objects.create(
            domain=domain,
            prompt=prompt,
            response_a=response_a,
            response_b=response_b,
            batch=batch,
            required_judgments=required,
        )
    Rubric.objects.get_or_create(
        domain=domain,
        defaults={
            "dimensions": [
                {"key": "correctness", "label": "Correctness"},
                {"key": "readability", "label": "Readability"},
            ],
            "min_rationale_length": 20,
        },
    )
    return batch
