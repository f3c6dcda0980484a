"""The expert's daily work: take the next comparison, judge it, move on."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotation.forms import JudgmentForm, SkipForm
from annotation.models import Assignment
from annotation.selectors import task_view, work_progress, work_progress_by_domain
from annotation.selectors_review import judgments_returned_to
from annotation.services.assignment import (
    AssignmentNotFound,
    WorkNotAllowed,
    assignment_get_for_expert,
    assignment_next,
    assignment_skip,
)
from annotation.services.judgment_submit import JudgmentInput, judgment_submit
from experts.models import DomainApproval
from experts.selectors.domain import DomainNotFound, domain_get_by_slug
from experts.services.access import WorkKind, work_access
from seal_platform.errors import SealError


@login_required
def work_index(request: HttpRequest) -> HttpResponse:
    domains = [
        approval.domain
        for approval in DomainApproval.objects.filter(expert_id=request.user.pk).select_related(
            "domain"
        )
    ]
    progress = work_progress_by_domain(user=request.user, domains=domains)
    rows = [
        {
            "domain": domain,
            "access": work_access(user=request.user, domain=domain, kind=WorkKind.JUDGE),
            "progress": progress[domain.pk],
        }
        for domain in domains
    ]
    returned = judgments_returned_to(user=request.user)
    return render(request, "annotation/work_index.html", {"rows": rows, "returned": returned})


@login_required
def work_next(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        domain = domain_get_by_slug(slug=slug)
        assignment = assignment_next(user=request.user, domain=domain)
    except DomainNotFound as error:
        raise Http404(error.message) from error
    except WorkNotAllowed as error:
        return render(request, "annotation/not_allowed.html", {"reason": error.message}, status=403)
    if assignment is None:
        progress = work_progress(user=request.user, domain=domain)
        return render(request, "annotation/no_work.html", {"domain": domain, "progress": progress})
    return redirect("annotation:task", assignment_id=assignment.pk)


def _own_assignment(request: HttpRequest, assignment_id: int) -> Assignment:
    """Return the user's own assignment, or raise Http404 for anyone else's."""
    try:
        return assignment_get_for_expert(user=request.user, assignment_id=assignment_id)
    except AssignmentNotFound as error:
        raise Http404(error.message) from error


def _access_denied_page(request: HttpRequest, assignment: Assignment) -> HttpResponse | None:
    """Return a 403 page with the reason when the expert may no longer judge in its domain.

    Checked on every task page, because a suspended, revoked or expired expert must not go
    on reading private prompts through the leases they held.
    """
    comparison = assignment.comparison
    domain = comparison.batch.domain if comparison.batch else comparison.domain
    access = work_access(user=request.user, domain=domain, kind=WorkKind.JUDGE)
    if access.allowed:
        return None
    return render(request, "annotation/not_allowed.html", {"reason": access.reason}, status=403)


def _render_task(
    request: HttpRequest, assignment_id: int, form: JudgmentForm | None = None, status: int = 200
) -> HttpResponse:
    assignment = assignment_get_for_expert(user=request.user, assignment_id=assignment_id)
    view = task_view(assignment=assignment)
    if form is None:
        initial = {}
        if view.judgment is not None:
            initial = {"verdict": view.judgment.verdict, "rationale": view.judgment.rationale}
            initial.update(
                {f"dimension_{key}": value for key, value in view.judgment.dimension_scores.items()}
            )
        form = JudgmentForm(initial=initial, dimensions=view.dimensions)
    context = {
        "task": view,
        "form": form,
        "skip_form": SkipForm(),
        "progress": work_progress(user=request.user, domain=view.domain),
    }
    return render(request, "annotation/task.html", context, status=status)


@login_required
def task(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _own_assignment(request, assignment_id)
    denied = _access_denied_page(request, assignment)
    if denied is not None:
        return denied
    return _render_task(request, assignment_id)


@require_POST
@login_required
def task_submit(request: HttpRequest, assignment_id: int) -> HttpResponse:
    assignment = _own_assignment(request, assignment_id)
    denied = _access_denied_page(request, assignment)
    if denied is not None:
        return denied
    view = task_view(assignment=assignment)
    form = JudgmentForm(request.POST, dimensions=view.dimensions)
    if not form.is_valid():
        return _render_task(request, assignment_id, form=form, status=400)
    data = JudgmentInput(
        verdict=form.cleaned_data["verdict"],
        dimension_scores=form.dimension_scores(),
        rationale=form.cleaned_data["rationale"],
        active_seconds=form.cleaned_data.get("active_seconds"),
    )
    try:
        judgment_submit(user=request.user, assignment_id=assignment_id, data=data)
    except SealError as error:
        for field, problems in error.fields.items():
            for problem in problems:
                form.add_error(field if field in form.fields else None, problem)
        form.add_error(None, error.message)
        return _render_task(request, assignment_id, form=form, status=error.status_code)
    messages.success(request, "Judgment saved.")
    return redirect("annotation:next", slug=view.domain.slug)


@require_POST
@login_required
def task_skip(request: HttpRequest, assignment_id: int) -> HttpResponse:
    denied = _access_denied_page(request, _own_assignment(request, assignment_id))
    if denied is not None:
        return denied
    form = SkipForm(request.POST)
    if not form.is_valid() and str(form.data.get("reason", "")).strip():
        # A reason was given but is invalid (too long). The service names a missing reason.
        messages.error(request, " ".join(str(problem) for problem in form.errors["reason"]))
        return redirect("annotation:task", assignment_id=assignment_id)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        assignment = assignment_skip(user=request.user, assignment_id=assignment_id, reason=reason)
    except AssignmentNotFound as error:
        raise Http404(error.message) from error
    except SealError as error:
        messages.error(request, error.message)
        return redirect("annotation:task", assignment_id=assignment_id)
    messages.success(request, "Skipped; it went back to the pool for others.")
    view = task_view(assignment=assignment)
    return redirect("annotation:next", slug=view.domain.slug)
