"""Test documents: small valid PDF, PNG and JPEG files, and multipart bodies built by hand.

The hand-built bodies let a test send a file name that Django's test client would shorten
with `os.path.basename`, and a large body that is produced as it is read instead of being
held in memory.
"""

import io
from collections.abc import Iterator
from typing import Any

from PIL import Image

BOUNDARY = "SealCredentialTestBoundary"
MULTIPART_CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
HTML_BYTES = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def image_bytes(image_format: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


class NamedBytes(io.BytesIO):
    """An in-memory file with the client's file name exactly as given, path parts included."""

    def __init__(self, content: bytes, name: str) -> None:
        super().__init__(content)
        self.name = name
        self.size = len(content)


def multipart_head(*, fields: dict[str, str], file_name: str, file_type: str) -> bytes:
    """Return the form fields and the document part's headers, up to its first content byte."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(
        f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
        f'name="document"; filename="{file_name}"\r\nContent-Type: {file_type}\r\n\r\n'
    )
    return "".join(parts).encode()


def multipart_tail() -> bytes:
    return f"\r\n--{BOUNDARY}--\r\n".encode()


def multipart_body(
    *, fields: dict[str, str], file_name: str, file_type: str, content: bytes
) -> bytes:
    head = multipart_head(fields=fields, file_name=file_name, file_type=file_type)
    return head + content + multipart_tail()


class GeneratedBody(io.RawIOBase):
    """A request body of `head`, then `filler_size` bytes of b"0", then `tail`.

    The filler is produced as it is read, so a 60 MB body costs no 60 MB of memory.
    `bytes_read` counts what the server read.
    """

    def __init__(self, *, head: bytes, filler_size: int, tail: bytes) -> None:
        super().__init__()
        self.head = head
        self.filler_size = filler_size
        self.tail = tail
        self.length = len(head) + filler_size + len(tail)
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        remaining = self.length - self.bytes_read
        count = remaining if size is None or size < 0 else min(size, remaining)
        chunk = b"".join(self._produce(self.bytes_read, count))
        self.bytes_read += len(chunk)
        return chunk

    def readline(self, size: int | None = -1) -> bytes:
        raise NotImplementedError("multipart parsing reads fixed-size chunks only")

    def _produce(self, start: int, count: int) -> Iterator[bytes]:
        end = start + count
        filler_start = len(self.head)
        tail_start = filler_start + self.filler_size
        if start < filler_start:
            yield self.head[start : min(end, filler_start)]
        if end > filler_start and start < tail_start:
            yield b"0" * (min(end, tail_start) - max(start, filler_start))
        if end > tail_start:
            yield self.tail[max(start, tail_start) - tail_start : end - tail_start]


def generated_request(body: GeneratedBody) -> dict[str, Any]:
    """Return WSGI environ entries that make the test client read `body` as the request."""
    return {
        "CONTENT_TYPE": MULTIPART_CONTENT_TYPE,
        "CONTENT_LENGTH": str(body.length),
        "wsgi.input": body,
    }
