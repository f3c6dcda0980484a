from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

# The graded scale of every rating dimension, from the viewpoint of the sides as shown.
DIMENSION_SCALE = {
    -2: "A much better",
    -1: "A better",
    0: "Same",
    1: "B better",
    2: "B much better",
}


class Rubric(models.Model):
    """What experts rate in a domain: dimensions on the graded scale, then an overall verdict.

    `dimensions` is a list of {"key": "correctness", "label": "Correctness"} objects.
    """

    domain = models.OneToOneField("experts.Domain", on_delete=models.PROTECT, related_name="rubric")
    dimensions = models.JSONField(default=list)
    min_rationale_length = models.PositiveSmallIntegerField(default=30)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"rubric of {self.domain_id}"


class BatchStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class ComparisonBatch(models.Model):
    """Comparisons in one domain, issued and reviewed together."""

    domain = models.ForeignKey("experts.Domain", on_delete=models.PROTECT, related_name="batches")
    prompt_set = models.ForeignKey(
        "annotation.PromptSet", on_delete=models.PROTECT, related_name="batches"
    )
    name = models.CharField(max_length=200)
    judgments_per_comparison = models.PositiveSmallIntegerField(default=1)
    lease_duration = models.DurationField(default=timedelta(minutes=10))
    gold_share = models.FloatField(default=0.0)
    status = models.CharField(max_length=20, choices=BatchStatus.choices, default=BatchStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unsettled_at_close = models.PositiveIntegerField(
        default=0, help_text="Judgments still in review when staff closed the batch; left out."
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(gold_share__gte=0) & Q(gold_share__lt=1), name="batch_gold_share_range"
            ),
            models.CheckConstraint(
                condition=Q(judgments_per_comparison__gte=1), name="batch_judgments_min"
            ),
        ]

    def __str__(self) -> str:
        return f"batch {self.pk}"


class AssignmentStatus(models.TextChoices):
    LEASED = "leased", "Leased"
    SUBMITTED = "submitted", "Submitted"
    SKIPPED = "skipped", "Skipped"
    EXPIRED = "expired", "Expired"
    RELEASED = "released", "Released"


class Assignment(models.Model):
    """One comparison leased to one expert, with the sides as that expert sees them.

    `is_swapped` means the stored response_b is shown as A. The unique (comparison, expert)
    pair keeps an expert from ever getting the same comparison twice.
    """

    comparison = models.ForeignKey(
        "annotation.Comparison", on_delete=models.PROTECT, related_name="assignments"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    status = models.CharField(
        max_length=20, choices=AssignmentStatus.choices, default=AssignmentStatus.LEASED
    )
    is_swapped = models.BooleanField()
    leased_at = models.DateTimeField()
    lease_expires_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    skip_reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "lease_expires_at"]),
            models.Index(fields=["expert", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "expert"], name="assignment_once_per_expert"
            ),
        ]

    def __str__(self) -> str:
        return f"assignment {self.pk}"
