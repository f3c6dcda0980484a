"""Credential API: upload, list, download and the staff decisions."""

import hashlib
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoAssertNumQueries

from experts.models import AuditAction, AuditEntry, Credential, CredentialStatus
from tests.experts.credentials.conftest import Folders, Roles, client_for, stored_files
from tests.experts.credentials.documents import HTML_BYTES, PDF_BYTES, NamedBytes, image_bytes
from tests.experts.factories import DomainApplicationFactory

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FORM_FIELDS = {"kind": "degree", "title": "MD, University of Lisbon", "issuer": "Lisbon"}


def upload_url(roles: Roles) -> str:
    return reverse("api-credential-upload", kwargs={"application_id": roles.application.pk})


def document_url(credential: Credential) -> str:
    return reverse("api-credential-document", kwargs={"credential_id": credential.pk})


def decision_url(credential: Credential, action: str) -> str:
    return reverse(f"api-credential-{action}", kwargs={"credential_id": credential.pk})


def api_upload(client: Client, url: str, name: str, content: bytes, content_type: str) -> Any:
    document = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(url, {**FORM_FIELDS, "document": document})


def assert_unchanged(credential: Credential) -> None:
    credential.refresh_from_db()
    assert credential.status == CredentialStatus.PENDING
    assert credential.reviewed_by is None
    assert credential.review_reason == ""
    assert not AuditEntry.objects.exclude(action=AuditAction.CREDENTIAL_UPLOADED).exists()


def test_upload_returns_the_stored_credential(roles: Roles) -> None:
    response = api_upload(
        client_for(roles.applicant), upload_url(roles), "cv.pdf", PDF_BYTES, "application/pdf"
    )

    credential = Credential.objects.get()
    body = response.json()
    assert response.status_code == 201
    assert body["id"] == credential.pk
    assert body["application_id"] == roles.application.pk
    assert body["original_name"] == "cv.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF_BYTES)
    assert body["sha256"] == hashlib.sha256(PDF_BYTES).hexdigest()
    assert body["status"] == "pending"
    assert body["document_url"] == f"/api/experts/credentials/{credential.pk}/document/"
    assert "stored_name" not in body


def test_upload_html_as_pdf_is_rejected(roles: Roles, folders: Folders) -> None:
    response = api_upload(
        client_for(roles.applicant), upload_url(roles), "cv.pdf", HTML_BYTES, "application/pdf"
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "credential_type_not_allowed",
            "message": (
                "'cv.pdf' is not a PDF, PNG or JPEG file. Upload the document as a PDF, or as a "
                "PNG or JPEG image."
            ),
            "fields": {"document": ["Only PDF, PNG and JPEG files are accepted."]},
        }
    }
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_upload_html_with_png_signature_is_rejected(roles: Roles, folders: Folders) -> None:
    response = api_upload(
        client_for(roles.applicant),
        upload_url(roles),
        "page.html",
        PNG_SIGNATURE + HTML_BYTES,
        "image/png",
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "credential_extension_not_allowed"
    assert stored_files(folders.credentials) == []


def test_upload_jpeg_named_png_reports_jpeg(roles: Roles) -> None:
    response = api_upload(
        client_for(roles.applicant),
        upload_url(roles),
        "photo.png",
        image_bytes("JPEG"),
        "image/png",
    )

    assert response.json()["content_type"] == "image/jpeg"
    assert Credential.objects.get().stored_name.endswith(".jpg")


def test_upload_to_another_users_application_is_404(roles: Roles, folders: Folders) -> None:
    response = api_upload(
        client_for(roles.other_applicant),
        upload_url(roles),
        "cv.pdf",
        PDF_BYTES,
        "application/pdf",
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "application_not_found"
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_upload_needs_authentication(roles: Roles, folders: Folders) -> None:
    response = api_upload(Client(), upload_url(roles), "cv.pdf", PDF_BYTES, "application/pdf")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"
    assert stored_files(folders.credentials) == []


def test_upload_without_document_names_the_field(roles: Roles) -> None:
    response = client_for(roles.applicant).post(upload_url(roles), FORM_FIELDS)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"document": ["No file was submitted."]}


def test_list_for_applicant(
    roles: Roles, credential: Credential, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client = client_for(roles.applicant)
    url = reverse("api-credential-list") + f"?application={roles.application.pk}"

    with django_assert_max_num_queries(6):
        response = client.get(url)

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [credential.pk]


def test_list_query_count_is_bounded(
    roles: Roles, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    from experts.services.credential import credential_upload

    for number in range(5):
        credential_upload(
            application=roles.application,
            uploaded_file=NamedBytes(PDF_BYTES, f"cv{number}.pdf"),
            kind="degree",
            title=f"Degree {number}",
            issuer="",
            actor=roles.applicant,
        )
    client = client_for(roles.assigned_staff)
    url = reverse("api-credential-list") + f"?application={roles.application.pk}"

    with django_assert_max_num_queries(6):
        response = client.get(url)

    assert len(response.json()) == 5


@pytest.mark.parametrize("who", ["other_applicant", "unassigned_staff"])
def test_list_is_404_for_others(roles: Roles, credential: Credential, who: str) -> None:
    user: User = getattr(roles, who)
    url = reverse("api-credential-list") + f"?application={roles.application.pk}"

    response = client_for(user).get(url)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "application_not_found"


def test_list_needs_application_parameter(roles: Roles) -> None:
    response = client_for(roles.applicant).get(reverse("api-credential-list"))

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"application": ["This field is required."]}


@pytest.mark.parametrize("who", ["applicant", "assigned_staff"])
def test_document_download_for_permitted_users(
    roles: Roles, credential: Credential, who: str
) -> None:
    user: User = getattr(roles, who)

    response = client_for(user).get(document_url(credential), HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert response.getvalue() == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="diploma.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("who", ["other_applicant", "unassigned_staff"])
def test_document_is_404_for_others(
    roles: Roles, credential: Credential, folders: Folders, who: str
) -> None:
    user: User = getattr(roles, who)
    path = folders.credentials / credential.stored_name
    digest_before = hashlib.sha256(path.read_bytes()).hexdigest()

    response = client_for(user).get(document_url(credential))

    assert response.status_code == 404
    assert response.json() == {
        "error": {
            "code": "credential_not_found",
            "message": (
                f"Credential {credential.pk} does not exist or you may not open it. Open "
                "credentials from the application they belong to."
            ),
            "fields": {},
        }
    }
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest_before


def test_document_needs_authentication(credential: Credential) -> None:
    response = Client().get(document_url(credential))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"


# Staff decisions.


@pytest.mark.parametrize("action", ["verify", "reject"])
def test_anonymous_decision_is_rejected(credential: Credential, action: str) -> None:
    response = Client().post(decision_url(credential, action), {"reason": "Fine."})

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_authenticated"
    assert_unchanged(credential)


@pytest.mark.parametrize("action", ["verify", "reject"])
@pytest.mark.parametrize("who", ["applicant", "other_applicant"])
def test_non_staff_decision_is_rejected(
    roles: Roles, credential: Credential, action: str, who: str
) -> None:
    user: User = getattr(roles, who)

    response = client_for(user).post(decision_url(credential, action), {"reason": "Fine."})

    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "permission_denied",
            "message": "Only staff may do this.",
            "fields": {},
        }
    }
    assert_unchanged(credential)


@pytest.mark.parametrize("action", ["verify", "reject"])
def test_unassigned_staff_decision_is_rejected(
    roles: Roles, credential: Credential, action: str
) -> None:
    response = client_for(roles.unassigned_staff).post(
        decision_url(credential, action), {"reason": "Fine."}
    )

    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": "credential_review_not_allowed",
            "message": (
                f"Application {roles.application.pk} is assigned to another staff member. Only "
                f"the assigned staff member may verify or reject credential {credential.pk}."
            ),
            "fields": {},
        }
    }
    assert_unchanged(credential)


def test_assigned_staff_verifies(roles: Roles, credential: Credential) -> None:
    response = client_for(roles.assigned_staff).post(
        decision_url(credential, "verify"), {"reason": "Matches the registry."}
    )

    credential.refresh_from_db()
    entry = AuditEntry.objects.get(action=AuditAction.CREDENTIAL_VERIFIED)
    assert response.status_code == 200
    assert response.json()["status"] == "verified"
    assert credential.status == CredentialStatus.VERIFIED
    assert entry.actor == roles.assigned_staff
    assert entry.reason == "Matches the registry."


def test_assigned_staff_rejects(roles: Roles, credential: Credential) -> None:
    response = client_for(roles.assigned_staff).post(
        decision_url(credential, "reject"), {"reason": "Expired license."}
    )

    credential.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["review_reason"] == "Expired license."
    assert credential.status == CredentialStatus.REJECTED
    assert AuditEntry.objects.filter(action=AuditAction.CREDENTIAL_REJECTED).count() == 1


@pytest.mark.parametrize("payload", [{}, {"reason": ""}, {"reason": "   "}])
def test_reject_without_reason_changes_nothing(
    roles: Roles, credential: Credential, payload: dict[str, str]
) -> None:
    response = client_for(roles.assigned_staff).post(decision_url(credential, "reject"), payload)

    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "credential_reason_required",
            "message": (
                f"Give a reason for rejecting credential {credential.pk}. The applicant sees it "
                "and can upload a corrected document."
            ),
            "fields": {"reason": ["A reason is required to reject a credential."]},
        }
    }
    assert_unchanged(credential)


def test_decision_on_missing_credential_is_404(roles: Roles) -> None:
    url = reverse("api-credential-verify", kwargs={"credential_id": 999999})

    response = client_for(roles.assigned_staff).post(url, {"reason": ""})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "credential_not_found"


def test_closed_application_upload_is_409(roles: Roles) -> None:
    application = DomainApplicationFactory(applicant=roles.applicant, status="rejected")
    url = reverse("api-credential-upload", kwargs={"application_id": application.pk})

    response = api_upload(client_for(roles.applicant), url, "cv.pdf", PDF_BYTES, "application/pdf")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "credential_application_closed"
