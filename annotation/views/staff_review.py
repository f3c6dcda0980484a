"""Staff pages for the review pipeline and for closing batches."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from annotation.models import ComparisonBatch, ReviewRound
from annotation.services.batch_close import batch_close
from annotation.services.review_rounds import review_rounds_set
from experts.permissions import staff_required
from experts.selectors.domain import DomainNotFound, domain_get_by_slug
from seal_platform.errors import SealError


@require_POST
@staff_required
def batch_close_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = ComparisonBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise Http404(f"Batch {batch_id} does not exist.")
    try:
        closed = batch_close(batch=batch, staff_user=request.user)
    except SealError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"Batch {closed.pk} is closed; {closed.unsettled_at_close} judgment(s) still in "
            "review were left out. The leaderboard refit is queued.",
        )
    return redirect("annotation:staff-batches")


class RoundsForm(forms.Form):
    rounds = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            "One round per line: name, share sampled (0 to 1), and 'reviewer' or 'peer'. "
            "For example: 'Peer review, 1, peer' then 'Audit, 0.2, reviewer'."
        ),
    )

    def parsed(self) -> list[tuple[str, float, bool]]:
        result = []
        for number, line in enumerate(self.cleaned_data["rounds"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split(",")]
            if len(parts) != 3 or parts[2] not in ("reviewer", "peer"):
                raise SealError(f"Line {number} {line!r} needs: name, share, reviewer or peer.")
            try:
                share = float(parts[1])
            except ValueError as error:
                raise SealError(f"Line {number}: share {parts[1]!r} is not a number.") from error
            result.append((parts[0], share, parts[2] == "reviewer"))
        return result


@staff_required
def review_rounds_edit(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        domain = domain_get_by_slug(slug=slug)
    except DomainNotFound as error:
        raise Http404(error.message) from error
    current = ReviewRound.objects.filter(domain=domain).order_by("number")
    lines = []
    for item in current:
        kind = "reviewer" if item.requires_reviewer_role else "peer"
        lines.append(f"{item.name}, {item.sample_share:g}, {kind}")
    initial = "\n".join(lines)
    form = RoundsForm(request.POST or None, initial={"rounds": initial})
    if request.method == "POST" and form.is_valid():
        try:
            review_rounds_set(domain=domain, rounds=form.parsed(), staff_user=request.user)
        except SealError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Review pipeline of {domain.name} saved.")
            return redirect("annotation:staff-review-rounds", slug=domain.slug)
    return render(
        request,
        "annotation/staff/review_rounds.html",
        {"domain": domain, "form": form, "rounds": current},
    )
