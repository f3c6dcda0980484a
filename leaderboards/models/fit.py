from django.db import models


class FitStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class Fit(models.Model):
    """One Bradley-Terry estimate of a domain's leaderboard from its accepted judgments.

    `input_fingerprint` is a SHA-256 over the aggregated input (per model pair and verdict,
    the number of accepted judgments), so a refit of unchanged input with the same seed and
    settings is recognised and skipped: the unique constraint makes that hold under races too.
    """

    domain = models.ForeignKey("experts.Domain", on_delete=models.PROTECT, related_name="fits")
    status = models.CharField(max_length=20, choices=FitStatus.choices, default=FitStatus.RUNNING)
    input_fingerprint = models.CharField(max_length=64)
    judgment_count = models.PositiveIntegerField(default=0)
    seed = models.BigIntegerField()
    bootstrap_rounds = models.PositiveIntegerField()
    anchor_model = models.ForeignKey(
        "annotation.EvaluatedModel",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    anchor_rating = models.FloatField(null=True, blank=True)
    code_version = models.CharField(max_length=40)
    warnings = models.JSONField(default=list, blank=True)
    failure_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["domain", "input_fingerprint", "seed", "bootstrap_rounds"],
                condition=models.Q(anchor_model__isnull=True),
                name="fit_unique_input_unanchored",
            ),
            models.UniqueConstraint(
                fields=[
                    "domain",
                    "input_fingerprint",
                    "seed",
                    "bootstrap_rounds",
                    "anchor_model",
                    "anchor_rating",
                ],
                name="fit_unique_input_anchored",
            ),
        ]

    def __str__(self) -> str:
        return f"fit {self.pk} of {self.domain_id}"


class FitRating(models.Model):
    """One model's result in one fit. Intervals are null when the fit had no bootstrap."""

    fit = models.ForeignKey(Fit, on_delete=models.CASCADE, related_name="ratings")
    model = models.ForeignKey(
        "annotation.EvaluatedModel", on_delete=models.PROTECT, related_name="fit_ratings"
    )
    position = models.PositiveIntegerField()
    rating = models.FloatField()
    ci_lower = models.FloatField(null=True)
    ci_upper = models.FloatField(null=True)
    rank = models.PositiveIntegerField()
    component = models.PositiveIntegerField()
    judgments = models.PositiveIntegerField()
    wins = models.PositiveIntegerField()
    losses = models.PositiveIntegerField()
    ties = models.PositiveIntegerField()
    win_rate = models.FloatField()

    class Meta:
        ordering = ["fit", "position"]
        constraints = [
            models.UniqueConstraint(fields=["fit", "model"], name="fit_rating_unique_model"),
            models.UniqueConstraint(fields=["fit", "position"], name="fit_rating_unique_position"),
        ]

    def __str__(self) -> str:
        return f"rating {self.pk} in fit {self.fit_id}"
