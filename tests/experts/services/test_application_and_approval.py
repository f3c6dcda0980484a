"""Applying, staff decisions, and what each decision records and sends."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from experts.models import (
    ApplicationStatus,
    ApprovalStatus,
    AttemptStatus,
    AuditAction,
    AuditEntry,
    Credential,
    CredentialStatus,
    DomainApplication,
    DomainApproval,
    QualificationAttempt,
)
from experts.services.application import (
    ApplicationExists,
    NotAssigned,
    NotStaff,
    application_assign,
    application_reject,
    application_submit,
)
from experts.services.approval import (
    ApprovalNotReady,
    ApprovalStateInvalid,
    approval_reinstate,
    approval_revoke,
    approval_suspend,
    expert_approve,
    reviewer_role_set,
)
from seal_platform.errors import InvalidInput
from tests.experts.factories import (
    DomainApplicationFactory,
    DomainApprovalFactory,
    DomainFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
STATEMENT = "Twelve years writing production compilers."


def add_verified_credential(application: DomainApplication) -> Credential:
    return Credential.objects.create(
        owner=application.applicant,
        application=application,
        kind="degree",
        title="MSc Computer Science",
        stored_name=f"{application.pk}-test.pdf",
        original_name="degree.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        status=CredentialStatus.VERIFIED,
    )


def add_attempt(application: DomainApplication, status: str) -> QualificationAttempt:
    now = timezone.now()
    return QualificationAttempt.objects.create(
        application=application,
        number=application.attempts.count() + 1,
        status=status,
        started_at=now - timedelta(minutes=30),
        expires_at=now + timedelta(hours=1),
        finished_at=now,
        correct_count=4,
        item_count=4,
    )


def ready_application(staff: Any) -> DomainApplication:
    application = DomainApplicationFactory(assigned_staff=staff)
    add_verified_credential(application)
    add_attempt(application, AttemptStatus.PASSED)
    return application


def test_apply_for_two_domains_records_and_emails(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    user = UserFactory(email="ana@example.org")
    domains: list[Any] = [DomainFactory(name="Coding"), DomainFactory(name="Math")]

    with django_capture_on_commit_callbacks(execute=True):
        created = application_submit(user=user, domains=domains, statement=STATEMENT)

    assert [application.domain for application in created] == domains
    assert AuditEntry.objects.filter(action=AuditAction.APPLICATION_SUBMITTED).count() == 2
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ana@example.org"]
    assert "Coding, Math" in mail.outbox[0].body


def test_applying_twice_for_a_domain_changes_nothing() -> None:
    user = UserFactory()
    coding = DomainFactory(slug="coding")
    application_submit(user=user, domains=[coding], statement=STATEMENT)

    with pytest.raises(ApplicationExists) as caught:
        application_submit(
            user=user, domains=[DomainFactory(slug="math"), coding], statement=STATEMENT
        )

    assert caught.value.message == (
        "You have already applied for coding. Open that application from your dashboard."
    )
    assert DomainApplication.objects.filter(applicant=user).count() == 1


def test_short_statement_is_rejected() -> None:
    with pytest.raises(InvalidInput) as caught:
        application_submit(user=UserFactory(), domains=[DomainFactory()], statement="expert")

    assert caught.value.message.startswith("The statement has 6 characters; write at least 20")
    assert not DomainApplication.objects.exists()


def test_non_staff_cannot_claim() -> None:
    application = DomainApplicationFactory()

    with pytest.raises(NotStaff):
        application_assign(application=application, staff_user=UserFactory())

    application.refresh_from_db()
    assert application.assigned_staff is None


def test_approve_needs_the_assigned_staff_member() -> None:
    application = ready_application(StaffUserFactory())

    with pytest.raises(NotAssigned) as caught:
        expert_approve(application=application, staff_user=StaffUserFactory())

    assert caught.value.message == (
        f"Application {application.pk} is not assigned to you. Claim it from the queue first."
    )
    assert not DomainApproval.objects.exists()


def test_approve_needs_a_verified_credential() -> None:
    staff = StaffUserFactory()
    application = DomainApplicationFactory(assigned_staff=staff)
    add_attempt(application, AttemptStatus.PASSED)

    with pytest.raises(ApprovalNotReady) as caught:
        expert_approve(application=application, staff_user=staff)

    assert caught.value.message == (
        f"Application {application.pk} has no verified credential. Verify one first."
    )
    assert not DomainApproval.objects.exists()


def test_approve_needs_a_passed_test() -> None:
    staff = StaffUserFactory()
    application = DomainApplicationFactory(assigned_staff=staff)
    add_verified_credential(application)
    add_attempt(application, AttemptStatus.FAILED)

    with pytest.raises(ApprovalNotReady):
        expert_approve(application=application, staff_user=staff)

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_approve_creates_an_expiring_approval(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    staff = StaffUserFactory()
    application = ready_application(staff)

    with django_capture_on_commit_callbacks(execute=True):
        approval = expert_approve(application=application, staff_user=staff)

    application.refresh_from_db()
    assert approval.status == ApprovalStatus.ACTIVE
    assert approval.approved_by == staff
    assert approval.expires_at - approval.approved_at == timedelta(days=365)
    assert application.status == ApplicationStatus.APPROVED
    entry = AuditEntry.objects.get(action=AuditAction.EXPERT_APPROVED)
    assert (entry.actor, entry.subject, entry.domain) == (
        staff,
        application.applicant,
        application.domain,
    )
    assert mail.outbox[-1].subject == f"You are approved in {application.domain.name}"


def test_reject_needs_a_reason_and_records_it() -> None:
    staff = StaffUserFactory()
    application = DomainApplicationFactory(assigned_staff=staff)

    with pytest.raises(InvalidInput):
        application_reject(application=application, staff_user=staff, reason="  ")
    application_reject(application=application, staff_user=staff, reason="Degree not verifiable")

    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert AuditEntry.objects.get(action=AuditAction.APPLICATION_REJECTED).reason == (
        "Degree not verifiable"
    )


def test_suspend_reinstate_revoke_follow_the_states() -> None:
    staff = StaffUserFactory()
    approval = DomainApprovalFactory()

    approval_suspend(approval=approval, staff_user=staff, reason="Quality check")
    approval_reinstate(approval=approval, staff_user=staff, reason="Checked")
    approval_revoke(approval=approval, staff_user=staff, reason="Left the company")

    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.REVOKED
    assert approval.status_reason == "Left the company"
    assert list(
        AuditEntry.objects.filter(subject=approval.expert)
        .order_by("id")
        .values_list("action", "reason")
    ) == [
        ("approval_suspended", "Quality check"),
        ("approval_reinstated", "Checked"),
        ("approval_revoked", "Left the company"),
    ]
    with pytest.raises(ApprovalStateInvalid):
        approval_reinstate(approval=approval, staff_user=staff, reason="again")


def test_status_change_without_reason_changes_nothing() -> None:
    approval = DomainApprovalFactory()

    with pytest.raises(InvalidInput) as caught:
        approval_suspend(approval=approval, staff_user=StaffUserFactory(), reason="")

    approval.refresh_from_db()
    assert (
        caught.value.message
        == "A reason is required to suspend an approval; the expert is shown it."
    )
    assert approval.status == ApprovalStatus.ACTIVE
    assert not AuditEntry.objects.exists()


def test_reviewer_role_is_granted_and_removed_with_audit() -> None:
    staff = StaffUserFactory()
    approval = DomainApprovalFactory()

    reviewer_role_set(approval=approval, staff_user=staff, is_reviewer=True, reason="Senior")
    reviewer_role_set(approval=approval, staff_user=staff, is_reviewer=False, reason="Rotation")

    approval.refresh_from_db()
    assert approval.is_reviewer is False
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "reviewer_granted",
        "reviewer_removed",
    ]


def test_audit_entries_cannot_be_changed_in_the_database() -> None:
    approval = DomainApprovalFactory()
    approval_suspend(approval=approval, staff_user=StaffUserFactory(), reason="Check")
    entry = AuditEntry.objects.get()

    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()

    entry.refresh_from_db()
    assert entry.reason == "Check"
