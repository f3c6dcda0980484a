"""Applications ready for a staff decision, stored directly for tests of later steps."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from experts.models import (
    AttemptStatus,
    Credential,
    CredentialStatus,
    DomainApplication,
    QualificationAttempt,
)


def make_ready(application: DomainApplication, *, verified_by: User) -> None:
    """Give the application a credential verified by `verified_by` and a passed attempt."""
    now = timezone.now()
    Credential.objects.create(
        owner=application.applicant,
        application=application,
        kind="degree",
        title="MSc Computer Science",
        stored_name=f"{application.pk}-ready.pdf",
        original_name="degree.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        status=CredentialStatus.VERIFIED,
        reviewed_by=verified_by,
        reviewed_at=now,
    )
    QualificationAttempt.objects.create(
        application=application,
        number=1,
        status=AttemptStatus.PASSED,
        started_at=now - timedelta(minutes=30),
        expires_at=now + timedelta(hours=1),
        finished_at=now,
        correct_count=4,
        item_count=4,
    )
