"""Public leaderboard pages, readable without JavaScript. They never show prompts.

Once a domain has a published snapshot, its pages show snapshots only; before that, they
show the latest finished fit, marked as not yet published.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from experts.models import Domain
from experts.selectors import DomainNotFound, domain_get_by_slug
from leaderboards.models import Snapshot
from leaderboards.presentation import CHART_KINDS, chart_svg, component_tables, leaderboard_sections
from leaderboards.selectors import (
    SnapshotNotFound,
    fit_get_latest_finished,
    fit_standing_rows,
    leaderboard_list,
    snapshot_get,
    snapshot_get_latest,
    snapshot_get_newer,
    snapshot_list,
    snapshot_standing_rows,
)
from leaderboards.services.fit import VERDICT_LEADERBOARD

# Published snapshots never change, so browsers may keep their charts for a year.
SNAPSHOT_CHART_CACHE_CONTROL = "public, max-age=31536000, immutable"


def leaderboard_index(request: HttpRequest) -> HttpResponse:
    return render(request, "leaderboards/index.html", {"summaries": leaderboard_list()})


def _domain_or_404(slug: str) -> Domain:
    try:
        return domain_get_by_slug(slug=slug)
    except DomainNotFound as error:
        raise Http404(error.message) from error


def _snapshot_or_404(domain: Domain, version: int) -> Snapshot:
    try:
        return snapshot_get(domain=domain, version=version)
    except SnapshotNotFound as error:
        raise Http404(error.message) from error


def _render_snapshot(request: HttpRequest, domain: Domain, snapshot: Snapshot) -> HttpResponse:
    sections = leaderboard_sections(
        snapshot.dimensions,
        lambda key: snapshot_standing_rows(snapshot=snapshot, dimension=key),
    )
    context = {
        "domain": domain,
        "snapshot": snapshot,
        "sections": sections,
        "newer": snapshot_get_newer(snapshot=snapshot),
        "versions": snapshot_list(domain=domain),
        "children": domain.children.order_by("slug"),
    }
    return render(request, "leaderboards/snapshot.html", context)


def leaderboard_detail(request: HttpRequest, slug: str) -> HttpResponse:
    domain = _domain_or_404(slug)
    snapshot = snapshot_get_latest(domain=domain)
    if snapshot is not None:
        return _render_snapshot(request, domain, snapshot)

    fit = fit_get_latest_finished(domain=domain)
    rows = fit_standing_rows(fit=fit) if fit is not None else []
    exposed = (
        set(
            fit.ratings.filter(is_exposed=True, dimension=VERDICT_LEADERBOARD).values_list(
                "model__name", flat=True
            )
        )
        if fit is not None
        else set()
    )
    context = {
        "exposed": exposed,
        "domain": domain,
        "fit": fit,
        "components": component_tables(rows),
        "children": domain.children.order_by("slug"),
    }
    return render(request, "leaderboards/detail.html", context)


def snapshot_detail(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    domain = _domain_or_404(slug)
    return _render_snapshot(request, domain, _snapshot_or_404(domain, version))


def snapshot_chart(request: HttpRequest, slug: str, version: int, kind: str) -> HttpResponse:
    """Serve one chart of a snapshot as SVG; `?dimension=KEY` picks a dimension's leaderboard."""
    domain = _domain_or_404(slug)
    snapshot = _snapshot_or_404(domain, version)
    dimension = request.GET.get("dimension", VERDICT_LEADERBOARD)
    known = {VERDICT_LEADERBOARD, *(item["key"] for item in snapshot.dimensions)}
    if kind not in CHART_KINDS or dimension not in known:
        raise Http404(
            f"Snapshot {version} of {slug!r} has no chart {kind!r} for {dimension!r}. Charts: "
            f"{', '.join(CHART_KINDS)}; dimensions: {', '.join(sorted(known - {''})) or 'none'}."
        )
    svg = chart_svg(
        cache_key=f"leaderboards:chart:snapshot:{snapshot.pk}:{dimension}:{kind}",
        kind=kind,
        rows=snapshot_standing_rows(snapshot=snapshot, dimension=dimension),
        pair_table=snapshot.pair_counts.get(dimension, []),
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = SNAPSHOT_CHART_CACHE_CONTROL
    return response
