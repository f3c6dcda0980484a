"""Small random inputs of every shape: the fit returns finite values or raises a named error."""

import numpy as np
import pytest

from leaderboards.rating import fit_leaderboard, pair_counts_from_judgments


@pytest.mark.parametrize("seed", range(60))
def test_random_small_input_is_finite(seed: int) -> None:
    rng = np.random.default_rng(seed)
    model_count = int(rng.integers(2, 9))
    judgment_count = int(rng.integers(1, 40))
    model_a = rng.integers(0, model_count, judgment_count)
    model_b = (model_a + rng.integers(1, model_count, judgment_count)) % model_count
    # Every third input has no ties or upsets at all, so model_a always wins.
    outcome = rng.integers(0, 3, judgment_count) if seed % 3 else np.zeros(judgment_count, int)
    # Renumber the judged models, because a model without judgments is an error.
    judged = np.unique(np.concatenate([model_a, model_b]))
    model_a = np.searchsorted(judged, model_a)
    model_b = np.searchsorted(judged, model_b)
    counts = pair_counts_from_judgments(model_a, model_b, outcome, len(judged))

    fit = fit_leaderboard(
        counts,
        bootstrap_rounds=40,
        rng=np.random.default_rng(seed),
        model_names=[f"model {index}" for index in range(len(judged))],
    )

    assert fit.ci_lower is not None and fit.ci_upper is not None
    assert np.isfinite(fit.ratings).all()
    assert np.isfinite(fit.ci_lower).all()
    assert np.isfinite(fit.ci_upper).all()
    assert np.isfinite(fit.log_likelihood)
    assert (fit.ci_lower <= fit.ci_upper).all()
    for component in np.unique(fit.components):
        members = fit.components == component
        assert fit.ratings[members].mean() == pytest.approx(1000.0, abs=1e-9)
        assert fit.ranks[members].min() == 1
