"""Approval rules found missing by trying the pages: re-applying after a revocation, and
staff deciding their own application."""

import pytest

from experts.models import ApplicationStatus, Domain, DomainApplication, DomainApproval
from experts.services.application import (
    application_assign,
    application_submit,
)
from experts.services.approval import approval_revoke, expert_approve
from seal_platform.errors import SealError
from tests.experts.approval_setup import make_ready
from tests.experts.factories import (
    DomainApplicationFactory,
    DomainFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db
STATEMENT = "Twelve years writing production compilers."


def test_revoked_expert_can_apply_again() -> None:
    staff = StaffUserFactory()
    domain: Domain = DomainFactory(slug="coding")
    application: DomainApplication = DomainApplicationFactory(domain=domain, assigned_staff=staff)
    make_ready(application, verified_by=staff)
    approval = expert_approve(application=application, staff_user=staff)
    approval_revoke(approval=approval, staff_user=staff, reason="Copied judgments.")

    created = application_submit(user=application.applicant, domains=[domain], statement=STATEMENT)

    assert len(created) == 1
    assert created[0].status == ApplicationStatus.SUBMITTED


def test_staff_cannot_approve_own_application() -> None:
    applicant_staff = StaffUserFactory()
    other_staff = StaffUserFactory()
    application: DomainApplication = DomainApplicationFactory(applicant=applicant_staff)
    make_ready(application, verified_by=other_staff)
    with pytest.raises(SealError) as claim:
        application_assign(application=application, staff_user=applicant_staff)
    DomainApplication.objects.filter(pk=application.pk).update(assigned_staff=applicant_staff)

    with pytest.raises(SealError) as approve:
        expert_approve(application=application, staff_user=applicant_staff)

    assert claim.value.message == (
        f"Application {application.pk} is your own; another staff member must decide it."
    )
    assert approve.value.code == "application_own"
    assert not DomainApproval.objects.filter(expert=applicant_staff).exists()


def test_other_staff_approve_staff_applicant() -> None:
    """The own-application rule still lets another staff member approve a staff applicant."""
    applicant_staff = StaffUserFactory()
    other_staff = StaffUserFactory()
    application: DomainApplication = DomainApplicationFactory(
        applicant=applicant_staff, assigned_staff=other_staff
    )
    make_ready(application, verified_by=other_staff)

    approval = expert_approve(application=application, staff_user=other_staff)

    assert approval.expert == applicant_staff
    assert approval.approved_by == other_staff
