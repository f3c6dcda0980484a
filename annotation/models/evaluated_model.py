from django.db import models


class EvaluatedModel(models.Model):
    """A language model whose responses are judged, named as in the source files."""

    name = models.CharField(max_length=200, unique=True)
    organization = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
