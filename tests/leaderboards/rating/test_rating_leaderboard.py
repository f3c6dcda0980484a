"""fit_leaderboard: the virtual-tie rule, components, anchor, tallies, order and input errors."""

import importlib.util
import json
import math
import re
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from leaderboards.rating import (
    BASE_RATING,
    OUTCOME_A_WINS,
    OUTCOME_TIE,
    LeaderboardFit,
    PairCounts,
    fit_leaderboard,
    pair_counts_from_judgments,
)

REFERENCE_DIRECTORY = Path(__file__).parent / "reference"

# Agreement with the scipy.optimize reference, in Elo points.
REFERENCE_TOLERANCE = 0.01

# Agreement with closed-form values, in Elo points.
CLOSED_FORM_TOLERANCE = 1e-6

NAMES = ["A", "B", "C", "D"]


def _load_reference() -> ModuleType:
    path = REFERENCE_DIRECTORY / "generate_rating_reference.py"
    spec = importlib.util.spec_from_file_location("generate_rating_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference = _load_reference()


def _four_model_counts(model_c_wins: bool) -> PairCounts:
    model_a, model_b, outcome = reference.four_models_one_never_wins(model_c_wins)
    return pair_counts_from_judgments(model_a, model_b, outcome, 4)


def _two_separate_pairs() -> PairCounts:
    # A beats B 8 times of 10, C beats D 8 times of 10, and the two pairs never meet.
    model_a = np.array([0] * 10 + [2] * 10)
    model_b = np.array([1] * 10 + [3] * 10)
    outcome = np.array(([0] * 8 + [1] * 2) * 2)
    return pair_counts_from_judgments(model_a, model_b, outcome, 4)


def _fit(counts: PairCounts, rounds: int = 0, seed: int = 0, **options: object) -> LeaderboardFit:
    return fit_leaderboard(
        counts,
        bootstrap_rounds=rounds,
        rng=np.random.default_rng(seed),
        model_names=NAMES[: counts.model_count],
        **options,  # type: ignore[arg-type]  # anchor, max_iterations or tolerance
    )


def _assert_all_finite(fit: LeaderboardFit) -> None:
    for name in ("ratings", "ci_lower", "ci_upper", "judgments", "wins", "losses", "win_rate"):
        values = getattr(fit, name)
        if values is not None:
            assert np.isfinite(values).all(), name
    assert math.isfinite(fit.log_likelihood)


def test_model_losing_everything_is_last() -> None:
    fit = _fit(_four_model_counts(model_c_wins=False))

    _assert_all_finite(fit)
    assert fit.ratings.argmin() == 2
    np.testing.assert_array_equal(fit.ranks, [1, 2, 4, 3])
    assert fit.virtual_ties_applied == (1,)
    assert fit.warnings == (
        "Component 1 (A, B, C, D) has no exact maximum-likelihood estimate, because some of "
        "its models never beat or tied the others. One virtual tie was added to every pair "
        "compared in it, in the point fit and in every bootstrap round.",
    )


def test_model_losing_everything_with_bootstrap() -> None:
    fit = _fit(_four_model_counts(model_c_wins=False), rounds=300)

    _assert_all_finite(fit)
    assert fit.ci_upper is not None
    assert fit.ci_upper[2] < fit.ratings[[0, 1, 3]].min()
    assert fit.virtual_ties_applied == (1,)
    assert len(fit.warnings) == 1


def test_model_winning_everything_is_first() -> None:
    fit = _fit(_four_model_counts(model_c_wins=True), rounds=300)

    _assert_all_finite(fit)
    assert fit.ratings.argmax() == 2
    assert fit.ranks[2] == 1
    assert fit.virtual_ties_applied == (1,)


@pytest.mark.parametrize(
    ("model_c_wins", "label"),
    [(False, "c_loses_all_virtual_ties"), (True, "c_wins_all_virtual_ties")],
)
def test_virtual_ties_match_stored_reference(model_c_wins: bool, label: str) -> None:
    stored = json.loads((REFERENCE_DIRECTORY / "rating_reference_values.json").read_text())

    fit = _fit(_four_model_counts(model_c_wins))

    expected = [stored[label][name] for name in NAMES]
    np.testing.assert_allclose(fit.ratings, expected, atol=REFERENCE_TOLERANCE)


def test_four_model_tallies() -> None:
    fit = _fit(_four_model_counts(model_c_wins=False))

    np.testing.assert_array_equal(fit.judgments, [24.0, 23.0, 10.0, 23.0])
    np.testing.assert_array_equal(fit.wins, [17.0, 12.0, 0.0, 11.0])
    np.testing.assert_array_equal(fit.losses, [7.0, 11.0, 10.0, 12.0])
    np.testing.assert_array_equal(fit.ties, [0.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(fit.win_rate, [17 / 24, 12 / 23, 0.0, 11 / 23])
    assert fit.model_names == ("A", "B", "C", "D")


def test_win_rate_counts_ties_as_half() -> None:
    counts = pair_counts_from_judgments([0, 0, 1], [1, 1, 0], [OUTCOME_A_WINS, OUTCOME_TIE, 0], 2)

    fit = _fit(counts)

    np.testing.assert_array_equal(fit.ties, [1.0, 1.0])
    np.testing.assert_allclose(fit.win_rate, [1.5 / 3, 1.5 / 3])


def test_separate_pairs_form_two_components() -> None:
    fit = _fit(_two_separate_pairs())

    half_gap = 0.5 * 400.0 * math.log10(4.0)
    np.testing.assert_array_equal(fit.components, [1, 1, 2, 2])
    np.testing.assert_allclose(
        fit.ratings,
        [BASE_RATING + half_gap, BASE_RATING - half_gap] * 2,
        atol=CLOSED_FORM_TOLERANCE,
    )
    np.testing.assert_array_equal(fit.ranks, [1, 2, 1, 2])
    assert fit.virtual_ties_applied == ()
    assert fit.warnings == (
        "The comparison graph has 2 separate components: 1 (A, B), 2 (C, D). Each component "
        "is rated and ranked on its own, so compare ratings only within a component.",
    )


def test_separate_pairs_centred_with_bootstrap() -> None:
    fit = _fit(_two_separate_pairs(), rounds=200)

    assert fit.ci_lower is not None and fit.ci_upper is not None
    assert fit.ratings[:2].mean() == pytest.approx(BASE_RATING, abs=CLOSED_FORM_TOLERANCE)
    assert fit.ratings[2:].mean() == pytest.approx(BASE_RATING, abs=CLOSED_FORM_TOLERANCE)
    assert fit.ranks[0] == 1
    assert fit.ranks[2] == 1
    assert (fit.ci_lower <= fit.ratings).all()
    assert (fit.ratings <= fit.ci_upper).all()


def test_anchor_shifts_only_its_component() -> None:
    counts = _two_separate_pairs()
    free = _fit(counts, rounds=200, seed=4)

    anchored = _fit(counts, rounds=200, seed=4, anchor=(3, 1500.0))

    assert free.ci_lower is not None and free.ci_upper is not None
    assert anchored.ci_lower is not None and anchored.ci_upper is not None
    shift = 1500.0 - free.ratings[3]
    assert anchored.ratings[3] == 1500.0
    np.testing.assert_allclose(anchored.ratings[2:], free.ratings[2:] + shift, atol=1e-9)
    np.testing.assert_array_equal(anchored.ratings[:2], free.ratings[:2])
    np.testing.assert_allclose(anchored.ci_lower[2:], free.ci_lower[2:] + shift, atol=1e-9)
    np.testing.assert_allclose(anchored.ci_upper[2:], free.ci_upper[2:] + shift, atol=1e-9)
    np.testing.assert_array_equal(anchored.ci_lower[:2], free.ci_lower[:2])
    np.testing.assert_allclose(
        anchored.ci_upper - anchored.ci_lower, free.ci_upper - free.ci_lower, atol=1e-9
    )
    np.testing.assert_array_equal(anchored.ranks, free.ranks)


def test_bootstrap_rounds_without_exact_estimate_are_counted() -> None:
    # Every edge has a single judgment, so many resamples lose one and need virtual ties.
    counts = pair_counts_from_judgments([0, 1, 1, 2], [1, 0, 2, 1], [0, 0, 0, 0], 3)

    fit = _fit(counts, rounds=200)

    _assert_all_finite(fit)
    assert fit.virtual_ties_applied == ()
    assert len(fit.warnings) == 1
    match = re.fullmatch(
        r"In (\d+) of 200 bootstrap rounds, the resampled judgments of component 1 "
        r"\(A, B, C\) had no exact maximum-likelihood estimate, so those rounds added one "
        r"virtual tie to every pair compared in it\.",
        fit.warnings[0],
    )
    assert match is not None
    assert 0 < int(match.group(1)) < 200


def test_order_by_component_rating_then_name() -> None:
    counts = pair_counts_from_judgments([0, 1, 2], [1, 2, 0], [OUTCOME_TIE] * 3, 3)
    fit = fit_leaderboard(
        counts,
        bootstrap_rounds=0,
        rng=np.random.default_rng(0),
        model_names=["zeta", "alpha", "mid"],
    )

    np.testing.assert_array_equal(fit.order(), [1, 2, 0])
    np.testing.assert_array_equal(_fit(_two_separate_pairs()).order(), [0, 1, 2, 3])


def test_no_judgments_for_a_model_raise() -> None:
    counts = pair_counts_from_judgments([0, 1], [1, 0], [0, 0], 3)

    with pytest.raises(ValueError) as raised:
        _fit(counts)

    assert str(raised.value) == (
        "Model 'C' (index 2) has no judgments, so it has no rating. "
        "Leave models without judgments out of the counts."
    )


def test_no_judgments_at_all_raise() -> None:
    counts = pair_counts_from_judgments([], [], [], 2)

    with pytest.raises(ValueError) as raised:
        _fit(counts)

    assert str(raised.value).startswith("Model 'A' (index 0) has no judgments")


def test_no_models_raise() -> None:
    counts = pair_counts_from_judgments([], [], [], 0)

    with pytest.raises(ValueError) as raised:
        _fit(counts)

    assert str(raised.value) == (
        "The counts contain no models and no judgments, so there is nothing to rate."
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"model_names": ["A", "B"]},
            "model_names has 2 names but the counts cover 4 models. Pass one name per model index.",
        ),
        ({"bootstrap_rounds": -1}, "bootstrap_rounds must be a non-negative integer, got -1."),
        ({"bootstrap_rounds": 2.5}, "bootstrap_rounds must be a non-negative integer, got 2.5."),
        ({"max_iterations": 0}, "max_iterations must be a positive integer, got 0."),
        ({"tolerance": 0.0}, "tolerance must be a positive finite number of Elo points, got 0.0."),
        ({"anchor": (4, 1000.0)}, "The anchor model index 4 is outside the model indices 0 to 3."),
        ({"anchor": (0, float("nan"))}, "The anchor rating nan is not a finite number."),
    ],
)
def test_invalid_arguments_raise(options: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "bootstrap_rounds": 0,
        "rng": np.random.default_rng(0),
        "model_names": NAMES,
    }
    arguments.update(options)

    with pytest.raises(ValueError) as raised:
        fit_leaderboard(_two_separate_pairs(), **arguments)  # type: ignore[arg-type]

    assert str(raised.value) == message
