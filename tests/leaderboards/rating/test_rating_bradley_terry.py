"""Point fits with closed-form values: ties, tree-shaped data, virtual ties, convergence."""

import math

import numpy as np
import pytest

from leaderboards.rating import (
    BASE_RATING,
    ELO_SCALE,
    OUTCOME_A_WINS,
    OUTCOME_TIE,
    FitDidNotConverge,
    LeaderboardFit,
    fit_leaderboard,
    pair_counts_from_judgments,
    pair_counts_from_table,
)
from leaderboards.rating.bootstrap import bootstrap_strengths
from leaderboards.rating.bradley_terry import fit_strengths, newton_matrix
from leaderboards.rating.pair_graph import PairGraph

# Closed-form values must match to rounding. The fit stops after a step below 1e-4 Elo, and
# Newton's quadratic convergence leaves an error far smaller than that step.
CLOSED_FORM_TOLERANCE = 1e-6

# 400 * log10(3): the gap when one model has 1.5 of 2 comparisons, odds of 3 to 1.
GAP_ODDS_THREE = 400.0 * math.log10(3.0)


def _fit(
    model_a: list[int], model_b: list[int], outcome: list[int], model_count: int
) -> LeaderboardFit:
    counts = pair_counts_from_judgments(
        np.array(model_a), np.array(model_b), np.array(outcome), model_count
    )
    return fit_leaderboard(
        counts,
        bootstrap_rounds=0,
        rng=np.random.default_rng(0),
        model_names=[f"model {index}" for index in range(model_count)],
    )


def test_elo_scale_constants() -> None:
    assert ELO_SCALE == pytest.approx(400.0 / math.log(10.0), rel=1e-15)
    assert BASE_RATING == 1000.0


def test_win_and_tie_gap_is_log_three() -> None:
    fit = _fit([0, 0], [1, 1], [OUTCOME_A_WINS, OUTCOME_TIE], 2)

    assert fit.ratings[0] - fit.ratings[1] == pytest.approx(
        GAP_ODDS_THREE, abs=CLOSED_FORM_TOLERANCE
    )
    assert fit.ratings.mean() == pytest.approx(BASE_RATING, abs=CLOSED_FORM_TOLERANCE)
    assert fit.virtual_ties_applied == ()
    assert fit.warnings == ()


def test_tie_equals_half_win_each_way() -> None:
    with_tie = _fit([0, 0], [1, 1], [OUTCOME_A_WINS, OUTCOME_TIE], 2)
    weighted = pair_counts_from_table(
        np.array([0, 1]), np.array([1, 0]), np.array([0, 0]), np.array([1.5, 0.5]), 2
    )

    fit = fit_leaderboard(
        weighted, bootstrap_rounds=0, rng=np.random.default_rng(0), model_names=["a", "b"]
    )

    np.testing.assert_allclose(fit.ratings, with_tie.ratings, atol=CLOSED_FORM_TOLERANCE)
    assert fit.log_likelihood == pytest.approx(with_tie.log_likelihood, rel=1e-12)


def test_separate_pair_does_not_move_gap() -> None:
    fit = _fit([0, 0, 2, 3, 2], [1, 1, 3, 2, 3], [OUTCOME_A_WINS, OUTCOME_TIE, 0, 0, 0], 4)

    assert fit.ratings[0] - fit.ratings[1] == pytest.approx(
        GAP_ODDS_THREE, abs=CLOSED_FORM_TOLERANCE
    )
    np.testing.assert_array_equal(fit.components, [1, 1, 2, 2])
    # Model 2 has 2 of 3 wins against model 3: odds of 2 to 1.
    expected_gap = 400.0 * math.log10(2.0)
    assert fit.ratings[2] - fit.ratings[3] == pytest.approx(expected_gap, abs=CLOSED_FORM_TOLERANCE)


def test_log_likelihood_of_win_and_tie() -> None:
    fit = _fit([0, 0], [1, 1], [OUTCOME_A_WINS, OUTCOME_TIE], 2)

    # W = 1.5 for the winner and 0.5 for the loser at p = 3/4.
    expected = 1.5 * math.log(0.75) + 0.5 * math.log(0.25)
    assert fit.log_likelihood == pytest.approx(expected, rel=1e-12)


def test_three_judgments_with_both_bad_tie() -> None:
    # A beats B, A and B tie (both bad), B beats C. C never beat or tied anyone, so the
    # component gets one virtual tie per pair: A-B becomes 2 to 1 and B-C 1.5 to 0.5.
    fit = _fit([0, 0, 1], [1, 1, 2], [OUTCOME_A_WINS, OUTCOME_TIE, OUTCOME_A_WINS], 3)

    assert np.isfinite(fit.ratings).all()
    assert fit.virtual_ties_applied == (1,)
    assert fit.ratings[0] - fit.ratings[1] == pytest.approx(
        400.0 * math.log10(2.0), abs=CLOSED_FORM_TOLERANCE
    )
    assert fit.ratings[1] - fit.ratings[2] == pytest.approx(
        GAP_ODDS_THREE, abs=CLOSED_FORM_TOLERANCE
    )
    np.testing.assert_array_equal(fit.ranks, [1, 2, 3])


def test_chain_of_fifteen_is_finite_and_antisymmetric() -> None:
    model_count = 15
    winners = list(range(model_count - 1))

    fit = _fit(winners, [w + 1 for w in winners], [OUTCOME_A_WINS] * len(winners), model_count)

    assert np.isfinite(fit.ratings).all()
    assert (np.diff(fit.ratings) < 0).all()
    deviations = fit.ratings - BASE_RATING
    np.testing.assert_allclose(deviations, -deviations[::-1], atol=1e-6)
    np.testing.assert_allclose(np.diff(fit.ratings), -GAP_ODDS_THREE, atol=CLOSED_FORM_TOLERANCE)
    assert fit.virtual_ties_applied == (1,)


def test_only_ties_rate_everyone_equal() -> None:
    fit = _fit([0, 1, 2], [1, 2, 0], [OUTCOME_TIE] * 3, 3)

    np.testing.assert_allclose(fit.ratings, BASE_RATING, atol=CLOSED_FORM_TOLERANCE)
    np.testing.assert_array_equal(fit.ranks, [1, 1, 1])
    assert fit.virtual_ties_applied == ()


def test_tied_loser_needs_no_rule() -> None:
    # Model 2 lost once and tied once: the tie is an edge both ways, so the estimate exists.
    fit = _fit([0, 1, 2, 0], [1, 0, 0, 2], [OUTCOME_A_WINS, OUTCOME_A_WINS, OUTCOME_TIE, 0], 3)

    assert fit.virtual_ties_applied == ()
    assert fit.warnings == ()
    # Against model 0, model 2 has 0.5 of 2 comparisons.
    assert fit.ratings[0] - fit.ratings[2] == pytest.approx(
        GAP_ODDS_THREE, abs=CLOSED_FORM_TOLERANCE
    )


def test_one_iteration_raises_did_not_converge() -> None:
    counts = pair_counts_from_judgments(
        np.array([0, 1, 2, 0]), np.array([1, 2, 0, 2]), np.array([0, 0, 0, 0]), 3
    )

    with pytest.raises(FitDidNotConverge) as raised:
        fit_leaderboard(
            counts,
            bootstrap_rounds=0,
            rng=np.random.default_rng(0),
            model_names=["a", "b", "c"],
            max_iterations=1,
        )

    assert raised.value.iterations == 1
    assert raised.value.last_change > 1.0
    assert str(raised.value).startswith(
        "The Bradley-Terry fit of the full data did not converge after 1 iteration."
    )


def test_bootstrap_round_raises_did_not_converge() -> None:
    counts = pair_counts_from_judgments(
        np.array([0, 1, 2, 0, 1]), np.array([1, 2, 0, 2, 0]), np.array([0, 0, 0, 0, 0]), 3
    )
    components = np.ones(3, dtype=np.int64)
    graph = PairGraph(3, counts.first, counts.second, components)

    with pytest.raises(FitDidNotConverge) as raised:
        bootstrap_strengths(
            graph,
            counts,
            rounds=10,
            rng=np.random.default_rng(0),
            start=np.zeros(3),
            virtual_tie_components=np.array([False]),
            max_iterations=1,
            tolerance=1e-9,
        )

    assert raised.value.iterations == 1
    assert str(raised.value).startswith(
        "The Bradley-Terry fit of bootstrap rounds 1 to 10 did not converge after 1 iteration."
    )


def test_shared_inverse_matches_own_hessian() -> None:
    rng = np.random.default_rng(9)
    model_a = rng.integers(0, 6, 3000)
    model_b = (model_a + rng.integers(1, 6, 3000)) % 6
    counts = pair_counts_from_judgments(model_a, model_b, rng.integers(0, 3, 3000), 6)
    graph = PairGraph(6, counts.first, counts.second, np.ones(6, dtype=np.int64))
    wins = counts.first_wins + 0.5 * counts.ties
    point = fit_strengths(
        graph,
        wins[np.newaxis],
        counts.totals[np.newaxis],
        np.zeros((1, 6)),
        max_iterations=100,
        tolerance=1e-9,
        context="point fit",
    )
    # Rows that resemble the data, as bootstrap rounds do, and one that does not.
    scale = rng.uniform(0.8, 1.2, (5, len(wins)))
    rows_wins = np.vstack([wins * scale, counts.totals - wins])
    rows_totals = np.vstack([counts.totals * scale, counts.totals])
    start = np.broadcast_to(point.strengths[0], (6, 6))
    shared_matrix = newton_matrix(graph, counts.totals, point.strengths[0])
    shared_inverse = np.asarray(np.linalg.inv(shared_matrix), dtype=np.float64)

    own = fit_strengths(
        graph, rows_wins, rows_totals, start, max_iterations=100, tolerance=1e-9, context="own"
    )
    shared = fit_strengths(
        graph,
        rows_wins,
        rows_totals,
        start,
        max_iterations=100,
        tolerance=1e-9,
        context="shared",
        shared_inverse=shared_inverse,
    )

    np.testing.assert_allclose(
        shared.strengths * ELO_SCALE, own.strengths * ELO_SCALE, atol=CLOSED_FORM_TOLERANCE
    )
    np.testing.assert_allclose(shared.strengths.sum(axis=1), 0.0, atol=1e-12)
