"""Staff pages: the application queue, decisions, approvals and the audit trail."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from experts.forms import ApproveForm, ReasonForm
from experts.models import ApplicationStatus, AuditAction
from experts.permissions import staff_required
from experts.selectors.application import (
    application_has_passed_test,
    application_has_verified_credential,
)
from experts.selectors.qualification import qualification_test_get_for_application
from experts.selectors.staff import (
    applicant_history,
    application_get_for_staff,
    application_list_queue,
    approval_get,
    approval_list,
    audit_list,
)
from experts.services.application import application_assign, application_reject
from experts.services.approval import (
    DEFAULT_APPROVAL_DAYS,
    approval_reinstate,
    approval_revoke,
    approval_suspend,
    expert_approve,
    reviewer_role_set,
)
from seal_platform.errors import NotFound, SealError

APPROVE_DATE_INVALID = (
    "{value!r} is not a valid expiry date and time. Nothing was approved. Pick a date and time "
    "in the expiry field, or leave it empty to use the domain's default validity."
)


def _run(request: HttpRequest, action: Callable[[], Any], success: str) -> None:
    """Run one service call and report its outcome as a page message."""
    try:
        action()
    except SealError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)


def _reason(request: HttpRequest) -> str:
    form = ReasonForm(request.POST)
    return str(form.cleaned_data["reason"]) if form.is_valid() else ""


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", ApplicationStatus.SUBMITTED)
    if status not in ApplicationStatus.values:
        status = ApplicationStatus.SUBMITTED
    context = {
        "applications": application_list_queue(status=status),
        "status": status,
        "statuses": ApplicationStatus.choices,
    }
    return render(request, "experts/staff/queue.html", context)


@staff_required
def application(request: HttpRequest, application_id: int) -> HttpResponse:
    try:
        found = application_get_for_staff(application_id=application_id)
    except NotFound as error:
        raise Http404(error.message) from error
    is_assigned_to_me = found.assigned_staff_id == request.user.pk
    test = qualification_test_get_for_application(application=found)
    context = {
        "application": found,
        "credentials": found.credentials.order_by("uploaded_at"),
        "attempts": found.attempts.order_by("number"),
        "history": applicant_history(user=found.applicant),
        "is_assigned_to_me": is_assigned_to_me,
        "may_decide": is_assigned_to_me or request.user.is_superuser,
        "has_verified_credential": application_has_verified_credential(application=found),
        "has_passed_test": application_has_passed_test(application=found),
        "approval_days": (
            test.approval_valid_for.days if test is not None else DEFAULT_APPROVAL_DAYS
        ),
        "approve_form": ApproveForm(),
    }
    return render(request, "experts/staff/application.html", context)


def _staff_application(application_id: int) -> Any:
    try:
        return application_get_for_staff(application_id=application_id)
    except NotFound as error:
        raise Http404(error.message) from error


@require_POST
@staff_required
def application_claim(request: HttpRequest, application_id: int) -> HttpResponse:
    found = _staff_application(application_id)
    _run(
        request,
        lambda: application_assign(application=found, staff_user=request.user),
        f"Application {found.pk} is assigned to you.",
    )
    return redirect("experts:staff-application", application_id=found.pk)


@require_POST
@staff_required
def application_approve(request: HttpRequest, application_id: int) -> HttpResponse:
    found = _staff_application(application_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        # Approving with the default validity would silently replace the date staff typed.
        messages.error(request, APPROVE_DATE_INVALID.format(value=request.POST.get("expires_at")))
        return redirect("experts:staff-application", application_id=found.pk)
    expires_at = form.cleaned_data["expires_at"]
    _run(
        request,
        lambda: expert_approve(application=found, staff_user=request.user, expires_at=expires_at),
        f"{found.applicant.username} is approved in {found.domain.name}.",
    )
    return redirect("experts:staff-application", application_id=found.pk)


@require_POST
@staff_required
def application_reject_view(request: HttpRequest, application_id: int) -> HttpResponse:
    found = _staff_application(application_id)
    _run(
        request,
        lambda: application_reject(
            application=found, staff_user=request.user, reason=_reason(request)
        ),
        f"Application {found.pk} is rejected.",
    )
    return redirect("experts:staff-application", application_id=found.pk)


@staff_required
def approvals(request: HttpRequest) -> HttpResponse:
    domain = request.GET.get("domain") or None
    context = {"approvals": approval_list(domain_slug=domain), "domain": domain or ""}
    return render(request, "experts/staff/approvals.html", context)


APPROVAL_ACTIONS: dict[str, tuple[Callable[..., Any], str]] = {
    "suspend": (approval_suspend, "suspended"),
    "reinstate": (approval_reinstate, "reinstated"),
    "revoke": (approval_revoke, "revoked"),
}


@require_POST
@staff_required
def approval_change(request: HttpRequest, approval_id: int, action: str) -> HttpResponse:
    try:
        approval = approval_get(approval_id=approval_id)
    except NotFound as error:
        raise Http404(error.message) from error
    reason = _reason(request)
    if action in APPROVAL_ACTIONS:
        service, done = APPROVAL_ACTIONS[action]
        _run(
            request,
            lambda: service(approval=approval, staff_user=request.user, reason=reason),
            f"Approval of {approval.expert.username} in {approval.domain.name} is {done}.",
        )
    elif action in ("grant-reviewer", "remove-reviewer"):
        is_reviewer = action == "grant-reviewer"
        _run(
            request,
            lambda: reviewer_role_set(
                approval=approval, staff_user=request.user, is_reviewer=is_reviewer, reason=reason
            ),
            f"Reviewer role of {approval.expert.username} in {approval.domain.name} is "
            f"{'granted' if is_reviewer else 'removed'}.",
        )
    else:
        raise Http404(f"Unknown action {action!r}.")
    return redirect("experts:staff-approvals")


@staff_required
def audit(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action") or None
    entries = audit_list(action=action)[:500]
    context = {"entries": entries, "action": action or "", "actions": AuditAction.choices}
    return render(request, "experts/staff/audit.html", context)
