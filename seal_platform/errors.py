"""The SealError family: every error the services raise on purpose.

Each error carries a stable `code`, an HTTP status and a message that names the bad value and
says what to do next. Views and the API render them the same way.
"""

from typing import Any


class SealError(Exception):
    code = "error"
    status_code = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "fields": self.fields}


class InvalidInput(SealError):
    code = "invalid_input"
    status_code = 400


class NotFound(SealError):
    code = "not_found"
    status_code = 404


class Conflict(SealError):
    code = "conflict"
    status_code = 409
