from django.db import models
from django.db.models import F, Q


class Verdict(models.TextChoices):
    A_BETTER = "a", "A better"
    B_BETTER = "b", "B better"
    TIE = "tie", "Tie"
    BOTH_BAD = "both_bad", "Both bad"


class ReviewStatus(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"


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
    judged_at = models.DateTimeField(null=True, blank=True)
    review_status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.ACCEPTED
    )
    source_import = models.ForeignKey(
        JudgmentImport, null=True, blank=True, on_delete=models.PROTECT, related_name="judgments"
    )
    source_line = models.PositiveIntegerField(null=True, blank=True)
    source_question_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["domain", "review_status"])]
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
