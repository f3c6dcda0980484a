"""Reads for staff pages about batches. Callers check the staff role first."""

from django.db.models import Count, Q, QuerySet

from annotation.models import AssignmentStatus, ComparisonBatch


def batch_list_with_progress() -> QuerySet[ComparisonBatch]:
    return (
        ComparisonBatch.objects.select_related("domain", "prompt_set")
        .annotate(
            comparison_count=Count(
                "comparisons", filter=Q(comparisons__is_gold=False), distinct=True
            ),
            submitted_count=Count(
                "comparisons__assignments",
                filter=Q(
                    comparisons__assignments__status=AssignmentStatus.SUBMITTED,
                    comparisons__is_gold=False,
                ),
            ),
        )
        .order_by("-created_at", "-id")
    )
