from django.conf import settings
from django.db import models

from leaderboards.models.fit import Fit

SNAPSHOT_NOTE_MAX_LENGTH = 500


class Snapshot(models.Model):
    """A published, versioned copy of one finished fit of a domain's leaderboard.

    Versions count 1, 2, ... per domain. Rows are never changed or deleted: on PostgreSQL a
    trigger rejects UPDATE and DELETE, except an UPDATE that only sets `affected_at` where it
    was null. The copied facts (counts, seed, code version, ratings) make the snapshot readable
    without its fit. `published_by` is staff-only information and never reaches a public page.
    """

    domain = models.ForeignKey("experts.Domain", on_delete=models.PROTECT, related_name="snapshots")
    version = models.PositiveIntegerField()
    fit = models.ForeignKey(Fit, on_delete=models.PROTECT, related_name="snapshots")
    note = models.CharField(max_length=SNAPSHOT_NOTE_MAX_LENGTH, blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    fitted_at = models.DateTimeField()
    judgment_count = models.PositiveIntegerField()
    judgment_ids_sha256 = models.CharField(max_length=64)
    seed = models.BigIntegerField()
    bootstrap_rounds = models.PositiveIntegerField()
    code_version = models.CharField(max_length=40)
    warnings = models.JSONField(default=list)
    dimensions = models.JSONField(default=list)
    pair_counts = models.JSONField(default=dict)
    affected_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a review reversal changed a judgment this snapshot counted.",
    )

    class Meta:
        ordering = ["domain", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "version"], name="snapshot_unique_version"),
            models.UniqueConstraint(fields=["fit"], name="snapshot_unique_fit"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="snapshot_version_min"),
        ]

    def __str__(self) -> str:
        return f"snapshot {self.version} of {self.domain_id}"

    @property
    def is_affected(self) -> bool:
        return self.affected_at is not None


class SnapshotRating(models.Model):
    """One model's line in one leaderboard of a snapshot; never changed once written.

    `dimension` is '' for the overall verdict. `model_name` is copied so that renaming a model
    later does not change what was published.
    """

    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="ratings")
    dimension = models.CharField(max_length=80, blank=True, default="")
    model = models.ForeignKey(
        "annotation.EvaluatedModel", on_delete=models.PROTECT, related_name="+"
    )
    model_name = models.CharField(max_length=200)
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
        ordering = ["snapshot", "dimension", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "dimension", "model"], name="snapshot_rating_unique_model"
            ),
            models.UniqueConstraint(
                fields=["snapshot", "dimension", "position"],
                name="snapshot_rating_unique_position",
            ),
        ]

    def __str__(self) -> str:
        return f"rating {self.pk} in snapshot {self.snapshot_id}"
