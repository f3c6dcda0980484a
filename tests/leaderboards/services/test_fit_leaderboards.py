"""A fit of a domain: the verdict and each dimension, the recorded input, progress, repeats."""

import pytest

from annotation.models import Judgment
from experts.models import Domain
from leaderboards.fit_input import domain_fit_input_read
from leaderboards.models import Fit, FitRating, FitStage, FitStatus
from leaderboards.selectors import fit_standing_rows, leaderboard_payload
from leaderboards.services.fit import dimension_seed, fit_create
from tests.leaderboards.factories import software_domains
from tests.leaderboards.test_fit_input import expected_sha256

pytestmark = pytest.mark.django_db

STORED_FIELDS = (
    "dimension",
    "model__name",
    "position",
    "rating",
    "ci_lower",
    "ci_upper",
    "rank",
    "component",
    "judgments",
    "wins",
    "losses",
    "ties",
    "win_rate",
)


@pytest.fixture
def coding() -> Domain:
    return software_domains()[1]


def records(fit: Fit, dimension: str) -> dict[str, tuple[int, int, int, int]]:
    return {
        row.model: (row.judgments, row.wins, row.losses, row.ties)
        for row in fit_standing_rows(fit=fit, dimension=dimension)
    }


def test_fit_records_its_input(coding: Domain) -> None:
    fit = fit_create(domain=coding, bootstrap_rounds=20, seed=5)

    ids = list(Judgment.objects.filter(domain=coding).values_list("id", flat=True))
    assert fit.status == FitStatus.FINISHED
    assert fit.judgment_count == 24
    assert fit.judgment_ids_sha256 == expected_sha256(ids)
    assert fit.judgment_id_ranges == [[min(ids), max(ids)]]
    assert fit.seed == 5
    assert fit.bootstrap_rounds == 20
    assert fit.code_version != ""


def test_fit_stores_the_verdict_leaderboard(coding: Domain) -> None:
    fit = fit_create(domain=coding, bootstrap_rounds=20, seed=5)

    assert records(fit, "") == {
        "alpha": (15, 10, 3, 2),
        "beta": (19, 7, 9, 3),
        "gamma": (14, 4, 9, 1),
    }
    assert [row.model for row in fit_standing_rows(fit=fit)] == ["alpha", "beta", "gamma"]


def test_fit_stores_each_dimension_leaderboard(coding: Domain) -> None:
    fit = fit_create(domain=coding, bootstrap_rounds=20, seed=5)

    assert fit.dimensions == [
        {"key": "correctness", "label": "Correctness"},
        {"key": "style", "label": "Style"},
    ]
    assert records(fit, "correctness") == records(fit, "")
    assert records(fit, "style") == {
        "alpha": (15, 13, 0, 2),
        "beta": (10, 0, 8, 2),
        "gamma": (5, 0, 5, 0),
    }
    assert FitRating.objects.filter(fit=fit).count() == 9


def test_dimension_rows_have_intervals(coding: Domain) -> None:
    fit = fit_create(domain=coding, bootstrap_rounds=20, seed=5)

    for row in fit_standing_rows(fit=fit, dimension="style"):
        assert row.ci_lower is not None
        assert row.ci_upper is not None
        assert row.ci_lower <= row.rating <= row.ci_upper


def test_dimension_warning_names_the_dimension(coding: Domain) -> None:
    fit = fit_create(domain=coding, bootstrap_rounds=20, seed=5)

    style_warnings = [warning for warning in fit.warnings if warning.startswith("Style: ")]
    assert len(style_warnings) >= 1
    assert "virtual tie" in style_warnings[0]


def test_fit_stores_pair_counts_per_leaderboard(coding: Domain) -> None:
    fit = fit_create(domain=coding, bootstrap_rounds=0, seed=5)

    assert fit.pair_counts[""] == [
        ["alpha", "beta", 6, 2, 2],
        ["alpha", "gamma", 4, 1, 0],
        ["beta", "gamma", 5, 3, 1],
    ]
    assert fit.pair_counts["style"] == [["alpha", "beta", 8, 0, 2], ["alpha", "gamma", 5, 0, 0]]


def test_finished_fit_shows_full_progress(coding: Domain) -> None:
    fit = fit_create(domain=coding, bootstrap_rounds=20, seed=5)

    assert fit.stage == FitStage.DONE
    assert fit.leaderboards_done == 3
    assert fit.leaderboards_total == 3
    assert fit.bootstrap_rounds_done == 60
    assert fit.bootstrap_rounds_total == 60
    assert fit.progress_at is not None


def test_dimension_seed_depends_on_seed_and_key_only() -> None:
    assert dimension_seed(5, "style") == dimension_seed(5, "style")
    assert dimension_seed(5, "style") != dimension_seed(6, "style")
    assert dimension_seed(5, "style") != dimension_seed(5, "correctness")
    assert 0 <= dimension_seed(5, "style") < 2**63


def test_same_input_and_seed_make_one_fit(coding: Domain) -> None:
    first = fit_create(domain=coding, bootstrap_rounds=20, seed=5)

    second = fit_create(domain=coding, bootstrap_rounds=20, seed=5)

    assert second.pk == first.pk
    assert Fit.objects.filter(domain=coding).count() == 1


def test_refit_after_deletion_is_byte_identical(coding: Domain) -> None:
    first = fit_create(domain=coding, bootstrap_rounds=30, seed=9)
    stored = list(
        FitRating.objects.filter(fit=first)
        .order_by("dimension", "position")
        .values_list(*STORED_FIELDS)
    )
    exported = leaderboard_payload(
        domain=coding, rows=fit_standing_rows(fit=first), warnings=first.warnings
    )
    first_facts = (
        first.judgment_ids_sha256,
        first.input_fingerprint,
        first.pair_counts,
        first.warnings,
    )
    first.delete()

    second = fit_create(domain=coding, bootstrap_rounds=30, seed=9)

    again = list(
        FitRating.objects.filter(fit=second)
        .order_by("dimension", "position")
        .values_list(*STORED_FIELDS)
    )
    assert repr(again) == repr(stored)
    assert (
        second.judgment_ids_sha256,
        second.input_fingerprint,
        second.pair_counts,
        second.warnings,
    ) == first_facts
    assert (
        leaderboard_payload(
            domain=coding, rows=fit_standing_rows(fit=second), warnings=second.warnings
        )
        == exported
    )


def test_running_fit_is_redone(coding: Domain) -> None:
    domain_input = domain_fit_input_read(domain=coding)
    abandoned = Fit.objects.create(
        domain=coding,
        judgment_ids_sha256=domain_input.judgment_ids.sha256,
        input_fingerprint=domain_input.fingerprint,
        seed=5,
        bootstrap_rounds=10,
        code_version="dead-worker",
        stage=FitStage.FITTING,
        leaderboards_total=3,
    )

    fit = fit_create(domain=coding, bootstrap_rounds=10, seed=5)

    assert fit.pk == abandoned.pk
    assert fit.status == FitStatus.FINISHED
    assert FitRating.objects.filter(fit=fit).count() == 9
