from django.db import models
from django.db.models import Q


class Domain(models.Model):
    """A subject area where experts are approved and a leaderboard is kept.

    A domain may have a parent: the parent's leaderboard is fitted from its own judgments and
    those of its children (the MT-bench overall domain over its eight category domains), so a
    judgment is stored once. Only one level is allowed, which the service that creates domains
    enforces.
    """

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="domain_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.slug
