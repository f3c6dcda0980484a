"""Applicant and expert pages: dashboard, profile, applying, and an application's status."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from experts.forms import ApplyForm, ProfileForm
from experts.models import DomainApproval
from experts.selectors.application import (
    ApplicationNotFound,
    application_get_for_applicant,
    application_has_passed_test,
    application_has_verified_credential,
    application_list_for_applicant,
    application_rejection_reason,
)
from experts.services.access import WorkKind, work_access
from experts.services.account import profile_get_or_create, profile_update
from experts.services.application import application_submit
from seal_platform.errors import SealError


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    approvals = DomainApproval.objects.filter(expert_id=request.user.pk).select_related("domain")
    access = [
        {
            "approval": approval,
            "judge": work_access(user=request.user, domain=approval.domain, kind=WorkKind.JUDGE),
            "review": work_access(user=request.user, domain=approval.domain, kind=WorkKind.REVIEW),
        }
        for approval in approvals
    ]
    context = {
        "profile": profile_get_or_create(user=request.user),
        "applications": application_list_for_applicant(user=request.user),
        "access": access,
    }
    return render(request, "experts/dashboard.html", context)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    current = profile_get_or_create(user=request.user)
    initial = {
        "display_name": current.display_name,
        "degrees": current.degrees,
        "employment": current.employment,
        "languages": current.languages,
        "years_of_practice": current.years_of_practice,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            profile_update(user=request.user, **form.cleaned_data)
        except SealError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Qualifications saved.")
            return redirect("experts:dashboard")
    return render(request, "experts/profile.html", {"form": form})


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    form = ApplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = application_submit(
                user=request.user,
                domains=list(form.cleaned_data["domains"]),
                statement=form.cleaned_data["statement"],
            )
        except SealError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _applied_message([item.domain.name for item in created]))
            return redirect("experts:application", application_id=created[0].pk)
    return render(request, "experts/apply.html", {"form": form})


def _applied_message(domain_names: list[str]) -> str:
    if len(domain_names) == 1:
        return f"Applied for {domain_names[0]}. Next, upload a credential for staff to verify."
    return (
        f"Applied for {', '.join(domain_names)}. Each application needs its own credential. "
        f"This page is the one for {domain_names[0]}. Open the others from My account."
    )


@login_required
def application_detail(request: HttpRequest, application_id: int) -> HttpResponse:
    try:
        application = application_get_for_applicant(
            user=request.user, application_id=application_id
        )
    except ApplicationNotFound as error:
        raise Http404(error.message) from error
    context = {
        "application": application,
        "credentials": application.credentials.order_by("uploaded_at"),
        "attempts": application.attempts.order_by("number"),
        "has_verified_credential": application_has_verified_credential(application=application),
        "has_passed_test": application_has_passed_test(application=application),
        "rejection_reason": application_rejection_reason(application=application),
    }
    return render(request, "experts/application.html", context)
