"""Bradley-Terry maximum-likelihood fit by Newton's method, for one or many data sets at once.

Strengths are natural-log strengths theta with P(i beats j) = sigmoid(theta_i - theta_j).
Each data set is a row of pair weights: ``wins`` counts the first model's wins plus half its
ties, and ``totals`` counts all judgments of the pair. The log-likelihood of a row is

    sum over pairs of wins * log sigmoid(x) + (totals - wins) * log sigmoid(-x),

with x = theta_first - theta_second. It is concave, its Hessian is minus the graph Laplacian
with pair weights totals * p * (1 - p), and adding a constant to every strength of a
connected component leaves it unchanged. The point fit is a batch of one row, and the
bootstrap fits many resampled rows against the same pairs.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from leaderboards.rating.elo import ELO_SCALE
from leaderboards.rating.errors import FitDidNotConverge
from leaderboards.rating.pair_graph import PairGraph

# Armijo constant: a step must gain at least this share of the gain that its slope predicts.
_ARMIJO_FRACTION = 1e-4

# Halvings of a step before the line search gives up.
_MAX_STEP_HALVINGS = 60

# Relative rounding slack when comparing log-likelihoods. Near the optimum the gain of a step
# falls below the rounding error of a sum over all pairs, so a step that loses no more than
# this share of |log-likelihood| counts as no loss.
_LOG_LIKELIHOOD_SLACK = 1e-12

# A row that uses the shared matrix switches to its own Hessian once a step is larger than
# this share of the step before it, or needs halving, because its convergence is then slow.
_SHARED_MATRIX_MAX_CONTRACTION = 0.25


@dataclass(frozen=True)
class StrengthFit:
    """Maximum-likelihood strengths for a batch of rows.

    Attributes
    ----------
    strengths : numpy.ndarray of float64, shape (rows, models)
        Natural-log strengths, each component centred on zero.
    iterations : numpy.ndarray of int64, shape (rows,)
        Iterations that each row took, counting the last, converged one.
    """

    strengths: npt.NDArray[np.float64]
    iterations: npt.NDArray[np.int64]


@dataclass(frozen=True)
class _State:
    """Strengths of the active rows and the pair terms computed from them."""

    strengths: npt.NDArray[np.float64]
    differences: npt.NDArray[np.float64]
    # exp(-|difference|), from which sigmoid(x) and log sigmoid(x) follow without overflow.
    decay: npt.NDArray[np.float64]
    log_likelihood: npt.NDArray[np.float64]

    def subset(self, rows: npt.NDArray[np.bool_]) -> "_State":
        return _State(
            self.strengths[rows],
            self.differences[rows],
            self.decay[rows],
            self.log_likelihood[rows],
        )


def fit_strengths(
    graph: PairGraph,
    wins: npt.NDArray[np.float64],
    totals: npt.NDArray[np.float64],
    start: npt.NDArray[np.float64],
    *,
    max_iterations: int,
    tolerance: float,
    context: str,
    shared_inverse: npt.NDArray[np.float64] | None = None,
) -> StrengthFit:
    """Fit Bradley-Terry strengths to each row of pair weights by Newton's method.

    A Newton step solves (L + J) step = g, where g is the gradient, L the weighted graph
    Laplacian (minus the Hessian) and J has a 1 wherever two models share a component (see
    `PairGraph.laplacian_systems`), so every component keeps mean strength zero. A
    backtracking line search stops any step from lowering the log-likelihood.

    With `shared_inverse`, rows first step with that one inverse in place of solving with
    their own matrix (a chord method). That replaces one linear solve per row and iteration
    by a matrix product, and converges fast when the rows are close to the data that the
    inverse came from, such as bootstrap resamples. A row whose steps stop shrinking
    quickly switches to its own Hessian. Every row stops by the same test.

    Parameters
    ----------
    graph : PairGraph
        Pairs and components. Every component must be strongly connected in the win-or-tie
        graph of every row, or the maximum does not exist and the fit raises.
    wins, totals : numpy.ndarray of float64, shape (rows, pairs)
        Wins plus half the ties of the first model of each pair, and all judgments.
    start : numpy.ndarray of float64, shape (rows, models)
        Starting strengths, such as zeros or a previous fit.
    max_iterations : int
        Iterations allowed per row.
    tolerance : float
        A row has converged once its largest strength step is below this, in natural-log
        units. That last step is applied.
    context : str
        What the rows are, for the error message, such as "of the full data".
    shared_inverse : numpy.ndarray of float64, shape (models, models), optional
        Inverse of L + J at a point near every row's maximum, see `newton_matrix`.

    Returns
    -------
    StrengthFit

    Raises
    ------
    FitDidNotConverge
        If a row has not converged after `max_iterations`, or its line search or linear
        solve fails. No partial result is returned.
    """
    row_count = wins.shape[0]
    strengths = graph.centre(np.array(start, dtype=np.float64))
    iterations = np.zeros(row_count, dtype=np.int64)
    active = np.arange(row_count)
    state = _evaluate(graph, wins, totals, strengths)
    uses_own_hessian = np.full(row_count, shared_inverse is None)
    previous_change = np.full(row_count, np.inf)

    for iteration in range(1, max_iterations + 1):
        gradient = graph.signed_sums(wins - totals * _first_wins_probability(state))
        step = np.empty_like(gradient)
        own = uses_own_hessian
        if own.any():
            systems = graph.laplacian_systems(_pair_weights(totals[own], state.decay[own]))
            step[own] = _solve(systems, gradient[own], context, iteration)
        if shared_inverse is not None and not own.all():
            step[~own] = gradient[~own] @ shared_inverse
        change = np.abs(step).max(axis=1, initial=0.0)
        iterations[active] = iteration

        converged = change < tolerance
        strengths[active[converged]] = state.strengths[converged] + step[converged]
        if converged.all():
            return StrengthFit(strengths=graph.centre(strengths), iterations=iterations)

        keep = ~converged
        slow = change > _SHARED_MATRIX_MAX_CONTRACTION * previous_change
        active, wins, totals = active[keep], wins[keep], totals[keep]
        slope = np.einsum("ij,ij->i", gradient[keep], step[keep])
        state, halved = _line_search(
            graph, wins, totals, state.subset(keep), step[keep], slope, (context, iteration)
        )
        uses_own_hessian = (uses_own_hessian | slow)[keep] | halved
        previous_change = change[keep]

    raise FitDidNotConverge(
        iterations=max_iterations,
        last_change=float(previous_change.max()) * ELO_SCALE,
        context=context,
    )


def newton_matrix(
    graph: PairGraph, totals: npt.NDArray[np.float64], strengths: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Return L + J at the given strengths, for one row of pair totals."""
    decay = np.exp(-np.abs(graph.differences(strengths[np.newaxis])))
    matrix: npt.NDArray[np.float64] = graph.laplacian_systems(
        _pair_weights(totals[np.newaxis], decay)
    )[0]
    return matrix


def log_likelihood(
    graph: PairGraph,
    wins: npt.NDArray[np.float64],
    totals: npt.NDArray[np.float64],
    strengths: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Return the log-likelihood of each row of pair weights at the given strengths."""
    return _evaluate(graph, wins, totals, strengths).log_likelihood


def _evaluate(
    graph: PairGraph,
    wins: npt.NDArray[np.float64],
    totals: npt.NDArray[np.float64],
    strengths: npt.NDArray[np.float64],
) -> _State:
    differences = graph.differences(strengths)
    decay = np.exp(-np.abs(differences))
    # log sigmoid(x) = min(x, 0) - log1p(exp(-|x|)), log sigmoid(-x) = -max(x, 0) - log1p(...).
    terms = wins * np.minimum(differences, 0.0) - (totals - wins) * np.maximum(differences, 0.0)
    terms -= totals * np.log1p(decay)
    return _State(strengths, differences, decay, terms.sum(axis=1))


def _first_wins_probability(state: _State) -> npt.NDArray[np.float64]:
    """Return sigmoid(difference) for every pair, computed from exp(-|difference|)."""
    inverse = 1.0 / (1.0 + state.decay)
    return np.where(state.differences >= 0.0, inverse, state.decay * inverse)


def _pair_weights(
    totals: npt.NDArray[np.float64], decay: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Return totals * p * (1 - p), using p * (1 - p) = exp(-|x|) / (1 + exp(-|x|))^2."""
    inverse = 1.0 / (1.0 + decay)
    return totals * decay * inverse * inverse


def _solve(
    systems: npt.NDArray[np.float64],
    gradient: npt.NDArray[np.float64],
    context: str,
    iteration: int,
) -> npt.NDArray[np.float64]:
    try:
        solution = np.linalg.solve(systems, gradient[..., np.newaxis])
        step = np.asarray(solution[..., 0], dtype=np.float64)
    except np.linalg.LinAlgError as error:
        raise FitDidNotConverge(
            iterations=iteration, last_change=float("inf"), context=context
        ) from error
    if not np.isfinite(step).all():
        raise FitDidNotConverge(iterations=iteration, last_change=float("inf"), context=context)
    return step


def _line_search(
    graph: PairGraph,
    wins: npt.NDArray[np.float64],
    totals: npt.NDArray[np.float64],
    state: _State,
    step: npt.NDArray[np.float64],
    slope: npt.NDArray[np.float64],
    position: tuple[str, int],
) -> tuple[_State, npt.NDArray[np.bool_]]:
    """Halve each row's step until its log-likelihood rises enough.

    Returns the new state and which rows needed at least one halving.
    """
    step_size = np.ones(len(slope))
    trial = _evaluate(graph, wins, totals, state.strengths + step)
    slack = _LOG_LIKELIHOOD_SLACK * (1.0 + np.abs(state.log_likelihood))

    for _ in range(_MAX_STEP_HALVINGS):
        required = state.log_likelihood + _ARMIJO_FRACTION * step_size * slope - slack
        # Written as "not >=" so that a NaN log-likelihood counts as a rejection.
        rejected = ~(trial.log_likelihood >= required)
        if not rejected.any():
            return trial, step_size < 1.0
        step_size[rejected] /= 2.0
        retry = state.strengths[rejected] + step_size[rejected, np.newaxis] * step[rejected]
        retried = _evaluate(graph, wins[rejected], totals[rejected], retry)
        trial.strengths[rejected] = retried.strengths
        trial.differences[rejected] = retried.differences
        trial.decay[rejected] = retried.decay
        trial.log_likelihood[rejected] = retried.log_likelihood

    context, iteration = position
    raise FitDidNotConverge(
        iterations=iteration, last_change=float(np.abs(step).max()) * ELO_SCALE, context=context
    )
