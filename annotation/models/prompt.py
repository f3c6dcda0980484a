from django.db import models
from django.db.models import F, Q


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
    """One prompt with two responses shown as A and B. The two models form the pair."""

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
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(response_a=F("response_b")), name="comparison_two_responses"
            ),
            models.UniqueConstraint(
                fields=["domain", "response_a", "response_b"], name="comparison_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"comparison {self.pk}"
