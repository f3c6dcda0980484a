from django.conf import settings
from django.db import models


class PromptSet(models.Model):
    """A private set of prompts in one domain. Never listed on a public page or the public API."""

    domain = models.ForeignKey(
        "experts.Domain", on_delete=models.PROTECT, related_name="prompt_sets"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["domain", "name"], name="prompt_set_unique_name"),
        ]

    def __str__(self) -> str:
        return f"prompt set {self.pk}"


class PromptExposure(models.Model):
    """A record that a prompt was sent to a model, so its maker may have seen it.

    Fits flag a model whose organization has been exposed to any prompt the fit used.
    """

    prompt = models.ForeignKey(
        "annotation.Prompt", on_delete=models.PROTECT, related_name="exposures"
    )
    model = models.ForeignKey(
        "annotation.EvaluatedModel", on_delete=models.PROTECT, related_name="exposures"
    )
    sent_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prompt", "model", "sent_at"], name="exposure_unique_event"
            ),
        ]

    def __str__(self) -> str:
        return f"exposure {self.pk}"
