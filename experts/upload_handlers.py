"""Refuse credential uploads over the size cap while they stream, keeping no partial file."""

from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

# Room for the multipart boundaries and form fields around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024
TOO_LARGE_ATTRIBUTE = "upload_refused_as_too_large"


def upload_was_too_large(request: Any) -> bool:
    return bool(getattr(request, TOO_LARGE_ATTRIBUTE, False))


class CredentialSizeLimitHandler(FileUploadHandler):
    """First in FILE_UPLOAD_HANDLERS: counts bytes and stops the upload past the cap.

    A declared Content-Length over the cap is refused before any byte is read. Otherwise the
    running count of file bytes is checked chunk by chunk and the upload is stopped with
    StopUpload, after which Django closes (and so deletes) the temporary file. The view reads
    `upload_was_too_large(request)` to tell the user.
    """

    def _refuse(self) -> None:
        if self.request is not None:
            setattr(self.request, TOO_LARGE_ATTRIBUTE, True)

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],  # noqa: N803 (Django's name for this argument)
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> tuple[QueryDict, MultiValueDict[str, Any]] | None:
        if content_length > settings.CREDENTIAL_MAX_BYTES + MULTIPART_OVERHEAD_BYTES:
            self._refuse()
            return QueryDict(), MultiValueDict()
        return None

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.CREDENTIAL_MAX_BYTES:
            self._refuse()
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
