"""Work for the local demo: MT-bench prompt sets, rubrics, review rounds and batches."""

from typing import Any

from django.db import transaction

from annotation.models import (
    BatchStatus,
    Comparison,
    ComparisonBatch,
    PromptSet,
    ReviewRound,
    Rubric,
)
from annotation.services.batch import batch_create
from experts.models import Domain

DEMO_DIMENSIONS = [
    {"key": "correctness", "label": "Correctness"},
    {"key": "helpfulness", "label": "Helpfulness"},
    {"key": "clarity", "label": "Clarity"},
]
DEMO_PAIRS = [("claude-v1", "gpt-3.5-turbo"), ("vicuna-13b-v1.3", "wizardlm-13b")]
HUMAN_BATCH_NAME = "MT-bench human judgments"
DEMO_BATCH_NAME = "Demo batch"


def demo_work_ensure(*, domains: list[Domain], staff_user: Any) -> list[str]:
    """Give each MT-bench category domain a prompt set, a rubric, two review rounds, a closed
    batch holding the imported human judgments (for agreement figures), and an open batch
    of new comparisons for the demo experts. Idempotent; returns lines to print."""
    lines = []
    for domain in domains:
        with transaction.atomic():
            prompt_set, _ = PromptSet.objects.get_or_create(
                domain=domain, name=f"{domain.name} questions"
            )
            domain.prompts.filter(prompt_set__isnull=True).update(prompt_set=prompt_set)
            Rubric.objects.get_or_create(
                domain=domain,
                defaults={"dimensions": DEMO_DIMENSIONS, "min_rationale_length": 20},
            )
            if not ReviewRound.objects.filter(domain=domain).exists():
                ReviewRound.objects.create(
                    domain=domain, number=1, name="Peer review", requires_reviewer_role=False
                )
                ReviewRound.objects.create(
                    domain=domain, number=2, name="Audit", requires_reviewer_role=True
                )
            human = _human_batch(domain, prompt_set, staff_user)
        open_batch = ComparisonBatch.objects.filter(domain=domain, name=DEMO_BATCH_NAME).first()
        if open_batch is None:
            open_batch = batch_create(
                domain=domain,
                prompt_set=prompt_set,
                name=DEMO_BATCH_NAME,
                staff_user=staff_user,
                pairs=DEMO_PAIRS,
                judgments_per_comparison=2,
            )
        lines.append(
            f"{domain.slug}: batch {human.pk} holds the imported human judgments; batch "
            f"{open_batch.pk} has {open_batch.comparisons.count()} comparisons to judge."
        )
    return lines


def _human_batch(domain: Domain, prompt_set: PromptSet, staff_user: Any) -> ComparisonBatch:
    batch, created = ComparisonBatch.objects.get_or_create(
        domain=domain,
        name=HUMAN_BATCH_NAME,
        defaults={
            "prompt_set": prompt_set,
            "status": BatchStatus.CLOSED,
            "created_by": staff_user,
            "judgments_per_comparison": 1,
        },
    )
    if created:
        Comparison.objects.filter(domain=domain, batch__isnull=True).update(batch=batch)
    return batch
