"""CSV export of judgments: sides as shown, canonical verdict, no names, no formulas."""

import csv
import io

import pytest

from annotation.judgment_export import csv_lines, neutralise_cell
from annotation.models import ComparisonBatch, EvaluatedModel
from tests.annotation.quality.quality_setup import (
    expert_with_profile,
    judge,
    logged_in,
    staff_user,
)
from tests.annotation.work_setup import SECRET_MODELS, make_batch
from tests.experts.factories import DomainFactory

pytestmark = pytest.mark.django_db


def exported(path: str) -> list[dict[str, str]]:
    response = logged_in(staff_user()).get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def ten_of_fourteen_batch() -> tuple[ComparisonBatch, int]:
    """The position-bias case: 14 comparisons, sides swapped on every odd one, B picked 10 times."""
    domain = DomainFactory(slug="coding")
    batch = make_batch(domain, comparisons=14)
    expert = expert_with_profile(domain, name="Righty")
    for number, comparison in enumerate(batch.comparisons.order_by("id")):
        judge(
            comparison,
            expert,
            is_swapped=number % 2 == 1,
            verdict="b" if number < 10 else "a",
            scores={"correctness": 2 if number < 10 else -1, "readability": 0},
            seconds=40 + number,
        )
    return batch, expert.pk


def test_batch_export_names_model_on_each_side() -> None:
    batch, profile_id = ten_of_fourteen_batch()
    first, second = (EvaluatedModel.objects.get(name=name) for name in SECRET_MODELS)
    stored_first_is_a = first.pk < second.pk

    rows = exported(f"/work/staff/quality/batches/{batch.pk}/judgments.csv")

    assert len(rows) == 14
    for number, row in enumerate(rows):
        swapped = number % 2 == 1
        shown_models = (SECRET_MODELS[1], SECRET_MODELS[0]) if swapped else SECRET_MODELS
        verdict = "b" if number < 10 else "a"
        assert (row["model_shown_a"], row["model_shown_b"]) == shown_models
        assert row["verdict_shown"] == verdict
        canonical_is_shown = (shown_models[0] == SECRET_MODELS[0]) == stored_first_is_a
        expected = verdict if canonical_is_shown else {"a": "b", "b": "a"}[verdict]
        assert row["verdict_canonical"] == expected
        assert row["expert_profile_id"] == str(profile_id)
        assert row["time_spent_seconds"] == str(40 + number)
        assert row["review_status"] == "pending"
    assert sum(row["verdict_shown"] == "b" for row in rows) == 10


def test_export_carries_scores_as_numbers() -> None:
    batch, _ = ten_of_fourteen_batch()
    first, second = (EvaluatedModel.objects.get(name=name) for name in SECRET_MODELS)
    # The last judgment saw the sides swapped: the second model on A, rating it -1 (A better).
    last_reversed = second.pk > first.pk

    response = logged_in(staff_user()).get(f"/work/staff/quality/batches/{batch.pk}/judgments.csv")

    lines = response.content.decode("utf-8").splitlines()
    header = lines[0].split(",")
    assert header == [
        "judgment_id",
        "batch_id",
        "comparison_id",
        "prompt_id",
        "expert_profile_id",
        "model_shown_a",
        "model_shown_b",
        "verdict_shown",
        "canonical_model_a",
        "canonical_model_b",
        "verdict_canonical",
        "correctness_shown",
        "readability_shown",
        "correctness_canonical",
        "readability_canonical",
        "time_spent_seconds",
        "review_status",
        "is_gold",
        "judged_at",
    ]
    last = lines[-1].split(",")
    assert last[header.index("correctness_shown")] == "-1"
    assert last[header.index("readability_shown")] == "0"
    assert last[header.index("correctness_canonical")] == ("1" if last_reversed else "-1")
    assert last[header.index("model_shown_a")] == SECRET_MODELS[1]


def test_export_has_no_expert_name() -> None:
    batch, _ = ten_of_fourteen_batch()

    response = logged_in(staff_user()).get(f"/work/staff/quality/batches/{batch.pk}/judgments.csv")

    assert b"Righty" not in response.content
    assert b"righty" not in response.content


def test_export_neutralises_formula_cells() -> None:
    batch, _ = ten_of_fourteen_batch()
    EvaluatedModel.objects.filter(name=SECRET_MODELS[0]).update(name="=HYPERLINK(1)")
    EvaluatedModel.objects.filter(name=SECRET_MODELS[1]).update(name="-model")

    rows = exported(f"/work/staff/quality/batches/{batch.pk}/judgments.csv")

    assert (rows[0]["model_shown_a"], rows[0]["model_shown_b"]) == ("'=HYPERLINK(1)", "'-model")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("", ""),
        (-2, -2),
        (1.5, 1.5),
        (None, None),
    ],
)
def test_neutralise_cell(cell: str | int | float | None, expected: str | int | None) -> None:
    assert neutralise_cell(cell) == expected


def test_csv_lines_keeps_negative_numbers() -> None:
    assert list(csv_lines([["name", -2, None]])) == ["name,-2,\r\n"]


def test_domain_export_covers_child_domains() -> None:
    parent = DomainFactory(slug="mt-bench-like")
    child = DomainFactory(slug="mt-bench-like-math", parent=parent)
    batch = make_batch(child, comparisons=1)
    expert = expert_with_profile(child, name="Child")
    judge(batch.comparisons.get(), expert, is_swapped=False, verdict="tie")

    rows = exported("/work/staff/quality/mt-bench-like/judgments.csv")

    assert [row["verdict_shown"] for row in rows] == ["tie"]
    assert rows[0]["batch_id"] == str(batch.pk)
