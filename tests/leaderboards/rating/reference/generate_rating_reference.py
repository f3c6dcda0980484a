"""Compute reference Bradley-Terry ratings with scipy.optimize, independent of leaderboards.rating.

The log-likelihood is written out over individual judgments, not over aggregated pairs:
a win adds log sigmoid(theta_winner - theta_loser), and a tie adds half of
log sigmoid(theta_a - theta_b) + log sigmoid(theta_b - theta_a). L-BFGS-B maximises it with
the first model's strength fixed at zero, and the result is centred and put on the Elo scale
(rating = 1000 + 400 / ln 10 * theta). Only connected data with a finite maximum is
supported. Callers that want the virtual-tie rule add the tie rows themselves.

Run it from the repository root to regenerate the stored values:

    python tests/leaderboards/rating/reference/generate_rating_reference.py

It writes rating_reference_values.json beside itself. The tests also import this file and
call `reference_ratings` on fresh data.
"""

import json
import math
import sys
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from scipy.special import expit, log_expit

OUTPUT_PATH = Path(__file__).with_name("rating_reference_values.json")
REPOSITORY_ROOT = Path(__file__).resolve().parents[4]
MT_BENCH_PATH = (
    REPOSITORY_ROOT.parent / "shared" / "data" / "mt_bench" / "human_judgments_turn1.jsonl"
)
WINNER_OUTCOMES = {"model_a": 0, "model_b": 1, "tie": 2}


def reference_ratings(
    model_a: npt.NDArray[np.int64],
    model_b: npt.NDArray[np.int64],
    outcome: npt.NDArray[np.int64],
    model_count: int,
) -> npt.NDArray[np.float64]:
    """Maximise the judgment-level log-likelihood and return Elo ratings with mean 1000.

    Outcome 0 means model_a won, 1 that model_b won and 2 a tie.
    """
    a_score = np.select([outcome == 0, outcome == 1, outcome == 2], [1.0, 0.0, 0.5])

    def negative_log_likelihood(
        free: npt.NDArray[np.float64],
    ) -> tuple[float, npt.NDArray[np.float64]]:
        strengths = np.concatenate([[0.0], free])
        gap = strengths[model_a] - strengths[model_b]
        value = a_score * log_expit(gap) + (1.0 - a_score) * log_expit(-gap)
        # d/d gap of the row's log-likelihood is a_score - sigmoid(gap).
        slope = a_score - expit(gap)
        gradient = np.zeros(model_count)
        np.add.at(gradient, model_a, slope)
        np.add.at(gradient, model_b, -slope)
        return -float(value.sum()), -gradient[1:]

    result = minimize(
        negative_log_likelihood,
        np.zeros(model_count - 1),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": 100_000, "maxfun": 100_000, "ftol": 1e-15, "gtol": 1e-10},
    )
    if not result.success:
        raise RuntimeError(f"The reference optimiser failed: {result.message}")
    strengths = np.concatenate([[0.0], result.x])
    strengths -= strengths.mean()
    return 1000.0 + 400.0 / math.log(10.0) * strengths


def read_mt_bench(
    path: Path,
) -> tuple[list[str], npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Read MT-bench human judgments: model names in sorted order, then index and outcome arrays."""
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    names = sorted({row["model_a"] for row in rows} | {row["model_b"] for row in rows})
    index = {name: position for position, name in enumerate(names)}
    model_a = np.array([index[row["model_a"]] for row in rows], dtype=np.int64)
    model_b = np.array([index[row["model_b"]] for row in rows], dtype=np.int64)
    outcome = np.array([WINNER_OUTCOMES[row["winner"]] for row in rows], dtype=np.int64)
    return names, model_a, model_b, outcome


def four_models_one_never_wins(
    model_c_wins: bool,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Judgments of models A, B, C, D (indices 0 to 3) where C loses or wins all 10 of its games.

    A-B go 6-4, A-D 7-3 and B-D 5-5. C plays A 4 times, B 3 times and D 3 times.
    """
    pairs = [(0, 1, 6, 4), (0, 3, 7, 3), (1, 3, 5, 5), (2, 0, 0, 4), (2, 1, 0, 3), (2, 3, 0, 3)]
    model_a: list[int] = []
    model_b: list[int] = []
    outcome: list[int] = []
    for a, b, a_wins, b_wins in pairs:
        if a == 2 and model_c_wins:
            a_wins, b_wins = b_wins, a_wins
        model_a += [a] * (a_wins + b_wins)
        model_b += [b] * (a_wins + b_wins)
        outcome += [0] * a_wins + [1] * b_wins
    return np.array(model_a), np.array(model_b), np.array(outcome)


def with_virtual_ties(
    model_a: npt.NDArray[np.int64], model_b: npt.NDArray[np.int64], outcome: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Append one tie row for every distinct unordered pair in the judgments."""
    pairs = sorted(
        {(min(a, b), max(a, b)) for a, b in zip(model_a.tolist(), model_b.tolist(), strict=True)}
    )
    tie_a = np.array([pair[0] for pair in pairs], dtype=np.int64)
    tie_b = np.array([pair[1] for pair in pairs], dtype=np.int64)
    return (
        np.concatenate([model_a, tie_a]),
        np.concatenate([model_b, tie_b]),
        np.concatenate([outcome, np.full(len(pairs), 2, dtype=np.int64)]),
    )


def main() -> int:
    names, model_a, model_b, outcome = read_mt_bench(MT_BENCH_PATH)
    values: dict[str, dict[str, float]] = {
        "mt_bench_turn1": dict(
            zip(
                names,
                reference_ratings(model_a, model_b, outcome, len(names)).tolist(),
                strict=True,
            )
        )
    }
    for label, model_c_wins in (
        ("c_loses_all_virtual_ties", False),
        ("c_wins_all_virtual_ties", True),
    ):
        ratings = reference_ratings(
            *with_virtual_ties(*four_models_one_never_wins(model_c_wins)), 4
        )
        values[label] = dict(zip("ABCD", ratings.tolist(), strict=True))
    OUTPUT_PATH.write_text(json.dumps(values, indent=2, sort_keys=True) + "\n")
    print(f"Wrote {OUTPUT_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
