"""Type detection from the bytes, file-name cleaning and the private folder."""

import io
import stat
from pathlib import Path

import pytest
from pytest_django.fixtures import Settings

from experts.credential_files import (
    JPEG,
    PDF,
    PNG,
    CredentialExtensionNotAllowed,
    CredentialTypeNotAllowed,
    check_document_name,
    clean_original_name,
    credential_folder,
    detect_document_type,
    document_path,
    download_name,
    max_size_in_megabytes,
)
from tests.experts.credentials.conftest import Folders
from tests.experts.credentials.documents import HTML_BYTES, PDF_BYTES, image_bytes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_pdf_is_detected() -> None:
    assert detect_document_type(io.BytesIO(PDF_BYTES), name="cv.pdf") == PDF


def test_png_is_detected() -> None:
    assert detect_document_type(io.BytesIO(image_bytes("PNG")), name="scan.png") == PNG


def test_jpeg_is_detected() -> None:
    assert detect_document_type(io.BytesIO(image_bytes("JPEG")), name="scan.jpg") == JPEG


def test_detection_leaves_file_at_start() -> None:
    file = io.BytesIO(image_bytes("PNG"))

    detect_document_type(file, name="scan.png")

    assert file.tell() == 0


def test_html_is_not_a_document_type() -> None:
    with pytest.raises(CredentialTypeNotAllowed) as raised:
        detect_document_type(io.BytesIO(HTML_BYTES), name="cv.pdf")

    assert raised.value.message == (
        "'cv.pdf' is not a PDF, PNG or JPEG file. Upload the document as a PDF, or as a PNG or "
        "JPEG image."
    )


def test_pdf_without_end_marker_is_rejected() -> None:
    with pytest.raises(CredentialTypeNotAllowed):
        detect_document_type(io.BytesIO(b"%PDF-1.4\n" + HTML_BYTES), name="cv.pdf")


def test_pdf_end_marker_followed_by_padding_is_accepted() -> None:
    padded = PDF_BYTES + b"\0" * 1000

    assert detect_document_type(io.BytesIO(padded), name="cv.pdf") == PDF


def test_pdf_end_marker_before_last_kilobyte_is_rejected() -> None:
    padded = PDF_BYTES + b" " * 2000

    with pytest.raises(CredentialTypeNotAllowed):
        detect_document_type(io.BytesIO(padded), name="cv.pdf")


def test_png_signature_followed_by_html_is_rejected() -> None:
    with pytest.raises(CredentialTypeNotAllowed):
        detect_document_type(io.BytesIO(PNG_SIGNATURE + HTML_BYTES), name="scan.png")


def test_png_with_damaged_chunk_is_rejected() -> None:
    damaged = bytearray(image_bytes("PNG"))
    damaged[40] ^= 0xFF

    with pytest.raises(CredentialTypeNotAllowed):
        detect_document_type(io.BytesIO(bytes(damaged)), name="scan.png")


def test_jpeg_signature_followed_by_html_is_rejected() -> None:
    with pytest.raises(CredentialTypeNotAllowed):
        detect_document_type(io.BytesIO(b"\xff\xd8\xff" + HTML_BYTES), name="scan.jpg")


def test_other_image_format_is_rejected() -> None:
    with pytest.raises(CredentialTypeNotAllowed):
        detect_document_type(io.BytesIO(image_bytes("GIF")), name="scan.png")


@pytest.mark.parametrize("name", ["cv.pdf", "CV.PDF", "scan.png", "photo.jpg", "photo.jpeg"])
def test_allowed_extension_passes(name: str) -> None:
    check_document_name(name)


@pytest.mark.parametrize("name", ["page.html", "cv.pdf.exe", "cv", "cv.", "archive.zip"])
def test_other_extension_is_rejected(name: str) -> None:
    with pytest.raises(CredentialExtensionNotAllowed) as raised:
        check_document_name(name)

    assert raised.value.message == (
        f"{name!r} does not end in .pdf, .png, .jpg or .jpeg. Rename the file or save it as a "
        "PDF, PNG or JPEG."
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\x.pdf", "x.pdf"),
        ("C:\\Users\\ana\\cv.pdf", "cv.pdf"),
        ("  cv.pdf  ", "cv.pdf"),
        ("cv\r\n.pdf", "cv.pdf"),
        ("cv\x00.pdf", "cv.pdf"),
        ("cv\u202efdp.exe", "cvfdp.exe"),
    ],
)
def test_original_name_loses_folders_and_control_characters(name: str, expected: str) -> None:
    assert clean_original_name(name) == expected


def test_long_original_name_keeps_extension() -> None:
    cleaned = clean_original_name("a" * 400 + ".pdf")

    assert len(cleaned) == 255
    assert cleaned.endswith("a.pdf")


def test_credential_folder_is_private(folders: Folders) -> None:
    folder = credential_folder()

    assert folder == folders.credentials
    assert stat.S_IMODE(folders.private_root.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "stored_name", ["../secret.pdf", "0" * 32 + ".html", "x" * 32 + ".pdf", "/etc/passwd"]
)
def test_document_path_rejects_names_it_did_not_generate(stored_name: str) -> None:
    with pytest.raises(ValueError, match="is not a generated credential file name"):
        document_path(stored_name)


def test_document_path_is_inside_credential_folder(folders: Folders) -> None:
    stored_name = "0123456789abcdef0123456789abcdef.pdf"

    assert document_path(stored_name) == folders.credentials / stored_name


@pytest.mark.parametrize(
    ("original_name", "content_type", "expected"),
    [
        ("photo.png", "image/jpeg", "photo.jpg"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("scan.jpg", "image/png", "scan.png"),
        ("cv.pdf", "application/pdf", "cv.pdf"),
        (".png", "image/jpeg", "document.jpg"),
    ],
)
def test_download_name_uses_detected_extension(
    original_name: str, content_type: str, expected: str
) -> None:
    assert download_name(original_name=original_name, content_type=content_type) == expected


def test_size_cap_is_reported_in_whole_megabytes(settings: Settings) -> None:
    settings.CREDENTIAL_MAX_BYTES = 20 * 1024 * 1024

    assert max_size_in_megabytes() == 20


def test_real_settings_keep_private_root_outside_public_roots() -> None:
    from seal_platform import settings as production_settings

    private_root = Path(production_settings.PRIVATE_MEDIA_ROOT).resolve()
    static_root = Path(production_settings.STATIC_ROOT).resolve()

    assert not private_root.is_relative_to(static_root)
    assert not any(
        private_root.is_relative_to(Path(folder).resolve())
        for folder in production_settings.STATICFILES_DIRS
    )
