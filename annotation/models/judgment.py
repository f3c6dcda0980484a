from django.db import models
from django.db.models import F, Q

from seal_platform.verdict import Verdict


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    RETURNED = "returned", "Returned to its author"


class JudgmentImport(models.Model):
    """One imported file. The content hash stops the same file being stored twice per domain."""

    domain = models.ForeignKey("experts.Domain", on_delete=models.PROTECT, related_name="imports")
    file_name = models.CharField(max_length=500)
    content_sha256 = models.CharField(max_length=64)
    judgment_count = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "content_sha256"], name="import_unique_content_per_domain"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} into {self.domain_id}"


class Judgment(models.Model):
    """One verdict on a pair of models, shown as A and B.

    The models are stored on the judgment itself (not only through a comparison) because an
    imported judgment often has no prompt or responses, and because which model sat on which
    side is a fact of the judgment. Imported judgments record their file and line, and were
    reviewed where they came from, so they are stored as accepted.
    """

    domain = models.ForeignKey("experts.Domain", on_delete=models.PROTECT, related_name="judgments")
    comparison = models.ForeignKey(
        "annotation.Comparison",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judgments",
    )
    model_a = models.ForeignKey(
        "annotation.EvaluatedModel", on_delete=models.PROTECT, related_name="+"
    )
    model_b = models.ForeignKey(
        "annotation.EvaluatedModel", on_delete=models.PROTECT, related_name="+"
    )
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    judge = models.CharField(max_length=200, blank=True)
    expert = models.ForeignKey(
        "experts.ExpertProfile",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judgments",
    )
    judged_at = models.DateTimeField(null=True, blank=True)
    review_status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.ACCEPTED
    )
    source_import = models.ForeignKey(
        JudgmentImport, null=True, blank=True, on_delete=models.PROTECT, related_name="judgments"
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    source_question_id = models.CharField(max_length=200, blank=True)
    assignment = models.OneToOneField(
        "annotation.Assignment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judgment",
    )
    is_gold = models.BooleanField(default=False)
    dimension_scores = models.JSONField(default=dict, blank=True)
    rationale = models.TextField(blank=True)
    time_spent_seconds = models.PositiveIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["domain", "review_status", "is_gold"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(model_a=F("model_b")), name="judgment_two_different_models"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=[choice.value for choice in Verdict]),
                name="judgment_known_verdict",
            ),
        ]

    def __str__(self) -> str:
        return f"judgment {self.pk}"


class JudgmentRevision(models.Model):
    """An earlier version of a judgment, kept when its author changes their mind."""

    judgment = models.ForeignKey(Judgment, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    verdict = models.CharField(max_length=10, choices=Verdict.choices)
    dimension_scores = models.JSONField(default=dict)
    rationale = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["judgment", "version"], name="revision_unique_version"),
        ]

    def __str__(self) -> str:
        return f"version {self.version} of judgment {self.judgment_id}"
