"""Ranks from intervals and from ratings: a pure function of the numbers, not of order or names."""

import itertools

import numpy as np
import pytest

from leaderboards.rating import (
    fit_leaderboard,
    pair_counts_from_judgments,
    ranks_from_intervals,
    ranks_from_ratings,
)

# D has the same interval as C and is listed first.
INTERVALS = {
    "D": (1150.0, 1170.0),
    "A": (1200.0, 1220.0),
    "B": (1195.0, 1215.0),
    "C": (1150.0, 1170.0),
}
EXPECTED_RANKS = {"A": 1, "B": 1, "C": 3, "D": 3}


def test_overlapping_intervals_share_rank() -> None:
    names = list(INTERVALS)
    lower = np.array([INTERVALS[name][0] for name in names])
    upper = np.array([INTERVALS[name][1] for name in names])

    ranks = ranks_from_intervals(np.ones(4, dtype=np.int64), lower, upper)

    assert dict(zip(names, ranks.tolist(), strict=True)) == EXPECTED_RANKS


@pytest.mark.parametrize("names", list(itertools.permutations(INTERVALS)))
def test_ranks_ignore_insertion_order(names: tuple[str, ...]) -> None:
    lower = np.array([INTERVALS[name][0] for name in names])
    upper = np.array([INTERVALS[name][1] for name in names])

    ranks = ranks_from_intervals(np.ones(4, dtype=np.int64), lower, upper)

    assert dict(zip(names, ranks.tolist(), strict=True)) == EXPECTED_RANKS


def test_ranks_only_within_component() -> None:
    components = np.array([1, 1, 2, 2])
    lower = np.array([1200.0, 1100.0, 900.0, 800.0])
    upper = np.array([1220.0, 1120.0, 920.0, 820.0])

    ranks = ranks_from_intervals(components, lower, upper)

    np.testing.assert_array_equal(ranks, [1, 2, 1, 2])


def test_ranks_from_ratings_share_equal_ratings() -> None:
    ratings = np.array([1000.0, 1100.0, 1000.0, 900.0])

    ranks = ranks_from_ratings(np.ones(4, dtype=np.int64), ratings)

    np.testing.assert_array_equal(ranks, [2, 1, 2, 4])


def test_ranks_mismatched_lengths_raise() -> None:
    with pytest.raises(ValueError) as raised:
        ranks_from_intervals(np.ones(3, dtype=np.int64), np.zeros(3), np.zeros(2))

    assert str(raised.value) == (
        "components, ci_lower and ci_upper must have one entry per model, got lengths 3, 3 and 2."
    )


def test_fit_ranks_ignore_model_names() -> None:
    rng = np.random.default_rng(8)
    model_a = rng.integers(0, 5, 300)
    model_b = (model_a + rng.integers(1, 5, 300)) % 5
    counts = pair_counts_from_judgments(model_a, model_b, rng.integers(0, 3, 300), 5)

    fits = [
        fit_leaderboard(
            counts, bootstrap_rounds=100, rng=np.random.default_rng(1), model_names=names
        )
        for names in (["a", "b", "c", "d", "e"], ["zz", "yy", "xx", "ww", "vv"])
    ]

    np.testing.assert_array_equal(fits[0].ranks, fits[1].ranks)
    np.testing.assert_array_equal(fits[0].ratings, fits[1].ratings)
