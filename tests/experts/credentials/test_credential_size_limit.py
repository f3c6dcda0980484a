"""Uploads over CREDENTIAL_MAX_BYTES are rejected while they stream, leaving nothing behind.

Two paths reject them. A declared Content-Length above the cap (plus room for the form
fields) is rejected before any body byte is read. A body whose Content-Length is within that
room but whose file passes the cap is stopped at the chunk that crosses it, before that chunk
reaches the temporary file. Django reads no more than Content-Length, so these two cover every
body it parses.
"""

import pytest
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from experts.models import Credential
from experts.upload_handlers import MULTIPART_OVERHEAD_BYTES
from tests.experts.credentials.conftest import Folders, Roles, client_for, stored_files
from tests.experts.credentials.documents import (
    GeneratedBody,
    generated_request,
    multipart_head,
    multipart_tail,
)

MEGABYTE = 1024 * 1024
FORM_FIELDS = {"kind": "degree", "title": "MD, University of Lisbon", "issuer": "Lisbon"}
PAGE_MESSAGE_20_MB = (
    "The document is larger than the 20 MB limit. Upload a smaller file, for example a scan "
    "at a lower resolution."
)


def spy_on_temporary_file(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the size of each chunk that Django writes to its temporary upload file."""
    sizes: list[int] = []
    original = TemporaryFileUploadHandler.receive_data_chunk

    def receive_data_chunk(
        handler: TemporaryFileUploadHandler, raw_data: bytes, start: int
    ) -> bytes | None:
        sizes.append(len(raw_data))
        return original(handler, raw_data, start)

    monkeypatch.setattr(TemporaryFileUploadHandler, "receive_data_chunk", receive_data_chunk)
    return sizes


def pdf_body(file_size: int, *, fields: dict[str, str] = FORM_FIELDS) -> GeneratedBody:
    head = multipart_head(fields=fields, file_name="thesis.pdf", file_type="application/pdf")
    return GeneratedBody(head=head + b"%PDF-1.4\n", filler_size=file_size, tail=multipart_tail())


def page_url(roles: Roles) -> str:
    return reverse("experts:credential-upload", kwargs={"application_id": roles.application.pk})


def api_url(roles: Roles) -> str:
    return reverse("api-credential-upload", kwargs={"application_id": roles.application.pk})


def test_60_mb_page_upload_rejected_unread(roles: Roles, folders: Folders) -> None:
    body = pdf_body(60 * MEGABYTE)

    response = client_for(roles.applicant).post(page_url(roles), **generated_request(body))

    assert response.status_code == 413
    assert PAGE_MESSAGE_20_MB in response.content.decode()
    assert body.bytes_read == 0


def test_60_mb_upload_leaves_nothing(roles: Roles, folders: Folders) -> None:
    client_for(roles.applicant).post(page_url(roles), **generated_request(pdf_body(60 * MEGABYTE)))

    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []
    assert stored_files(folders.upload_temp) == []


def test_streamed_file_past_20_mb_rejected(roles: Roles, folders: Folders) -> None:
    body = pdf_body(20 * MEGABYTE + 16 * 1024)
    assert body.length <= 20 * MEGABYTE + MULTIPART_OVERHEAD_BYTES

    response = client_for(roles.applicant).post(page_url(roles), **generated_request(body))

    assert response.status_code == 413
    assert PAGE_MESSAGE_20_MB in response.content.decode()
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []
    assert stored_files(folders.upload_temp) == []


def test_streamed_file_never_reaches_disk_past_20_mb(
    roles: Roles, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = spy_on_temporary_file(monkeypatch)

    client_for(roles.applicant).post(
        page_url(roles), **generated_request(pdf_body(20 * MEGABYTE + 16 * 1024))
    )

    assert 0 < sum(written) <= 20 * MEGABYTE


def test_short_content_length_limits_reading(roles: Roles, folders: Folders) -> None:
    body = pdf_body(60 * MEGABYTE)
    declared_length = 20 * MEGABYTE + 32 * 1024
    request = generated_request(body)
    request["CONTENT_LENGTH"] = str(declared_length)

    response = client_for(roles.applicant).post(page_url(roles), **request)

    assert response.status_code == 413
    assert body.bytes_read <= declared_length
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []
    assert stored_files(folders.upload_temp) == []


def test_streamed_file_past_cap_leaves_no_temporary_file(
    roles: Roles, folders: Folders, settings: Settings
) -> None:
    settings.CREDENTIAL_MAX_BYTES = MEGABYTE
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    body = pdf_body(MEGABYTE + 16 * 1024)

    client_for(roles.applicant).post(page_url(roles), **generated_request(body))

    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []
    assert stored_files(folders.upload_temp) == []


def test_page_message_names_lowered_cap(roles: Roles, settings: Settings) -> None:
    settings.CREDENTIAL_MAX_BYTES = 2 * MEGABYTE

    response = client_for(roles.applicant).post(
        page_url(roles), **generated_request(pdf_body(5 * MEGABYTE))
    )

    assert response.status_code == 413
    assert "larger than the 2 MB limit" in response.content.decode()


def test_file_just_under_cap_is_stored(roles: Roles, folders: Folders, settings: Settings) -> None:
    settings.CREDENTIAL_MAX_BYTES = MEGABYTE
    head = multipart_head(fields=FORM_FIELDS, file_name="thesis.pdf", file_type="application/pdf")
    ending = b"\n%%EOF\n"
    body = GeneratedBody(
        head=head + b"%PDF-1.4\n",
        filler_size=MEGABYTE - len(b"%PDF-1.4\n") - len(ending),
        tail=ending + multipart_tail(),
    )

    response = client_for(roles.applicant).post(page_url(roles), **generated_request(body))

    credential = Credential.objects.get()
    assert response.status_code == 302
    assert credential.size == MEGABYTE
    assert stored_files(folders.credentials) == [credential.stored_name]


def test_oversized_upload_413_with_csrf_enforced(roles: Roles) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(roles.applicant)
    client.get(page_url(roles))
    fields = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **FORM_FIELDS}

    response = client.post(
        page_url(roles), **generated_request(pdf_body(60 * MEGABYTE, fields=fields))
    )

    assert response.status_code == 413
    assert PAGE_MESSAGE_20_MB in response.content.decode()


def test_60_mb_api_upload_rejected_unread(roles: Roles, folders: Folders) -> None:
    body = pdf_body(60 * MEGABYTE)

    response = client_for(roles.applicant).post(api_url(roles), **generated_request(body))

    assert response.status_code == 413
    assert response.json() == {
        "error": {
            "code": "credential_too_large",
            "message": PAGE_MESSAGE_20_MB,
            "fields": {"document": ["The maximum size is 20 MB."]},
        }
    }
    assert body.bytes_read == 0
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []
    assert stored_files(folders.upload_temp) == []


def test_streamed_api_upload_past_cap_rejected(
    roles: Roles, folders: Folders, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.CREDENTIAL_MAX_BYTES = MEGABYTE
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    written = spy_on_temporary_file(monkeypatch)
    body = pdf_body(MEGABYTE + 16 * 1024)

    response = client_for(roles.applicant).post(api_url(roles), **generated_request(body))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "credential_too_large"
    assert 0 < sum(written) <= MEGABYTE
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []
    assert stored_files(folders.upload_temp) == []


@pytest.mark.parametrize("megabytes", [21, 60])
def test_anonymous_oversized_upload_is_not_read(roles: Roles, megabytes: int) -> None:
    body = pdf_body(megabytes * MEGABYTE)

    response = Client().post(page_url(roles), **generated_request(body))

    assert response.status_code == 302
    assert body.bytes_read == 0
    assert Credential.objects.count() == 0
