"""Krippendorff's alpha, Cohen's kappa and the canonical orientation, without the database."""

import subprocess
import sys

import numpy as np
import numpy.typing as npt
import pytest

from annotation.services.agreement import (
    MIN_SHARED_UNITS_FOR_KAPPA,
    REASON_KAPPA_NO_VARIATION,
    REASON_NO_PAIRABLE_UNIT,
    REASON_NO_VARIATION,
    AgreementFigure,
    Rating,
    agreement_report,
    canonical_scores,
    canonical_verdict,
    cohen_kappa,
    is_reversed,
    krippendorff_alpha,
    unit_key,
)

NAN = np.nan
# Krippendorff's textbook example: four raters (rows), twelve units (columns), grades 1 to 5.
# Unit 12 has a single grade and so drops out of every coefficient.
TEXTBOOK = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)
FOUR_DECIMALS = 5e-5
EXACT = 1e-12


def nominal_alpha_by_coincidence(matrix: npt.NDArray[np.float64]) -> float:
    """Nominal alpha written out: 1 - (n - 1) * sum_{c!=k} o_ck / sum_{c!=k} n_c * n_k.

    o_ck adds, for every unit with m >= 2 values, (ordered pairs of values c, k from different
    raters) / (m - 1); n_c are the row sums of o and n their total.
    """
    values = np.unique(matrix[~np.isnan(matrix)])
    coincidences = np.zeros((values.size, values.size))
    for column in matrix.T:
        present = column[~np.isnan(column)]
        if present.size < 2:
            continue
        counts = np.array([np.sum(present == value) for value in values], dtype=np.float64)
        coincidences += (np.outer(counts, counts) - np.diag(counts)) / (present.size - 1)
    totals = coincidences.sum(axis=1)
    off_diagonal = ~np.eye(values.size, dtype=bool)
    expected = np.outer(totals, totals)[off_diagonal].sum()
    return float(1 - (totals.sum() - 1) * coincidences[off_diagonal].sum() / expected)


@pytest.mark.parametrize(
    ("level", "expected"),
    [("nominal", 0.7434), ("ordinal", 0.8154), ("interval", 0.8491), ("ratio", 0.7974)],
)
def test_alpha_textbook_example(level: str, expected: float) -> None:
    figure = krippendorff_alpha(TEXTBOOK, level=level)  # type: ignore[arg-type]

    assert figure.reason == ""
    assert figure.value == pytest.approx(expected, abs=FOUR_DECIMALS)


def test_nominal_alpha_matches_coincidence_formula() -> None:
    independent = nominal_alpha_by_coincidence(TEXTBOOK)

    figure = krippendorff_alpha(TEXTBOOK, level="nominal")

    assert independent == pytest.approx(0.7434, abs=FOUR_DECIMALS)
    assert figure.value == pytest.approx(independent, abs=EXACT)


def test_alpha_without_variation_is_undefined() -> None:
    matrix = np.array([[2, 2, NAN, NAN], [2, 2, 2, NAN], [NAN, 2, 2, 5]], dtype=np.float64)

    figure = krippendorff_alpha(matrix, level="ordinal", value_domain=(-2, -1, 0, 1, 2, 5))

    assert figure == AgreementFigure(None, REASON_NO_VARIATION.format(value="2"))


def test_alpha_without_pairable_unit_is_undefined() -> None:
    matrix = np.array([[1, NAN], [NAN, 2]], dtype=np.float64)

    assert krippendorff_alpha(matrix, level="nominal") == AgreementFigure(
        None, REASON_NO_PAIRABLE_UNIT
    )


def test_alpha_of_empty_matrix_is_undefined() -> None:
    figure = krippendorff_alpha(np.zeros((0, 0)), level="nominal")

    assert figure == AgreementFigure(None, REASON_NO_PAIRABLE_UNIT)


def test_verdict_without_variation_names_the_verdict() -> None:
    ratings = [
        Rating(unit=unit, rater=rater, verdict="tie", scores={})
        for unit in range(3)
        for rater in ("first", "second")
    ]

    report = agreement_report(ratings, dimensions=[])

    assert report.verdict.alpha == AgreementFigure(None, REASON_NO_VARIATION.format(value="'tie'"))
    assert report.verdict.pairable_unit_count == 3


def test_kappa_hand_computed_table() -> None:
    # Cross table of two raters over 10 units: a/a 4, a/b 2, b/a 1, b/b 3.
    first = ["a"] * 6 + ["b"] * 4
    second = ["a"] * 4 + ["b"] * 2 + ["a"] * 1 + ["b"] * 3
    observed = (4 + 3) / 10
    chance = (6 / 10) * (5 / 10) + (4 / 10) * (5 / 10)
    expected = (observed - chance) / (1 - chance)
    ratings = [
        Rating(unit=unit, rater=rater, verdict=verdict, scores={})
        for rater, verdicts in (("first", first), ("second", second))
        for unit, verdict in enumerate(verdicts)
    ]

    report = agreement_report(ratings, dimensions=[])

    assert expected == pytest.approx(0.4, abs=EXACT)
    assert len(report.verdict.kappas.pairs) == 1
    assert report.verdict.kappas.pairs[0].shared_units == 10
    assert report.verdict.kappas.pairs[0].kappa.value == pytest.approx(expected, abs=EXACT)
    assert report.verdict.kappas.median == pytest.approx(expected, abs=EXACT)


def test_kappa_needs_minimum_shared_units() -> None:
    ratings = [
        Rating(unit=unit, rater=rater, verdict="a" if unit % 2 else "b", scores={})
        for unit in range(MIN_SHARED_UNITS_FOR_KAPPA - 1)
        for rater in ("first", "second")
    ]

    kappas = agreement_report(ratings, dimensions=[]).verdict.kappas

    assert kappas.pairs == ()
    assert kappas.pairs_below_minimum == 1
    assert kappas.median is None


def test_kappa_without_variation_is_undefined() -> None:
    figure = cohen_kappa([1, 1, 1], [1, 1, 1], labels=[0, 1, 2, 3], value_names={1.0: "b"})

    assert figure == AgreementFigure(None, REASON_KAPPA_NO_VARIATION.format(value="'b'"))


def test_weighted_kappa_on_graded_scale() -> None:
    # Linear weights over the scale -2..2: a disagreement of d steps costs d / 4.
    first = [-2, -1, 0, 1, 2, 2]
    second = [-2, 0, 0, 1, 1, 2]
    scale = [-2, -1, 0, 1, 2]
    weights = np.abs(np.subtract.outer(np.arange(5), np.arange(5))) / 4
    table = np.zeros((5, 5))
    for left, right in zip(first, second, strict=True):
        table[scale.index(left), scale.index(right)] += 1
    chance = np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()
    expected = 1 - (weights * table).sum() / (weights * chance).sum()

    figure = cohen_kappa(first, second, labels=scale, weights="linear")

    assert figure.value == pytest.approx(expected, abs=EXACT)


def test_opposite_sides_same_model_agree() -> None:
    # Model 7 and model 3 on prompt 11. The first expert saw 7 as A and preferred A; the
    # second saw 3 as A and preferred B. Both preferred model 7.
    seen = [
        ("first", 7, 3, "a", {"correctness": -2}),
        ("second", 3, 7, "b", {"correctness": 2}),
    ]
    ratings = []
    for prompt in (11, 12):
        for rater, model_a_id, model_b_id, verdict, scores in seen:
            reversed_sides = is_reversed(model_a_id=model_a_id, model_b_id=model_b_id)
            ratings.append(
                Rating(
                    unit=unit_key(prompt_key=prompt, model_a_id=model_a_id, model_b_id=model_b_id),
                    rater=rater,
                    verdict=canonical_verdict(verdict=verdict, reversed_sides=reversed_sides),
                    scores=canonical_scores(scores=scores, reversed_sides=reversed_sides),
                )
            )
    # On a third unit both prefer canonical side A, which gives the data variation, so alpha
    # is defined.
    ratings += [
        Rating(unit=("other",), rater="first", verdict="a", scores={"correctness": 1}),
        Rating(unit=("other",), rater="second", verdict="a", scores={"correctness": 1}),
    ]

    report = agreement_report(ratings, dimensions=["correctness"])

    assert {rating.unit for rating in ratings[:2]} == {(11, 3, 7)}
    assert [rating.verdict for rating in ratings[:4]] == ["b", "b", "b", "b"]
    assert [rating.scores["correctness"] for rating in ratings[:4]] == [2, 2, 2, 2]
    assert report.verdict.unit_count == 3
    assert report.verdict.alpha.value == pytest.approx(1.0, abs=EXACT)
    assert report.dimensions[0].alpha.value == pytest.approx(1.0, abs=EXACT)


def test_missing_score_stays_missing() -> None:
    ratings = [
        Rating(unit=1, rater="first", verdict="a", scores={"style": -1}),
        Rating(unit=1, rater="second", verdict="a", scores={}),
        Rating(unit=2, rater="first", verdict="b", scores={"style": 1}),
        Rating(unit=2, rater="second", verdict="b", scores={"style": 1}),
    ]

    style = agreement_report(ratings, dimensions=["style"]).dimensions[0]

    assert style.rating_count == 3
    assert style.pairable_unit_count == 1
    assert style.alpha == AgreementFigure(None, REASON_NO_VARIATION.format(value="1"))


def test_later_rating_of_same_unit_replaces_earlier() -> None:
    ratings = [
        Rating(unit=1, rater="first", verdict="a", scores={}),
        Rating(unit=1, rater="second", verdict="b", scores={}),
        Rating(unit=1, rater="first", verdict="b", scores={}),
        Rating(unit=2, rater="first", verdict="a", scores={}),
        Rating(unit=2, rater="second", verdict="a", scores={}),
    ]

    verdict = agreement_report(ratings, dimensions=[]).verdict

    assert verdict.rating_count == 4
    assert verdict.alpha.value == pytest.approx(1.0, abs=EXACT)


def test_unknown_verdict_raises() -> None:
    with pytest.raises(ValueError, match="Unknown verdict 'maybe'"):
        canonical_verdict(verdict="maybe", reversed_sides=False)


def test_score_off_scale_raises() -> None:
    with pytest.raises(ValueError, match="Dimension score style=3 is not an integer from -2 to 2."):
        canonical_scores(scores={"style": 3}, reversed_sides=True)


def test_agreement_module_imports_no_django() -> None:
    code = (
        "import sys, annotation.services.agreement; "
        "print(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )

    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )

    assert completed.stdout.strip() == "False"
