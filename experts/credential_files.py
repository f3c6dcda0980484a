"""Credential documents on disk: type detection from the bytes, private storage, file names.

A document is accepted only if its bytes are a PDF, PNG or JPEG and its name ends in .pdf,
.png, .jpg or .jpeg. The declared content type is ignored, and the name never chooses a path:
the stored name is a random hex string plus the extension of the detected type, in a folder
under `settings.PRIVATE_MEDIA_ROOT` that no URL maps to.
"""

import hashlib
import os
import re
import struct
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from seal_platform.errors import InvalidInput, SealError

CREDENTIALS_FOLDER = "credentials"
ALLOWED_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg")
ORIGINAL_NAME_MAX_LENGTH = 255
STORED_NAME_PATTERN = re.compile(r"[0-9a-f]{32}\.(pdf|png|jpg)")

PDF_SIGNATURE = b"%PDF-"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
# ISO 32000-1:2008 section 7.5.5 puts %%EOF on a PDF's last line. Acrobat accepts it anywhere in
# the last 1024 bytes (Adobe PDF Reference 1.3, appendix H), and so does this check: bytes
# written after the marker, such as padding, do not reject the file.
PDF_EOF_MARKER = b"%%EOF"
PDF_TAIL_BYTES = 1024
HEAD_BYTES = 16

# Exceptions Pillow 13 raises from `open` or `verify` for damaged or hostile images.
PILLOW_ERRORS = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
    IndexError,
    struct.error,
)


@dataclass(frozen=True)
class DocumentType:
    content_type: str
    extension: str
    label: str


PDF = DocumentType("application/pdf", ".pdf", "PDF")
PNG = DocumentType("image/png", ".png", "PNG")
JPEG = DocumentType("image/jpeg", ".jpg", "JPEG")
# The Pillow plugin to open each type with, and the formats it may report: its JPEG plugin
# opens multi-picture JPEGs (common from phone cameras) as MPO.
PILLOW_PLUGIN = {PNG: "PNG", JPEG: "JPEG"}
PILLOW_FORMATS = {PNG: {"PNG"}, JPEG: {"JPEG", "MPO"}}


@dataclass(frozen=True)
class StoredDocument:
    stored_name: str
    path: Path
    size: int
    sha256: str


class CredentialTypeNotAllowed(InvalidInput):
    code = "credential_type_not_allowed"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name!r} is not a PDF, PNG or JPEG file. Upload the document as a PDF, or as a "
            "PNG or JPEG image.",
            fields={"document": ["Only PDF, PNG and JPEG files are accepted."]},
        )


class CredentialExtensionNotAllowed(InvalidInput):
    code = "credential_extension_not_allowed"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name!r} does not end in .pdf, .png, .jpg or .jpeg. Rename the file or save it "
            "as a PDF, PNG or JPEG.",
            fields={"document": ["The file name must end in .pdf, .png, .jpg or .jpeg."]},
        )


class CredentialFileEmpty(InvalidInput):
    code = "credential_file_empty"

    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name!r} is empty. Choose the file again; it may not have finished saving.",
            fields={"document": ["The file is empty."]},
        )


class CredentialTooLarge(SealError):
    code = "credential_too_large"
    status_code = 413

    def __init__(self) -> None:
        limit = max_size_in_megabytes()
        super().__init__(
            f"The document is larger than the {limit} MB limit. Upload a smaller file, for "
            "example a scan at a lower resolution.",
            fields={"document": [f"The maximum size is {limit} MB."]},
        )


def max_size_in_megabytes() -> int:
    """Return the size cap in whole MB (1 MB = 1024 * 1024 bytes), rounded down."""
    return int(settings.CREDENTIAL_MAX_BYTES // (1024 * 1024))


def clean_original_name(name: str) -> str:
    """Return the client's file name without folders, control or format characters.

    Both `/` and `\\` count as folder separators, whatever the server's platform. Format
    characters (Unicode category Cf) include the right-to-left override U+202E, which can make
    a name that ends in `fdp.exe` display as one that ends in `exe.pdf`. The result is cut to
    255 characters, keeping the extension.
    """
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if unicodedata.category(char) not in {"Cc", "Cf"})
    name = name.strip()
    if len(name) > ORIGINAL_NAME_MAX_LENGTH:
        stem, dot, extension = name.rpartition(".")
        if dot and len(extension) < 16:
            keep = ORIGINAL_NAME_MAX_LENGTH - len(extension) - 1
            name = f"{stem[:keep]}.{extension}"
        else:
            name = name[:ORIGINAL_NAME_MAX_LENGTH]
    return name


def name_extension(name: str) -> str:
    """Return the lower-case extension with its dot (`.pdf`), or "" when there is none."""
    stem, dot, extension = name.rpartition(".")
    return f".{extension.lower()}" if dot else ""


def check_document_name(name: str) -> None:
    """Raise CredentialExtensionNotAllowed unless the cleaned name has an allowed extension."""
    if name_extension(name) not in ALLOWED_EXTENSIONS:
        raise CredentialExtensionNotAllowed(name)


def check_document_size(*, name: str, size: int) -> None:
    if size == 0:
        raise CredentialFileEmpty(name)
    if size > settings.CREDENTIAL_MAX_BYTES:
        raise CredentialTooLarge()


def detect_document_type(file: IO[bytes], *, name: str) -> DocumentType:
    """Return the type of the file's bytes, or raise CredentialTypeNotAllowed.

    A PDF must start with `%PDF-` and have `%%EOF` in its last 1024 bytes. A PNG or JPEG must
    start with its signature and pass Pillow's `verify()`. For PNG this reads every chunk and
    checks its CRC. For JPEG, Pillow checks only the markers up to the first scan, so a JPEG
    cut short after its headers is accepted. `name` is used only in the error message. The
    file is left at position 0.
    """
    file.seek(0)
    head = file.read(HEAD_BYTES)
    try:
        if head.startswith(PDF_SIGNATURE):
            if _pdf_has_end_marker(file):
                return PDF
        elif head.startswith(PNG_SIGNATURE):
            if _image_is_valid(file, PNG):
                return PNG
        elif head.startswith(JPEG_SIGNATURE):
            if _image_is_valid(file, JPEG):
                return JPEG
    finally:
        file.seek(0)
    raise CredentialTypeNotAllowed(name)


def _pdf_has_end_marker(file: IO[bytes]) -> bool:
    size = file.seek(0, os.SEEK_END)
    file.seek(max(0, size - PDF_TAIL_BYTES))
    return PDF_EOF_MARKER in file.read(PDF_TAIL_BYTES)


def _image_is_valid(file: IO[bytes], document_type: DocumentType) -> bool:
    file.seek(0)
    try:
        with Image.open(file, formats=[PILLOW_PLUGIN[document_type]]) as image:
            if image.format not in PILLOW_FORMATS[document_type]:
                return False
            image.verify()
    except PILLOW_ERRORS:
        return False
    return True


def credential_folder() -> Path:
    """Return the private folder for credential documents, creating it with mode 0o700."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = root / CREDENTIALS_FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def document_path(stored_name: str) -> Path:
    """Return where a stored document lives.

    Raises ValueError for a name this module did not generate, so that a changed database row
    cannot point the download view at another file.
    """
    if not STORED_NAME_PATTERN.fullmatch(stored_name):
        raise ValueError(f"{stored_name!r} is not a generated credential file name")
    return credential_folder() / stored_name


def store_document(file: IO[bytes], document_type: DocumentType) -> StoredDocument:
    """Copy the file into the private folder under a new random name, with mode 0o600.

    The name is `uuid4().hex` plus the detected type's extension. The file is opened with
    O_EXCL and O_NOFOLLOW, so an existing file or symlink of that name is never written
    through. A partly written file is deleted before the error propagates.
    """
    stored_name = uuid.uuid4().hex + document_type.extension
    path = credential_folder() / stored_name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o600)
    digest = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(descriptor, "wb") as output:
            file.seek(0)
            for chunk in iter(lambda: file.read(64 * 1024), b""):
                digest.update(chunk)
                size += len(chunk)
                output.write(chunk)
            output.flush()
            os.fsync(output.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StoredDocument(stored_name, path, size, digest.hexdigest())


def download_name(*, original_name: str, content_type: str) -> str:
    """Return the name offered on download: the original stem with the detected extension.

    A JPEG uploaded as `photo.png` downloads as `photo.jpg`, so the reader's computer opens it
    with a program for the type it really is.
    """
    document_type = next(
        (known for known in (PDF, PNG, JPEG) if known.content_type == content_type), None
    )
    if document_type is None:
        return original_name
    extension = name_extension(original_name)
    if extension == document_type.extension or (document_type == JPEG and extension == ".jpeg"):
        return original_name
    stem = original_name[: -len(extension)] if extension else original_name
    return f"{stem or 'document'}{document_type.extension}"
