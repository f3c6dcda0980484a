from datetime import timedelta

from django.db import models
from django.db.models import Q

from seal_platform.verdict import Verdict


class QualificationTest(models.Model):
    """A domain's qualification test: how many gold items, the pass mark and attempt rules."""

    domain = models.OneToOneField(
        "experts.Domain", on_delete=models.PROTECT, related_name="qualification_test"
    )
    item_count = models.PositiveSmallIntegerField(default=10)
    pass_mark = models.FloatField(default=0.8, help_text="Share of items to get right, 0 to 1.")
    max_attempts = models.PositiveSmallIntegerField(default=2)
    wait_between_attempts = models.DurationField(default=timedelta(days=14))
    attempt_duration = models.DurationField(
        default=timedelta(hours=2),
        help_text="An attempt not submitted within this time is abandoned and counts.",
    )
    approval_valid_for = models.DurationField(default=timedelta(days=365))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(pass_mark__gt=0) & Q(pass_mark__lte=1), name="test_pass_mark_range"
            ),
            models.CheckConstraint(condition=Q(max_attempts__gte=1), name="test_attempts_min"),
            models.CheckConstraint(condition=Q(item_count__gte=1), name="test_items_min"),
        ]

    def __str__(self) -> str:
        return f"qualification test for {self.domain_id}"


class GoldItem(models.Model):
    """A side-by-side comparison whose correct verdict staff know.

    Nothing derived from `correct_verdict` may reach an applicant: not the answer, not a
    per-item score.
    """

    test = models.ForeignKey(QualificationTest, on_delete=models.PROTECT, related_name="items")
    prompt_text = models.TextField()
    response_a_text = models.TextField()
    response_b_text = models.TextField()
    correct_verdict = models.CharField(max_length=10, choices=Verdict.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"gold item {self.pk}"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Failed"
    ABANDONED = "abandoned", "Abandoned"


class QualificationAttempt(models.Model):
    """One try at a domain's qualification test.

    The unique (application, number) pair lets the database refuse a second attempt with the
    same number, whatever the callers race on.
    """

    application = models.ForeignKey(
        "experts.DomainApplication", on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=20, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    correct_count = models.PositiveSmallIntegerField(null=True, blank=True)
    item_count = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="attempt_unique_number"),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="in_progress"),
                name="attempt_one_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number} of application {self.application_id}"


class AttemptItem(models.Model):
    """One gold item drawn for an attempt, with the applicant's answer so far."""

    attempt = models.ForeignKey(
        QualificationAttempt, on_delete=models.CASCADE, related_name="items"
    )
    gold_item = models.ForeignKey(GoldItem, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    answer = models.CharField(max_length=10, blank=True, choices=Verdict.choices)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "gold_item"], name="attempt_item_unique"),
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_item_position"),
        ]

    def __str__(self) -> str:
        return f"item {self.position} of attempt {self.attempt_id}"
