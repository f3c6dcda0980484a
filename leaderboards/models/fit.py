from django.db import models


class FitStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class FitStage(models.TextChoices):
    """Where a fit is while it runs, recorded on the row so that staff can follow it."""

    STARTING = "starting", "Starting"
    FITTING = "fitting", "Fitting"
    STORING = "storing", "Storing the results"
    DONE = "done", "Done"


class Fit(models.Model):
    """One Bradley-Terry estimate of a domain's leaderboard from its accepted judgments.

    A fit records exactly what went in. `judgment_id_ranges` lists the input's judgment IDs as
    inclusive [first, last] runs of consecutive IDs, and `judgment_ids_sha256` is the SHA-256
    of those runs written as "first-last" pairs joined by commas (see
    `leaderboards.judgment_ids`). The
    `input_fingerprint` is a SHA-256 over the aggregated counts (per model pair and outcome,
    for the verdict and each dimension). A refit of the same judgments and counts with the same
    seed and settings is recognised and skipped, and the unique constraints make that hold
    under races too.

    Besides the overall verdict, each rubric dimension in `dimensions` gets its own
    leaderboard: its FitRating rows carry the dimension key.
    """

    domain = models.ForeignKey("experts.Domain", on_delete=models.PROTECT, related_name="fits")
    status = models.CharField(max_length=20, choices=FitStatus.choices, default=FitStatus.RUNNING)
    input_fingerprint = models.CharField(max_length=64)
    judgment_ids_sha256 = models.CharField(max_length=64, default="", blank=True)
    judgment_id_ranges = models.JSONField(default=list, blank=True)
    judgment_count = models.PositiveIntegerField(default=0)
    dimensions = models.JSONField(
        default=list, blank=True, help_text='Fitted rubric dimensions: [{"key", "label"}].'
    )
    pair_counts = models.JSONField(
        default=dict,
        blank=True,
        help_text="Per leaderboard ('' for the verdict, else the dimension key): "
        "[model, other model, model wins, other wins, ties] for each compared pair.",
    )
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
    stage = models.CharField(max_length=20, choices=FitStage.choices, default=FitStage.STARTING)
    stage_leaderboard = models.CharField(
        max_length=80, blank=True, help_text="Leaderboard being fitted: '' for the verdict."
    )
    leaderboards_done = models.PositiveIntegerField(default=0)
    leaderboards_total = models.PositiveIntegerField(default=0)
    bootstrap_rounds_done = models.PositiveIntegerField(
        default=0, help_text="Bootstrap rounds of the finished leaderboards, added up."
    )
    progress_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "domain",
                    "judgment_ids_sha256",
                    "input_fingerprint",
                    "seed",
                    "bootstrap_rounds",
                ],
                condition=models.Q(anchor_model__isnull=True),
                name="fit_unique_input_unanchored",
            ),
            models.UniqueConstraint(
                fields=[
                    "domain",
                    "judgment_ids_sha256",
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

    @property
    def bootstrap_rounds_total(self) -> int:
        return self.bootstrap_rounds * self.leaderboards_total


class FitRating(models.Model):
    """One model's result in one leaderboard of a fit.

    `dimension` is '' for the overall verdict and the rubric dimension key otherwise.
    Intervals are null when the fit had no bootstrap.
    """

    fit = models.ForeignKey(Fit, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.CharField(max_length=80, blank=True, default="")
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
    is_exposed = models.BooleanField(
        default=False, help_text="The model's maker was sent prompts of this domain."
    )

    class Meta:
        ordering = ["fit", "dimension", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["fit", "dimension", "model"], name="fit_rating_unique_model"
            ),
            models.UniqueConstraint(
                fields=["fit", "dimension", "position"], name="fit_rating_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return f"rating {self.pk} in fit {self.fit_id}"
