"""Fitting stored judgments: the MT-bench values, idempotence and bad input."""

import pytest

from annotation.models import Verdict
from experts.models import Domain
from leaderboards.fit_input import DomainHasNoJudgments, fit_input_for_domain
from leaderboards.models import Fit, FitRating, FitStatus
from leaderboards.selectors import fit_standing_rows
from leaderboards.services.fit import Anchor, AnchorModelUnknown, fit_create
from tests.annotation.factories import EvaluatedModelFactory, JudgmentFactory
from tests.experts.factories import DomainFactory

pytestmark = pytest.mark.django_db

# Exact maximum-likelihood ratings of all 1,689 MT-bench judgments, from scipy's optimiser on
# the written-out likelihood (tests/leaderboards/rating/reference holds the script).
MTBENCH_RATINGS = {
    "gpt-4": 1175.1,
    "claude-v1": 1090.4,
    "gpt-3.5-turbo": 1087.0,
    "vicuna-13b-v1.2": 1015.5,
    "alpaca-13b": 866.3,
    "llama-13b": 765.7,
}
ROUNDED_TOLERANCE = 0.05 + 1e-9


def test_mtbench_fit_matches_reference(mtbench_domain: Domain) -> None:
    fit = fit_create(domain=mtbench_domain, bootstrap_rounds=0, seed=1)

    rows = fit_standing_rows(fit=fit)
    assert fit.status == FitStatus.FINISHED
    assert fit.judgment_count == 1689
    assert [row.model for row in rows] == list(MTBENCH_RATINGS)
    for row in rows:
        assert row.rating == pytest.approx(MTBENCH_RATINGS[row.model], abs=ROUNDED_TOLERANCE)
        assert row.ci_lower is None
        assert row.ci_upper is None
    assert sum(row.judgments for row in rows) == 2 * 1689


def test_fit_with_bootstrap_stores_intervals_around_ratings(mtbench_domain: Domain) -> None:
    fit = fit_create(domain=mtbench_domain, bootstrap_rounds=100, seed=7)

    for row in fit_standing_rows(fit=fit):
        assert row.ci_lower is not None and row.ci_upper is not None
        assert row.ci_lower < row.rating < row.ci_upper
    assert FitRating.objects.filter(fit=fit).count() == 6


def test_same_input_and_seed_returns_the_stored_fit(mtbench_domain: Domain) -> None:
    first = fit_create(domain=mtbench_domain, bootstrap_rounds=20, seed=3)

    second = fit_create(domain=mtbench_domain, bootstrap_rounds=20, seed=3)

    assert second.pk == first.pk
    assert Fit.objects.count() == 1


def test_new_judgment_changes_the_fingerprint(mtbench_domain: Domain) -> None:
    first = fit_create(domain=mtbench_domain, bootstrap_rounds=0, seed=3)
    child = Domain.objects.get(slug="mt-bench-math")
    gpt4 = EvaluatedModelFactory(name="gpt-4")
    llama = EvaluatedModelFactory(name="llama-13b")
    JudgmentFactory(domain=child, model_a=llama, model_b=gpt4, verdict=Verdict.A_BETTER)

    second = fit_create(domain=mtbench_domain, bootstrap_rounds=0, seed=3)

    assert second.pk != first.pk
    assert second.judgment_count == 1690
    assert second.input_fingerprint != first.input_fingerprint


def test_category_domain_fits_only_its_judgments(mtbench_domain: Domain) -> None:
    coding = Domain.objects.get(slug="mt-bench-coding")

    fit = fit_create(domain=coding, bootstrap_rounds=0, seed=1)

    assert fit.judgment_count == coding.judgments.count()
    assert 0 < fit.judgment_count < 1689


def test_anchor_shifts_every_rating(mtbench_domain: Domain) -> None:
    plain = {
        row.model: row.rating
        for row in fit_standing_rows(
            fit=fit_create(domain=mtbench_domain, bootstrap_rounds=0, seed=1)
        )
    }

    anchored_fit = fit_create(
        domain=mtbench_domain, bootstrap_rounds=0, seed=1, anchor=Anchor("llama-13b", 800.0)
    )

    anchored = {row.model: row.rating for row in fit_standing_rows(fit=anchored_fit)}
    shift = 800.0 - plain["llama-13b"]
    for model, rating in plain.items():
        assert anchored[model] == pytest.approx(rating + shift, abs=1e-9)


def test_unknown_anchor_model_is_rejected(mtbench_domain: Domain) -> None:
    with pytest.raises(AnchorModelUnknown) as caught:
        fit_create(domain=mtbench_domain, bootstrap_rounds=0, seed=1, anchor=Anchor("gpt-5", 1))

    assert caught.value.message.startswith(
        "Anchor model 'gpt-5' has no judgments in this input. Choose one of: alpaca-13b, "
    )
    assert not Fit.objects.exists()


def test_domain_without_judgments_is_rejected() -> None:
    domain = DomainFactory(slug="empty")

    with pytest.raises(DomainHasNoJudgments) as caught:
        fit_create(domain=domain, bootstrap_rounds=0, seed=1)

    assert caught.value.message.startswith("Domain 'empty' has no accepted judgments to fit.")
    assert not Fit.objects.exists()


def test_fit_input_counts_both_tie_labels_as_ties() -> None:
    domain = DomainFactory()
    a, b = EvaluatedModelFactory(name="a"), EvaluatedModelFactory(name="b")
    JudgmentFactory(domain=domain, model_a=a, model_b=b, verdict=Verdict.TIE)
    JudgmentFactory(domain=domain, model_a=b, model_b=a, verdict=Verdict.BOTH_BAD)
    JudgmentFactory(domain=domain, model_a=b, model_b=a, verdict=Verdict.A_BETTER)

    fit_input = fit_input_for_domain(domain=domain)

    assert fit_input.model_names == ["a", "b"]
    assert fit_input.judgment_count == 3
    assert list(fit_input.counts.ties) == [2.0]
    assert list(fit_input.counts.first_wins) == [0.0]
    assert list(fit_input.counts.second_wins) == [1.0]
