"""Judgments aggregated into win, loss and tie counts per unordered model pair.

Outcome codes follow the side that the judgment showed as A or B. Both tie labels
("tie" and "tie (bothbad)") map to OUTCOME_TIE, which the fit counts as half a win for each
side of a single comparison.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from leaderboards.rating import errors

OUTCOME_A_WINS = 0
OUTCOME_B_WINS = 1
OUTCOME_TIE = 2

_OUTCOME_CODES = (OUTCOME_A_WINS, OUTCOME_B_WINS, OUTCOME_TIE)

# Aggregation bins every (pair, outcome) cell with one np.bincount over all model_count**2
# pair codes while that table is small: at most this many codes per row plus a fixed floor.
# Larger tables number the pairs that occur with np.unique first.
_DENSE_CODES_PER_ROW = 8
_DENSE_CODES_FLOOR = 1 << 16


@dataclass(frozen=True)
class PairCounts:
    """Win, loss and tie counts for each unordered pair of models that were compared.

    Pairs are stored once, as ``first < second``, sorted by ``(first, second)``. Counts are
    floats so that weighted or aggregated input fits without conversion. The arrays are
    read-only copies of the input.

    Attributes
    ----------
    model_count : int
        Number of models. Model indices run from 0 to ``model_count - 1``.
    first, second : numpy.ndarray of int64
        Model indices of each pair.
    first_wins, second_wins : numpy.ndarray of float64
        Judgments that the first or the second model of the pair won.
    ties : numpy.ndarray of float64
        Judgments of the pair labelled as a tie, including "both bad".

    Raises
    ------
    ValueError
        If the arrays differ in length, an index is out of range, a pair is not ordered,
        sorted or unique, or a count is negative or not finite. The message names the value.
    """

    model_count: int
    first: npt.NDArray[np.int64]
    second: npt.NDArray[np.int64]
    first_wins: npt.NDArray[np.float64]
    second_wins: npt.NDArray[np.float64]
    ties: npt.NDArray[np.float64]

    def __post_init__(self) -> None:
        object.__setattr__(self, "model_count", _check_model_count(self.model_count))
        first = _integer_array(self.first, "first")
        second = _integer_array(self.second, "second")
        counts = {
            name: _count_array(getattr(self, name), name)
            for name in ("first_wins", "second_wins", "ties")
        }
        _check_lengths({"first": first, "second": second, **counts})
        _check_index_range(first, "first", self.model_count)
        _check_index_range(second, "second", self.model_count)
        _check_pair_order(first, second, self.model_count)

        for name, array in {"first": first, "second": second, **counts}.items():
            array.setflags(write=False)
            object.__setattr__(self, name, array)

    @property
    def totals(self) -> npt.NDArray[np.float64]:
        """Judgments of each pair, ties included."""
        return self.first_wins + self.second_wins + self.ties


def pair_counts_from_judgments(
    model_a: npt.ArrayLike,
    model_b: npt.ArrayLike,
    outcome: npt.ArrayLike,
    model_count: int,
) -> PairCounts:
    """Aggregate individual judgments into counts per model pair.

    Parameters
    ----------
    model_a, model_b : array_like of int
        Indices of the models shown as A and B, one entry per judgment.
    outcome : array_like of int
        OUTCOME_A_WINS (0), OUTCOME_B_WINS (1) or OUTCOME_TIE (2) for each judgment.
    model_count : int
        Number of models. Indices must lie in ``range(model_count)``.

    Returns
    -------
    PairCounts
        One entry per pair that has at least one judgment, in either orientation. With no
        judgments the result has no pairs.

    Raises
    ------
    ValueError
        If a model is judged against itself, an outcome code is unknown, an index is out of
        range, or the arrays differ in length. The message names the first offending
        position and its value.

    Notes
    -----
    Aggregation does not look at the comparison graph. Models without wins or losses,
    data with only ties, a disconnected graph and one whose win graph is not strongly
    connected are all counted as given. `fit_leaderboard` documents how it fits them.
    """
    return _aggregate_rows(model_a, model_b, outcome, None, model_count)


def pair_counts_from_table(
    model_a: npt.ArrayLike,
    model_b: npt.ArrayLike,
    outcome: npt.ArrayLike,
    count: npt.ArrayLike,
    model_count: int,
) -> PairCounts:
    """Aggregate rows of (model_a, model_b, outcome, count) into counts per model pair.

    This is the shape a database GROUP BY returns. Rows may repeat, and a pair may appear
    in both orientations; their counts add up. Rows with a count of zero add nothing, and a
    pair whose counts are all zero is left out.

    Parameters
    ----------
    model_a, model_b, outcome : array_like of int
        As in `pair_counts_from_judgments`, one entry per row.
    count : array_like of float
        Number of judgments that the row stands for. Must be finite and non-negative.
    model_count : int
        Number of models.

    Returns
    -------
    PairCounts

    Raises
    ------
    ValueError
        As `pair_counts_from_judgments`, and also for a negative or non-finite count.
    """
    return _aggregate_rows(model_a, model_b, outcome, count, model_count)


def _aggregate_rows(
    model_a: npt.ArrayLike,
    model_b: npt.ArrayLike,
    outcome: npt.ArrayLike,
    count: npt.ArrayLike | None,
    model_count: int,
) -> PairCounts:
    model_count = _check_model_count(model_count)
    a = _integer_array(model_a, "model_a")
    b = _integer_array(model_b, "model_b")
    codes = _integer_array(outcome, "outcome")
    weights = None if count is None else _count_array(count, "count")
    arrays: dict[str, npt.NDArray[Any]] = {"model_a": a, "model_b": b, "outcome": codes}
    if weights is not None:
        arrays["count"] = weights
    _check_lengths(arrays)
    _check_index_range(a, "model_a", model_count)
    _check_index_range(b, "model_b", model_count)
    _check_distinct_models(a, b)
    _check_outcomes(codes)

    # Orient every row so that first < second, then give each (pair, outcome) cell a code:
    # cell 0 is a win for first, 1 a win for second and 2 a tie.
    first = np.minimum(a, b)
    second = np.maximum(a, b)
    first_won = (codes == OUTCOME_A_WINS) == (a < b)
    cell = np.where(codes == OUTCOME_TIE, 2, np.where(first_won, 0, 1))
    pair_code = first * model_count + second

    pair_ids: npt.NDArray[np.int64]
    if model_count * model_count <= _DENSE_CODES_PER_ROW * len(a) + _DENSE_CODES_FLOOR:
        pair_ids = np.arange(model_count * model_count, dtype=np.int64)
        row_pair = pair_code
    else:
        pair_ids, row_pair = np.unique(pair_code, return_inverse=True)
    binned = np.bincount(row_pair * 3 + cell, weights=weights, minlength=3 * len(pair_ids))
    cells = binned.astype(np.float64).reshape(-1, 3)

    compared = cells.sum(axis=1) > 0
    pair_ids = pair_ids[compared]
    cells = cells[compared]
    return PairCounts(
        model_count=model_count,
        first=pair_ids // max(model_count, 1),
        second=pair_ids % max(model_count, 1),
        first_wins=cells[:, 0].copy(),
        second_wins=cells[:, 1].copy(),
        ties=cells[:, 2].copy(),
    )


def _check_model_count(model_count: object) -> int:
    if isinstance(model_count, bool) or not isinstance(model_count, int | np.integer):
        raise ValueError(errors.MODEL_COUNT_INVALID.format(model_count=model_count))
    if model_count < 0:
        raise ValueError(errors.MODEL_COUNT_INVALID.format(model_count=model_count))
    return int(model_count)


def _one_dimensional(values: npt.ArrayLike, name: str) -> npt.NDArray[np.generic]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(errors.ARRAY_NOT_ONE_DIMENSIONAL.format(name=name, shape=array.shape))
    return array


def _integer_array(values: npt.ArrayLike, name: str) -> npt.NDArray[np.int64]:
    array = _one_dimensional(values, name)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if not np.issubdtype(array.dtype, np.integer):
        raise ValueError(errors.ARRAY_NOT_INTEGER.format(name=name, dtype=array.dtype))
    return array.astype(np.int64, copy=True)


def _count_array(values: npt.ArrayLike, name: str) -> npt.NDArray[np.float64]:
    array = _one_dimensional(values, name)
    if array.size == 0:
        return np.zeros(0, dtype=np.float64)
    numeric = np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)
    if not numeric:
        raise ValueError(errors.ARRAY_NOT_NUMERIC.format(name=name, dtype=array.dtype))
    counts = array.astype(np.float64, copy=True)
    invalid = ~np.isfinite(counts) | (counts < 0)
    if invalid.any():
        position = int(np.flatnonzero(invalid)[0])
        raise ValueError(
            errors.COUNT_INVALID.format(name=name, position=position, value=counts[position])
        )
    return counts


def _check_lengths(arrays: Mapping[str, npt.NDArray[Any]]) -> None:
    reference_name, reference = next(iter(arrays.items()))
    for name, array in arrays.items():
        if len(array) != len(reference):
            raise ValueError(
                errors.ARRAY_LENGTH_MISMATCH.format(
                    name=name,
                    length=len(array),
                    reference_name=reference_name,
                    reference_length=len(reference),
                )
            )


def _check_index_range(indices: npt.NDArray[np.int64], name: str, model_count: int) -> None:
    invalid = (indices < 0) | (indices >= model_count)
    if invalid.any():
        position = int(np.flatnonzero(invalid)[0])
        raise ValueError(
            errors.MODEL_INDEX_OUT_OF_RANGE.format(
                name=name,
                position=position,
                value=int(indices[position]),
                last_index=model_count - 1,
            )
        )


def _check_distinct_models(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64]) -> None:
    same = a == b
    if same.any():
        position = int(np.flatnonzero(same)[0])
        raise ValueError(errors.SELF_COMPARISON.format(position=position, model=int(a[position])))


def _check_outcomes(codes: npt.NDArray[np.int64]) -> None:
    unknown = ~np.isin(codes, _OUTCOME_CODES)
    if unknown.any():
        position = int(np.flatnonzero(unknown)[0])
        raise ValueError(
            errors.OUTCOME_UNKNOWN.format(position=position, value=int(codes[position]))
        )


def _check_pair_order(
    first: npt.NDArray[np.int64], second: npt.NDArray[np.int64], model_count: int
) -> None:
    unordered = first >= second
    if unordered.any():
        position = int(np.flatnonzero(unordered)[0])
        raise ValueError(
            errors.PAIR_NOT_ORDERED.format(
                position=position, first=int(first[position]), second=int(second[position])
            )
        )
    step = np.diff(first * model_count + second)
    misplaced = step <= 0
    if misplaced.any():
        position = int(np.flatnonzero(misplaced)[0]) + 1
        template = errors.PAIR_DUPLICATED if step[position - 1] == 0 else errors.PAIRS_NOT_SORTED
        raise ValueError(
            template.format(
                position=position, first=int(first[position]), second=int(second[position])
            )
        )
