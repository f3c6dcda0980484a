"""Aggregation of judgments into PairCounts, and the validation messages."""

import numpy as np
import pytest

from leaderboards.rating import (
    OUTCOME_A_WINS,
    OUTCOME_B_WINS,
    OUTCOME_TIE,
    PairCounts,
    pair_counts_from_judgments,
    pair_counts_from_table,
)


def test_outcome_codes_are_fixed() -> None:
    assert OUTCOME_A_WINS == 0
    assert OUTCOME_B_WINS == 1
    assert OUTCOME_TIE == 2


def test_judgments_aggregate_both_orientations() -> None:
    counts = pair_counts_from_judgments(
        model_a=np.array([0, 1, 2, 0, 2, 1]),
        model_b=np.array([1, 0, 1, 2, 0, 2]),
        outcome=np.array(
            [
                OUTCOME_A_WINS,
                OUTCOME_A_WINS,
                OUTCOME_TIE,
                OUTCOME_B_WINS,
                OUTCOME_B_WINS,
                OUTCOME_TIE,
            ]
        ),
        model_count=3,
    )

    assert counts.model_count == 3
    np.testing.assert_array_equal(counts.first, [0, 0, 1])
    np.testing.assert_array_equal(counts.second, [1, 2, 2])
    # Pair 0-1: each model won once as A. Pair 0-2: each model won once as B.
    np.testing.assert_array_equal(counts.first_wins, [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(counts.second_wins, [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(counts.ties, [0.0, 0.0, 2.0])
    assert counts.first.dtype == np.int64
    assert counts.ties.dtype == np.float64


def test_judgments_with_many_models_use_sparse_pair_codes() -> None:
    counts = pair_counts_from_judgments(
        np.array([4999, 3]), np.array([3, 4999]), np.array([OUTCOME_A_WINS, OUTCOME_TIE]), 5000
    )

    np.testing.assert_array_equal(counts.first, [3])
    np.testing.assert_array_equal(counts.second, [4999])
    np.testing.assert_array_equal(counts.first_wins, [0.0])
    np.testing.assert_array_equal(counts.second_wins, [1.0])
    np.testing.assert_array_equal(counts.ties, [1.0])


def test_no_judgments_give_no_pairs() -> None:
    counts = pair_counts_from_judgments(np.array([], dtype=np.int64), [], [], 3)

    assert counts.model_count == 3
    assert len(counts.first) == 0
    assert len(counts.ties) == 0


def test_table_adds_repeated_rows_and_orientations() -> None:
    counts = pair_counts_from_table(
        model_a=np.array([0, 1, 0, 1, 2]),
        model_b=np.array([1, 0, 1, 0, 0]),
        outcome=np.array(
            [OUTCOME_A_WINS, OUTCOME_A_WINS, OUTCOME_A_WINS, OUTCOME_TIE, OUTCOME_B_WINS]
        ),
        count=np.array([3.0, 2.0, 4.0, 5.0, 0.0]),
        model_count=3,
    )

    np.testing.assert_array_equal(counts.first, [0])
    np.testing.assert_array_equal(counts.second, [1])
    np.testing.assert_array_equal(counts.first_wins, [7.0])
    np.testing.assert_array_equal(counts.second_wins, [2.0])
    np.testing.assert_array_equal(counts.ties, [5.0])


def test_table_matches_expanded_judgments() -> None:
    rng = np.random.default_rng(3)
    model_a = rng.integers(0, 6, 400)
    model_b = (model_a + rng.integers(1, 6, 400)) % 6
    outcome = rng.integers(0, 3, 400)

    expanded = pair_counts_from_judgments(model_a, model_b, outcome, 6)
    table = pair_counts_from_table(model_a, model_b, outcome, np.ones(400), 6)

    np.testing.assert_array_equal(table.first, expanded.first)
    np.testing.assert_array_equal(table.second, expanded.second)
    np.testing.assert_array_equal(table.first_wins, expanded.first_wins)
    np.testing.assert_array_equal(table.second_wins, expanded.second_wins)
    np.testing.assert_array_equal(table.ties, expanded.ties)


def test_pair_counts_arrays_are_read_only() -> None:
    counts = pair_counts_from_judgments([0], [1], [OUTCOME_A_WINS], 2)

    with pytest.raises(ValueError, match="read-only"):
        counts.first_wins[0] = 5.0


@pytest.mark.parametrize(
    ("model_a", "model_b", "outcome", "model_count", "message"),
    [
        (
            [0, 1, 1],
            [1, 2, 1],
            [0, 0, 0],
            3,
            "Row 2 compares model 1 with itself. Each judgment must compare two different models.",
        ),
        (
            [0, 1],
            [1, 2],
            [0, 3],
            3,
            "outcome[1] is 3, which is not a known outcome code. "
            "Use 0 (model_a wins), 1 (model_b wins) or 2 (tie).",
        ),
        (
            [0, 1],
            [1, 2],
            [0, -1],
            3,
            "outcome[1] is -1, which is not a known outcome code. "
            "Use 0 (model_a wins), 1 (model_b wins) or 2 (tie).",
        ),
        (
            [0, 5],
            [1, 2],
            [0, 0],
            3,
            "model_a[1] is 5, which is outside the model indices 0 to 2. "
            "Pass a model_count that covers every model index.",
        ),
        (
            [0, 1],
            [-1, 2],
            [0, 0],
            3,
            "model_b[0] is -1, which is outside the model indices 0 to 2. "
            "Pass a model_count that covers every model index.",
        ),
        (
            [0, 1],
            [1],
            [0, 0],
            3,
            "model_b has 1 entries but model_a has 2. Pass one entry per row in every array.",
        ),
        (
            [0.0, 1.0],
            [1, 2],
            [0, 0],
            3,
            "model_a must contain integers, got dtype float64.",
        ),
        (
            [[0, 1]],
            [[1, 2]],
            [[0, 0]],
            3,
            "model_a must be a one-dimensional array, got shape (1, 2).",
        ),
        ([0], [1], [0], -1, "model_count must be a non-negative integer, got -1."),
        ([0], [1], [0], 2.0, "model_count must be a non-negative integer, got 2.0."),
    ],
)
def test_judgments_validation_messages(
    model_a: list[int], model_b: list[int], outcome: list[int], model_count: int, message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        pair_counts_from_judgments(
            np.array(model_a), np.array(model_b), np.array(outcome), model_count
        )

    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (
            [1.0, -2.0],
            "count[1] is -2.0, which is not a valid count. Counts must be finite and non-negative.",
        ),
        (
            [np.nan, 1.0],
            "count[0] is nan, which is not a valid count. Counts must be finite and non-negative.",
        ),
        (
            [1.0, np.inf],
            "count[1] is inf, which is not a valid count. Counts must be finite and non-negative.",
        ),
        (["1", "2"], "count must contain numbers, got dtype <U1."),
    ],
)
def test_table_count_validation_messages(count: list[object], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        pair_counts_from_table(
            np.array([0, 1]), np.array([1, 2]), np.array([0, 0]), np.array(count), 3
        )

    assert str(raised.value) == message


def _pair_counts(**changes: object) -> PairCounts:
    arguments: dict[str, object] = {
        "model_count": 3,
        "first": np.array([0, 0, 1]),
        "second": np.array([1, 2, 2]),
        "first_wins": np.array([1.0, 2.0, 3.0]),
        "second_wins": np.array([0.0, 1.0, 0.0]),
        "ties": np.array([0.0, 0.0, 1.0]),
    }
    arguments.update(changes)
    return PairCounts(**arguments)  # type: ignore[arg-type]  # tests pass wrong types on purpose


def test_pair_counts_accepts_valid_pairs() -> None:
    counts = _pair_counts()

    np.testing.assert_array_equal(counts.totals, [1.0, 3.0, 4.0])


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"first": np.array([0, 2, 1])},
            "Pair 1 is (2, 2), but first must be smaller than second. "
            "Store each unordered pair once, smaller model index first.",
        ),
        (
            {"first": np.array([0, 0, 0]), "second": np.array([1, 2, 2])},
            "Pair 2 repeats the pair (0, 2). Store each pair once, sorted by (first, second).",
        ),
        (
            {"first": np.array([0, 1, 0]), "second": np.array([1, 2, 2])},
            "Pair 2 (0, 2) comes after a larger pair. Sort the pairs by (first, second).",
        ),
        (
            {"second": np.array([1, 2, 3])},
            "second[2] is 3, which is outside the model indices 0 to 2. "
            "Pass a model_count that covers every model index.",
        ),
        (
            {"ties": np.array([0.0, -1.0, 0.0])},
            "ties[1] is -1.0, which is not a valid count. Counts must be finite and non-negative.",
        ),
        (
            {"first_wins": np.array([0.0, np.inf, 0.0])},
            "first_wins[1] is inf, which is not a valid count. "
            "Counts must be finite and non-negative.",
        ),
        (
            {"second_wins": np.array([0.0, 1.0])},
            "second_wins has 2 entries but first has 3. Pass one entry per row in every array.",
        ),
        ({"model_count": True}, "model_count must be a non-negative integer, got True."),
    ],
)
def test_pair_counts_validation_messages(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError) as raised:
        _pair_counts(**changes)

    assert str(raised.value) == message
