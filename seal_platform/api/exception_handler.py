"""One DRF exception handler: every error body is {"error": {"code", "message", "fields"}}."""

import logging
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from seal_platform.errors import SealError

logger = logging.getLogger(__name__)


def _messages(detail: Any, prefix: str, into: dict[str, list[str]]) -> None:
    """Flatten nested DRF error details into "field.sub" keys holding plain strings."""
    if isinstance(detail, dict):
        for name, value in detail.items():
            _messages(value, f"{prefix}.{name}" if prefix else str(name), into)
    elif isinstance(detail, list):
        for item in detail:
            _messages(item, prefix, into)
    else:
        into.setdefault(prefix or "non_field_errors", []).append(str(detail))


def _fields_from_detail(detail: Any) -> dict[str, list[str]]:
    if not isinstance(detail, dict):
        return {}
    fields: dict[str, list[str]] = {}
    _messages(detail, "", fields)
    return fields


def _message_from_detail(detail: Any) -> str:
    if isinstance(detail, dict):
        return "Some fields are invalid; see `fields` for each one."
    if isinstance(detail, list):
        return " ".join(str(item) for item in detail)
    return str(detail)


def seal_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, SealError):
        return Response({"error": exc.as_dict()}, status=exc.status_code)

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        detail = exc.detail
        response.data = {
            "error": {
                "code": exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code,
                "message": _message_from_detail(detail),
                "fields": _fields_from_detail(detail),
            }
        }
        return response

    request_id = uuid.uuid4().hex
    logger.exception("seal_platform.api.unhandled_error", extra={"request_id": request_id})
    return Response(
        {
            "error": {
                "code": "server_error",
                "message": f"Internal error; quote request ID {request_id} when reporting it.",
                "fields": {},
            }
        },
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
