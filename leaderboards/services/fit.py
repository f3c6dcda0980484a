"""Fit a domain's leaderboard and store the result."""

import logging
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotation.models import EvaluatedModel
from experts.models import Domain
from leaderboards.fit_input import FitInput, fit_input_for_domain
from leaderboards.models import Fit, FitRating, FitStatus
from leaderboards.rating import FitDidNotConverge, LeaderboardFit, fit_leaderboard
from seal_platform.errors import InvalidInput, SealError
from seal_platform.version import code_version

logger = logging.getLogger(__name__)


class AnchorModelUnknown(InvalidInput):
    code = "anchor_model_unknown"


class FitFailed(SealError):
    code = "fit_failed"
    status_code = 500


@dataclass(frozen=True)
class Anchor:
    model: str
    rating: float


@dataclass(frozen=True)
class StandingRow:
    """One model's line in a leaderboard, the shape of `fit_leaderboard --json`."""

    model: str
    rating: float
    ci_lower: float | None
    ci_upper: float | None
    rank: int
    component: int
    judgments: int
    wins: int
    losses: int
    ties: int
    win_rate: float


@dataclass(frozen=True)
class ComputedFit:
    rows: list[StandingRow]
    warnings: list[str]


def anchor_index(fit_input: FitInput, anchor: Anchor | None) -> tuple[int, float] | None:
    if anchor is None:
        return None
    if anchor.model not in fit_input.model_names:
        known = ", ".join(fit_input.model_names)
        raise AnchorModelUnknown(
            f"Anchor model {anchor.model!r} has no judgments in this input. Choose one of: {known}."
        )
    return fit_input.model_names.index(anchor.model), anchor.rating


def fit_compute(
    *, fit_input: FitInput, bootstrap_rounds: int, seed: int, anchor: Anchor | None = None
) -> ComputedFit:
    """Run the Bradley-Terry fit with bootstrap intervals; rows come sorted as displayed.

    Raises FitFailed when the optimiser does not converge, naming the iteration count.
    """
    if bootstrap_rounds < 0:
        raise InvalidInput(
            f"Bootstrap rounds must be 0 or more, not {bootstrap_rounds}. Use 0 for no intervals."
        )
    anchor_at = anchor_index(fit_input, anchor)
    try:
        result = fit_leaderboard(
            fit_input.counts,
            bootstrap_rounds=bootstrap_rounds,
            rng=np.random.default_rng(seed),
            model_names=fit_input.model_names,
            anchor=anchor_at,
        )
    except FitDidNotConverge as error:
        raise FitFailed(f"The Bradley-Terry fit did not converge: {error}") from error
    return ComputedFit(
        rows=standing_rows(result, fit_input.model_names), warnings=list(result.warnings)
    )


def _optional(values: "np.typing.NDArray[np.float64] | None", index: int) -> float | None:
    return None if values is None else float(values[index])


def standing_rows(result: LeaderboardFit, names: list[str]) -> list[StandingRow]:
    return [
        StandingRow(
            model=names[index],
            rating=float(result.ratings[index]),
            ci_lower=_optional(result.ci_lower, index),
            ci_upper=_optional(result.ci_upper, index),
            rank=int(result.ranks[index]),
            component=int(result.components[index]),
            judgments=int(result.judgments[index]),
            wins=int(round(float(result.wins[index]))),
            losses=int(round(float(result.losses[index]))),
            ties=int(round(float(result.ties[index]))),
            win_rate=float(result.win_rate[index]),
        )
        for index in result.order()
    ]


def _fit_key(
    domain: Domain, fit_input: FitInput, seed: int, bootstrap_rounds: int, anchor: Anchor | None
) -> dict[str, object]:
    anchor_model = EvaluatedModel.objects.get(name=anchor.model) if anchor is not None else None
    return {
        "domain": domain,
        "input_fingerprint": fit_input.fingerprint,
        "seed": seed,
        "bootstrap_rounds": bootstrap_rounds,
        "anchor_model": anchor_model,
        "anchor_rating": anchor.rating if anchor is not None else None,
    }


def _fit_row_claim(key: dict[str, object], judgment_count: int) -> Fit:
    """Return the fit row for this input, creating it as running if new."""
    try:
        with transaction.atomic():
            fit, _ = Fit.objects.get_or_create(
                **key,
                defaults={"judgment_count": judgment_count, "code_version": code_version()},
            )
    except IntegrityError:
        fit = Fit.objects.get(**key)
    return fit


def fit_create(
    *, domain: Domain, bootstrap_rounds: int, seed: int, anchor: Anchor | None = None
) -> Fit:
    """Fit the domain's accepted judgments and store ratings, intervals and ranks.

    Idempotent: unchanged input with the same seed, rounds and anchor returns the finished fit
    already stored, and a unique constraint keeps concurrent callers to one row. A failed fit
    is marked failed with its reason and FitFailed is raised; nothing half-written is left.
    """
    fit_input = fit_input_for_domain(domain=domain)
    anchor_index(fit_input, anchor)
    key = _fit_key(domain, fit_input, seed, bootstrap_rounds, anchor)
    fit = _fit_row_claim(key, fit_input.judgment_count)
    if fit.status == FitStatus.FINISHED:
        return fit

    started = timezone.now()
    try:
        computed = fit_compute(
            fit_input=fit_input, bootstrap_rounds=bootstrap_rounds, seed=seed, anchor=anchor
        )
    except SealError as error:
        Fit.objects.filter(pk=fit.pk).update(status=FitStatus.FAILED, failure_reason=error.message)
        logger.warning("leaderboards.fit.failed", extra={"fit_id": fit.pk, "code": error.code})
        raise

    fit = fit_store_result(fit=fit, computed=computed)
    logger.info(
        "leaderboards.fit.completed",
        extra={
            "fit_id": fit.pk,
            "domain": domain.slug,
            "judgment_count": fit_input.judgment_count,
            "seconds": (timezone.now() - started).total_seconds(),
        },
    )
    return fit


def fit_store_result(*, fit: Fit, computed: ComputedFit) -> Fit:
    """Write the ratings and mark the fit finished, in one transaction under a row lock."""
    with transaction.atomic():
        locked = Fit.objects.select_for_update().get(pk=fit.pk)
        if locked.status == FitStatus.FINISHED:
            return locked
        model_ids = dict(
            EvaluatedModel.objects.filter(
                name__in=[row.model for row in computed.rows]
            ).values_list("name", "id")
        )
        FitRating.objects.filter(fit=locked).delete()
        FitRating.objects.bulk_create(
            [
                FitRating(
                    fit=locked,
                    model_id=model_ids[row.model],
                    position=position,
                    rating=row.rating,
                    ci_lower=row.ci_lower,
                    ci_upper=row.ci_upper,
                    rank=row.rank,
                    component=row.component,
                    judgments=row.judgments,
                    wins=row.wins,
                    losses=row.losses,
                    ties=row.ties,
                    win_rate=row.win_rate,
                )
                for position, row in enumerate(computed.rows, start=1)
            ]
        )
        locked.status = FitStatus.FINISHED
        locked.warnings = computed.warnings
        locked.failure_reason = ""
        locked.finished_at = timezone.now()
        locked.code_version = code_version()
        locked.save()
    return locked
