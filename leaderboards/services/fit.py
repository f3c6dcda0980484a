"""Fit a domain's leaderboards (the verdict and each rubric dimension) and store the result."""

import hashlib
import logging
from dataclasses import dataclass, field

import numpy as np
from django.db import IntegrityError, transaction
from django.utils import timezone

from annotation.models import EvaluatedModel
from annotation.services.exposure import exposed_models
from experts.models import Domain
from leaderboards.fit_input import DomainFitInput, FitInput, domain_fit_input_read
from leaderboards.models import Fit, FitRating, FitStage, FitStatus
from leaderboards.rating import FitDidNotConverge, LeaderboardFit, fit_leaderboard
from seal_platform.errors import InvalidInput, SealError
from seal_platform.version import code_version

logger = logging.getLogger(__name__)

# FitRating.dimension of the overall verdict's leaderboard.
VERDICT_LEADERBOARD = ""


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
    exposed: frozenset[str] = frozenset()
    dimension_rows: dict[str, list[StandingRow]] = field(default_factory=dict)


def anchor_index(fit_input: FitInput, anchor: Anchor | None) -> tuple[int, float] | None:
    if anchor is None:
        return None
    if anchor.model not in fit_input.model_names:
        known = ", ".join(fit_input.model_names)
        raise AnchorModelUnknown(
            f"Anchor model {anchor.model!r} has no judgments in this input. Choose one of: {known}."
        )
    return fit_input.model_names.index(anchor.model), anchor.rating


def check_bootstrap_rounds(bootstrap_rounds: int) -> None:
    if bootstrap_rounds < 0:
        raise InvalidInput(
            f"Bootstrap rounds must be 0 or more, not {bootstrap_rounds}. Use 0 for no intervals."
        )


def fit_compute(
    *, fit_input: FitInput, bootstrap_rounds: int, seed: int, anchor: Anchor | None = None
) -> ComputedFit:
    """Run the Bradley-Terry fit with bootstrap intervals; rows come sorted as displayed.

    Raises FitFailed when the optimiser does not converge, naming the iteration count.
    """
    check_bootstrap_rounds(bootstrap_rounds)
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


def dimension_seed(seed: int, key: str) -> int:
    """Return the bootstrap seed of one dimension's leaderboard.

    It depends on the fit's seed and the dimension key only, so adding a dimension to the
    rubric leaves the intervals of the others unchanged.
    """
    digest = hashlib.sha256(f"{seed}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


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


def pair_count_table(fit_input: FitInput) -> list[list[str | int]]:
    """Return [model, other model, model wins, other wins, ties] for each compared pair."""
    counts = fit_input.counts
    names = fit_input.model_names
    return [
        [
            names[int(first)],
            names[int(second)],
            int(round(float(first_wins))),
            int(round(float(second_wins))),
            int(round(float(ties))),
        ]
        for first, second, first_wins, second_wins, ties in zip(
            counts.first,
            counts.second,
            counts.first_wins,
            counts.second_wins,
            counts.ties,
            strict=True,
        )
    ]


def _fit_key(
    domain: Domain,
    domain_input: DomainFitInput,
    seed: int,
    bootstrap_rounds: int,
    anchor: Anchor | None,
) -> dict[str, object]:
    anchor_model = EvaluatedModel.objects.get(name=anchor.model) if anchor is not None else None
    return {
        "domain": domain,
        "judgment_ids_sha256": domain_input.judgment_ids.sha256,
        "input_fingerprint": domain_input.fingerprint,
        "seed": seed,
        "bootstrap_rounds": bootstrap_rounds,
        "anchor_model": anchor_model,
        "anchor_rating": anchor.rating if anchor is not None else None,
    }


def _fit_row_claim(key: dict[str, object], domain_input: DomainFitInput) -> Fit:
    """Return the fit row for this input, creating it as running if new."""
    defaults = {
        "judgment_count": domain_input.overall.judgment_count,
        "judgment_id_ranges": domain_input.judgment_ids.ranges,
        "code_version": code_version(),
        "leaderboards_total": 1 + len(domain_input.dimensions),
    }
    try:
        with transaction.atomic():
            fit, _ = Fit.objects.get_or_create(**key, defaults=defaults)
    except IntegrityError:
        fit = Fit.objects.get(**key)
    return fit


def _progress(fit: Fit, **fields: object) -> None:
    """Record progress on the fit row at once, outside any transaction of the caller's."""
    Fit.objects.filter(pk=fit.pk).update(progress_at=timezone.now(), **fields)


def fit_create(
    *, domain: Domain, bootstrap_rounds: int, seed: int, anchor: Anchor | None = None
) -> Fit:
    """Fit the domain's accepted judgments and store ratings, intervals and ranks.

    The verdict and each rubric dimension found in the judgments get a leaderboard; the
    anchor applies to the verdict's only. Idempotent: the same judgments and counts with the
    same seed, rounds and anchor return the finished fit already stored, and a unique
    constraint keeps concurrent callers to one row. A fit left running by a dead worker is
    redone on the next call. A failed fit is marked failed with its reason and FitFailed is
    raised. The ratings are written in one transaction, so no half-written fit is left.
    """
    check_bootstrap_rounds(bootstrap_rounds)
    domain_input = domain_fit_input_read(domain=domain)
    anchor_index(domain_input.overall, anchor)
    key = _fit_key(domain, domain_input, seed, bootstrap_rounds, anchor)
    fit = _fit_row_claim(key, domain_input)
    if fit.status == FitStatus.FINISHED:
        return fit

    started = timezone.now()
    try:
        computed = fit_compute_leaderboards(
            fit=fit,
            domain_input=domain_input,
            bootstrap_rounds=bootstrap_rounds,
            seed=seed,
            anchor=anchor,
        )
    except SealError as error:
        Fit.objects.filter(pk=fit.pk).update(status=FitStatus.FAILED, failure_reason=error.message)
        logger.warning("leaderboards.fit.failed", extra={"fit_id": fit.pk, "code": error.code})
        raise

    exposed = exposed_models(domain=domain, model_names=domain_input.overall.model_names)
    computed = ComputedFit(
        rows=computed.rows,
        warnings=computed.warnings + list(exposed.values()),
        exposed=frozenset(exposed),
        dimension_rows=computed.dimension_rows,
    )
    _progress(fit, stage=FitStage.STORING)
    fit = fit_store_result(fit=fit, computed=computed, domain_input=domain_input)
    logger.info(
        "leaderboards.fit.completed",
        extra={
            "fit_id": fit.pk,
            "domain": domain.slug,
            "judgment_count": domain_input.overall.judgment_count,
            "dimension_count": len(domain_input.dimensions),
            "seconds": (timezone.now() - started).total_seconds(),
        },
    )
    return fit


def fit_compute_leaderboards(
    *,
    fit: Fit,
    domain_input: DomainFitInput,
    bootstrap_rounds: int,
    seed: int,
    anchor: Anchor | None,
) -> ComputedFit:
    """Fit the verdict, then each dimension, recording progress on the fit row after each.

    The verdict's bootstrap uses `seed` itself and each dimension `dimension_seed(seed, key)`.
    A dimension that does not converge is left out with a warning, so that it cannot block the
    verdict's leaderboard. A verdict that does not converge raises FitFailed.
    """
    _progress(
        fit,
        status=FitStatus.RUNNING,
        failure_reason="",
        stage=FitStage.FITTING,
        stage_leaderboard=VERDICT_LEADERBOARD,
        leaderboards_done=0,
        leaderboards_total=1 + len(domain_input.dimensions),
        bootstrap_rounds_done=0,
    )
    overall = fit_compute(
        fit_input=domain_input.overall, bootstrap_rounds=bootstrap_rounds, seed=seed, anchor=anchor
    )
    warnings = list(overall.warnings)
    dimension_rows: dict[str, list[StandingRow]] = {}
    for done, dimension in enumerate(domain_input.dimensions, start=1):
        _progress(
            fit,
            stage_leaderboard=dimension.key,
            leaderboards_done=done,
            bootstrap_rounds_done=done * bootstrap_rounds,
        )
        try:
            computed = fit_compute(
                fit_input=dimension.fit_input,
                bootstrap_rounds=bootstrap_rounds,
                seed=dimension_seed(seed, dimension.key),
            )
        except FitFailed as error:
            logger.warning(
                "leaderboards.fit.dimension_failed",
                extra={"fit_id": fit.pk, "dimension": dimension.key},
            )
            warnings.append(f"{dimension.label}: left out because {error.message}")
            continue
        dimension_rows[dimension.key] = computed.rows
        warnings.extend(f"{dimension.label}: {warning}" for warning in computed.warnings)
    _progress(
        fit,
        leaderboards_done=1 + len(domain_input.dimensions),
        bootstrap_rounds_done=(1 + len(domain_input.dimensions)) * bootstrap_rounds,
    )
    return ComputedFit(rows=overall.rows, warnings=warnings, dimension_rows=dimension_rows)


def _rating_rows(fit: Fit, computed: ComputedFit, model_ids: dict[str, int]) -> list[FitRating]:
    leaderboards = {VERDICT_LEADERBOARD: computed.rows, **computed.dimension_rows}
    return [
        FitRating(
            fit=fit,
            dimension=dimension,
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
            is_exposed=row.model in computed.exposed,
        )
        for dimension, rows in leaderboards.items()
        for position, row in enumerate(rows, start=1)
    ]


def fit_store_result(*, fit: Fit, computed: ComputedFit, domain_input: DomainFitInput) -> Fit:
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
        FitRating.objects.bulk_create(_rating_rows(locked, computed, model_ids))
        fitted = [key for key in computed.dimension_rows]
        locked.dimensions = [
            {"key": dimension.key, "label": dimension.label}
            for dimension in domain_input.dimensions
            if dimension.key in fitted
        ]
        locked.pair_counts = {
            VERDICT_LEADERBOARD: pair_count_table(domain_input.overall),
            **{
                dimension.key: pair_count_table(dimension.fit_input)
                for dimension in domain_input.dimensions
                if dimension.key in fitted
            },
        }
        locked.status = FitStatus.FINISHED
        locked.stage = FitStage.DONE
        locked.stage_leaderboard = VERDICT_LEADERBOARD
        locked.progress_at = timezone.now()
        locked.warnings = computed.warnings
        locked.failure_reason = ""
        locked.finished_at = timezone.now()
        locked.code_version = code_version()
        locked.save()
    return locked
