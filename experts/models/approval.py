from django.conf import settings
from django.db import models


class ApprovalStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"


class DomainApproval(models.Model):
    """Staff approval of an expert in one domain, with an expiry and an optional reviewer role.

    Work is allowed only while the approval is active and unexpired; `experts.services.access`
    is the one place that decides.
    """

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="approvals"
    )
    domain = models.ForeignKey("experts.Domain", on_delete=models.PROTECT, related_name="approvals")
    status = models.CharField(
        max_length=20, choices=ApprovalStatus.choices, default=ApprovalStatus.ACTIVE
    )
    is_reviewer = models.BooleanField(default=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["expert", "domain"], name="approval_one_per_domain"),
        ]

    def __str__(self) -> str:
        return f"approval {self.pk} in {self.domain_id}"
