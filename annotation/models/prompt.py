from django.conf import settings
from django.db import models
from django.db.models import F, Q

from seal_platform.verdict import Verdict


class PromptStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    FROZEN = "frozen", "Frozen"
    RETIRED = "retired", "Retired"


class Prompt(models.Model):
    """A private task text. Never shown on a public page or the public API.

    `source` and `external_id` identify where an imported prompt came from (for MT-bench,
    source "mt-bench" and the question id), so importing the same folder twice finds it.
    """

    domain = models.ForeignKey("experts.Domain", on_delete=models.PROTECT, related_name="prompts")
    source = models.CharField(max_length=100)
    external_id = models.CharField(max_length=200)
    category = models.CharField(max_length=100, blank=True)
    text = models.TextField()
    reference_answer = models.TextField(blank=True)
    prompt_set = models.ForeignKey(
        "annotation.PromptSet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="prompts",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=PromptStatus.choices, default=PromptStatus.FROZEN
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"], name="prompt_unique_source_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class Response(models.Model):
    """One model's output for one prompt (untrusted text)."""

    prompt = models.ForeignKey(Prompt, on_delete=models.CASCADE, related_name="responses")
    model = models.ForeignKey(
        "annotation.EvaluatedModel", on_delete=models.PROTECT, related_name="responses"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prompt", "model"], name="response_unique_per_model"),
        ]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Comparison(models.Model):
    """One prompt with two responses, stored in a fixed order; each assignment may swap sides.

    In a batch, `required_judgments` experts must judge it and `slots_taken` counts the live
    leases plus submitted judgments, kept in step under a row lock so assignment needs no
    COUNT per candidate. A gold comparison has a known verdict (in the stored order) and is
    mixed into experts' work to measure their accuracy; it never counts for a leaderboard.
    """

    domain = models.ForeignKey(
        "experts.Domain", on_delete=models.PROTECT, related_name="comparisons"
    )
    prompt = models.ForeignKey(Prompt, on_delete=models.PROTECT, related_name="comparisons")
    response_a = models.ForeignKey(
        Response, on_delete=models.PROTECT, related_name="comparisons_as_a"
    )
    response_b = models.ForeignKey(
        Response, on_delete=models.PROTECT, related_name="comparisons_as_b"
    )
    batch = models.ForeignKey(
        "annotation.ComparisonBatch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="comparisons",
    )
    is_gold = models.BooleanField(default=False)
    gold_verdict = models.CharField(max_length=10, choices=Verdict.choices, blank=True)
    required_judgments = models.PositiveSmallIntegerField(default=1)
    slots_taken = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            # Assignment scans only comparisons that still have a free slot.
            models.Index(
                fields=["batch", "id"],
                condition=Q(is_gold=False) & Q(slots_taken__lt=F("required_judgments")),
                name="comparison_open_slots",
            ),
            models.Index(fields=["batch", "is_gold"], name="comparison_batch_gold"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(response_a=F("response_b")), name="comparison_two_responses"
            ),
            models.UniqueConstraint(
                fields=["domain", "response_a", "response_b"],
                condition=Q(batch__isnull=True),
                name="comparison_unique_pair",
            ),
            models.UniqueConstraint(
                fields=["batch", "response_a", "response_b"],
                condition=Q(batch__isnull=False),
                name="comparison_unique_pair_in_batch",
            ),
            models.CheckConstraint(
                condition=Q(is_gold=False) | ~Q(gold_verdict=""), name="comparison_gold_has_verdict"
            ),
        ]

    def __str__(self) -> str:
        return f"comparison {self.pk}"
