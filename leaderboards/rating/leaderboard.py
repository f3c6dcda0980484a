"""The leaderboard fit: Bradley-Terry ratings, bootstrap intervals and ranks from pair counts."""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leaderboards.rating import errors
from leaderboards.rating.bootstrap import bootstrap_strengths
from leaderboards.rating.bradley_terry import fit_strengths, log_likelihood
from leaderboards.rating.counts import PairCounts
from leaderboards.rating.elo import ELO_SCALE, ratings_from_strengths
from leaderboards.rating.graph import comparison_components, strongly_connected_components
from leaderboards.rating.pair_graph import PairGraph
from leaderboards.rating.ranking import ranks_from_intervals, ranks_from_ratings

# Largest rating change, in Elo points, of the Newton step that ends a fit. Newton's method
# converges quadratically, so the error left after that step is far smaller.
DEFAULT_TOLERANCE = 1e-4

# Percentiles of the bootstrap ratings that bound each model's interval.
INTERVAL_PERCENTILES = (2.5, 97.5)


@dataclass(frozen=True)
class LeaderboardFit:
    """Ratings, intervals and ranks of one fit. Every array is indexed by model.

    Attributes
    ----------
    model_names : tuple of str
        Name of each model.
    ratings : numpy.ndarray of float64
        Maximum-likelihood Elo ratings of the full data. Each component has mean
        BASE_RATING unless the anchor shifted it.
    ci_lower, ci_upper : numpy.ndarray of float64 or None
        2.5th and 97.5th percentiles of the bootstrap ratings, or None without bootstrap.
    ranks : numpy.ndarray of int64
        Rank within the component, from 1 (see `ranks_from_intervals`).
    components : numpy.ndarray of int64
        Component of the comparison graph, from 1, largest first, then by smallest index.
    judgments, wins, losses, ties : numpy.ndarray of float64
        Judgments of each model, and how many it won, lost and tied.
    win_rate : numpy.ndarray of float64
        (wins + ties / 2) / judgments.
    warnings : tuple of str
        Disconnected components, virtual ties and resamples that needed them.
    virtual_ties_applied : tuple of int
        Components that got one virtual tie on every compared pair.
    iterations : int
        Newton iterations of the point fit.
    log_likelihood : float
        Natural-log likelihood of the observed judgments at the fitted ratings. Ties count
        as half a win each way, and virtual ties are not included.
    """

    model_names: tuple[str, ...]
    ratings: npt.NDArray[np.float64]
    ci_lower: npt.NDArray[np.float64] | None
    ci_upper: npt.NDArray[np.float64] | None
    ranks: npt.NDArray[np.int64]
    components: npt.NDArray[np.int64]
    judgments: npt.NDArray[np.float64]
    wins: npt.NDArray[np.float64]
    losses: npt.NDArray[np.float64]
    ties: npt.NDArray[np.float64]
    win_rate: npt.NDArray[np.float64]
    warnings: tuple[str, ...]
    virtual_ties_applied: tuple[int, ...]
    iterations: int
    log_likelihood: float

    def order(self) -> npt.NDArray[np.int64]:
        """Return model indices by component, then rating (highest first), then name."""
        indices = sorted(
            range(len(self.model_names)),
            key=lambda i: (self.components[i], -self.ratings[i], self.model_names[i]),
        )
        return np.array(indices, dtype=np.int64)


@dataclass(frozen=True)
class _ModelTotals:
    judgments: npt.NDArray[np.float64]
    wins: npt.NDArray[np.float64]
    losses: npt.NDArray[np.float64]
    ties: npt.NDArray[np.float64]


def fit_leaderboard(
    counts: PairCounts,
    *,
    bootstrap_rounds: int,
    rng: np.random.Generator,
    model_names: Sequence[str],
    anchor: tuple[int, float] | None = None,
    max_iterations: int = 100,
    tolerance: float = DEFAULT_TOLERANCE,
) -> LeaderboardFit:
    """Fit Bradley-Terry ratings on the Elo scale, with bootstrap intervals and ranks.

    P(i beats j) = 1 / (1 + 10 ** ((R_j - R_i) / 400)). A tie, "both bad" included, is one
    comparison that counts as half a win for each side. The published ratings are the
    maximum-likelihood fit of the full data, never a bootstrap median.

    Parameters
    ----------
    counts : PairCounts
        Judgments per model pair. Every model must have at least one judgment.
    bootstrap_rounds : int
        Resamples of the judgments for the intervals. 0 gives no intervals, and ranks then
        come from the ratings alone.
    rng : numpy.random.Generator
        Source of the resamples. The same generator state gives the same fit.
    model_names : sequence of str
        Name of each model, used in warnings and to break ties in `LeaderboardFit.order`.
    anchor : (int, float), optional
        Model index and rating. The anchor's component is shifted, ratings and intervals
        alike, so that this model has this rating. Other components keep mean 1000.
    max_iterations : int
        Newton iterations allowed for the point fit and for each bootstrap round.
    tolerance : float
        The fit stops once a Newton step changes no rating by this many Elo points or more.

    Returns
    -------
    LeaderboardFit

    Raises
    ------
    ValueError
        If there are no models, a model has no judgments (the message names it), the names
        do not match the models, or an argument is out of range.
    FitDidNotConverge
        If the point fit or a bootstrap round does not converge within `max_iterations`.

    Notes
    -----
    Special inputs are handled as follows.

    - No judgments: ValueError. With no models the message states that there is nothing to
      rate, and otherwise it names the first model without judgments.
    - A model with no wins or no losses: a model that lost (or won) every judgment, with no
      ties, leaves its component without an exact estimate, so the virtual-tie rule below
      applies. A model with ties has win-or-tie edges both ways and needs no rule.
    - Only ties: every tie is an edge both ways, so the exact estimate exists, and a
      component with nothing but ties rates every model 1000.
    - An unknown outcome code cannot reach this function, because
      `pair_counts_from_judgments` and `pair_counts_from_table` raise ValueError for it.
    - A disconnected comparison graph: each connected component is fitted on its own, with
      mean rating 1000 before any anchor and its own ranks. `warnings` lists the
      components, because ratings of different components are not comparable.
    - A connected component whose win-or-tie graph (i -> j when i beat or tied j) is not
      strongly connected has no finite maximum-likelihood estimate. That component alone
      gets one virtual tie, half a win each way, on every pair compared in it, which makes
      the estimate exist. The component is listed in `virtual_ties_applied` and named in
      `warnings`. A component with an exact estimate never gets virtual ties in the point
      fit. A bootstrap round whose resample of such a component has no exact estimate gets
      the same virtual ties on the component's full-data pairs, and a warning counts those
      rounds.
    """
    _check_arguments(counts, bootstrap_rounds, model_names, anchor, max_iterations, tolerance)
    counts = _compared_pairs(counts)
    names = tuple(model_names)
    totals = _model_totals(counts)
    _check_every_model_judged(totals.judgments, names)

    components = comparison_components(counts.model_count, counts.first, counts.second)
    exact = strongly_connected_components(
        components,
        counts.first,
        counts.second,
        (counts.first_wins + counts.ties) > 0,
        (counts.second_wins + counts.ties) > 0,
    )
    graph = PairGraph(counts.model_count, counts.first, counts.second, components)
    ruled_pairs = ~exact[components[counts.first] - 1]
    point = fit_strengths(
        graph,
        (counts.first_wins + 0.5 * counts.ties + 0.5 * ruled_pairs)[np.newaxis],
        (counts.totals + ruled_pairs)[np.newaxis],
        np.zeros((1, counts.model_count)),
        max_iterations=max_iterations,
        tolerance=tolerance / ELO_SCALE,
        context="of the full data",
    )
    strengths = point.strengths[0]
    ratings = ratings_from_strengths(strengths)
    warnings = _component_warnings(components, exact, names)

    intervals = None
    if bootstrap_rounds > 0:
        bootstrap = bootstrap_strengths(
            graph,
            counts,
            rounds=bootstrap_rounds,
            rng=rng,
            start=strengths,
            virtual_tie_components=~exact,
            max_iterations=max_iterations,
            tolerance=tolerance / ELO_SCALE,
        )
        intervals = np.percentile(
            ratings_from_strengths(bootstrap.strengths), INTERVAL_PERCENTILES, axis=0
        )
        warnings += _bootstrap_warnings(
            bootstrap.virtual_tie_rounds, bootstrap_rounds, components, names
        )

    if anchor is not None:
        # A pure shift of the anchor's component: differences and widths stay as they are.
        shift = np.where(components == components[anchor[0]], anchor[1] - ratings[anchor[0]], 0.0)
        ratings = ratings + shift
        if intervals is not None:
            intervals = intervals + shift

    if intervals is not None:
        ranks = ranks_from_intervals(components, intervals[0], intervals[1])
    else:
        ranks = ranks_from_ratings(components, ratings)

    return LeaderboardFit(
        model_names=names,
        ratings=ratings,
        ci_lower=None if intervals is None else intervals[0],
        ci_upper=None if intervals is None else intervals[1],
        ranks=ranks,
        components=components,
        judgments=totals.judgments,
        wins=totals.wins,
        losses=totals.losses,
        ties=totals.ties,
        win_rate=(totals.wins + 0.5 * totals.ties) / totals.judgments,
        warnings=warnings,
        virtual_ties_applied=tuple(int(c) for c in np.flatnonzero(~exact) + 1),
        iterations=int(point.iterations[0]),
        log_likelihood=_observed_log_likelihood(graph, counts, strengths),
    )


def _observed_log_likelihood(
    graph: PairGraph, counts: PairCounts, strengths: npt.NDArray[np.float64]
) -> float:
    """Return the log-likelihood of the judgments alone, without virtual ties."""
    wins = counts.first_wins + 0.5 * counts.ties
    values = log_likelihood(
        graph, wins[np.newaxis], counts.totals[np.newaxis], strengths[np.newaxis]
    )
    return float(values[0])


def _check_arguments(
    counts: PairCounts,
    bootstrap_rounds: int,
    model_names: Sequence[str],
    anchor: tuple[int, float] | None,
    max_iterations: int,
    tolerance: float,
) -> None:
    if counts.model_count == 0:
        raise ValueError(errors.NO_MODELS)
    if len(model_names) != counts.model_count:
        raise ValueError(
            errors.MODEL_NAMES_MISMATCH.format(
                name_count=len(model_names), model_count=counts.model_count
            )
        )
    if not _is_integer(bootstrap_rounds) or bootstrap_rounds < 0:
        raise ValueError(errors.BOOTSTRAP_ROUNDS_INVALID.format(rounds=bootstrap_rounds))
    if not _is_integer(max_iterations) or max_iterations < 1:
        raise ValueError(errors.MAX_ITERATIONS_INVALID.format(max_iterations=max_iterations))
    if not (np.isfinite(tolerance) and tolerance > 0):
        raise ValueError(errors.TOLERANCE_INVALID.format(tolerance=tolerance))
    if anchor is not None:
        index, rating = anchor
        if not _is_integer(index) or not 0 <= index < counts.model_count:
            raise ValueError(
                errors.ANCHOR_MODEL_INVALID.format(index=index, last_index=counts.model_count - 1)
            )
        if not np.isfinite(rating):
            raise ValueError(errors.ANCHOR_RATING_INVALID.format(rating=rating))


def _is_integer(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


def _compared_pairs(counts: PairCounts) -> PairCounts:
    """Drop pairs without judgments, so that every remaining pair is an edge of the graph."""
    compared = counts.totals > 0
    if compared.all():
        return counts
    return PairCounts(
        model_count=counts.model_count,
        first=counts.first[compared],
        second=counts.second[compared],
        first_wins=counts.first_wins[compared],
        second_wins=counts.second_wins[compared],
        ties=counts.ties[compared],
    )


def _model_totals(counts: PairCounts) -> _ModelTotals:
    def per_model(
        first_side: npt.NDArray[np.float64], second_side: npt.NDArray[np.float64]
    ) -> npt.NDArray[np.float64]:
        size = counts.model_count
        first_sums = np.bincount(counts.first, first_side, size)
        second_sums = np.bincount(counts.second, second_side, size)
        return np.asarray(first_sums + second_sums, dtype=np.float64)

    return _ModelTotals(
        judgments=per_model(counts.totals, counts.totals),
        wins=per_model(counts.first_wins, counts.second_wins),
        losses=per_model(counts.second_wins, counts.first_wins),
        ties=per_model(counts.ties, counts.ties),
    )


def _check_every_model_judged(judgments: npt.NDArray[np.float64], names: tuple[str, ...]) -> None:
    unjudged = np.flatnonzero(judgments == 0)
    if unjudged.size:
        index = int(unjudged[0])
        raise ValueError(errors.MODEL_WITHOUT_JUDGMENTS.format(name=names[index], index=index))


def _member_names(components: npt.NDArray[np.int64], component: int, names: tuple[str, ...]) -> str:
    return ", ".join(names[i] for i in np.flatnonzero(components == component))


def _component_warnings(
    components: npt.NDArray[np.int64], exact: npt.NDArray[np.bool_], names: tuple[str, ...]
) -> tuple[str, ...]:
    warnings: list[str] = []
    component_count = len(exact)
    if component_count > 1:
        listing = ", ".join(
            f"{c} ({_member_names(components, c, names)})" for c in range(1, component_count + 1)
        )
        warnings.append(
            f"The comparison graph has {component_count} separate components: {listing}. "
            "Each component is rated and ranked on its own, so compare ratings only within "
            "a component."
        )
    for component in (np.flatnonzero(~exact) + 1).tolist():
        warnings.append(
            f"Component {component} ({_member_names(components, component, names)}) has no "
            "exact maximum-likelihood estimate, because some of its models never beat or "
            "tied the others. One virtual tie was added to every pair compared in it, in the "
            "point fit and in every bootstrap round."
        )
    return tuple(warnings)


def _bootstrap_warnings(
    virtual_tie_rounds: npt.NDArray[np.int64],
    rounds: int,
    components: npt.NDArray[np.int64],
    names: tuple[str, ...],
) -> tuple[str, ...]:
    return tuple(
        f"In {virtual_tie_rounds[component - 1]} of {rounds} bootstrap rounds, the resampled "
        f"judgments of component {component} ({_member_names(components, component, names)}) "
        "had no exact maximum-likelihood estimate, so those rounds added one virtual tie to "
        "every pair compared in it."
        for component in (np.flatnonzero(virtual_tie_rounds) + 1).tolist()
    )
