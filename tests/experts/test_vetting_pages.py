"""Guidance on the vetting pages: what each page offers at each step, and bad input refused."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from experts.models import ApplicationStatus, DomainApplication, DomainApproval
from tests.experts.approval_setup import make_ready
from tests.experts.factories import (
    DomainApplicationFactory,
    DomainFactory,
    QualificationTestFactory,
    StaffUserFactory,
    UserFactory,
)
from tests.experts.qualification.conftest import verified_credential

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_apply_form_labels_domains_by_name() -> None:
    with_test = DomainFactory(slug="coding", name="Coding")
    QualificationTestFactory(domain=with_test)
    DomainFactory(slug="law", name="Law")

    page = client_for(UserFactory()).get("/experts/apply/").text

    assert "> Coding</label>" in page
    assert "> Law (no qualification test yet)</label>" in page
    assert "> coding</label>" not in page


def test_start_page_waits_for_a_verified_credential() -> None:
    application: DomainApplication = DomainApplicationFactory()
    QualificationTestFactory(domain=application.domain)

    page = client_for(application.applicant).get(
        f"/experts/applications/{application.pk}/qualification/"
    )

    assert "You can start once staff verify one of your credentials." in page.text
    assert "Start attempt 1" not in page.text


def test_start_page_closed_for_rejected_application() -> None:
    application: DomainApplication = DomainApplicationFactory(status=ApplicationStatus.REJECTED)
    QualificationTestFactory(domain=application.domain)
    verified_credential(application)

    page = client_for(application.applicant).get(
        f"/experts/applications/{application.pk}/qualification/"
    )

    assert "This application is rejected, so no attempt can start." in page.text
    assert "Start attempt 1" not in page.text


def test_staff_page_asks_to_claim_before_deciding() -> None:
    application: DomainApplication = DomainApplicationFactory()

    page = client_for(StaffUserFactory()).get(f"/experts/staff/applications/{application.pk}/")

    assert "Claim this application (above) to approve or reject it." in page.text
    assert f'action="/experts/staff/applications/{application.pk}/approve/"' not in page.text
    assert f'action="/experts/staff/applications/{application.pk}/reject/"' not in page.text


def test_staff_page_hides_approve_until_ready() -> None:
    staff = StaffUserFactory()
    application: DomainApplication = DomainApplicationFactory(assigned_staff=staff)

    page = client_for(staff).get(f"/experts/staff/applications/{application.pk}/")

    assert "Approving needs both of the above." in page.text
    assert f'action="/experts/staff/applications/{application.pk}/approve/"' not in page.text


def test_staff_page_shows_default_validity_when_ready() -> None:
    staff = StaffUserFactory()
    application: DomainApplication = DomainApplicationFactory(assigned_staff=staff)
    QualificationTestFactory(domain=application.domain)
    make_ready(application, verified_by=staff)

    page = client_for(staff).get(f"/experts/staff/applications/{application.pk}/")

    assert f'action="/experts/staff/applications/{application.pk}/approve/"' in page.text
    assert "The default is 365 days from now." in page.text


def test_approve_with_invalid_expiry_approves_nothing() -> None:
    staff = StaffUserFactory()
    application: DomainApplication = DomainApplicationFactory(assigned_staff=staff)
    make_ready(application, verified_by=staff)

    response = client_for(staff).post(
        f"/experts/staff/applications/{application.pk}/approve/",
        {"expires_at": "next spring"},
        follow=True,
    )

    assert (
        "&#x27;next spring&#x27; is not a valid expiry date and time. Nothing was approved."
    ) in response.text
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not DomainApproval.objects.exists()


def test_approve_reads_a_datetime_local_expiry() -> None:
    staff = StaffUserFactory()
    application: DomainApplication = DomainApplicationFactory(assigned_staff=staff)
    make_ready(application, verified_by=staff)

    client_for(staff).post(
        f"/experts/staff/applications/{application.pk}/approve/",
        {"expires_at": "2099-06-30T12:00"},
    )

    approval = DomainApproval.objects.get()
    assert f"{approval.expires_at:%Y-%m-%d %H:%M %Z}" == "2099-06-30 12:00 UTC"


@pytest.mark.django_db
def test_rejected_application_page_shows_the_reason() -> None:
    from django.test import Client

    from experts.services.application import application_reject
    from tests.experts.factories import DomainApplicationFactory, StaffUserFactory

    staff = StaffUserFactory()
    application = DomainApplicationFactory(assigned_staff=staff)
    application_reject(application=application, staff_user=staff, reason="Degree unverifiable")
    client = Client()
    client.force_login(application.applicant)

    page = client.get(f"/experts/applications/{application.pk}/").content.decode()

    assert "Reason: Degree unverifiable" in page
