from django.db import models

from leaderboards.models.fit import Fit


class BatchRefitStatus(models.TextChoices):
    RUNNING = "running", "Running"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class BatchRefit(models.Model):
    """The refit that closing one batch asked for, once per batch.

    `attempts` counts every start of the refit task for this batch, redeliveries after a lost
    worker included, so that a fit that keeps killing its worker stops after a fixed number of
    tries. `fits` are the fits of the batch's domain and its parent, new or reused.
    """

    batch = models.OneToOneField(
        "annotation.ComparisonBatch", on_delete=models.PROTECT, related_name="refit"
    )
    status = models.CharField(
        max_length=20, choices=BatchRefitStatus.choices, default=BatchRefitStatus.RUNNING
    )
    attempts = models.PositiveIntegerField(default=0)
    fits = models.ManyToManyField(Fit, blank=True, related_name="batch_refits")
    failure_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"refit of batch {self.batch_id}"
