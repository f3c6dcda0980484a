"""The input of a fit: judgments aggregated per model pair and outcome.

Aggregation happens in the database (one GROUP BY), so fitting a million judgments never
loads a million rows. Models are indexed in name order, which keeps fits and fingerprints
independent of insertion order.
"""

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.db.models import Count

from annotation.battle_file import ParsedJudgment
from annotation.models import EvaluatedModel, Judgment, Verdict
from annotation.models.judgment import ReviewStatus
from experts.models import Domain
from experts.selectors import domain_ids_with_children
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


def fit_input_for_domain(*, domain: Domain) -> FitInput:
    """Aggregate the accepted judgments of the domain and its child domains."""
    aggregated = (
        Judgment.objects.filter(
            domain_id__in=domain_ids_with_children(domain=domain),
            review_status=ReviewStatus.ACCEPTED,
            is_gold=False,
        )
        .values_list("model_a_id", "model_b_id", "verdict")
        .annotate(count=Count("id"))
        .order_by()
    )
    grouped = list(aggregated)
    if not grouped:
        raise DomainHasNoJudgments(
            f"Domain {domain.slug!r} has no accepted judgments to fit. Import judgments with "
            "`manage.py import_judgments FILE --domain "
            f"{domain.slug}` first."
        )
    model_ids = {model_id for row in grouped for model_id in row[:2]}
    names = dict(EvaluatedModel.objects.filter(id__in=model_ids).values_list("id", "name"))
    return fit_input_from_rows(
        (names[model_a], names[model_b], verdict, count)
        for model_a, model_b, verdict, count in grouped
    )


def fit_input_from_parsed(parsed: Iterable[ParsedJudgment]) -> FitInput:
    """Build the input from a parsed battle file, for fits that store nothing."""
    tally = Counter((item.model_a, item.model_b, item.verdict) for item in parsed)
    return fit_input_from_rows((a, b, verdict, count) for (a, b, verdict), count in tally.items())
