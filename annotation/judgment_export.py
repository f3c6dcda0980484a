"""CSV export of judgments for staff: one row per judgment, with the sides as shown.

The file names the model shown on each side, the verdict as shown and in the canonical
orientation of `annotation.services.agreement` (the model with the lower id is canonical
side A), and the expert's profile id, never a name. Cells are neutralised against formula
injection: a text cell starting with =, +, -, @, a tab or a carriage return gets a leading
single quote, so a spreadsheet shows it as text. Numbers are written as numbers.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db.models import QuerySet

from annotation.models import ComparisonBatch, Judgment
from annotation.selectors_quality import dimension_keys
from annotation.services.agreement import canonical_scores, canonical_verdict, is_reversed
from experts.models import Domain
from experts.selectors.domain import domain_ids_with_children

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_FIELDS = (
    "id",
    "comparison_id",
    "comparison__batch_id",
    "comparison__prompt_id",
    "expert_id",
    "model_a_id",
    "model_a__name",
    "model_b_id",
    "model_b__name",
    "verdict",
    "dimension_scores",
    "time_spent_seconds",
    "review_status",
    "is_gold",
    "judged_at",
)
LEADING_COLUMNS = [
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
]
TRAILING_COLUMNS = ["time_spent_seconds", "review_status", "is_gold", "judged_at"]

Cell = str | int | float | None


class _LineBuffer:
    """A file-like object whose `write` returns the line, so csv.writer output can stream."""

    def write(self, value: str) -> str:
        return value


def neutralise_cell(value: Cell) -> Cell:
    """Prefix a text cell that a spreadsheet would read as a formula with a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_lines(rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """Write each row as one CSV line, neutralising every cell (the header included)."""
    writer = csv.writer(_LineBuffer())
    for row in rows:
        line: str = writer.writerow([neutralise_cell(cell) for cell in row])
        yield line


def batch_judgment_export(*, batch: ComparisonBatch) -> list[list[Cell]]:
    """Build the header and one row per judgment of the batch's comparisons, oldest first."""
    return _export_table(batch.domain, Judgment.objects.filter(comparison__batch=batch))


def domain_judgment_export(*, domain: Domain) -> list[list[Cell]]:
    """Build the header and one row per judgment of the domain and its children, oldest first."""
    ids = domain_ids_with_children(domain=domain)
    return _export_table(domain, Judgment.objects.filter(domain_id__in=ids))


def _export_table(domain: Domain, judgments: QuerySet[Judgment]) -> list[list[Cell]]:
    rows = list(judgments.order_by("id").values(*EXPORT_FIELDS))
    keys = dimension_keys(domain=domain, scores=[row["dimension_scores"] or {} for row in rows])
    header: list[Cell] = [
        *LEADING_COLUMNS,
        *(f"{key}_shown" for key in keys),
        *(f"{key}_canonical" for key in keys),
        *TRAILING_COLUMNS,
    ]
    return [header, *(_export_row(row, keys) for row in rows)]


def _export_row(row: dict[str, Any], keys: list[str]) -> list[Cell]:
    reversed_sides = is_reversed(model_a_id=row["model_a_id"], model_b_id=row["model_b_id"])
    shown_scores: dict[str, Any] = row["dimension_scores"] or {}
    scores = canonical_scores(scores=shown_scores, reversed_sides=reversed_sides)
    shown_names = (row["model_a__name"], row["model_b__name"])
    canonical_names = shown_names[::-1] if reversed_sides else shown_names
    judged_at = row["judged_at"]
    return [
        row["id"],
        row["comparison__batch_id"],
        row["comparison_id"],
        row["comparison__prompt_id"],
        row["expert_id"],
        *shown_names,
        row["verdict"],
        *canonical_names,
        canonical_verdict(verdict=row["verdict"], reversed_sides=reversed_sides),
        *(shown_scores.get(key) for key in keys),
        *(scores.get(key) for key in keys),
        row["time_spent_seconds"],
        row["review_status"],
        "true" if row["is_gold"] else "false",
        judged_at.isoformat() if judged_at is not None else None,
    ]
