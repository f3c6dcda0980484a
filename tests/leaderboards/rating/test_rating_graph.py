"""Connected components and the strong-connectivity test for the exact estimate."""

import numpy as np
import numpy.typing as npt

from leaderboards.rating.graph import comparison_components, strongly_connected_components


def _edges(pairs: list[tuple[int, int]]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    first = np.array([pair[0] for pair in pairs], dtype=np.int64)
    second = np.array([pair[1] for pair in pairs], dtype=np.int64)
    return first, second


def test_components_largest_first() -> None:
    first, second = _edges([(0, 1), (2, 3), (3, 4)])

    components = comparison_components(5, first, second)

    np.testing.assert_array_equal(components, [2, 2, 1, 1, 1])


def test_components_equal_size_by_smallest_index() -> None:
    first, second = _edges([(1, 4), (0, 3), (2, 5)])

    components = comparison_components(6, first, second)

    np.testing.assert_array_equal(components, [1, 2, 3, 1, 2, 3])


def test_components_model_without_pairs_is_alone() -> None:
    first, second = _edges([(0, 2)])

    components = comparison_components(3, first, second)

    np.testing.assert_array_equal(components, [1, 2, 1])


def test_strong_connectivity_cycle_exists() -> None:
    first, second = _edges([(0, 1), (1, 2), (0, 2)])
    components = np.ones(3, dtype=np.int64)

    # 0 beat 1, 1 beat 2, 2 beat 0.
    exact = strongly_connected_components(
        components, first, second, np.array([True, True, False]), np.array([False, False, True])
    )

    np.testing.assert_array_equal(exact, [True])


def test_strong_connectivity_chain_does_not_exist() -> None:
    first, second = _edges([(0, 1), (1, 2), (0, 2)])
    components = np.ones(3, dtype=np.int64)

    # 0 beat 1 and 2, 1 beat 2: no model ever beat model 0.
    exact = strongly_connected_components(
        components, first, second, np.array([True, True, True]), np.array([False, False, False])
    )

    np.testing.assert_array_equal(exact, [False])


def test_strong_connectivity_ties_make_it_exist() -> None:
    first, second = _edges([(0, 1), (1, 2)])
    components = np.ones(3, dtype=np.int64)
    first_wins = np.array([1.0, 1.0])
    second_wins = np.array([0.0, 0.0])

    without_ties = strongly_connected_components(
        components, first, second, first_wins > 0, second_wins > 0
    )
    ties = np.array([1.0, 1.0])
    with_ties = strongly_connected_components(
        components, first, second, (first_wins + ties) > 0, (second_wins + ties) > 0
    )

    np.testing.assert_array_equal(without_ties, [False])
    np.testing.assert_array_equal(with_ties, [True])


def test_strong_connectivity_per_component() -> None:
    first, second = _edges([(0, 1), (2, 3)])
    components = comparison_components(4, first, second)

    # 0 and 1 beat each other; 2 beat 3 and never lost.
    exact = strongly_connected_components(
        components, first, second, np.array([True, True]), np.array([True, False])
    )

    np.testing.assert_array_equal(components, [1, 1, 2, 2])
    np.testing.assert_array_equal(exact, [True, False])
