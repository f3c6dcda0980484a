"""Reads for leaderboard pages, the API and the fit command. Nothing here exposes prompts.

Public readers get snapshots once a domain has one, and the latest finished fit (marked
unpublished) before that. Staff readers get fits too.
"""

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from experts.models import Domain
from leaderboards.models import Fit, FitStatus, Snapshot, SnapshotRating
from leaderboards.services.fit import VERDICT_LEADERBOARD, StandingRow
from seal_platform.errors import NotFound


class SnapshotNotFound(NotFound):
    code = "snapshot_not_found"


class FitNotFound(NotFound):
    code = "fit_not_found"


@dataclass(frozen=True)
class LeaderboardSummary:
    """A domain with what the public may see of it: its latest snapshot, or else its fit."""

    domain: Domain
    fit: Fit | None
    model_count: int
    snapshot: Snapshot | None = None


def fit_get_latest_finished(*, domain: Domain) -> Fit | None:
    return (
        Fit.objects.filter(domain=domain, status=FitStatus.FINISHED)
        .select_related("domain", "anchor_model")
        .order_by("-finished_at", "-id")
        .first()
    )


def fit_get(*, fit_id: int) -> Fit:
    fit = Fit.objects.select_related("domain", "anchor_model").filter(pk=fit_id).first()
    if fit is None:
        raise FitNotFound(f"Fit {fit_id} does not exist. List a domain's fits on its staff page.")
    return fit


def fit_list(*, domain: Domain) -> QuerySet[Fit]:
    """Every fit of a domain, newest first, with the version it was published as, if any."""
    return (
        Fit.objects.filter(domain=domain)
        .annotate(published_version=Max("snapshots__version"))
        .order_by("-created_at", "-id")
    )


def _rows(ratings: Any) -> list[StandingRow]:
    return [
        StandingRow(
            model=model,
            rating=rating,
            ci_lower=ci_lower,
            ci_upper=ci_upper,
            rank=rank,
            component=component,
            judgments=judgments,
            wins=wins,
            losses=losses,
            ties=ties,
            win_rate=win_rate,
        )
        for (
            model,
            rating,
            ci_lower,
            ci_upper,
            rank,
            component,
            judgments,
            wins,
            losses,
            ties,
            win_rate,
        ) in ratings
    ]


STANDING_FIELDS = (
    "rating",
    "ci_lower",
    "ci_upper",
    "rank",
    "component",
    "judgments",
    "wins",
    "losses",
    "ties",
    "win_rate",
)


def fit_standing_rows(*, fit: Fit, dimension: str = VERDICT_LEADERBOARD) -> list[StandingRow]:
    """Return one leaderboard of a fit: '' for the verdict, else a dimension key."""
    ratings = (
        fit.ratings.filter(dimension=dimension)
        .order_by("position")
        .values_list("model__name", *STANDING_FIELDS)
    )
    return _rows(ratings)


def snapshot_standing_rows(
    *, snapshot: Snapshot, dimension: str = VERDICT_LEADERBOARD
) -> list[StandingRow]:
    ratings = (
        SnapshotRating.objects.filter(snapshot=snapshot, dimension=dimension)
        .order_by("position")
        .values_list("model_name", *STANDING_FIELDS)
    )
    return _rows(ratings)


def snapshot_get_latest(*, domain: Domain) -> Snapshot | None:
    return (
        Snapshot.objects.filter(domain=domain).select_related("domain").order_by("-version").first()
    )


def snapshot_get(*, domain: Domain, version: int) -> Snapshot:
    snapshot = (
        Snapshot.objects.filter(domain=domain, version=version).select_related("domain").first()
    )
    if snapshot is None:
        raise SnapshotNotFound(
            f"Domain {domain.slug!r} has no snapshot version {version}. List its versions at "
            f"/api/leaderboards/{domain.slug}/snapshots/."
        )
    return snapshot


def snapshot_list(*, domain: Domain) -> QuerySet[Snapshot]:
    """Return the domain's snapshots, newest first, each with its number of rated models."""
    return (
        Snapshot.objects.filter(domain=domain)
        .select_related("domain")
        .annotate(model_count=Count("ratings", filter=Q(ratings__dimension=VERDICT_LEADERBOARD)))
        .order_by("-version")
    )


def snapshot_get_newer(*, snapshot: Snapshot) -> Snapshot | None:
    """Return the latest snapshot of the same domain published after this one, if any."""
    return (
        Snapshot.objects.filter(domain_id=snapshot.domain_id, version__gt=snapshot.version)
        .order_by("-version")
        .first()
    )


def _domain_sort_key(domain: Domain) -> tuple[str, bool, str]:
    family = domain.parent.slug if domain.parent is not None else domain.slug
    return family, domain.parent_id is not None, domain.slug


def leaderboard_list() -> list[LeaderboardSummary]:
    """Every domain with its latest snapshot, or its latest finished fit if it has none.

    A domain with a snapshot gets `fit=None`, so no public reader gets its unpublished fits.
    Parents come first, each followed by its children. Runs four queries.
    """
    domains = sorted(Domain.objects.select_related("parent"), key=_domain_sort_key)
    snapshots = {snapshot.domain_id: snapshot for snapshot in snapshot_list_latest_per_domain()}
    latest: dict[int, Fit] = {}
    finished = (
        Fit.objects.filter(status=FitStatus.FINISHED)
        .exclude(domain_id__in=list(snapshots))
        .annotate(model_count=Count("ratings", filter=Q(ratings__dimension=VERDICT_LEADERBOARD)))
    )
    for finished_fit in finished.order_by("domain_id", "-finished_at", "-id"):
        latest.setdefault(finished_fit.domain_id, finished_fit)

    summaries = []
    for domain in domains:
        snapshot = snapshots.get(domain.id)
        fit = latest.get(domain.id)
        source: Any = snapshot if snapshot is not None else fit
        summaries.append(
            LeaderboardSummary(
                domain=domain,
                fit=fit,
                snapshot=snapshot,
                model_count=getattr(source, "model_count", 0),
            )
        )
    return summaries


def snapshot_list_latest_per_domain() -> QuerySet[Snapshot]:
    """Return the newest snapshot of each domain, with its number of rated models."""
    newest_version = (
        Snapshot.objects.filter(domain_id=OuterRef("domain_id"))
        .order_by("-version")
        .values("version")[:1]
    )
    return Snapshot.objects.filter(version=Subquery(newest_version)).annotate(
        model_count=Count("ratings", filter=Q(ratings__dimension=VERDICT_LEADERBOARD))
    )


def leaderboard_payload(
    *, domain: Domain | None, rows: list[StandingRow], warnings: list[str]
) -> dict[str, Any]:
    """The JSON object of `fit_leaderboard --json` and the leaderboard API."""
    return {
        "domain": domain.slug if domain is not None else None,
        "models": [asdict(row) for row in rows],
        "warnings": list(warnings),
    }
