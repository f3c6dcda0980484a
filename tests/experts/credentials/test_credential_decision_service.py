"""`credential_verify` and `credential_reject`: who may decide, the reason, the audit entry."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from experts.models import AuditAction, AuditEntry, Credential, CredentialStatus
from experts.services.credential import (
    REASON_MAX_LENGTH,
    CredentialAlreadyDecided,
    CredentialReasonRequired,
    CredentialReasonTooLong,
    CredentialReviewNotAllowed,
    credential_reject,
    credential_upload,
    credential_verify,
)
from tests.experts.credentials.conftest import Roles
from tests.experts.credentials.documents import PDF_BYTES, NamedBytes
from tests.experts.factories import DomainApplicationFactory, StaffUserFactory, UserFactory


def assert_unchanged(credential: Credential) -> None:
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.PENDING
    assert credential.reviewed_by is None
    assert credential.reviewed_at is None
    assert credential.review_reason == ""
    assert not AuditEntry.objects.exclude(action=AuditAction.CREDENTIAL_UPLOADED).exists()


def test_assigned_staff_verifies(roles: Roles, credential: Credential) -> None:
    before = timezone.now()

    result = credential_verify(
        credential=credential, staff_user=roles.assigned_staff, reason="Checked with registry."
    )

    credential.refresh_from_db()
    assert result.status == CredentialStatus.VERIFIED
    assert credential.status == CredentialStatus.VERIFIED
    assert credential.reviewed_by == roles.assigned_staff
    assert credential.reviewed_at is not None
    assert before <= credential.reviewed_at <= timezone.now()
    assert credential.review_reason == "Checked with registry."


def test_verify_writes_one_audit_entry(roles: Roles, credential: Credential) -> None:
    before = timezone.now()

    credential_verify(
        credential=credential, staff_user=roles.assigned_staff, reason="Checked with registry."
    )

    entry = AuditEntry.objects.get(action=AuditAction.CREDENTIAL_VERIFIED)
    assert entry.actor == roles.assigned_staff
    assert entry.subject == roles.applicant
    assert entry.reason == "Checked with registry."
    assert entry.object_type == "experts.credential"
    assert entry.object_id == credential.pk
    assert entry.domain_id == roles.application.domain_id
    assert before <= entry.created_at <= timezone.now() + timedelta(seconds=1)
    assert AuditEntry.objects.filter(action=AuditAction.CREDENTIAL_VERIFIED).count() == 1


def test_verify_without_reason_is_allowed(roles: Roles, credential: Credential) -> None:
    credential_verify(credential=credential, staff_user=roles.assigned_staff, reason="")

    credential.refresh_from_db()
    assert credential.status == CredentialStatus.VERIFIED
    assert credential.review_reason == ""


def test_reject_writes_status_reason_and_one_audit_entry(
    roles: Roles, credential: Credential
) -> None:
    credential_reject(
        credential=credential, staff_user=roles.assigned_staff, reason="  Scan is unreadable. "
    )

    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REJECTED
    assert credential.review_reason == "Scan is unreadable."
    entry = AuditEntry.objects.get(action=AuditAction.CREDENTIAL_REJECTED)
    assert entry.actor == roles.assigned_staff
    assert entry.reason == "Scan is unreadable."
    assert entry.object_id == credential.pk


@pytest.mark.parametrize("reason", ["", "   \n  "])
def test_reject_with_empty_reason_changes_nothing(
    roles: Roles, credential: Credential, reason: str
) -> None:
    with pytest.raises(CredentialReasonRequired) as raised:
        credential_reject(credential=credential, staff_user=roles.assigned_staff, reason=reason)

    assert raised.value.code == "credential_reason_required"
    assert raised.value.message == (
        f"Give a reason for rejecting credential {credential.pk}. The applicant sees it and can "
        "upload a corrected document."
    )
    assert raised.value.fields == {"reason": ["A reason is required to reject a credential."]}
    assert_unchanged(credential)


def test_reason_over_limit_changes_nothing(roles: Roles, credential: Credential) -> None:
    with pytest.raises(CredentialReasonTooLong):
        credential_reject(
            credential=credential,
            staff_user=roles.assigned_staff,
            reason="x" * (REASON_MAX_LENGTH + 1),
        )

    assert_unchanged(credential)


def test_unassigned_staff_cannot_verify(roles: Roles, credential: Credential) -> None:
    with pytest.raises(CredentialReviewNotAllowed) as raised:
        credential_verify(credential=credential, staff_user=roles.unassigned_staff, reason="")

    assert raised.value.status_code == 403
    assert raised.value.message == (
        f"Application {roles.application.pk} is assigned to another staff member. Only the "
        f"assigned staff member may verify or reject credential {credential.pk}."
    )
    assert_unchanged(credential)


def test_unassigned_staff_cannot_reject(roles: Roles, credential: Credential) -> None:
    with pytest.raises(CredentialReviewNotAllowed):
        credential_reject(
            credential=credential, staff_user=roles.unassigned_staff, reason="Looks forged."
        )

    assert_unchanged(credential)


def test_application_without_assigned_staff_cannot_be_decided(roles: Roles) -> None:
    application = DomainApplicationFactory(applicant=roles.applicant, assigned_staff=None)
    credential = credential_upload(
        application=application,
        uploaded_file=NamedBytes(PDF_BYTES, "cv.pdf"),
        kind="degree",
        title="BSc",
        issuer="",
        actor=roles.applicant,
    )

    with pytest.raises(CredentialReviewNotAllowed) as raised:
        credential_verify(credential=credential, staff_user=roles.unassigned_staff, reason="")

    assert raised.value.message == (
        f"Application {application.pk} has no assigned staff member. Assign it to yourself "
        f"before deciding credential {credential.pk}."
    )
    assert_unchanged(credential)


@pytest.mark.parametrize("who", ["applicant", "other_applicant"])
def test_non_staff_cannot_verify(roles: Roles, credential: Credential, who: str) -> None:
    user: User = getattr(roles, who)

    with pytest.raises(CredentialReviewNotAllowed):
        credential_verify(credential=credential, staff_user=user, reason="")

    assert_unchanged(credential)


def test_other_applicant_gets_staff_only_message(roles: Roles, credential: Credential) -> None:
    with pytest.raises(CredentialReviewNotAllowed) as raised:
        credential_verify(credential=credential, staff_user=roles.other_applicant, reason="")

    assert raised.value.message == "Only staff may verify or reject credentials."


def test_assigned_staff_removed_from_group_cannot_verify(
    roles: Roles, credential: Credential
) -> None:
    roles.assigned_staff.groups.clear()
    staff_user = User.objects.get(pk=roles.assigned_staff.pk)

    with pytest.raises(CredentialReviewNotAllowed):
        credential_verify(credential=credential, staff_user=staff_user, reason="")

    assert_unchanged(credential)


def test_superuser_may_verify_without_assignment(roles: Roles, credential: Credential) -> None:
    superuser = UserFactory(username="root", is_superuser=True)

    credential_verify(credential=credential, staff_user=superuser, reason="")

    credential.refresh_from_db()
    assert credential.status == CredentialStatus.VERIFIED
    assert credential.reviewed_by == superuser


def test_staff_cannot_decide_own_credential(roles: Roles) -> None:
    staff_applicant = StaffUserFactory(username="staff-applicant")
    application = DomainApplicationFactory(
        applicant=staff_applicant, assigned_staff=staff_applicant
    )
    credential = credential_upload(
        application=application,
        uploaded_file=NamedBytes(PDF_BYTES, "cv.pdf"),
        kind="degree",
        title="BSc",
        issuer="",
        actor=staff_applicant,
    )

    with pytest.raises(CredentialReviewNotAllowed) as raised:
        credential_verify(credential=credential, staff_user=staff_applicant, reason="")

    assert raised.value.message == (
        f"Credential {credential.pk} is your own. Another staff member must verify or reject it."
    )
    assert_unchanged(credential)


def test_decided_credential_cannot_be_decided_again(roles: Roles, credential: Credential) -> None:
    credential_verify(credential=credential, staff_user=roles.assigned_staff, reason="")

    with pytest.raises(CredentialAlreadyDecided) as raised:
        credential_reject(credential=credential, staff_user=roles.assigned_staff, reason="Oops.")

    assert raised.value.status_code == 409
    assert raised.value.message == (
        f"Credential {credential.pk} is already verified. A credential is decided once; the "
        "applicant can upload a new document for another review."
    )
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.VERIFIED
    assert AuditEntry.objects.filter(action=AuditAction.CREDENTIAL_REJECTED).count() == 0


def test_stale_instance_sees_the_locked_row(roles: Roles, credential: Credential) -> None:
    stale = Credential.objects.get(pk=credential.pk)
    credential_reject(credential=credential, staff_user=roles.assigned_staff, reason="Blurry.")

    with pytest.raises(CredentialAlreadyDecided):
        credential_verify(credential=stale, staff_user=roles.assigned_staff, reason="")

    credential.refresh_from_db()
    assert credential.status == CredentialStatus.REJECTED
