"""Staff pages: fits with their progress, a fit's leaderboards, publishing, snapshot diffs.

Pages that show a running fit ask the browser to reload every few seconds with the HTTP
Refresh header, so progress shows without JavaScript.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from experts.models import Domain
from experts.permissions import staff_required
from experts.selectors import DomainNotFound, domain_get_by_slug
from leaderboards.diff import leaderboard_diff
from leaderboards.models import SNAPSHOT_NOTE_MAX_LENGTH, Fit, FitStatus, Snapshot
from leaderboards.presentation import CHART_KINDS, chart_svg, leaderboard_sections
from leaderboards.selectors import (
    FitNotFound,
    fit_get,
    fit_list,
    fit_standing_rows,
    leaderboard_list,
    snapshot_list,
    snapshot_standing_rows,
)
from leaderboards.services.fit import VERDICT_LEADERBOARD
from leaderboards.services.snapshot import FitAlreadyPublished, snapshot_publish
from seal_platform.errors import SealError

# Seconds between reloads of a page that shows a running fit.
PROGRESS_REFRESH_SECONDS = 5


class PublishForm(forms.Form):
    note = forms.CharField(
        max_length=SNAPSHOT_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown with the snapshot: what changed since the last version.",
    )


def _domain_or_404(slug: str) -> Domain:
    try:
        return domain_get_by_slug(slug=slug)
    except DomainNotFound as error:
        raise Http404(error.message) from error


def _fit_or_404(fit_id: int) -> Fit:
    try:
        return fit_get(fit_id=fit_id)
    except FitNotFound as error:
        raise Http404(error.message) from error


def _refreshing(response: HttpResponse, is_running: bool) -> HttpResponse:
    if is_running:
        response["Refresh"] = str(PROGRESS_REFRESH_SECONDS)
    return response


@staff_required
def staff_index(request: HttpRequest) -> HttpResponse:
    return render(request, "leaderboards/staff/index.html", {"summaries": leaderboard_list()})


@staff_required
def staff_fit_list(request: HttpRequest, slug: str) -> HttpResponse:
    domain = _domain_or_404(slug)
    fits = list(fit_list(domain=domain))
    response = render(request, "leaderboards/staff/fits.html", {"domain": domain, "fits": fits})
    return _refreshing(response, any(fit.status == FitStatus.RUNNING for fit in fits))


@staff_required
def staff_fit_detail(request: HttpRequest, fit_id: int) -> HttpResponse:
    fit = _fit_or_404(fit_id)
    context: dict[str, Any] = {
        "fit": fit,
        "domain": fit.domain,
        "snapshot": Snapshot.objects.filter(fit=fit).first(),
        "form": PublishForm(),
        "sections": [],
    }
    if fit.status == FitStatus.FINISHED:
        context["sections"] = leaderboard_sections(
            fit.dimensions, lambda key: fit_standing_rows(fit=fit, dimension=key)
        )
    response = render(request, "leaderboards/staff/fit.html", context)
    return _refreshing(response, fit.status == FitStatus.RUNNING)


@staff_required
@require_POST
def staff_fit_publish(request: HttpRequest, fit_id: int) -> HttpResponse:
    """Publish the fit; a second click finds the snapshot already made and shows it."""
    fit = _fit_or_404(fit_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        problems = [str(problem) for problem in form.errors.get("note", [])]
        messages.error(request, " ".join(problems) or "The note is invalid.")
        return redirect("leaderboards:staff-fit", fit_id=fit.pk)
    try:
        snapshot = snapshot_publish(
            fit=fit, staff_user=request.user, note=form.cleaned_data["note"]
        )
    except FitAlreadyPublished as error:
        messages.info(request, error.message)
        snapshot = error.snapshot
    except SealError as error:
        messages.error(request, error.message)
        return redirect("leaderboards:staff-fit", fit_id=fit.pk)
    else:
        messages.success(request, f"Published version {snapshot.version} of {fit.domain.name}.")
    return redirect(
        reverse("leaderboards:staff-snapshots", kwargs={"slug": fit.domain.slug})
        + f"#version-{snapshot.version}"
    )


@staff_required
def staff_snapshot_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Each snapshot with its moves against the version before it."""
    domain = _domain_or_404(slug)
    snapshots = list(snapshot_list(domain=domain))
    rows = {snapshot.pk: snapshot_standing_rows(snapshot=snapshot) for snapshot in snapshots}
    entries = []
    for position, snapshot in enumerate(snapshots):
        previous = snapshots[position + 1] if position + 1 < len(snapshots) else None
        moves = (
            leaderboard_diff(rows[previous.pk], rows[snapshot.pk]) if previous is not None else []
        )
        entries.append({"snapshot": snapshot, "previous": previous, "moves": moves})
    return render(
        request, "leaderboards/staff/snapshots.html", {"domain": domain, "entries": entries}
    )


@staff_required
def staff_fit_chart(request: HttpRequest, fit_id: int, kind: str) -> HttpResponse:
    """Serve one chart of a finished fit as SVG; `?dimension=KEY` picks a dimension."""
    fit = _fit_or_404(fit_id)
    dimension = request.GET.get("dimension", VERDICT_LEADERBOARD)
    known = {VERDICT_LEADERBOARD, *(item["key"] for item in fit.dimensions)}
    if fit.status != FitStatus.FINISHED or kind not in CHART_KINDS or dimension not in known:
        raise Http404(f"Fit {fit_id} has no chart {kind!r} for {dimension!r}.")
    svg = chart_svg(
        cache_key=f"leaderboards:chart:fit:{fit.pk}:{dimension}:{kind}",
        kind=kind,
        rows=fit_standing_rows(fit=fit, dimension=dimension),
        pair_table=fit.pair_counts.get(dimension, []),
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response
