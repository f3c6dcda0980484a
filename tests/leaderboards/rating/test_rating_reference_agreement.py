"""Exact fits agree with an independent scipy.optimize fit of the written-out likelihood."""

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from leaderboards.rating import fit_leaderboard, pair_counts_from_judgments

# Agreement with the scipy.optimize reference, in Elo points.
REFERENCE_TOLERANCE = 0.01

# Published values are given to one decimal.
PUBLISHED_TOLERANCE = 0.1

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
MT_BENCH_PATH = (
    REPOSITORY_ROOT.parent / "shared" / "data" / "mt_bench" / "human_judgments_turn1.jsonl"
)

# Ratings of the MT-bench turn-1 human judgments, ties as half a win each way.
MT_BENCH_EXPECTED = {
    "gpt-4": 1175.1,
    "claude-v1": 1090.4,
    "gpt-3.5-turbo": 1087.0,
    "vicuna-13b-v1.2": 1015.5,
    "alpaca-13b": 866.3,
    "llama-13b": 765.7,
}


def _load_reference() -> ModuleType:
    path = Path(__file__).parent / "reference" / "generate_rating_reference.py"
    spec = importlib.util.spec_from_file_location("generate_rating_reference", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


reference = _load_reference()


def test_mt_bench_ratings() -> None:
    if not MT_BENCH_PATH.exists():
        pytest.fail(f"MT-bench judgments not found at {MT_BENCH_PATH}. Copy the data set there.")
    names, model_a, model_b, outcome = reference.read_mt_bench(MT_BENCH_PATH)
    counts = pair_counts_from_judgments(model_a, model_b, outcome, len(names))

    fit = fit_leaderboard(
        counts, bootstrap_rounds=0, rng=np.random.default_rng(0), model_names=names
    )
    expected_reference = reference.reference_ratings(model_a, model_b, outcome, len(names))

    ratings = dict(zip(names, fit.ratings.tolist(), strict=True))
    assert sorted(ratings) == sorted(MT_BENCH_EXPECTED)
    for name, expected in MT_BENCH_EXPECTED.items():
        assert ratings[name] == pytest.approx(expected, abs=PUBLISHED_TOLERANCE), name
    np.testing.assert_allclose(fit.ratings, expected_reference, atol=REFERENCE_TOLERANCE)
    assert fit.virtual_ties_applied == ()
    assert fit.warnings == ()


@pytest.mark.parametrize("seed", range(8))
def test_random_data_sets_match_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    model_count = int(rng.integers(3, 15))
    judgment_count = int(rng.integers(30, 80)) * model_count
    strengths = rng.normal(0.0, 1.5, model_count)
    model_a = rng.integers(0, model_count, judgment_count)
    model_b = (model_a + rng.integers(1, model_count, judgment_count)) % model_count
    a_wins = rng.random(judgment_count) < 1.0 / (
        1.0 + np.exp(strengths[model_b] - strengths[model_a])
    )
    outcome = np.where(a_wins, 0, 1)
    outcome[rng.random(judgment_count) < rng.uniform(0.0, 0.4)] = 2
    counts = pair_counts_from_judgments(model_a, model_b, outcome, model_count)

    fit = fit_leaderboard(
        counts,
        bootstrap_rounds=0,
        rng=np.random.default_rng(0),
        model_names=[str(index) for index in range(model_count)],
    )
    expected = reference.reference_ratings(model_a, model_b, outcome, model_count)

    assert fit.virtual_ties_applied == ()
    np.testing.assert_allclose(fit.ratings, expected, atol=REFERENCE_TOLERANCE)
