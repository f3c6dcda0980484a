"""Invariants of the exact fit: relabeling, mirroring, duplication and reproducibility."""

import numpy as np
import numpy.typing as npt
import pytest

from leaderboards.rating import (
    BASE_RATING,
    OUTCOME_A_WINS,
    OUTCOME_B_WINS,
    LeaderboardFit,
    fit_leaderboard,
    pair_counts_from_judgments,
)
from leaderboards.rating import bootstrap as bootstrap_module

# Ratings of transformed data must match to well below the fit's 1e-4 Elo step tolerance.
INVARIANT_TOLERANCE = 1e-6

MODEL_COUNT = 7
JUDGMENT_COUNT = 1500

Judgments = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]


def _judgments(seed: int) -> Judgments:
    """Draw judgments from a Bradley-Terry model with 20% ties."""
    rng = np.random.default_rng(seed)
    strengths = rng.normal(0.0, 1.0, MODEL_COUNT)
    model_a = rng.integers(0, MODEL_COUNT, JUDGMENT_COUNT)
    model_b = (model_a + rng.integers(1, MODEL_COUNT, JUDGMENT_COUNT)) % MODEL_COUNT
    a_wins = rng.random(JUDGMENT_COUNT) < 1.0 / (
        1.0 + np.exp(strengths[model_b] - strengths[model_a])
    )
    outcome = np.where(a_wins, OUTCOME_A_WINS, OUTCOME_B_WINS)
    outcome[rng.random(JUDGMENT_COUNT) < 0.2] = 2
    return model_a, model_b, outcome


def _fit(
    judgments: Judgments, rounds: int = 0, seed: int = 0, names: list[str] | None = None
) -> LeaderboardFit:
    model_a, model_b, outcome = judgments
    counts = pair_counts_from_judgments(model_a, model_b, outcome, MODEL_COUNT)
    return fit_leaderboard(
        counts,
        bootstrap_rounds=rounds,
        rng=np.random.default_rng(seed),
        model_names=names or [f"model {index}" for index in range(MODEL_COUNT)],
    )


def test_relabeling_permutes_ratings() -> None:
    model_a, model_b, outcome = _judgments(1)
    new_index = np.random.default_rng(2).permutation(MODEL_COUNT)
    names = [f"model {index}" for index in range(MODEL_COUNT)]
    new_names = [""] * MODEL_COUNT
    for old, new in enumerate(new_index):
        new_names[new] = names[old]

    original = _fit((model_a, model_b, outcome), names=names)
    relabeled = _fit((new_index[model_a], new_index[model_b], outcome), names=new_names)

    assert original.virtual_ties_applied == ()
    np.testing.assert_allclose(
        relabeled.ratings[new_index], original.ratings, atol=INVARIANT_TOLERANCE
    )
    np.testing.assert_array_equal(relabeled.ranks[new_index], original.ranks)


def test_swapping_winners_mirrors_ratings() -> None:
    model_a, model_b, outcome = _judgments(3)
    swapped = np.select([outcome == 0, outcome == 1], [1, 0], default=outcome)

    original = _fit((model_a, model_b, outcome))
    mirrored = _fit((model_a, model_b, swapped))

    np.testing.assert_allclose(
        mirrored.ratings - BASE_RATING, BASE_RATING - original.ratings, atol=INVARIANT_TOLERANCE
    )


def test_duplicating_judgments_keeps_ratings_and_narrows_intervals() -> None:
    model_a, model_b, outcome = _judgments(4)
    doubled = (np.tile(model_a, 2), np.tile(model_b, 2), np.tile(outcome, 2))

    original = _fit((model_a, model_b, outcome), rounds=400)
    duplicated = _fit(doubled, rounds=400)

    assert original.ci_lower is not None and original.ci_upper is not None
    assert duplicated.ci_lower is not None and duplicated.ci_upper is not None
    np.testing.assert_allclose(duplicated.ratings, original.ratings, atol=INVARIANT_TOLERANCE)
    original_width = original.ci_upper - original.ci_lower
    duplicated_width = duplicated.ci_upper - duplicated.ci_lower
    assert (duplicated_width < original_width).all()


def test_same_seed_gives_identical_fit() -> None:
    judgments = _judgments(5)

    first = _fit(judgments, rounds=120, seed=11)
    second = _fit(judgments, rounds=120, seed=11)
    other_seed = _fit(judgments, rounds=120, seed=12)

    assert first.ci_lower is not None and second.ci_lower is not None
    assert first.ci_upper is not None and second.ci_upper is not None
    assert other_seed.ci_lower is not None
    np.testing.assert_array_equal(first.ratings, second.ratings)
    np.testing.assert_array_equal(first.ci_lower, second.ci_lower)
    np.testing.assert_array_equal(first.ci_upper, second.ci_upper)
    np.testing.assert_array_equal(first.ranks, second.ranks)
    assert first.warnings == second.warnings
    assert not np.array_equal(first.ci_lower, other_seed.ci_lower)


def test_intervals_ignore_thread_count(monkeypatch: pytest.MonkeyPatch) -> None:
    judgments = _judgments(6)

    monkeypatch.setattr(bootstrap_module, "_available_cores", lambda: 1)
    one_thread = _fit(judgments, rounds=130, seed=3)
    monkeypatch.setattr(bootstrap_module, "_available_cores", lambda: 4)
    four_threads = _fit(judgments, rounds=130, seed=3)

    assert one_thread.ci_lower is not None and four_threads.ci_lower is not None
    np.testing.assert_array_equal(one_thread.ci_lower, four_threads.ci_lower)


def test_point_rating_is_not_bootstrap_median() -> None:
    judgments = _judgments(7)

    with_bootstrap = _fit(judgments, rounds=50)
    without_bootstrap = _fit(judgments)

    np.testing.assert_array_equal(with_bootstrap.ratings, without_bootstrap.ratings)
