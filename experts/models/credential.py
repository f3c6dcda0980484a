from django.conf import settings
from django.db import models


class CredentialKind(models.TextChoices):
    DEGREE = "degree", "Degree"
    LICENSE = "license", "License"
    EMPLOYMENT = "employment", "Employment"
    LANGUAGE = "language", "Language certificate"
    OTHER = "other", "Other"


class CredentialStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"


class Credential(models.Model):
    """A degree, license or job an applicant claims, with an uploaded document.

    The document lives in private storage under a generated name; `original_name` is kept for
    display only and never chooses a path. `content_type` is what the bytes are, detected on
    upload, not what the client declared.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    application = models.ForeignKey(
        "experts.DomainApplication", on_delete=models.PROTECT, related_name="credentials"
    )
    kind = models.CharField(max_length=20, choices=CredentialKind.choices)
    title = models.CharField(max_length=300)
    issuer = models.CharField(max_length=300, blank=True)
    stored_name = models.CharField(max_length=100, unique=True)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(
        max_length=20, choices=CredentialStatus.choices, default=CredentialStatus.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_credentials",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reason = models.TextField(blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"credential {self.pk}"
