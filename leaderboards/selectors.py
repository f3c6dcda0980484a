"""Reads for leaderboard pages, the API and the fit command. Nothing here exposes prompts."""

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count

from experts.models import Domain
from leaderboards.models import Fit, FitStatus
from leaderboards.services.fit import StandingRow


@dataclass(frozen=True)
class LeaderboardSummary:
    domain: Domain
    fit: Fit | None
    model_count: int


def fit_get_latest_finished(*, domain: Domain) -> Fit | None:
    return (
        Fit.objects.filter(domain=domain, status=FitStatus.FINISHED)
        .select_related("domain", "anchor_model")
        .order_by("-finished_at", "-id")
        .first()
    )


def fit_standing_rows(*, fit: Fit) -> list[StandingRow]:
    return [
        StandingRow(
            model=rating.model.name,
            rating=rating.rating,
            ci_lower=rating.ci_lower,
            ci_upper=rating.ci_upper,
            rank=rating.rank,
            component=rating.component,
            judgments=rating.judgments,
            wins=rating.wins,
            losses=rating.losses,
            ties=rating.ties,
            win_rate=rating.win_rate,
        )
        for rating in fit.ratings.select_related("model").order_by("position")
    ]


def _domain_sort_key(domain: Domain) -> tuple[str, bool, str]:
    family = domain.parent.slug if domain.parent is not None else domain.slug
    return family, domain.parent_id is not None, domain.slug


def leaderboard_list() -> list[LeaderboardSummary]:
    """Every domain with its latest finished fit, each parent followed by its children."""
    domains = sorted(Domain.objects.select_related("parent"), key=_domain_sort_key)
    latest: dict[int, Fit] = {}
    finished = Fit.objects.filter(status=FitStatus.FINISHED).annotate(model_count=Count("ratings"))
    for fit in finished.order_by("domain_id", "-finished_at", "-id"):
        latest.setdefault(fit.domain_id, fit)
    return [
        LeaderboardSummary(
            domain=domain,
            fit=latest.get(domain.id),
            model_count=getattr(latest.get(domain.id), "model_count", 0),
        )
        for domain in domains
    ]


def leaderboard_payload(
    *, domain: Domain | None, rows: list[StandingRow], warnings: list[str]
) -> dict[str, Any]:
    """The JSON object of `fit_leaderboard --json` and the leaderboard API."""
    return {
        "domain": domain.slug if domain is not None else None,
        "models": [asdict(row) for row in rows],
        "warnings": list(warnings),
    }
