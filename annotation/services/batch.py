"""Comparison batches: what staff issue to experts in a domain."""

import itertools
import logging
from datetime import timedelta
from typing import Any

from django.db import transaction

from annotation.models import (
    BatchStatus,
    Comparison,
    ComparisonBatch,
    EvaluatedModel,
    PromptSet,
    PromptStatus,
    Response,
    Rubric,
)
from experts.models import AuditAction, Domain
from experts.services.application import require_staff
from experts.services.audit import audit_record
from seal_platform.errors import InvalidInput

logger = logging.getLogger(__name__)

MAX_JUDGMENTS_PER_COMPARISON = 20
MAX_LEASE_MINUTES = 24 * 60
# The length of ComparisonBatch.name.
MAX_BATCH_NAME_LENGTH = 200


def rubric_set(
    *, domain: Domain, dimensions: list[dict[str, str]], min_rationale_length: int, staff_user: Any
) -> Rubric:
    """Set a domain's rubric: rating dimensions on the graded scale and the rationale length."""
    require_staff(staff_user)
    keys = [str(dimension.get("key", "")).strip() for dimension in dimensions]
    if any(not key or not key.replace("_", "").isalnum() for key in keys):
        raise InvalidInput(
            "Each dimension needs a key of letters, digits and underscores, such as 'correctness'.",
            fields={"dimensions": ["Invalid key."]},
        )
    if len(set(keys)) != len(keys):
        raise InvalidInput("Dimension keys must differ.", fields={"dimensions": ["Duplicate key."]})
    cleaned = [
        {"key": key, "label": str(dimension.get("label") or key.replace("_", " ").capitalize())}
        for key, dimension in zip(keys, dimensions, strict=True)
    ]
    with transaction.atomic():
        rubric, _ = Rubric.objects.update_or_create(
            domain=domain,
            defaults={"dimensions": cleaned, "min_rationale_length": min_rationale_length},
        )
    return rubric


def _pairs(
    models: list[EvaluatedModel], chosen: list[tuple[str, str]] | None
) -> list[tuple[EvaluatedModel, EvaluatedModel]]:
    by_name = {model.name: model for model in models}
    if chosen is None:
        return list(itertools.combinations(sorted(models, key=lambda model: model.name), 2))
    unknown = sorted({name for pair in chosen for name in pair if name not in by_name})
    if unknown:
        raise InvalidInput(
            f"No responses in this prompt set from: {', '.join(unknown)}. Import their "
            "responses first, or choose among: " + ", ".join(sorted(by_name)) + ".",
            fields={"pairs": ["Unknown model."]},
        )
    if any(first == second for first, second in chosen):
        raise InvalidInput("A pair needs two different models.", fields={"pairs": ["Same model."]})
    _reject_repeated_pairs(chosen)
    return [(by_name[first], by_name[second]) for first, second in chosen]


def _reject_repeated_pairs(chosen: list[tuple[str, str]]) -> None:
    """Raise InvalidInput for a pair listed twice, in either order.

    The same order twice would break the batch's unique comparison constraint, and the
    reverse order would ask for every comparison of that pair twice.
    """
    seen: dict[frozenset[str], tuple[str, str]] = {}
    for pair in chosen:
        earlier = seen.get(frozenset(pair))
        seen[frozenset(pair)] = pair
        if earlier is not None:
            raise InvalidInput(
                f"The pair {pair[0]}, {pair[1]} is listed twice (as {earlier[0]}, {earlier[1]} "
                "too). List each pair once; its sides are randomized for each expert.",
                fields={"pairs": ["Repeated pair."]},
            )


def batch_create(
    *,
    domain: Domain,
    prompt_set: PromptSet,
    name: str,
    staff_user: Any,
    pairs: list[tuple[str, str]] | None = None,
    judgments_per_comparison: int = 1,
    lease_minutes: int = 10,
    gold_share: float = 0.0,
) -> ComparisonBatch:
    """Create a batch with one comparison per frozen prompt and model pair with responses.

    `pairs=None` means every pair of models that answered the set. Only frozen prompts enter
    a batch.
    """
    require_staff(staff_user)
    if prompt_set.domain_id != domain.pk:
        raise InvalidInput(
            f"Prompt set {prompt_set.name!r} belongs to another domain; choose one of "
            f"{domain.name}'s sets."
        )
    if not 1 <= judgments_per_comparison <= MAX_JUDGMENTS_PER_COMPARISON:
        raise InvalidInput(
            f"Judgments per comparison must be 1 to {MAX_JUDGMENTS_PER_COMPARISON}, not "
            f"{judgments_per_comparison}.",
            fields={"judgments_per_comparison": ["Out of range."]},
        )
    if not 1 <= lease_minutes <= MAX_LEASE_MINUTES:
        raise InvalidInput(
            f"The lease must last 1 to {MAX_LEASE_MINUTES} minutes, not {lease_minutes}.",
            fields={"lease_minutes": ["Out of range."]},
        )
    if not 0 <= gold_share < 1:
        raise InvalidInput(
            f"The gold share must be at least 0 and below 1, not {gold_share}.",
            fields={"gold_share": ["Out of range."]},
        )
    if len(name.strip()) > MAX_BATCH_NAME_LENGTH:
        raise InvalidInput(
            f"The batch name is {len(name.strip())} characters long; at most "
            f"{MAX_BATCH_NAME_LENGTH} fit.",
            fields={"name": ["Too long."]},
        )

    responses = list(
        Response.objects.filter(
            prompt__prompt_set=prompt_set, prompt__status=PromptStatus.FROZEN
        ).select_related("model")
    )
    models = list({response.model_id: response.model for response in responses}.values())
    chosen = _pairs(models, pairs)
    by_prompt: dict[int, dict[int, Response]] = {}
    for response in responses:
        by_prompt.setdefault(response.prompt_id, {})[response.model_id] = response

    with transaction.atomic():
        batch = ComparisonBatch.objects.create(
            domain=domain,
            prompt_set=prompt_set,
            name=name.strip() or f"{prompt_set.name} batch",
            judgments_per_comparison=judgments_per_comparison,
            lease_duration=timedelta(minutes=lease_minutes),
            gold_share=gold_share,
            created_by=staff_user,
        )
        comparisons = [
            Comparison(
                domain=domain,
                prompt_id=prompt_id,
                response_a=answers[first.pk],
                response_b=answers[second.pk],
                batch=batch,
                required_judgments=judgments_per_comparison,
            )
            for prompt_id, answers in sorted(by_prompt.items())
            for first, second in chosen
            if first.pk in answers and second.pk in answers
        ]
        if not comparisons:
            raise InvalidInput(
                f"Prompt set {prompt_set.name!r} has no frozen prompt answered by both models "
                "of any chosen pair, so the batch would be empty."
            )
        Comparison.objects.bulk_create(comparisons, batch_size=2000)
        audit_record(
            actor=staff_user,
            action=AuditAction.BATCH_CREATED,
            subject=None,
            target=batch,
            domain=domain,
            details={"comparisons": len(comparisons), "pairs": len(chosen)},
        )
    logger.info(
        "annotation.batch.created", extra={"batch_id": batch.pk, "comparisons": len(comparisons)}
    )
    return batch


def gold_comparison_add(
    *,
    batch: ComparisonBatch,
    prompt_id: int,
    response_a_id: int,
    response_b_id: int,
    verdict: str,
    staff_user: Any,
) -> Comparison:
    """Add a known-answer comparison; it looks like any other on the expert's page."""
    require_staff(staff_user)
    with transaction.atomic():
        return Comparison.objects.create(
            domain=batch.domain,
            prompt_id=prompt_id,
            response_a_id=response_a_id,
            response_b_id=response_b_id,
            batch=batch,
            is_gold=True,
            gold_verdict=verdict,
            required_judgments=1,
        )


def batch_is_open(batch: ComparisonBatch) -> bool:
    return batch.status == BatchStatus.OPEN
