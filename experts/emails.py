"""Emails to applicants, sent through Django's email backend after the decision commits."""

import logging
from typing import Any

from django.core.mail import send_mail
from django.db import transaction

logger = logging.getLogger(__name__)


def _send(subject: str, body: str, recipient: str, event: str, ids: dict[str, Any]) -> None:
    if not recipient:
        logger.info("experts.email.skipped", extra={"event": event, **ids})
        return
    send_mail(subject, body, None, [recipient])
    logger.info("experts.email.sent", extra={"event": event, **ids})


def queue_email(
    *, subject: str, body: str, recipient: str, event: str, ids: dict[str, Any]
) -> None:
    """Send once the surrounding transaction commits, so a rolled-back decision sends nothing."""
    transaction.on_commit(lambda: _send(subject, body, recipient, event, ids))
