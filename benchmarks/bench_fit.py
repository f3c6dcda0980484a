"""Time the leaderboard fit against two baselines on synthetic judgments.

Run from the repository root:

    python benchmarks/bench_fit.py [--models 100] [--judgments 1000000] [--rounds 1000]
                                   [--seed 0] [--skip-arena] [--skip-choix]

Judgments come from a Bradley-Terry model with known strengths and a fixed seed. Each method
computes point ratings and `--rounds` bootstrap resamples:

- product: `pair_counts_from_judgments` and `fit_leaderboard` from leaderboards.rating.
- arena: logistic regression in the style of the Chatbot Arena leaderboard, written here
  from its description. scipy's L-BFGS-B fits one weighted row per distinct
  (model_a, model_b, outcome), and every bootstrap round refits from zero with multinomial
  weights on those rows, spread over a pool of 2 processes. A tie is two rows, a win for
  each side, with half the weight each, so that its likelihood matches the product's.
- choix: `choix.ilsr_pairwise_dense` (the iterative Luce spectral ranking ML estimate) on
  the dense win matrix with ties as half a win each way, one round after another in this
  process. choix documents it as the efficient choice for dense data, and its other
  pairwise functions take one tuple per judgment, a million per round here.

The script prints times, the ratio of each baseline's time to the product's, the largest
difference between point ratings in Elo points, and mean interval widths. It asserts
nothing, because speed is not a test.
"""

import argparse
import multiprocessing
import os
import platform
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy
from scipy.optimize import minimize
from scipy.special import expit, log_expit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from leaderboards.rating import (  # noqa: E402  # needs the path above
    ELO_SCALE,
    fit_leaderboard,
    pair_counts_from_judgments,
)

ARENA_WORKERS = 2
TIE_SHARE = 0.2
STRENGTH_SPREAD = 0.8  # standard deviation of the true natural-log strengths


@dataclass(frozen=True)
class Judgments:
    model_a: npt.NDArray[np.int64]
    model_b: npt.NDArray[np.int64]
    outcome: npt.NDArray[np.int64]
    model_count: int


@dataclass(frozen=True)
class MethodResult:
    name: str
    point_seconds: float
    total_seconds: float
    ratings: npt.NDArray[np.float64]
    ci_lower: npt.NDArray[np.float64]
    ci_upper: npt.NDArray[np.float64]


def generate_judgments(model_count: int, judgment_count: int, seed: int) -> Judgments:
    """Draw judgments between random distinct models, with ties at TIE_SHARE."""
    rng = np.random.default_rng(seed)
    strengths = rng.normal(0.0, STRENGTH_SPREAD, model_count)
    model_a = rng.integers(0, model_count, judgment_count)
    model_b = (model_a + rng.integers(1, model_count, judgment_count)) % model_count
    a_wins = rng.random(judgment_count) < expit(strengths[model_a] - strengths[model_b])
    outcome = np.where(a_wins, 0, 1)
    outcome[rng.random(judgment_count) < TIE_SHARE] = 2
    return Judgments(model_a, model_b, outcome, model_count)


def run_product(judgments: Judgments, rounds: int, seed: int) -> MethodResult:
    names = [f"model {index}" for index in range(judgments.model_count)]
    started = time.perf_counter()
    counts = pair_counts_from_judgments(
        judgments.model_a, judgments.model_b, judgments.outcome, judgments.model_count
    )
    fit_leaderboard(counts, bootstrap_rounds=0, rng=np.random.default_rng(seed), model_names=names)
    point_seconds = time.perf_counter() - started

    started = time.perf_counter()
    counts = pair_counts_from_judgments(
        judgments.model_a, judgments.model_b, judgments.outcome, judgments.model_count
    )
    fit = fit_leaderboard(
        counts, bootstrap_rounds=rounds, rng=np.random.default_rng(seed), model_names=names
    )
    total_seconds = time.perf_counter() - started
    if fit.ci_lower is None or fit.ci_upper is None:
        raise RuntimeError("fit_leaderboard returned no intervals despite bootstrap rounds.")
    return MethodResult(
        "product", point_seconds, total_seconds, fit.ratings, fit.ci_lower, fit.ci_upper
    )


@dataclass(frozen=True)
class LogisticRows:
    """Rows of the Arena-style regression: each row is a win of `winner` over `loser`."""

    winner: npt.NDArray[np.int64]
    loser: npt.NDArray[np.int64]
    model_count: int


# The rows of the running process, set once per pool worker so that tasks carry only weights.
_worker_rows: list[LogisticRows] = []


def _set_worker_rows(rows: LogisticRows) -> None:
    _worker_rows[:] = [rows]


def _logistic_fit(weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Maximise sum(weights * log sigmoid(theta_winner - theta_loser)) with L-BFGS-B."""
    rows = _worker_rows[0]

    def objective(strengths: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        gap = strengths[rows.winner] - strengths[rows.loser]
        slope = weights * expit(-gap)
        gradient = np.bincount(rows.winner, slope, rows.model_count) - np.bincount(
            rows.loser, slope, rows.model_count
        )
        return -float(weights @ log_expit(gap)), -gradient.astype(np.float64)

    result = minimize(
        objective,
        np.zeros(rows.model_count),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 10_000, "ftol": 1e-14, "gtol": 1e-7},
    )
    strengths = np.asarray(result.x - result.x.mean(), dtype=np.float64)
    return 1000.0 + ELO_SCALE * strengths


def run_arena(judgments: Judgments, rounds: int, seed: int) -> MethodResult:
    started = time.perf_counter()
    m = judgments.model_count
    codes = (judgments.model_a * m + judgments.model_b) * 3 + judgments.outcome
    unique_codes, counts = np.unique(codes, return_counts=True)
    model_a = unique_codes // 3 // m
    model_b = unique_codes // 3 % m
    outcome = unique_codes % 3
    is_tie = outcome == 2
    # One row per decisive (winner, loser) cell, and two half-weight rows per tie cell.
    winner = np.concatenate([np.where(outcome == 1, model_b, model_a), model_b[is_tie]])
    loser = np.concatenate([np.where(outcome == 1, model_a, model_b), model_a[is_tie]])
    half = np.where(is_tie, 0.5, 1.0)

    def row_weights(cell_counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        return np.concatenate([cell_counts * half, 0.5 * cell_counts[is_tie]])

    rows = LogisticRows(winner, loser, m)
    _set_worker_rows(rows)
    ratings = _logistic_fit(row_weights(counts.astype(np.float64)))
    point_seconds = time.perf_counter() - started

    rng = np.random.default_rng(seed)
    draws = rng.multinomial(int(counts.sum()), counts / counts.sum(), size=rounds)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=ARENA_WORKERS,
        mp_context=context,
        initializer=_set_worker_rows,
        initargs=(rows,),
    ) as pool:
        weights = (row_weights(draw.astype(np.float64)) for draw in draws)
        samples = np.array(list(pool.map(_logistic_fit, weights, chunksize=25)))
    total_seconds = time.perf_counter() - started
    lower, upper = np.percentile(samples, [2.5, 97.5], axis=0)
    return MethodResult("arena", point_seconds, total_seconds, ratings, lower, upper)


def run_choix(judgments: Judgments, rounds: int, seed: int) -> MethodResult:
    import choix  # imported here so that --skip-choix works without choix installed

    started = time.perf_counter()
    m = judgments.model_count
    winner = np.where(judgments.outcome == 1, judgments.model_b, judgments.model_a)
    loser = np.where(judgments.outcome == 1, judgments.model_a, judgments.model_b)
    cell_codes = (winner * m + loser) * 2 + (judgments.outcome == 2)
    cells = np.bincount(cell_codes, minlength=2 * m * m).astype(np.float64)

    def win_matrix(cell_counts: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        decisive = cell_counts[0::2].reshape(m, m)
        ties = cell_counts[1::2].reshape(m, m)
        ties = ties + ties.T
        return decisive + 0.5 * ties

    def ratings_of(matrix: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        strengths = choix.ilsr_pairwise_dense(matrix, alpha=0.0, max_iter=1000, tol=1e-10)
        return 1000.0 + ELO_SCALE * np.asarray(strengths - strengths.mean(), dtype=np.float64)

    ratings = ratings_of(win_matrix(cells))
    point_seconds = time.perf_counter() - started

    rng = np.random.default_rng(seed)
    drawn = np.flatnonzero(cells)
    probabilities = cells[drawn] / cells.sum()
    samples = np.empty((rounds, m))
    for round_index in range(rounds):
        resampled = np.zeros_like(cells)
        resampled[drawn] = rng.multinomial(int(cells.sum()), probabilities)
        samples[round_index] = ratings_of(win_matrix(resampled))
    total_seconds = time.perf_counter() - started
    lower, upper = np.percentile(samples, [2.5, 97.5], axis=0)
    return MethodResult("choix", point_seconds, total_seconds, ratings, lower, upper)


def print_environment() -> None:
    print(f"Python {platform.python_version()}, numpy {np.__version__}, scipy {scipy.__version__}")
    processor = platform.processor() or platform.machine()
    print(f"CPU cores available: {len(os.sched_getaffinity(0))}, {processor}")
    for variable in ("OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        print(f"{variable}={os.environ.get(variable, '(unset)')}")
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        print("threadpoolctl is not installed, so BLAS thread details are not shown.")
        return
    for pool in threadpool_info():
        print(
            f"{pool.get('internal_api')}: {pool.get('num_threads')} threads, "
            f"{pool.get('architecture')}"
        )


def print_results(results: list[MethodResult], rounds: int) -> None:
    product = results[0]
    print()
    print(
        f"{'method':<8} {'point fit s':>12} {'with ' + str(rounds) + ' rounds s':>20} "
        f"{'ratio':>8} {'max |rating - product|':>24} {'mean CI width':>14}"
    )
    for result in results:
        ratio = result.total_seconds / product.total_seconds
        difference = float(np.abs(result.ratings - product.ratings).max())
        width = float((result.ci_upper - result.ci_lower).mean())
        print(
            f"{result.name:<8} {result.point_seconds:>12.3f} {result.total_seconds:>20.3f} "
            f"{ratio:>8.1f} {difference:>24.2e} {width:>14.2f}"
        )
    print("ratio = method time with rounds / product time with rounds")


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", type=int, default=100, help="number of models (default 100)")
    parser.add_argument(
        "--judgments", type=int, default=1_000_000, help="number of judgments (default 1000000)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1000, help="bootstrap rounds per method (default 1000)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of data and resamples (default 0)"
    )
    parser.add_argument(
        "--skip-arena",
        action="store_true",
        help="leave out the L-BFGS-B logistic regression baseline",
    )
    parser.add_argument("--skip-choix", action="store_true", help="leave out the choix baseline")
    return parser.parse_args()


def main() -> int:
    arguments = parse_arguments()
    print_environment()
    started = time.perf_counter()
    judgments = generate_judgments(arguments.models, arguments.judgments, arguments.seed)
    print(
        f"\n{arguments.models} models, {arguments.judgments} judgments "
        f"({time.perf_counter() - started:.2f} s to generate), {arguments.rounds} rounds"
    )

    results = [run_product(judgments, arguments.rounds, arguments.seed)]
    if not arguments.skip_arena:
        results.append(run_arena(judgments, arguments.rounds, arguments.seed))
    if not arguments.skip_choix:
        results.append(run_choix(judgments, arguments.rounds, arguments.seed))
    print_results(results, arguments.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
