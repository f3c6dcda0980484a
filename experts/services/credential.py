"""Writes of credentials: an applicant uploads a document, the assigned staff member decides.

Each function runs in one transaction, checks everything before its first write and records an
audit entry in that transaction. An upload never leaves a file without a row or a row without
a file: the file is written inside the transaction and deleted again if the transaction fails.
"""

import logging
from typing import IO, Any

from django.db import transaction
from django.utils import timezone

from experts.credential_files import (
    StoredDocument,
    check_document_name,
    check_document_size,
    clean_original_name,
    detect_document_type,
    store_document,
)
from experts.models import (
    ApplicationStatus,
    AuditAction,
    Credential,
    CredentialKind,
    CredentialStatus,
    DomainApplication,
)
from experts.roles import is_staff_member
from experts.selectors.application import ApplicationNotFound
from experts.selectors.credential import is_assigned_staff
from experts.services.audit import audit_record
from seal_platform.errors import Conflict, InvalidInput, SealError

logger = logging.getLogger(__name__)

TITLE_MAX_LENGTH = 300
ISSUER_MAX_LENGTH = 300
REASON_MAX_LENGTH = 2000
# Caps the private storage one application can fill: 20 documents of at most
# CREDENTIAL_MAX_BYTES each.
MAX_CREDENTIALS_PER_APPLICATION = 20


class CredentialFieldsInvalid(InvalidInput):
    code = "credential_fields_invalid"

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(
            "Some credential details are missing or invalid; see the message under each field.",
            fields=fields,
        )


class CredentialApplicationClosed(Conflict):
    code = "credential_application_closed"

    def __init__(self, application: DomainApplication) -> None:
        super().__init__(
            f"Application {application.pk} is {application.get_status_display().lower()}, so "
            "no more credentials can be added to it. Credentials can be uploaded only while "
            "an application is submitted."
        )


class CredentialLimitReached(Conflict):
    code = "credential_limit_reached"

    def __init__(self, application: DomainApplication) -> None:
        super().__init__(
            f"Application {application.pk} already has {MAX_CREDENTIALS_PER_APPLICATION} "
            "credentials, the maximum. Combine several documents into one PDF instead."
        )


class CredentialReviewNotAllowed(SealError):
    code = "credential_review_not_allowed"
    status_code = 403


class CredentialAlreadyDecided(Conflict):
    code = "credential_already_decided"

    def __init__(self, credential: Credential) -> None:
        super().__init__(
            f"Credential {credential.pk} is already {credential.status}. A credential is "
            "decided once; the applicant can upload a new document for another review."
        )


class CredentialReasonRequired(InvalidInput):
    code = "credential_reason_required"

    def __init__(self, credential: Credential) -> None:
        super().__init__(
            f"Give a reason for rejecting credential {credential.pk}. The applicant sees it "
            "and can upload a corrected document.",
            fields={"reason": ["A reason is required to reject a credential."]},
        )


class CredentialReasonTooLong(InvalidInput):
    code = "credential_reason_too_long"

    def __init__(self, length: int) -> None:
        super().__init__(
            f"The reason is {length} characters long; the maximum is {REASON_MAX_LENGTH}. "
            "Shorten it.",
            fields={"reason": [f"At most {REASON_MAX_LENGTH} characters."]},
        )


def _clean_upload_fields(*, kind: str, title: str, issuer: str) -> tuple[str, str]:
    """Return the stripped title and issuer, or raise CredentialFieldsInvalid."""
    title = title.strip()
    issuer = issuer.strip()
    errors: dict[str, list[str]] = {}
    if kind not in CredentialKind.values:
        allowed = ", ".join(CredentialKind.values)
        errors["kind"] = [f"{kind!r} is not a credential kind. Use one of: {allowed}."]
    if not title:
        errors["title"] = ["Enter a title, such as the degree or license name."]
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = [f"At most {TITLE_MAX_LENGTH} characters."]
    if len(issuer) > ISSUER_MAX_LENGTH:
        errors["issuer"] = [f"At most {ISSUER_MAX_LENGTH} characters."]
    if errors:
        raise CredentialFieldsInvalid(errors)
    return title, issuer


def _lock_application_for_upload(*, application_id: int, actor: Any) -> DomainApplication:
    application = (
        DomainApplication.objects.select_for_update()
        .select_related("domain")
        .get(pk=application_id)
    )
    if application.applicant_id != actor.pk:
        raise ApplicationNotFound(application_id)
    if application.status != ApplicationStatus.SUBMITTED:
        raise CredentialApplicationClosed(application)
    if application.credentials.count() >= MAX_CREDENTIALS_PER_APPLICATION:
        raise CredentialLimitReached(application)
    return application


def credential_upload(
    *,
    application: DomainApplication,
    uploaded_file: IO[bytes],
    kind: str,
    title: str,
    issuer: str,
    actor: Any,
) -> Credential:
    """Store an applicant's document for their own submitted application, pending review.

    Raises CredentialExtensionNotAllowed, CredentialTypeNotAllowed, CredentialFileEmpty,
    CredentialTooLarge, CredentialFieldsInvalid, ApplicationNotFound (the actor is not the
    applicant), CredentialApplicationClosed or CredentialLimitReached, in each case with
    nothing written. `uploaded_file` needs a `name`, and a `size` when it has one (Django's
    UploadedFile does).

    Uses `transaction.atomic(durable=True)`, so it raises RuntimeError inside another
    transaction: an outer rollback would otherwise leave the file without its row.
    """
    raw_name = str(getattr(uploaded_file, "name", "") or "")
    original_name = clean_original_name(raw_name)
    check_document_name(original_name)
    title, issuer = _clean_upload_fields(kind=kind, title=title, issuer=issuer)
    size = getattr(uploaded_file, "size", None)
    if size is None:
        size = uploaded_file.seek(0, 2)
    check_document_size(name=original_name, size=size)
    document_type = detect_document_type(uploaded_file, name=original_name)

    stored: StoredDocument | None = None
    try:
        with transaction.atomic(durable=True):
            application = _lock_application_for_upload(application_id=application.pk, actor=actor)
            stored = store_document(uploaded_file, document_type)
            credential = Credential.objects.create(
                owner=actor,
                application=application,
                kind=kind,
                title=title,
                issuer=issuer,
                stored_name=stored.stored_name,
                original_name=original_name,
                content_type=document_type.content_type,
                size=stored.size,
                sha256=stored.sha256,
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREDENTIAL_UPLOADED,
                subject=actor,
                target=credential,
                domain=application.domain,
                details={
                    "application_id": application.pk,
                    "content_type": credential.content_type,
                    "size": credential.size,
                    "sha256": credential.sha256,
                },
            )
    except BaseException:
        if stored is not None:
            stored.path.unlink(missing_ok=True)
        raise
    # NOTE: a process killed between the file write and the commit leaves a file with no row.
    # Such files have names that match no `stored_name` and are never served.

    logger.info(
        "experts.credential.uploaded",
        extra={
            "credential_id": credential.pk,
            "application_id": application.pk,
            "content_type": credential.content_type,
            "size": credential.size,
        },
    )
    return credential


def _check_may_decide(*, credential: Credential, staff_user: Any) -> None:
    application = credential.application
    if credential.owner_id == staff_user.pk:
        raise CredentialReviewNotAllowed(
            f"Credential {credential.pk} is your own. Another staff member must verify or "
            "reject it."
        )
    if is_assigned_staff(user=staff_user, application=application):
        return
    if not is_staff_member(staff_user):
        raise CredentialReviewNotAllowed("Only staff may verify or reject credentials.")
    if application.assigned_staff_id is None:
        raise CredentialReviewNotAllowed(
            f"Application {application.pk} has no assigned staff member. Assign it to "
            f"yourself before deciding credential {credential.pk}."
        )
    raise CredentialReviewNotAllowed(
        f"Application {application.pk} is assigned to another staff member. Only the "
        f"assigned staff member may verify or reject credential {credential.pk}."
    )


def _decide(
    *, credential: Credential, staff_user: Any, reason: str, status: CredentialStatus
) -> Credential:
    reason = reason.strip()
    with transaction.atomic():
        locked = (
            Credential.objects.select_for_update(of=("self",))
            .select_related("application", "application__domain")
            .get(pk=credential.pk)
        )
        _check_may_decide(credential=locked, staff_user=staff_user)
        if locked.status != CredentialStatus.PENDING:
            raise CredentialAlreadyDecided(locked)
        if status == CredentialStatus.REJECTED and not reason:
            raise CredentialReasonRequired(locked)
        if len(reason) > REASON_MAX_LENGTH:
            raise CredentialReasonTooLong(len(reason))

        locked.status = status
        locked.reviewed_by = staff_user
        locked.reviewed_at = timezone.now()
        locked.review_reason = reason
        locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_reason"])
        audit_record(
            actor=staff_user,
            action=(
                AuditAction.CREDENTIAL_VERIFIED
                if status == CredentialStatus.VERIFIED
                else AuditAction.CREDENTIAL_REJECTED
            ),
            subject=locked.owner,
            target=locked,
            domain=locked.application.domain,
            reason=reason,
            details={"application_id": locked.application_id},
        )

    logger.info(
        "experts.credential.decided",
        extra={"credential_id": locked.pk, "status": status, "staff_user_id": staff_user.pk},
    )
    return locked


def credential_verify(*, credential: Credential, staff_user: Any, reason: str) -> Credential:
    """Mark a pending credential verified; the reason is optional.

    Only the staff member assigned to the application, or a superuser, may decide, and never
    on their own credential (CredentialReviewNotAllowed, 403). A credential already verified
    or rejected raises CredentialAlreadyDecided. Returns the updated row.
    """
    return _decide(
        credential=credential,
        staff_user=staff_user,
        reason=reason,
        status=CredentialStatus.VERIFIED,
    )


def credential_reject(*, credential: Credential, staff_user: Any, reason: str) -> Credential:
    """Mark a pending credential rejected; the reason is required and shown to the applicant.

    Raises the same errors as `credential_verify`, and CredentialReasonRequired for an empty
    or blank reason.
    """
    return _decide(
        credential=credential,
        staff_user=staff_user,
        reason=reason,
        status=CredentialStatus.REJECTED,
    )
