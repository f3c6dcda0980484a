from django.conf import settings
from django.db import models


class ExpertProfile(models.Model):
    """What a person states about themselves when applying to judge.

    Imported profiles stand for judges of imported data sets (such as MT-bench's `expert_17`):
    their user cannot log in and `external_id` holds the judge's id in the source.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="expert_profile"
    )
    display_name = models.CharField(max_length=200)
    degrees = models.TextField(blank=True)
    employment = models.TextField(blank=True)
    languages = models.CharField(max_length=300, blank=True)
    years_of_practice = models.PositiveSmallIntegerField(default=0)
    is_imported = models.BooleanField(default=False)
    external_source = models.CharField(max_length=100, blank=True)
    external_id = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=models.Q(is_imported=True),
                name="profile_unique_imported_judge",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name
