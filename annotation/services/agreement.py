"""Inter-rater agreement of judgments: Krippendorff's alpha and pairwise Cohen's kappa.

Computation only: this module reads nothing from the database, writes nothing and imports no
Django, so callers pass judgments already loaded. A unit is one prompt with one unordered pair
of models. Experts see the two responses in a random order, so every verdict and score is first
put in one canonical orientation: the model with the lower id is canonical side A. A judgment
shown the other way round has its verdict's a and b swapped and its dimension scores negated.

A missing rating (a judgment without a score for a dimension, a rater who did not judge a unit)
stays missing and never becomes a value. A figure that the data cannot define, such as alpha
when every rating is the same, is an `AgreementFigure` with `value=None` and the reason.
"""

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import krippendorff
import numpy as np
import numpy.typing as npt

# scikit-learn ships no type hints (no py.typed marker in 1.9.1).
from sklearn.metrics import cohen_kappa_score  # type: ignore[import-untyped]

Level = Literal["nominal", "ordinal", "interval", "ratio"]
KappaWeights = Literal["linear", "quadratic"] | None

# Nominal codes of the overall verdict; the numbers carry no order.
VERDICT_CODES: dict[str, int] = {"a": 0, "b": 1, "tie": 2, "both_bad": 3}
VERDICT_SWAP: dict[str, str] = {"a": "b", "b": "a"}
# The graded scale of every rating dimension: negative means side A is better.
DIMENSION_SCALE_VALUES: tuple[int, ...] = (-2, -1, 0, 1, 2)

# Pairs of raters sharing fewer units get no kappa. With fewer than ten shared units, one changed
# rating moves the observed agreement by more than 0.1, so kappa is too noisy to compare pairs.
MIN_SHARED_UNITS_FOR_KAPPA = 10

REASON_NO_PAIRABLE_UNIT = (
    "No unit was rated by two or more raters, so there are no pairs of ratings to compare."
)
REASON_NO_VARIATION = (
    "Every rating of the units rated by two or more raters is {value}: with no variation the "
    "expected disagreement is zero, so alpha is undefined."
)
REASON_KAPPA_NO_VARIATION = (
    "Both raters gave {value} to every shared unit: the chance agreement is 1, so kappa is "
    "undefined."
)


@dataclass(frozen=True)
class AgreementFigure:
    """An agreement coefficient, or `value=None` and the reason the data cannot define it."""

    value: float | None
    reason: str = ""

    @property
    def is_defined(self) -> bool:
        return self.value is not None


@dataclass(frozen=True)
class Rating:
    """One judgment of one unit by one rater, already in the canonical orientation.

    `scores` holds only the dimensions the judgment rated; a dimension absent here is missing.
    """

    unit: Hashable
    rater: Hashable
    verdict: str
    scores: Mapping[str, int]


@dataclass(frozen=True)
class PairKappa:
    first_rater: Hashable
    second_rater: Hashable
    shared_units: int
    kappa: AgreementFigure


@dataclass(frozen=True)
class KappaSummary:
    """Pairwise kappas of the pairs of raters that share at least `min_shared_units` units.

    `pairs_below_minimum` counts the pairs that share at least one unit but fewer than the
    minimum; they get no kappa. `median`, `minimum` and `maximum` cover the defined kappas.
    """

    pairs: tuple[PairKappa, ...]
    pairs_below_minimum: int
    min_shared_units: int
    median: float | None
    minimum: float | None
    maximum: float | None

    @property
    def defined_count(self) -> int:
        return sum(1 for pair in self.pairs if pair.kappa.is_defined)


@dataclass(frozen=True)
class DimensionAgreement:
    """Agreement on one rating dimension, or on the overall verdict (`name="verdict"`)."""

    name: str
    level: Level
    alpha: AgreementFigure
    unit_count: int
    pairable_unit_count: int
    rating_count: int
    rater_count: int
    kappas: KappaSummary


@dataclass(frozen=True)
class AgreementReport:
    verdict: DimensionAgreement
    dimensions: tuple[DimensionAgreement, ...]


def is_reversed(*, model_a_id: int, model_b_id: int) -> bool:
    """Return whether the sides as shown are the reverse of the canonical orientation."""
    return model_a_id > model_b_id


def unit_key(*, prompt_key: Hashable, model_a_id: int, model_b_id: int) -> tuple[Hashable, ...]:
    """Return the unit of a judgment: its prompt and its pair of models in canonical order."""
    return (prompt_key, min(model_a_id, model_b_id), max(model_a_id, model_b_id))


def canonical_verdict(*, verdict: str, reversed_sides: bool) -> str:
    """Map a verdict as shown to the canonical orientation; raise ValueError if unknown."""
    if verdict not in VERDICT_CODES:
        raise ValueError(f"Unknown verdict {verdict!r}; expected one of {sorted(VERDICT_CODES)}.")
    return VERDICT_SWAP.get(verdict, verdict) if reversed_sides else verdict


def canonical_scores(*, scores: Mapping[str, object], reversed_sides: bool) -> dict[str, int]:
    """Map dimension scores as shown to the canonical orientation by negating them if reversed.

    Raises ValueError for a score that is not an integer on the graded scale -2..2, which the
    judgment service never stores.
    """
    canonical: dict[str, int] = {}
    for key, value in scores.items():
        if type(value) is not int or value not in DIMENSION_SCALE_VALUES:
            raise ValueError(f"Dimension score {key}={value!r} is not an integer from -2 to 2.")
        canonical[key] = -value if reversed_sides else value
    return canonical


def reliability_matrix(
    ratings: Sequence[Rating], value_of: Callable[[Rating], float | None]
) -> tuple[npt.NDArray[np.float64], list[Hashable], list[Hashable]]:
    """Build the raters-by-units matrix of values, NaN where a rating is missing.

    A rater who rated a unit more than once keeps the value of their last rating in
    `ratings`, so callers pass ratings in the order they were made. A rating whose
    `value_of` is None is missing. Units and raters come in order of first appearance.
    """
    raters: dict[Hashable, int] = {}
    units: dict[Hashable, int] = {}
    cells: dict[tuple[int, int], float] = {}
    for rating in ratings:
        value = value_of(rating)
        if value is None:
            continue
        row = raters.setdefault(rating.rater, len(raters))
        column = units.setdefault(rating.unit, len(units))
        cells[(row, column)] = value

    matrix = np.full((len(raters), len(units)), np.nan)
    for (row, column), value in cells.items():
        matrix[row, column] = value
    return matrix, list(raters), list(units)


def krippendorff_alpha(
    matrix: npt.NDArray[np.float64],
    *,
    level: Level,
    value_domain: Sequence[float] | None = None,
    value_names: Mapping[float, str] | None = None,
) -> AgreementFigure:
    """Krippendorff's alpha of a raters-by-units matrix, NaN marking a missing rating.

    Parameters
    ----------
    matrix : numpy.ndarray of float64, shape (raters, units)
        Units rated by fewer than two raters drop out, as the coefficient requires.
    level : {"nominal", "ordinal", "interval", "ratio"}
        Level of measurement, which picks the distance between two values.
    value_domain : sequence of float, optional
        Every value the scale allows, in order. Needed for an ordinal scale whose data may
        not use every value; the values found in the data when omitted.
    value_names : mapping of float to str, optional
        Names of coded values (such as verdict codes) for the reason of an undefined alpha.

    Returns
    -------
    AgreementFigure
        Undefined, with the reason, when no unit has two ratings (an empty matrix included)
        or when every pairable rating has one value (zero expected disagreement). Never NaN.
    """
    pairable = matrix[:, np.sum(~np.isnan(matrix), axis=0) >= 2]
    values = pairable[~np.isnan(pairable)]
    if values.size == 0:
        return AgreementFigure(None, REASON_NO_PAIRABLE_UNIT)
    distinct = np.unique(values)
    if distinct.size == 1:
        value = _format_value(distinct[0], value_names)
        return AgreementFigure(None, REASON_NO_VARIATION.format(value=value))

    alpha = krippendorff.alpha(
        reliability_data=matrix,
        value_domain=None if value_domain is None else list(value_domain),
        level_of_measurement=level,
    )
    return AgreementFigure(float(alpha))


def cohen_kappa(
    first: Sequence[float] | npt.NDArray[np.float64],
    second: Sequence[float] | npt.NDArray[np.float64],
    *,
    labels: Sequence[float],
    weights: KappaWeights = None,
    value_names: Mapping[float, str] | None = None,
) -> AgreementFigure:
    """Cohen's kappa of two raters over the same units, in the same order.

    `labels` lists every value of the scale in order (the weights of a weighted kappa are
    distances between positions in it). Undefined, with the reason, when both raters gave
    one and the same value to every unit; raises ValueError for sequences of unequal or zero
    length.
    """
    first_values = np.asarray(first, dtype=np.float64)
    second_values = np.asarray(second, dtype=np.float64)
    if first_values.shape != second_values.shape or first_values.size == 0:
        raise ValueError(
            f"Kappa needs two equally long, non-empty rating sequences; got {first_values.size} "
            f"and {second_values.size} ratings."
        )
    both = np.unique(np.concatenate([first_values, second_values]))
    if both.size == 1:
        value = _format_value(both[0], value_names)
        return AgreementFigure(None, REASON_KAPPA_NO_VARIATION.format(value=value))

    kappa = cohen_kappa_score(first_values, second_values, labels=list(labels), weights=weights)
    return AgreementFigure(float(kappa))


def pairwise_kappas(
    matrix: npt.NDArray[np.float64],
    raters: Sequence[Hashable],
    *,
    labels: Sequence[float],
    weights: KappaWeights = None,
    min_shared_units: int = MIN_SHARED_UNITS_FOR_KAPPA,
    value_names: Mapping[float, str] | None = None,
) -> KappaSummary:
    """Cohen's kappa of every pair of raters sharing at least `min_shared_units` units."""
    present = (~np.isnan(matrix)).astype(np.int64)
    shared = present @ present.T
    pairs: list[PairKappa] = []
    below = 0
    for first, second in combinations(range(len(raters)), 2):
        count = int(shared[first, second])
        if count == 0:
            continue
        if count < min_shared_units:
            below += 1
            continue
        columns = (present[first] == 1) & (present[second] == 1)
        figure = cohen_kappa(
            matrix[first, columns],
            matrix[second, columns],
            labels=labels,
            weights=weights,
            value_names=value_names,
        )
        pairs.append(PairKappa(raters[first], raters[second], count, figure))

    defined = np.array([pair.kappa.value for pair in pairs if pair.kappa.value is not None])
    return KappaSummary(
        pairs=tuple(pairs),
        pairs_below_minimum=below,
        min_shared_units=min_shared_units,
        median=float(np.median(defined)) if defined.size else None,
        minimum=float(defined.min()) if defined.size else None,
        maximum=float(defined.max()) if defined.size else None,
    )


def dimension_agreement(
    ratings: Sequence[Rating],
    *,
    name: str,
    value_of: Callable[[Rating], float | None],
    level: Level,
    labels: Sequence[float],
    weights: KappaWeights = None,
    min_shared_units: int = MIN_SHARED_UNITS_FOR_KAPPA,
    value_names: Mapping[float, str] | None = None,
) -> DimensionAgreement:
    """Alpha and pairwise kappas of one dimension; `labels` is the whole scale, in order."""
    matrix, raters, units = reliability_matrix(ratings, value_of)
    rated = np.sum(~np.isnan(matrix), axis=0)
    return DimensionAgreement(
        name=name,
        level=level,
        alpha=krippendorff_alpha(matrix, level=level, value_domain=labels, value_names=value_names),
        unit_count=len(units),
        pairable_unit_count=int(np.sum(rated >= 2)),
        rating_count=int(np.sum(rated)),
        rater_count=len(raters),
        kappas=pairwise_kappas(
            matrix,
            raters,
            labels=labels,
            weights=weights,
            min_shared_units=min_shared_units,
            value_names=value_names,
        ),
    )


def agreement_report(
    ratings: Sequence[Rating],
    *,
    dimensions: Sequence[str],
    min_shared_units: int = MIN_SHARED_UNITS_FOR_KAPPA,
) -> AgreementReport:
    """Agreement on the overall verdict and on each rating dimension.

    The verdict is nominal (alpha, and unweighted kappa). Each dimension is ordinal on the
    graded scale -2..2 (alpha, and linearly weighted kappa, so that -2 against -1 counts as a
    smaller disagreement than -2 against 2). Ratings must be in the order they were made; see
    `reliability_matrix` for a rater who rated a unit twice.
    """
    verdict = dimension_agreement(
        ratings,
        name="verdict",
        value_of=lambda rating: float(VERDICT_CODES[rating.verdict]),
        level="nominal",
        labels=sorted(VERDICT_CODES.values()),
        min_shared_units=min_shared_units,
        value_names={float(code): verdict for verdict, code in VERDICT_CODES.items()},
    )
    per_dimension = tuple(
        dimension_agreement(
            ratings,
            name=key,
            value_of=_score_getter(key),
            level="ordinal",
            labels=DIMENSION_SCALE_VALUES,
            weights="linear",
            min_shared_units=min_shared_units,
        )
        for key in dimensions
    )
    return AgreementReport(verdict=verdict, dimensions=per_dimension)


def _score_getter(key: str) -> Callable[[Rating], float | None]:
    def value_of(rating: Rating) -> float | None:
        score = rating.scores.get(key)
        return None if score is None else float(score)

    return value_of


def _format_value(value: float, names: Mapping[float, str] | None) -> str:
    if names is not None and float(value) in names:
        return repr(names[float(value)])
    return str(int(value)) if float(value).is_integer() else str(value)
