"""Agreement among the real MT-bench human judges, checked against a computation from the file.

The independent computation reads `human_judgments_turn1.jsonl` itself. A unit is a question
and an unordered pair of models, and side A is the model with the lower id in the database. A
judge who rated a unit twice keeps their later line. Coding the winner by model name instead
would give another alpha, because nominal alpha's expected disagreement pools the categories
over all units.
"""

import json
from collections import Counter
from collections.abc import Hashable
from pathlib import Path

import krippendorff
import numpy as np
import numpy.typing as npt
import pytest

from annotation.models import EvaluatedModel
from annotation.selectors_quality import domain_agreement_get
from annotation.services.mtbench_import import mtbench_import_folder
from experts.models import Domain, ExpertProfile
from tests.annotation.quality.test_agreement import nominal_alpha_by_coincidence

pytestmark = pytest.mark.django_db

EXACT = 1e-9
# Figures of the MT-bench release's 1,689 first-turn human judgments, from this suite's
# service and confirmed by the independent computation below.
EXPECTED_VERDICT_ALPHA = 0.4767
EXPECTED_UNITS_WITH_TWO_JUDGES = 484


WINNER_CODES = {"side_a": 0, "side_b": 1, "tie": 2, "tie (bothbad)": 3}


def independent_matrix(path: Path, model_ids: dict[str, int]) -> npt.NDArray[np.float64]:
    """Judges by units; each value codes the winner with the lower-id model as side A."""
    ratings: dict[tuple[str, tuple[int, frozenset[str]]], int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        unit = (item["question_id"], frozenset((item["model_a"], item["model_b"])))
        winner = item["winner"]
        if winner in ("model_a", "model_b"):
            first = min(item["model_a"], item["model_b"], key=model_ids.__getitem__)
            winner = "side_a" if item[winner] == first else "side_b"
        ratings[(item["judge"], unit)] = WINNER_CODES[winner]
    judges = sorted({judge for judge, _ in ratings})
    units = sorted({unit for _, unit in ratings}, key=lambda unit: (unit[0], sorted(unit[1])))
    matrix = np.full((len(judges), len(units)), np.nan)
    for (judge, unit), code in ratings.items():
        matrix[judges.index(judge), units.index(unit)] = code
    return matrix


def test_mtbench_verdict_alpha(mtbench_dir: Path) -> None:
    mtbench_import_folder(folder=mtbench_dir)
    model_ids = dict(EvaluatedModel.objects.values_list("name", "id"))
    matrix = independent_matrix(mtbench_dir / "human_judgments_turn1.jsonl", model_ids)
    judges_per_unit = np.sum(~np.isnan(matrix), axis=0)
    independent = nominal_alpha_by_coincidence(matrix)

    result = domain_agreement_get(domain=Domain.objects.get(slug="mt-bench"))

    verdict = result.report.verdict
    kappas = verdict.kappas
    judge_names: dict[Hashable, str] = dict(ExpertProfile.objects.values_list("id", "external_id"))
    print(
        f"\nMT-bench verdict: nominal alpha {verdict.alpha.value:.4f} over "
        f"{verdict.pairable_unit_count} units judged by two or more of {verdict.rater_count} "
        f"judges ({verdict.rating_count} ratings); independent {independent:.4f}. "
        f"Cohen's kappa for {len(kappas.pairs)} judge pairs sharing at least "
        f"{kappas.min_shared_units} units: median {kappas.median:.4f}, min {kappas.minimum:.4f}, "
        f"max {kappas.maximum:.4f}; {kappas.pairs_below_minimum} pairs share fewer. "
        "Pairs: "
        + ", ".join(
            f"{judge_names[pair.first_rater]}/{judge_names[pair.second_rater]} "
            f"{pair.kappa.value:.4f} "
            f"on {pair.shared_units}"
            for pair in kappas.pairs
            if pair.kappa.value is not None
        )
    )
    assert result.judgment_count == 1689
    assert verdict.rating_count == int(judges_per_unit.sum())
    assert verdict.pairable_unit_count == int(np.sum(judges_per_unit >= 2))
    assert verdict.pairable_unit_count == EXPECTED_UNITS_WITH_TWO_JUDGES
    assert verdict.alpha.value == pytest.approx(independent, abs=EXACT)
    assert verdict.alpha.value == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"), abs=EXACT
    )
    assert verdict.alpha.value == pytest.approx(EXPECTED_VERDICT_ALPHA, abs=5e-5)


def test_mtbench_raters_are_judges(mtbench_dir: Path) -> None:
    mtbench_import_folder(folder=mtbench_dir)
    lines = (mtbench_dir / "human_judgments_turn1.jsonl").read_text(encoding="utf-8")
    judges = Counter(json.loads(line)["judge"] for line in lines.splitlines())

    verdict = domain_agreement_get(domain=Domain.objects.get(slug="mt-bench")).report.verdict

    assert verdict.rater_count == len(judges)
