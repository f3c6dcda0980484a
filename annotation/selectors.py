"""Reads for the expert's work pages and the work API. Nothing here names a model."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F

from annotation.models import (
    Assignment,
    AssignmentStatus,
    BatchStatus,
    Comparison,
    ComparisonBatch,
    Prompt,
    Rubric,
)
from annotation.rendering import render_untrusted_markdown
from experts.models import Domain
from seal_platform.verdict import Verdict


@dataclass(frozen=True)
class WorkProgress:
    done: int
    left: int


@dataclass(frozen=True)
class TaskView:
    """A comparison as its expert sees it: sides as leased, no model identity anywhere."""

    assignment: Assignment
    domain: Domain
    prompt_text: str
    response_a_text: str
    response_b_text: str
    dimensions: list[dict[str, str]]
    min_rationale_length: int
    judgment: Any

    def prompt_html(self) -> str:
        return render_untrusted_markdown(self.prompt_text)

    def response_a_html(self) -> str:
        return render_untrusted_markdown(self.response_a_text)

    def response_b_html(self) -> str:
        return render_untrusted_markdown(self.response_b_text)


def work_progress(*, user: Any, domain: Domain) -> WorkProgress:
    return work_progress_by_domain(user=user, domains=[domain])[domain.pk]


def work_progress_by_domain(*, user: Any, domains: list[Domain]) -> dict[int, WorkProgress]:
    """Return the expert's progress in open batches of each domain, in three queries.

    `done` counts submitted judgments. `left` counts comparisons the expert could still be
    given, without gold ones and without the one they lease now.
    """
    batch_domains = dict(
        ComparisonBatch.objects.filter(domain__in=domains, status=BatchStatus.OPEN).values_list(
            "id", "domain_id"
        )
    )
    batch_ids = list(batch_domains)
    done = dict(
        Assignment.objects.filter(
            expert=user, status=AssignmentStatus.SUBMITTED, comparison__batch_id__in=batch_ids
        )
        .order_by()
        .values_list("comparison__batch__domain_id")
        .annotate(count=Count("id"))
    )
    left = _left_by_domain(user, batch_ids)
    return {
        domain.pk: WorkProgress(done=done.get(domain.pk, 0), left=left.get(domain.pk, 0))
        for domain in domains
    }


def _left_by_domain(user: Any, batch_ids: list[int]) -> dict[int, int]:
    """Count comparisons the expert could still be given, per domain.

    The prompt-author exclusion joins every open comparison to its prompt, which costs tens
    of milliseconds at 100,000 comparisons, so it runs only for experts who wrote prompts.
    """
    candidates = Comparison.objects.filter(
        batch_id__in=batch_ids, is_gold=False, slots_taken__lt=F("required_judgments")
    ).exclude(pk__in=Assignment.objects.filter(expert=user).values("comparison_id"))
    if Prompt.objects.filter(author=user, comparisons__batch_id__in=batch_ids).exists():
        candidates = candidates.exclude(prompt__author=user)
    return dict(candidates.order_by().values_list("batch__domain_id").annotate(count=Count("id")))


def task_view(*, assignment: Assignment) -> TaskView:
    comparison = assignment.comparison
    shown_a, shown_b = comparison.response_a, comparison.response_b
    if assignment.is_swapped:
        shown_a, shown_b = shown_b, shown_a
    domain = comparison.batch.domain if comparison.batch else comparison.domain
    rubric = Rubric.objects.filter(domain=domain).first()
    judgment = (
        getattr(assignment, "judgment", None)
        if assignment.status == AssignmentStatus.SUBMITTED
        else None
    )
    return TaskView(
        assignment=assignment,
        domain=domain,
        prompt_text=comparison.prompt.text,
        response_a_text=shown_a.text,
        response_b_text=shown_b.text,
        dimensions=list(rubric.dimensions) if rubric else [],
        min_rationale_length=rubric.min_rationale_length if rubric else 30,
        judgment=judgment,
    )


def gold_accuracy(*, user: Any, domain: Domain) -> tuple[int, int]:
    """(correct, judged) over the expert's judgments on gold comparisons in the domain.

    A judgment's verdict refers to the sides as shown, the gold verdict to the stored order,
    so a swapped assignment maps A to B before comparing.
    """
    swap: dict[str, str] = {Verdict.A_BETTER: Verdict.B_BETTER, Verdict.B_BETTER: Verdict.A_BETTER}
    rows = Assignment.objects.filter(
        expert=user,
        status=AssignmentStatus.SUBMITTED,
        comparison__is_gold=True,
        comparison__batch__domain=domain,
    ).values_list("is_swapped", "judgment__verdict", "comparison__gold_verdict")
    correct = 0
    judged = 0
    for is_swapped, verdict, gold in rows:
        stored = swap.get(verdict, verdict) if is_swapped else verdict
        correct += int(stored == gold)
        judged += 1
    return correct, judged
