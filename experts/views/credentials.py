"""Credential pages: an applicant uploads documents, the assigned staff member decides.

Documents are served only by `credential_document`, as attachments, after the same check the
API makes; no static or media URL points at them.
"""

import logging
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from experts.credential_files import (
    CredentialTooLarge,
    document_path,
    download_name,
    max_size_in_megabytes,
)
from experts.models import Credential, CredentialKind, CredentialStatus, DomainApplication
from experts.permissions import staff_required
from experts.selectors.application import ApplicationNotFound, application_get_for_applicant
from experts.selectors.credential import (
    CredentialNotFound,
    credential_get_for_download,
    credential_get_for_staff,
    credential_may_open,
    is_assigned_staff,
)
from experts.services.credential import (
    ISSUER_MAX_LENGTH,
    REASON_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    credential_reject,
    credential_upload,
    credential_verify,
)
from experts.upload_handlers import upload_was_too_large
from seal_platform.errors import InvalidInput, SealError

logger = logging.getLogger(__name__)

# A document that a browser opens anyway (despite the attachment disposition) runs no script,
# loads nothing and gets a unique origin.
DOCUMENT_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox"
UPLOAD_FORM_INVALID = InvalidInput(
    "The credential was not uploaded: some fields are missing or invalid. See the message under "
    "each field."
)


class CredentialUploadForm(forms.Form):
    """Parses the upload form; `credential_upload` checks the values and the file's bytes."""

    kind = forms.ChoiceField(choices=CredentialKind.choices)
    title = forms.CharField(
        max_length=TITLE_MAX_LENGTH, help_text="For example: MD, Spanish C2 certificate."
    )
    issuer = forms.CharField(
        max_length=ISSUER_MAX_LENGTH,
        required=False,
        help_text="University, licensing board or employer.",
    )
    document = forms.FileField(allow_empty_file=True)


def credential_document_response(credential: Credential) -> FileResponse:
    """Build the download response: an attachment of the detected type, never cached."""
    response = FileResponse(
        document_path(credential.stored_name).open("rb"),
        as_attachment=True,
        filename=download_name(
            original_name=credential.original_name, content_type=credential.content_type
        ),
        content_type=credential.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = DOCUMENT_CONTENT_SECURITY_POLICY
    return response


def _own_application(request: HttpRequest, application_id: int) -> DomainApplication:
    try:
        return application_get_for_applicant(user=request.user, application_id=application_id)
    except ApplicationNotFound as error:
        raise Http404(error.message) from error


def _log_rejected_upload(
    request: HttpRequest, application: DomainApplication, error: SealError
) -> None:
    logger.info(
        "experts.credential.upload_rejected",
        extra={"code": error.code, "application_id": application.pk, "user_id": request.user.pk},
    )


def _render_upload(
    request: HttpRequest,
    application: DomainApplication,
    form: CredentialUploadForm,
    *,
    error: SealError | None = None,
) -> HttpResponse:
    context = {
        "application": application,
        "credentials": application.credentials.order_by("uploaded_at", "id"),
        "form": form,
        "error": error,
        "max_megabytes": max_size_in_megabytes(),
    }
    status = error.status_code if error is not None else 200
    return render(request, "experts/credentials/upload.html", context, status=status)


@csrf_protect
def _credential_upload_submit(request: HttpRequest, application: DomainApplication) -> HttpResponse:
    form = CredentialUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_upload(request, application, form, error=UPLOAD_FORM_INVALID)
    try:
        credential = credential_upload(
            application=application,
            uploaded_file=form.cleaned_data["document"],
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            issuer=form.cleaned_data["issuer"],
            actor=request.user,
        )
    except SealError as error:
        _log_rejected_upload(request, application, error)
        for field, field_messages in error.fields.items():
            form.add_error(field if field in form.fields else None, field_messages)
        return _render_upload(request, application, form, error=error)
    messages.success(
        request,
        f"Uploaded {credential.original_name}. The staff member reviewing your application "
        "will verify it.",
    )
    return redirect("experts:application", application_id=application.pk)


# CSRF is checked in `_credential_upload_submit`, after the body is parsed. An upload rejected
# for its Content-Length has no form fields and so no token to check. It gets the 413 page and
# changes nothing, so skipping the check there gives a forged request nothing.
@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def credential_upload_view(request: HttpRequest, application_id: int) -> HttpResponse:
    application = _own_application(request, application_id)
    if request.method != "POST":
        return _render_upload(request, application, CredentialUploadForm())

    request.FILES  # noqa: B018 (parses the body, which runs the size-limit upload handler)
    if upload_was_too_large(request):
        error = CredentialTooLarge()
        _log_rejected_upload(request, application, error)
        return _render_upload(request, application, CredentialUploadForm(), error=error)
    return _credential_upload_submit(request, application)


@login_required
@require_GET
def credential_document(request: HttpRequest, credential_id: int) -> FileResponse:
    try:
        credential = credential_get_for_download(user=request.user, credential_id=credential_id)
    except CredentialNotFound as error:
        raise Http404(error.message) from error
    return credential_document_response(credential)


def _staff_credential(request: HttpRequest, credential_id: int) -> Credential:
    try:
        return credential_get_for_staff(user=request.user, credential_id=credential_id)
    except CredentialNotFound as error:
        raise Http404(error.message) from error


def _log_rejected_decision(request: HttpRequest, credential: Credential, error: SealError) -> None:
    logger.info(
        "experts.credential.decision_rejected",
        extra={"code": error.code, "credential_id": credential.pk, "user_id": request.user.pk},
    )


def _render_review(
    request: HttpRequest, credential: Credential, *, error: SealError | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "credential": credential,
        "application": credential.application,
        "may_open": credential_may_open(user=request.user, credential=credential),
        "may_decide": (
            credential.status == CredentialStatus.PENDING
            and credential.owner_id != request.user.pk
            and is_assigned_staff(user=request.user, application=credential.application)
        ),
        "error": error,
        "reason": request.POST.get("reason", "") if request.method == "POST" else "",
        "reason_max_length": REASON_MAX_LENGTH,
    }
    status = error.status_code if error is not None else 200
    return render(request, "experts/credentials/review.html", context, status=status)


@require_GET
@staff_required
def credential_review(request: HttpRequest, credential_id: int) -> HttpResponse:
    return _render_review(request, _staff_credential(request, credential_id))


@require_POST
@staff_required
def credential_verify_view(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = _staff_credential(request, credential_id)
    try:
        credential_verify(
            credential=credential,
            staff_user=request.user,
            reason=str(request.POST.get("reason", "")),
        )
    except SealError as error:
        _log_rejected_decision(request, credential, error)
        return _render_review(request, credential, error=error)
    messages.success(request, f"Credential {credential.pk} ({credential.title}) is verified.")
    return redirect("experts:staff-application", application_id=credential.application_id)


@require_POST
@staff_required
def credential_reject_view(request: HttpRequest, credential_id: int) -> HttpResponse:
    credential = _staff_credential(request, credential_id)
    try:
        credential_reject(
            credential=credential,
            staff_user=request.user,
            reason=str(request.POST.get("reason", "")),
        )
    except SealError as error:
        _log_rejected_decision(request, credential, error)
        return _render_review(request, credential, error=error)
    messages.success(request, f"Credential {credential.pk} ({credential.title}) is rejected.")
    return redirect("experts:staff-application", application_id=credential.application_id)
