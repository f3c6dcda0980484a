"""`credential_upload`: what is stored, what is rejected, and that nothing is half-saved."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from pytest_django.fixtures import Settings

from experts.credential_files import (
    CredentialExtensionNotAllowed,
    CredentialFileEmpty,
    CredentialTooLarge,
    CredentialTypeNotAllowed,
)
from experts.models import (
    ApplicationStatus,
    AuditAction,
    AuditEntry,
    Credential,
    CredentialStatus,
)
from experts.selectors.application import ApplicationNotFound
from experts.services import credential as credential_service
from experts.services.credential import (
    MAX_CREDENTIALS_PER_APPLICATION,
    CredentialApplicationClosed,
    CredentialFieldsInvalid,
    CredentialLimitReached,
    credential_upload,
)
from tests.experts.credentials.conftest import Folders, Roles, stored_files
from tests.experts.credentials.documents import (
    HTML_BYTES,
    PDF_BYTES,
    NamedBytes,
    image_bytes,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def upload(roles: Roles, file: Any, **overrides: Any) -> Credential:
    arguments: dict[str, Any] = {
        "application": roles.application,
        "uploaded_file": file,
        "kind": "degree",
        "title": "MD, University of Lisbon",
        "issuer": "University of Lisbon",
        "actor": roles.applicant,
    }
    arguments.update(overrides)
    return credential_upload(**arguments)


def test_pdf_upload_stores_row_file_and_audit_entry(roles: Roles, folders: Folders) -> None:
    credential = upload(roles, NamedBytes(PDF_BYTES, "diploma.pdf"))

    stored = folders.credentials / credential.stored_name
    assert stored.read_bytes() == PDF_BYTES
    assert credential.owner == roles.applicant
    assert credential.application == roles.application
    assert credential.status == CredentialStatus.PENDING
    assert credential.original_name == "diploma.pdf"
    assert credential.content_type == "application/pdf"
    assert credential.size == len(PDF_BYTES)
    assert credential.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.CREDENTIAL_UPLOADED
    assert entry.actor == roles.applicant
    assert entry.subject == roles.applicant
    assert entry.object_id == credential.pk
    assert entry.details["sha256"] == credential.sha256


def test_stored_name_is_random_hex_with_detected_extension(roles: Roles) -> None:
    credential = upload(roles, NamedBytes(PDF_BYTES, "diploma.pdf"))

    assert len(credential.stored_name) == len("0" * 32 + ".pdf")
    assert credential.stored_name.endswith(".pdf")
    assert int(credential.stored_name.removesuffix(".pdf"), 16) >= 0
    assert "diploma" not in credential.stored_name


def test_stored_file_is_readable_by_owner_only(roles: Roles, folders: Folders) -> None:
    credential = upload(roles, NamedBytes(PDF_BYTES, "diploma.pdf"))

    mode = (folders.credentials / credential.stored_name).stat().st_mode & 0o777
    assert mode == 0o600


def test_html_declared_as_pdf_is_rejected(roles: Roles, folders: Folders) -> None:
    file = SimpleUploadedFile("cv.pdf", HTML_BYTES, content_type="application/pdf")

    with pytest.raises(CredentialTypeNotAllowed) as raised:
        upload(roles, file)

    assert raised.value.code == "credential_type_not_allowed"
    assert raised.value.message == (
        "'cv.pdf' is not a PDF, PNG or JPEG file. Upload the document as a PDF, or as a PNG or "
        "JPEG image."
    )
    assert Credential.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_html_with_png_signature_named_html(roles: Roles, folders: Folders) -> None:
    file = SimpleUploadedFile("page.html", PNG_SIGNATURE + HTML_BYTES, content_type="image/png")

    with pytest.raises(CredentialExtensionNotAllowed) as raised:
        upload(roles, file)

    assert raised.value.code == "credential_extension_not_allowed"
    assert raised.value.message == (
        "'page.html' does not end in .pdf, .png, .jpg or .jpeg. Rename the file or save it as "
        "a PDF, PNG or JPEG."
    )
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_html_with_png_signature_named_png(roles: Roles, folders: Folders) -> None:
    file = SimpleUploadedFile("scan.png", PNG_SIGNATURE + HTML_BYTES, content_type="image/png")

    with pytest.raises(CredentialTypeNotAllowed):
        upload(roles, file)

    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_jpeg_named_png_is_stored_as_jpeg(roles: Roles, folders: Folders) -> None:
    content = image_bytes("JPEG")
    file = SimpleUploadedFile("photo.png", content, content_type="image/png")

    credential = upload(roles, file)

    assert credential.content_type == "image/jpeg"
    assert credential.stored_name.endswith(".jpg")
    assert credential.original_name == "photo.png"
    assert (folders.credentials / credential.stored_name).read_bytes() == content


@pytest.mark.parametrize("client_name", ["../../etc/passwd.pdf", "..\\x.pdf", "/tmp/evil.pdf"])
def test_client_name_never_chooses_stored_path(
    roles: Roles, folders: Folders, client_name: str
) -> None:
    credential = upload(roles, NamedBytes(PDF_BYTES, client_name))

    assert stored_files(folders.credentials) == [credential.stored_name]
    assert (folders.credentials / credential.stored_name).read_bytes() == PDF_BYTES
    assert "/" not in credential.original_name
    assert "\\" not in credential.original_name
    assert stored_files(folders.private_root) == ["credentials"]


def test_client_name_keeps_only_its_last_part(roles: Roles) -> None:
    credential = upload(roles, NamedBytes(PDF_BYTES, "../../etc/passwd.pdf"))

    assert credential.original_name == "passwd.pdf"


def test_empty_file_is_rejected(roles: Roles, folders: Folders) -> None:
    with pytest.raises(CredentialFileEmpty) as raised:
        upload(roles, NamedBytes(b"", "cv.pdf"))

    assert raised.value.message == (
        "'cv.pdf' is empty. Choose the file again; it may not have finished saving."
    )
    assert stored_files(folders.credentials) == []


def test_file_over_cap_is_rejected(roles: Roles, folders: Folders, settings: Settings) -> None:
    settings.CREDENTIAL_MAX_BYTES = 1024 * 1024
    content = PDF_BYTES + b" " * (1024 * 1024)

    with pytest.raises(CredentialTooLarge) as raised:
        upload(roles, NamedBytes(content, "cv.pdf"))

    assert raised.value.status_code == 413
    assert raised.value.message == (
        "The document is larger than the 1 MB limit. Upload a smaller file, for example a "
        "scan at a lower resolution."
    )
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_missing_title_and_unknown_kind_are_rejected(roles: Roles, folders: Folders) -> None:
    with pytest.raises(CredentialFieldsInvalid) as raised:
        upload(roles, NamedBytes(PDF_BYTES, "cv.pdf"), kind="diploma", title="  ")

    assert raised.value.fields == {
        "kind": [
            "'diploma' is not a credential kind. Use one of: degree, license, employment, "
            "language, other."
        ],
        "title": ["Enter a title, such as the degree or license name."],
    }
    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_upload_to_others_application_is_404(roles: Roles, folders: Folders) -> None:
    with pytest.raises(ApplicationNotFound):
        upload(roles, NamedBytes(PDF_BYTES, "cv.pdf"), actor=roles.other_applicant)

    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_upload_to_withdrawn_application_is_rejected(roles: Roles, folders: Folders) -> None:
    roles.application.status = ApplicationStatus.WITHDRAWN
    roles.application.save()

    with pytest.raises(CredentialApplicationClosed) as raised:
        upload(roles, NamedBytes(PDF_BYTES, "cv.pdf"))

    assert raised.value.message == (
        f"Application {roles.application.pk} is withdrawn, so no more credentials can be added "
        "to it. Credentials can be uploaded only while an application is submitted."
    )
    assert stored_files(folders.credentials) == []


def test_upload_past_limit_is_rejected(roles: Roles, folders: Folders) -> None:
    for _ in range(MAX_CREDENTIALS_PER_APPLICATION):
        upload(roles, NamedBytes(PDF_BYTES, "cv.pdf"))

    with pytest.raises(CredentialLimitReached):
        upload(roles, NamedBytes(PDF_BYTES, "cv.pdf"))

    assert Credential.objects.count() == MAX_CREDENTIALS_PER_APPLICATION
    assert len(stored_files(folders.credentials)) == MAX_CREDENTIALS_PER_APPLICATION


def test_failure_after_file_write_deletes_the_file(
    roles: Roles, folders: Folders, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing_audit_record(**kwargs: Any) -> None:
        assert len(stored_files(folders.credentials)) == 1
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(credential_service, "audit_record", failing_audit_record)

    with pytest.raises(RuntimeError, match="audit table unavailable"):
        upload(roles, NamedBytes(PDF_BYTES, "cv.pdf"))

    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_upload_inside_transaction_raises(roles: Roles, folders: Folders) -> None:
    with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
        upload(roles, NamedBytes(PDF_BYTES, "cv.pdf"))

    assert Credential.objects.count() == 0
    assert stored_files(folders.credentials) == []


def test_storage_folder_is_private_root_subfolder(roles: Roles) -> None:
    credential = upload(roles, NamedBytes(PDF_BYTES, "cv.pdf"))

    path = Path(settings.PRIVATE_MEDIA_ROOT) / "credentials" / credential.stored_name
    assert path.is_file()
    assert not path.resolve().is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
