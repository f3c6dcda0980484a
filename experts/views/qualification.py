"""Qualification test pages, where applicants start, take and submit an attempt and see its
total, and staff grant extra attempts.

Prompts and responses are untrusted text. The templates print them autoescaped inside
`.response` blocks, whose CSS keeps line breaks, and never mark them safe.
"""

from datetime import datetime, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from experts.models import (
    ApplicationStatus,
    AttemptStatus,
    DomainApplication,
    QualificationAttempt,
)
from experts.permissions import staff_required
from experts.selectors.application import (
    ApplicationNotFound,
    application_get_for_applicant,
    application_has_verified_credential,
)
from experts.selectors.qualification import (
    AttemptNotFound,
    AttemptView,
    attempt_allowance_get,
    attempt_get_for_applicant,
    attempt_list_for_application,
    attempt_view_for_applicant,
    qualification_test_get_for_application,
)
from experts.selectors.staff import application_get_for_staff
from experts.services.qualification import (
    AttemptItemsBlank,
    attempt_abandon_if_expired,
    attempt_save_answers,
    attempt_start,
    attempt_submit,
    extra_attempt_grant,
)
from seal_platform.errors import NotFound, SealError
from seal_platform.verdict import Verdict


@login_required
@require_http_methods(["GET", "POST"])
def qualification_start(request: HttpRequest, application_id: int) -> HttpResponse:
    """Show the test's rules and the application's attempts, and start the next attempt."""
    application = _application_or_404(request, application_id)

    status = 200
    if request.method == "POST":
        try:
            attempt = attempt_start(application=application, user=request.user)
        except SealError as error:
            messages.error(request, error.message)
            status = error.status_code
        else:
            return redirect("experts:attempt", attempt_id=attempt.pk)

    allowance = attempt_allowance_get(application=application)
    if allowance is not None and allowance.in_progress is not None:
        if attempt_abandon_if_expired(attempt=allowance.in_progress):
            allowance = attempt_allowance_get(application=application)
    test = qualification_test_get_for_application(application=application)
    opens_at = allowance.opens_at if allowance else None
    context = {
        "application": application,
        "test": test,
        "pass_mark": _percent(test.pass_mark) if test else "",
        "attempt_duration": _duration_text(test.attempt_duration) if test else "",
        "wait_between_attempts": _duration_text(test.wait_between_attempts) if test else "",
        "allowance": allowance,
        "is_waiting": bool(opens_at and opens_at > timezone.now()),
        "opens_at": opens_at,
        "opens_at_minute": _next_whole_minute(opens_at) if opens_at else None,
        "is_open": application.status == ApplicationStatus.SUBMITTED,
        "has_verified_credential": application_has_verified_credential(application=application),
        "attempts": attempt_list_for_application(application=application),
    }
    return render(request, "experts/qualification/start.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def attempt_detail(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Show the attempt's items while it is in progress, and its total once graded."""
    attempt = _attempt_or_404(request, attempt_id)
    attempt_abandon_if_expired(attempt=attempt)
    return _attempt_page(request, attempt)


@login_required
@require_POST
def attempt_answers(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _attempt_or_404(request, attempt_id)
    try:
        attempt_save_answers(
            attempt=attempt, user=request.user, answers=_posted_answers(request, attempt)
        )
    except SealError as error:
        messages.error(request, error.message)
        return _attempt_page(request, attempt, status=error.status_code)
    messages.success(request, "Answers saved.")
    return redirect("experts:attempt", attempt_id=attempt.pk)


@login_required
@require_POST
def attempt_submit_view(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Save the answers posted with the form, then grade the attempt.

    The answers are saved first, so a submit that has blank items keeps what was chosen.
    """
    attempt = _attempt_or_404(request, attempt_id)
    try:
        answers = _posted_answers(request, attempt)
        if answers:
            attempt_save_answers(attempt=attempt, user=request.user, answers=answers)
        attempt = attempt_submit(attempt=attempt, user=request.user)
    except AttemptItemsBlank as error:
        messages.error(request, error.message)
        return _attempt_page(request, attempt, status=400, blank_positions=error.positions)
    except SealError as error:
        messages.error(request, error.message)
        return _attempt_page(request, attempt, status=error.status_code)
    messages.success(request, f"Attempt {attempt.number} submitted and graded.")
    return redirect("experts:attempt", attempt_id=attempt.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def extra_attempt(request: HttpRequest, application_id: int) -> HttpResponse:
    """Grant one more qualification attempt, with a reason for the audit trail (staff only)."""
    try:
        application = application_get_for_staff(application_id=application_id)
    except NotFound as error:
        raise Http404(error.message) from error

    status = 200
    reason = ""
    if request.method == "POST":
        reason = request.POST.get("reason", "")
        try:
            extra_attempt_grant(application=application, staff_user=request.user, reason=reason)
        except SealError as error:
            messages.error(request, error.message)
            status = error.status_code
        else:
            messages.success(
                request, f"Granted application {application.pk} an extra qualification attempt."
            )
            return redirect("experts:staff-application", application_id=application.pk)

    context = {"application": application, "reason": reason}
    return render(request, "experts/qualification/extra_attempt.html", context, status=status)


def _attempt_page(
    request: HttpRequest,
    attempt: QualificationAttempt,
    *,
    status: int = 200,
    blank_positions: list[int] | None = None,
) -> HttpResponse:
    attempt.refresh_from_db()
    view: AttemptView = attempt_view_for_applicant(attempt=attempt)
    context: dict[str, Any] = {
        "view": view,
        "status_label": AttemptStatus(view.status).label,
        "is_in_progress": view.status == AttemptStatus.IN_PROGRESS,
        "pass_mark": _percent(view.pass_mark),
        "verdicts": Verdict.choices,
        "blank_positions": blank_positions or [],
    }
    return render(request, "experts/qualification/attempt.html", context, status=status)


def _application_or_404(request: HttpRequest, application_id: int) -> DomainApplication:
    try:
        return application_get_for_applicant(user=request.user, application_id=application_id)
    except ApplicationNotFound as error:
        raise Http404(error.message) from error


def _attempt_or_404(request: HttpRequest, attempt_id: int) -> QualificationAttempt:
    try:
        return attempt_get_for_applicant(user=request.user, attempt_id=attempt_id)
    except AttemptNotFound as error:
        raise Http404(error.message) from error


def _posted_answers(request: HttpRequest, attempt: QualificationAttempt) -> dict[int, str]:
    """Read the `answer_<position>` radio fields. An item with no choice is left out."""
    positions = attempt.items.values_list("position", flat=True)
    return {
        position: request.POST[f"answer_{position}"]
        for position in positions
        if f"answer_{position}" in request.POST
    }


def _next_whole_minute(moment: datetime) -> datetime:
    """Round up to a whole minute, so that a time shown without seconds is never too early."""
    truncated = moment.replace(second=0, microsecond=0)
    return truncated if truncated == moment else truncated + timedelta(minutes=1)


def _percent(share: float) -> str:
    return f"{share * 100:g}%"


def _duration_text(duration: timedelta) -> str:
    """Write a duration as days, hours and minutes, leaving out zero parts."""
    minutes = int(duration.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [
        f"{count} {unit}{'' if count == 1 else 's'}"
        for count, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if count
    ]
    return ", ".join(parts) or "no time"
