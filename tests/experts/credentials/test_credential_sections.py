"""The credential sections that the application pages of applicants and staff include."""

from django.urls import reverse

from experts.models import Credential
from tests.experts.credentials.conftest import Roles, client_for


def test_applicant_section_lists_credentials(roles: Roles, credential: Credential) -> None:
    url = reverse("experts:application", kwargs={"application_id": roles.application.pk})

    page = client_for(roles.applicant).get(url).content.decode()

    assert "MD, University of Lisbon" in page
    assert reverse("experts:credential-document", args=[credential.pk]) in page
    assert reverse("experts:credential-upload", args=[roles.application.pk]) in page


def test_staff_section_links_for_assignee(roles: Roles, credential: Credential) -> None:
    url = reverse("experts:staff-application", kwargs={"application_id": roles.application.pk})

    page = client_for(roles.assigned_staff).get(url).content.decode()

    assert reverse("experts:credential-review", args=[credential.pk]) in page
    assert reverse("experts:credential-document", args=[credential.pk]) in page
    assert "Verify or reject" in page


def test_staff_section_hides_document_from_others(roles: Roles, credential: Credential) -> None:
    url = reverse("experts:staff-application", kwargs={"application_id": roles.application.pk})

    page = client_for(roles.unassigned_staff).get(url).content.decode()

    assert reverse("experts:credential-review", args=[credential.pk]) in page
    assert reverse("experts:credential-document", args=[credential.pk]) not in page
