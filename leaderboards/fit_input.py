"""The input of a fit: judgments aggregated per model pair and outcome.

Aggregation happens in the database (GROUP BY queries), so fitting a million judgments never
loads a million rows. Models are indexed in name order, which keeps fits and fingerprints
independent of insertion order.

The dimensions of the domain's rubric, and of its children's rubrics, become leaderboards of
their own; scores under other keys are not read. A dimension score s on the graded scale
-2..2 is stored from the sides as shown, and the stored model_a and model_b are the models
shown as A and B, so the sign decides the outcome directly: s < 0 means A won, s > 0 means B
won, and s = 0 is a tie (half a win each). The size of the score is not used, because the
Bradley-Terry model describes who wins, not by how much. A score that is not a JSON number is
skipped, and a judgment without a key does not count in that dimension.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, QuerySet

from annotation.battle_file import ParsedJudgment
from annotation.models import EvaluatedModel, Judgment, Rubric, Verdict
from annotation.models.judgment import ReviewStatus
from experts.models import Domain
from experts.selectors import domain_ids_with_children
from leaderboards.judgment_ids import JudgmentIdSet, judgment_id_set_of
from leaderboards.rating import (
    OUTCOME_A_WINS,
    OUTCOME_B_WINS,
    OUTCOME_TIE,
    PairCounts,
    pair_counts_from_table,
)
from seal_platform.errors import InvalidInput

# Both tie labels count as half a win for each side.
VERDICT_OUTCOMES = {
    Verdict.A_BETTER: OUTCOME_A_WINS,
    Verdict.B_BETTER: OUTCOME_B_WINS,
    Verdict.TIE: OUTCOME_TIE,
    Verdict.BOTH_BAD: OUTCOME_TIE,
}


# The outcome of a dimension score, by its sign (see the module docstring).
SCORE_SIGN_VERDICTS = {-1: Verdict.A_BETTER, 0: Verdict.TIE, 1: Verdict.B_BETTER}

DIMENSION_COUNTS_SQL = """
SELECT judgment.model_a_id, judgment.model_b_id, score.key,
       sign((score.value #>> '{{}}')::numeric)::int, count(*)
FROM ({input_sql}) AS judgment
CROSS JOIN LATERAL jsonb_each(judgment.dimension_scores) AS score
WHERE score.key = ANY(%s) AND jsonb_typeof(score.value) = 'number'
GROUP BY 1, 2, 3, 4
"""


class DomainHasNoJudgments(InvalidInput):
    code = "domain_has_no_judgments"


@dataclass(frozen=True)
class FitInput:
    model_names: list[str]
    counts: PairCounts
    judgment_count: int
    fingerprint: str


def fit_input_from_rows(rows: Iterable[tuple[str, str, str, int]]) -> FitInput:
    """Build the input from (model_a name, model_b name, verdict, count) rows."""
    table = sorted(rows)
    names = sorted({name for row in table for name in row[:2]})
    index = {name: position for position, name in enumerate(names)}
    fingerprint = hashlib.sha256(json.dumps(table, separators=(",", ":")).encode()).hexdigest()

    counts = pair_counts_from_table(
        np.array([index[row[0]] for row in table], dtype=np.int64),
        np.array([index[row[1]] for row in table], dtype=np.int64),
        np.array([VERDICT_OUTCOMES[Verdict(row[2])] for row in table], dtype=np.int64),
        np.array([row[3] for row in table], dtype=np.float64),
        len(names),
    )
    return FitInput(
        model_names=names,
        counts=counts,
        judgment_count=sum(row[3] for row in table),
        fingerprint=fingerprint,
    )


@dataclass(frozen=True)
class DimensionInput:
    key: str
    label: str
    fit_input: FitInput


@dataclass(frozen=True)
class DomainFitInput:
    """Everything one fit of a domain reads, taken from one view of the database.

    `fingerprint` is a SHA-256 over the verdict's and every dimension's aggregated counts.
    """

    overall: FitInput
    dimensions: list[DimensionInput]
    judgment_ids: JudgmentIdSet
    fingerprint: str


def fit_judgments(*, domain: Domain) -> QuerySet[Judgment]:
    """Return the judgments a domain's leaderboard counts: accepted, not gold, own or child's."""
    return Judgment.objects.filter(
        domain_id__in=domain_ids_with_children(domain=domain),
        review_status=ReviewStatus.ACCEPTED,
        is_gold=False,
    )


def _no_judgments(domain: Domain) -> DomainHasNoJudgments:
    return DomainHasNoJudgments(
        f"Domain {domain.slug!r} has no accepted judgments to fit. Import judgments with "
        "`manage.py import_judgments FILE --domain "
        f"{domain.slug}` first."
    )


def _model_names(model_ids: set[int]) -> dict[int, str]:
    return dict(EvaluatedModel.objects.filter(id__in=model_ids).values_list("id", "name"))


def _verdict_rows(judgments: QuerySet[Judgment]) -> list[tuple[int, int, str, int]]:
    return list(
        judgments.values_list("model_a_id", "model_b_id", "verdict")
        .annotate(count=Count("id"))
        .order_by()
    )


def fit_input_for_domain(*, domain: Domain) -> FitInput:
    """Aggregate the accepted judgments of the domain and its child domains."""
    grouped = _verdict_rows(fit_judgments(domain=domain))
    if not grouped:
        raise _no_judgments(domain)
    names = _model_names({model_id for row in grouped for model_id in row[:2]})
    return fit_input_from_rows(
        (names[model_a], names[model_b], verdict, count)
        for model_a, model_b, verdict, count in grouped
    )


def _dimension_rows(
    judgments: QuerySet[Judgment], keys: list[str]
) -> list[tuple[int, int, str, int, int]]:
    """Return (model_a id, model_b id, dimension key, score sign, count) rows for these keys."""
    if not keys:
        return []
    if connection.vendor == "postgresql":
        input_sql, params = (
            judgments.values("model_a_id", "model_b_id", "dimension_scores")
            .order_by()
            .query.sql_with_params()
        )
        with connection.cursor() as cursor:
            cursor.execute(DIMENSION_COUNTS_SQL.format(input_sql=input_sql), (*params, keys))
            return [tuple(row) for row in cursor.fetchall()]

    tally: Counter[tuple[int, int, str, int]] = Counter()
    for model_a, model_b, scores in judgments.values_list(
        "model_a_id", "model_b_id", "dimension_scores"
    ):
        for key, value in (scores or {}).items():
            if key in keys and isinstance(value, int | float) and not isinstance(value, bool):
                tally[(model_a, model_b, key, (value > 0) - (value < 0))] += 1
    return [(*cell, count) for cell, count in tally.items()]


def _dimension_labels(domain: Domain) -> dict[str, str]:
    """Return each dimension key's label, the domain's own rubric first, then its children's."""
    labels: dict[str, str] = {}
    rubrics = Rubric.objects.filter(domain_id__in=domain_ids_with_children(domain=domain))
    for rubric in sorted(rubrics, key=lambda rubric: rubric.domain_id != domain.pk):
        for dimension in rubric.dimensions:
            labels.setdefault(str(dimension["key"]), str(dimension.get("label") or ""))
    return labels


def _dimension_inputs(
    rows: list[tuple[int, int, str, int, int]], names: dict[int, str], labels: dict[str, str]
) -> list[DimensionInput]:
    by_key: dict[str, list[tuple[str, str, str, int]]] = {}
    for model_a, model_b, key, sign, count in rows:
        verdict = SCORE_SIGN_VERDICTS[sign].value
        by_key.setdefault(key, []).append((names[model_a], names[model_b], verdict, count))
    return [
        DimensionInput(
            key=key,
            label=labels[key] or key.replace("_", " ").capitalize(),
            fit_input=fit_input_from_rows(table),
        )
        for key, table in sorted(by_key.items())
    ]


@contextmanager
def _one_view_of_the_data() -> Iterator[None]:
    """Run the enclosed reads in one REPEATABLE READ transaction on PostgreSQL.

    Every query then sees the same committed data, so the judgment IDs, their hash and the
    counts describe one input even while reviews go on. Inside a caller's transaction the
    caller's isolation level applies, because PostgreSQL fixes it at the first query.
    """
    is_outermost = not connection.in_atomic_block
    with transaction.atomic():
        if is_outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _combined_fingerprint(overall: FitInput, dimensions: list[DimensionInput]) -> str:
    parts: dict[str, Any] = {
        "verdict": overall.fingerprint,
        "dimensions": {dimension.key: dimension.fit_input.fingerprint for dimension in dimensions},
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def domain_fit_input_read(*, domain: Domain) -> DomainFitInput:
    """Read the verdict counts, the dimension counts and the judgment IDs of a domain's fit.

    Raises DomainHasNoJudgments when the domain and its children have no accepted judgment.
    """
    judgments = fit_judgments(domain=domain)
    with _one_view_of_the_data():
        verdict_rows = _verdict_rows(judgments)
        if not verdict_rows:
            raise _no_judgments(domain)
        labels = _dimension_labels(domain)
        dimension_rows = _dimension_rows(judgments, sorted(labels))
        judgment_ids = judgment_id_set_of(judgments)
        names = _model_names({model_id for row in verdict_rows for model_id in row[:2]})

    overall = fit_input_from_rows(
        (names[model_a], names[model_b], verdict, count)
        for model_a, model_b, verdict, count in verdict_rows
    )
    dimensions = _dimension_inputs(dimension_rows, names, labels)
    return DomainFitInput(
        overall=overall,
        dimensions=dimensions,
        judgment_ids=judgment_ids,
        fingerprint=_combined_fingerprint(overall, dimensions),
    )


def fit_input_from_parsed(parsed: Iterable[ParsedJudgment]) -> FitInput:
    """Build the input from a parsed battle file, for fits that store nothing."""
    tally = Counter((item.model_a, item.model_b, item.verdict) for item in parsed)
    return fit_input_from_rows((a, b, verdict, count) for (a, b, verdict), count in tally.items())
