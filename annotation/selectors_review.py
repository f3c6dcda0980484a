"""Reads for review pages: the judgment under review, as its author saw it."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from annotation.models import Judgment, ReviewStatus, ReviewTask, ReviewTaskStatus, Rubric
from annotation.rendering import render_untrusted_markdown


@dataclass(frozen=True)
class ReviewView:
    """A review task with the comparison's sides as the author saw them; no model names."""

    task: ReviewTask
    judgment: Judgment
    prompt_text: str
    response_a_text: str
    response_b_text: str
    dimensions: list[dict[str, str]]
    earlier: list[ReviewTask]

    def prompt_html(self) -> str:
        return render_untrusted_markdown(self.prompt_text)

    def response_a_html(self) -> str:
        return render_untrusted_markdown(self.response_a_text)

    def response_b_html(self) -> str:
        return render_untrusted_markdown(self.response_b_text)


def review_view(*, task: ReviewTask) -> ReviewView:
    judgment = task.judgment
    comparison = judgment.comparison
    if comparison is None:
        raise ValueError(
            f"Judgment {judgment.pk} has no comparison; only platform work is reviewed."
        )
    shown_a, shown_b = comparison.response_a, comparison.response_b
    if judgment.assignment is not None and judgment.assignment.is_swapped:
        shown_a, shown_b = shown_b, shown_a
    rubric = Rubric.objects.filter(domain=judgment.domain).first()
    earlier = list(
        ReviewTask.objects.filter(judgment=judgment, decided_at__isnull=False)
        .exclude(pk=task.pk)
        .select_related("round")
        .order_by("decided_at")
    )
    return ReviewView(
        task=task,
        judgment=judgment,
        prompt_text=comparison.prompt.text,
        response_a_text=shown_a.text,
        response_b_text=shown_b.text,
        dimensions=list(rubric.dimensions) if rubric else [],
        earlier=earlier,
    )


def judgments_returned_to(*, user: Any) -> list[tuple[Judgment, str]]:
    """Return the author's returned judgments with the reviewer's latest comment.

    No review queue lists them until the author resubmits.
    """
    returned = (
        Judgment.objects.filter(assignment__expert=user, review_status=ReviewStatus.RETURNED)
        .select_related("assignment", "domain")
        .order_by("updated_at")
    )
    result = []
    for judgment in returned:
        comment = (
            ReviewTask.objects.filter(judgment=judgment, status=ReviewTaskStatus.RETURNED)
            .order_by("-decided_at")
            .values_list("comment", flat=True)
            .first()
        )
        result.append((judgment, comment or ""))
    return result


def review_history(*, judgment: Judgment) -> QuerySet[ReviewTask]:
    return (
        ReviewTask.objects.filter(judgment=judgment)
        .select_related("round", "reviewer")
        .order_by("id")
    )
