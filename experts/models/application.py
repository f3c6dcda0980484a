from django.conf import settings
from django.db import models


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DomainApplication(models.Model):
    """A person's request to become an expert in one domain.

    Staff claim an application (`assigned_staff`); only that staff member and the applicant
    may open its credential documents. `extra_attempts` counts qualification attempts granted
    by staff beyond the domain's limit.
    """

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    domain = models.ForeignKey(
        "experts.Domain", on_delete=models.PROTECT, related_name="applications"
    )
    statement = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED
    )
    assigned_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_applications",
    )
    extra_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [
            ("decide_application", "Can verify credentials, approve experts and change roles"),
        ]
        constraints = [
            # One open application per domain; after a rejection or a revocation the person
            # may apply again, and the decided applications stay as history.
            models.UniqueConstraint(
                fields=["applicant", "domain"],
                condition=models.Q(status="submitted"),
                name="application_one_open_per_domain",
            ),
        ]

    def __str__(self) -> str:
        return f"application {self.pk} for {self.domain_id}"
