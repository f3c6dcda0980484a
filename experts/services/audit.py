"""Append entries to the audit trail. Callers run this inside their own transaction."""

from typing import Any

from experts.models import AuditAction, AuditEntry, Domain


def audit_record(
    *,
    actor: Any,
    action: AuditAction,
    subject: Any,
    target: Any = None,
    domain: Domain | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record one decision; `target` is the model instance it was about, if any."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        subject=subject,
        domain=domain,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=target.pk if target is not None else None,
        reason=reason,
        details=details or {},
    )
