from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    APPLICATION_SUBMITTED = "application_submitted", "Application submitted"
    APPLICATION_ASSIGNED = "application_assigned", "Application assigned"
    APPLICATION_REJECTED = "application_rejected", "Application rejected"
    CREDENTIAL_UPLOADED = "credential_uploaded", "Credential uploaded"
    CREDENTIAL_VERIFIED = "credential_verified", "Credential verified"
    CREDENTIAL_REJECTED = "credential_rejected", "Credential rejected"
    ATTEMPT_STARTED = "attempt_started", "Qualification attempt started"
    ATTEMPT_GRADED = "attempt_graded", "Qualification attempt graded"
    EXTRA_ATTEMPT_GRANTED = "extra_attempt_granted", "Extra attempt granted"
    EXPERT_APPROVED = "expert_approved", "Expert approved"
    APPROVAL_SUSPENDED = "approval_suspended", "Approval suspended"
    APPROVAL_REINSTATED = "approval_reinstated", "Approval reinstated"
    APPROVAL_REVOKED = "approval_revoked", "Approval revoked"
    REVIEWER_GRANTED = "reviewer_granted", "Reviewer role granted"
    REVIEWER_REMOVED = "reviewer_removed", "Reviewer role removed"
    ACCOUNT_SUSPENDED = "account_suspended", "Account suspended"
    BATCH_CREATED = "batch_created", "Comparison batch created"
    BATCH_CLOSED = "batch_closed", "Comparison batch closed"
    PROMPT_EXPOSED = "prompt_exposed", "Prompt exposure recorded"


class AuditEntry(models.Model):
    """One decision: who made it, when, about whom, and why.

    Entries are append-only. The application never updates or deletes them, and on PostgreSQL
    a trigger rejects any UPDATE or DELETE, so a stray query cannot rewrite history either.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    domain = models.ForeignKey(
        "experts.Domain", null=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(max_length=60)
    object_id = models.BigIntegerField(null=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id} at {self.created_at:%Y-%m-%d %H:%M}"
