"""Credential pages: the applicant's upload page and the document download."""

import hashlib
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from experts.models import Credential, CredentialStatus
from tests.experts.credentials.conftest import Folders, Roles, client_for, stored_files
from tests.experts.credentials.documents import (
    HTML_BYTES,
    MULTIPART_CONTENT_TYPE,
    PDF_BYTES,
    image_bytes,
    multipart_body,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FORM_FIELDS = {"kind": "degree", "title": "MD, University of Lisbon", "issuer": "Lisbon"}


def upload_url(roles: Roles) -> str:
    return reverse("experts:credential-upload", kwargs={"application_id": roles.application.pk})


def document_url(credential: Credential) -> str:
    return reverse("experts:credential-document", kwargs={"credential_id": credential.pk})


def post_file(client: Client, url: str, name: str, content: bytes, content_type: str) -> Any:
    document = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(url, {**FORM_FIELDS, "document": document})


def test_upload_page_shows_form_and_cap(roles: Roles) -> None:
    response = client_for(roles.applicant).get(upload_url(roles))

    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content
    assert b"A PDF, PNG or JPEG file of at most 20 MB" in response.content


def test_others_upload_page_is_404(roles: Roles) -> None:
    response = client_for(roles.other_applicant).get(upload_url(roles))

    assert response.status_code == 404


def test_upload_page_needs_login(roles: Roles) -> None:
    response = Client().get(upload_url(roles))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={upload_url(roles)}"


def test_pdf_upload_redirects_to_application(roles: Roles, folders: Folders) -> None:
    response = post_file(
        client_for(roles.applicant), upload_url(roles), "cv.pdf", PDF_BYTES, "application/pdf"
    )

    credential = Credential.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "experts:application", kwargs={"application_id": roles.application.pk}
    )
    assert credential.original_name == "cv.pdf"
    assert stored_files(folders.credentials) == [credential.stored_name]


def test_upload_success_message_names_the_file(roles: Roles) -> None:
    response = post_file(
        client_for(roles.applicant), upload_url(roles), "cv.pdf", PDF_BYTES, "application/pdf"
    )

    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == [
        "Uploaded cv.pdf. The staff member reviewing your application will verify it."
    ]


def test_upload_to_others_application_is_404(roles: Roles, folders: Folders) -> None:
    response = post_file(
        client_for(roles.other_applicant),
        upload_url(roles),
        "cv.pdf",
        PDF_BYTES,
        "application/pdf",
    )

    assert response.status_code == 404
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_html_declared_as_pdf_shows_message(roles: Roles, folders: Folders) -> None:
    response = post_file(
        client_for(roles.applicant), upload_url(roles), "cv.pdf", HTML_BYTES, "application/pdf"
    )

    assert response.status_code == 400
    assert (
        "&#x27;cv.pdf&#x27; is not a PDF, PNG or JPEG file. Upload the document as a PDF, or "
        "as a PNG or JPEG image."
    ) in response.content.decode()
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_html_with_png_signature_shows_message(roles: Roles, folders: Folders) -> None:
    response = post_file(
        client_for(roles.applicant),
        upload_url(roles),
        "page.html",
        PNG_SIGNATURE + HTML_BYTES,
        "image/png",
    )

    assert response.status_code == 400
    assert "does not end in .pdf, .png, .jpg or .jpeg." in response.content.decode()
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_jpeg_named_png_is_stored_as_jpeg(roles: Roles, folders: Folders) -> None:
    post_file(
        client_for(roles.applicant),
        upload_url(roles),
        "photo.png",
        image_bytes("JPEG"),
        "image/png",
    )

    credential = Credential.objects.get()
    assert credential.content_type == "image/jpeg"
    assert credential.stored_name.endswith(".jpg")


@pytest.mark.parametrize("client_name", ["../../etc/passwd.pdf", "..\\x.pdf"])
def test_client_path_in_file_name_is_ignored(
    roles: Roles, folders: Folders, client_name: str
) -> None:
    body = multipart_body(
        fields=FORM_FIELDS, file_name=client_name, file_type="application/pdf", content=PDF_BYTES
    )

    response = client_for(roles.applicant).generic(
        "POST", upload_url(roles), body, content_type=MULTIPART_CONTENT_TYPE
    )

    credential = Credential.objects.get()
    assert response.status_code == 302
    assert stored_files(folders.credentials) == [credential.stored_name]
    assert stored_files(folders.private_root) == ["credentials"]
    assert credential.original_name in {"passwd.pdf", "x.pdf"}


def test_missing_title_shows_field_error(roles: Roles, folders: Folders) -> None:
    document = SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf")

    response = client_for(roles.applicant).post(
        upload_url(roles), {"kind": "degree", "title": "", "document": document}
    )

    assert response.status_code == 400
    assert "some fields are missing or invalid" in response.content.decode()
    assert stored_files(folders.credentials) == []


def test_upload_without_csrf_token_is_forbidden(roles: Roles, folders: Folders) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(roles.applicant)

    response = post_file(client, upload_url(roles), "cv.pdf", PDF_BYTES, "application/pdf")

    assert response.status_code == 403
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_upload_with_csrf_token_succeeds(roles: Roles) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(roles.applicant)
    client.get(upload_url(roles))
    token = client.cookies["csrftoken"].value
    document = SimpleUploadedFile("cv.pdf", PDF_BYTES, content_type="application/pdf")

    response = client.post(
        upload_url(roles), {"csrfmiddlewaretoken": token, **FORM_FIELDS, "document": document}
    )

    assert response.status_code == 302
    assert Credential.objects.count() == 1


def test_rejected_credential_shows_reason_to_applicant(
    roles: Roles, credential: Credential
) -> None:
    Credential.objects.filter(pk=credential.pk).update(
        status=CredentialStatus.REJECTED, review_reason="The scan is cut off."
    )

    response = client_for(roles.applicant).get(upload_url(roles))

    assert "The scan is cut off." in response.content.decode()


# Document download.


@pytest.mark.parametrize("who", ["applicant", "assigned_staff"])
def test_document_is_served_as_attachment(roles: Roles, credential: Credential, who: str) -> None:
    user: User = getattr(roles, who)

    response = client_for(user).get(document_url(credential))

    assert response.status_code == 200
    assert response.getvalue() == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="diploma.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_jpeg_uploaded_as_png_downloads_as_jpg(roles: Roles) -> None:
    post_file(
        client_for(roles.applicant),
        upload_url(roles),
        "photo.png",
        image_bytes("JPEG"),
        "image/png",
    )
    credential = Credential.objects.get()

    response = client_for(roles.applicant).get(document_url(credential))

    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == 'attachment; filename="photo.jpg"'


def test_non_ascii_name_is_encoded_in_disposition(roles: Roles) -> None:
    post_file(
        client_for(roles.applicant),
        upload_url(roles),
        'dipl\u00f4me "final".pdf',
        PDF_BYTES,
        "application/pdf",
    )
    credential = Credential.objects.get()

    response = client_for(roles.applicant).get(document_url(credential))

    assert credential.original_name == 'dipl\u00f4me "final".pdf'
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''dipl%C3%B4me%20%22final%22.pdf"
    )


@pytest.mark.parametrize("who", ["other_applicant", "unassigned_staff"])
def test_document_is_404_for_others(
    roles: Roles, credential: Credential, folders: Folders, who: str
) -> None:
    user: User = getattr(roles, who)
    path = folders.credentials / credential.stored_name
    digest_before = hashlib.sha256(path.read_bytes()).hexdigest()

    response = client_for(user).get(document_url(credential))

    assert response.status_code == 404
    assert PDF_BYTES not in response.content
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest_before


def test_document_404_same_when_missing(roles: Roles, credential: Credential) -> None:
    client = client_for(roles.other_applicant)
    missing_url = reverse("experts:credential-document", kwargs={"credential_id": 999999})

    existing = client.get(document_url(credential))
    missing = client.get(missing_url)

    assert existing.status_code == 404
    assert missing.status_code == 404
    assert (
        f"Credential {credential.pk} does not exist or you may not open it. Open credentials "
        "from the application they belong to."
    ) in existing.content.decode()
    assert (
        "Credential 999999 does not exist or you may not open it. Open credentials from the "
        "application they belong to."
    ) in missing.content.decode()


def test_document_redirects_anonymous_to_login(roles: Roles, credential: Credential) -> None:
    response = Client().get(document_url(credential))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={document_url(credential)}"


@pytest.mark.parametrize(
    "prefix",
    ["/media/", "/media/credentials/", "/static/credentials/", "/private_media/credentials/"],
)
def test_no_public_url_serves_the_document(
    roles: Roles, credential: Credential, prefix: str
) -> None:
    response = client_for(roles.applicant).get(prefix + credential.stored_name)

    assert response.status_code == 404
    assert PDF_BYTES not in response.content
