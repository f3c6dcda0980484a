"""Reviewer pages: take the next judgment to review and decide on it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from annotation.models import ReviewDecision
from annotation.selectors_review import review_view
from annotation.services.assignment import WorkNotAllowed
from annotation.services.review import (
    ReviewTaskNotFound,
    review_decide,
    review_next,
    review_task_get_for_reviewer,
)
from experts.models import DomainApproval
from experts.selectors.domain import DomainNotFound, domain_get_by_slug
from experts.services.access import WorkKind, work_access
from seal_platform.errors import SealError
from seal_platform.verdict import Verdict


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=ReviewDecision.choices, widget=forms.RadioSelect)
    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    corrected_verdict = forms.ChoiceField(
        choices=[("", "keep the author's verdict"), *Verdict.choices],
        required=False,
        help_text="Only when accepting: correct the overall verdict.",
    )


@login_required
def review_index(request: HttpRequest) -> HttpResponse:
    approvals = DomainApproval.objects.filter(expert_id=request.user.pk).select_related("domain")
    rows = [
        {
            "domain": approval.domain,
            "access": work_access(user=request.user, domain=approval.domain, kind=WorkKind.REVIEW),
        }
        for approval in approvals
    ]
    return render(request, "annotation/review/index.html", {"rows": rows})


@login_required
def review_take(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        domain = domain_get_by_slug(slug=slug)
        task = review_next(reviewer=request.user, domain=domain)
    except DomainNotFound as error:
        raise Http404(error.message) from error
    except WorkNotAllowed as error:
        return render(request, "annotation/not_allowed.html", {"reason": error.message}, status=403)
    if task is None:
        return render(request, "annotation/review/empty.html", {"domain": domain})
    return redirect("annotation:review-task", task_id=task.pk)


@login_required
def review_task(request: HttpRequest, task_id: int) -> HttpResponse:
    try:
        task = review_task_get_for_reviewer(reviewer=request.user, task_id=task_id)
    except ReviewTaskNotFound as error:
        raise Http404(error.message) from error
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        corrected = form.cleaned_data["corrected_verdict"]
        try:
            review_decide(
                reviewer=request.user,
                task_id=task.pk,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                changes={"verdict": corrected} if corrected else None,
            )
        except SealError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Decision saved.")
            return redirect("annotation:review-take", slug=task.judgment.domain.slug)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "annotation/review/task.html",
        {"view": review_view(task=task), "form": form},
        status=status,
    )
