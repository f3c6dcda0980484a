from django.conf import settings
from django.db import models
from django.db.models import Q


class ReviewRound(models.Model):
    """One round of a domain's review pipeline, such as a peer review and then an audit.

    `sample_share` of the judgments entering the round are reviewed; the others pass it as
    not sampled. A round with `requires_reviewer_role` is worked only by reviewers; otherwise
    any other approved expert of the domain may review (a peer review).
    """

    domain = models.ForeignKey(
        "experts.Domain", on_delete=models.PROTECT, related_name="review_rounds"
    )
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    sample_share = models.FloatField(default=1.0)
    requires_reviewer_role = models.BooleanField(default=True)

    class Meta:
        ordering = ["domain", "number"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "number"], name="review_round_unique"),
            models.CheckConstraint(
                condition=Q(sample_share__gt=0) & Q(sample_share__lte=1),
                name="review_round_share_range",
            ),
        ]

    def __str__(self) -> str:
        return f"round {self.number} of {self.domain_id}"


class ReviewTaskStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a reviewer"
    LEASED = "leased", "With a reviewer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    RETURNED = "returned", "Returned to its author"
    NOT_SAMPLED = "not_sampled", "Not sampled"
    CANCELLED = "cancelled", "Cancelled"


class ReviewDecision(models.TextChoices):
    ACCEPT = "accept", "Accept"
    REJECT = "reject", "Reject"
    RETURN = "return", "Return to its author"


class ReviewTask(models.Model):
    """One judgment version in one review round, and what its reviewer decided.

    A returned judgment, once corrected, gets a new task in the same round for its new
    version; the unique (judgment, round, version) triple stops a version entering a round
    twice.
    """

    judgment = models.ForeignKey(
        "annotation.Judgment", on_delete=models.PROTECT, related_name="review_tasks"
    )
    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="tasks")
    judgment_version = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=ReviewTaskStatus.choices, default=ReviewTaskStatus.WAITING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    leased_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    changed_judgment = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["status", "round"])]
        constraints = [
            models.UniqueConstraint(
                fields=["judgment", "round", "judgment_version"], name="review_task_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"review task {self.pk}"


class QualityThresholds(models.Model):
    """Per-domain limits past which staff see an expert flagged."""

    domain = models.OneToOneField(
        "experts.Domain", on_delete=models.PROTECT, related_name="quality_thresholds"
    )
    min_consensus_agreement = models.FloatField(default=0.6)
    min_gold_accuracy = models.FloatField(default=0.7)
    max_rejection_rate = models.FloatField(default=0.2)
    max_position_bias_p_value = models.FloatField(
        default=0.01, help_text="Flag when the binomial test of left-side picks is below this."
    )

    def __str__(self) -> str:
        return f"quality thresholds of {self.domain_id}"


class PromptReviewStage(models.TextChoices):
    REVIEW = "review", "Review"
    AUDIT = "audit", "Audit"


class PromptReview(models.Model):
    """One review or audit decision on an expert-written prompt."""

    prompt = models.ForeignKey(
        "annotation.Prompt", on_delete=models.PROTECT, related_name="reviews"
    )
    stage = models.CharField(max_length=10, choices=PromptReviewStage.choices)
    status = models.CharField(
        max_length=20, choices=ReviewTaskStatus.choices, default=ReviewTaskStatus.WAITING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"prompt review {self.pk}"
