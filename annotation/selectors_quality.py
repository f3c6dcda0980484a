"""Reads for the staff quality pages, export and API: agreement, expert and reviewer figures.

Callers check the staff role first. A domain's figures cover its own judgments and those of
its child domains (the MT-bench overall domain over its categories), as its leaderboard does.
Every figure that has no data is None, never NaN or zero.
"""

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from statistics import median
from typing import Any

from django.db.models import QuerySet
from scipy.stats import binomtest

from annotation.models import (
    ComparisonBatch,
    Judgment,
    QualityThresholds,
    ReviewStatus,
    ReviewTask,
    ReviewTaskStatus,
    Rubric,
)
from annotation.selectors import gold_accuracy
from annotation.services.agreement import (
    AgreementReport,
    DimensionAgreement,
    Rating,
    agreement_report,
    canonical_scores,
    canonical_verdict,
    is_reversed,
    unit_key,
)
from experts.models import Domain
from experts.selectors.domain import domain_ids_with_children
from seal_platform.errors import NotFound
from seal_platform.verdict import Verdict

DECIDED_REVIEW_STATUSES = (
    ReviewTaskStatus.ACCEPTED,
    ReviewTaskStatus.REJECTED,
    ReviewTaskStatus.RETURNED,
)
OVERTURNING_STATUSES = (ReviewTaskStatus.REJECTED, ReviewTaskStatus.RETURNED)

JUDGMENT_FIELDS = (
    "id",
    "expert_id",
    "expert__user_id",
    "expert__display_name",
    "judge",
    "model_a_id",
    "model_b_id",
    "verdict",
    "dimension_scores",
    "time_spent_seconds",
    "review_status",
    "is_gold",
    "comparison_id",
    "comparison__prompt_id",
    "domain_id",
    "source_question_id",
)


@dataclass(frozen=True)
class LoadedJudgment:
    """One judgment as the quality figures need it: sides as shown and the canonical rating."""

    id: int
    expert_id: int | None
    user_id: int | None
    display_name: str
    shown_verdict: str
    time_spent_seconds: int | None
    review_status: str
    is_gold: bool
    rating: Rating


def judgment_rating(values: dict[str, Any]) -> Rating:
    """Build the canonical rating of one judgment from its `JUDGMENT_FIELDS` values.

    The unit's prompt is the comparison's prompt. An imported judgment without a comparison
    falls back to its domain and source question id, and one with neither is a unit of its own.
    The rater is the expert profile id, or the judge's name where no profile exists.
    """
    reversed_sides = is_reversed(model_a_id=values["model_a_id"], model_b_id=values["model_b_id"])
    prompt_key: Hashable = values["comparison__prompt_id"]
    if prompt_key is None:
        question = values["source_question_id"]
        prompt_key = (
            ("question", values["domain_id"], question) if question else ("judgment", values["id"])
        )
    rater: Hashable = values["expert_id"] if values["expert_id"] is not None else values["judge"]
    return Rating(
        unit=unit_key(
            prompt_key=prompt_key,
            model_a_id=values["model_a_id"],
            model_b_id=values["model_b_id"],
        ),
        rater=rater,
        verdict=canonical_verdict(verdict=values["verdict"], reversed_sides=reversed_sides),
        scores=canonical_scores(
            scores=values["dimension_scores"] or {}, reversed_sides=reversed_sides
        ),
    )


def judgments_load(judgments: QuerySet[Judgment]) -> list[LoadedJudgment]:
    """Load judgments in one query, in the order they were made (by id)."""
    loaded = []
    for values in judgments.order_by("id").values(*JUDGMENT_FIELDS):
        loaded.append(
            LoadedJudgment(
                id=values["id"],
                expert_id=values["expert_id"],
                user_id=values["expert__user_id"],
                display_name=values["expert__display_name"] or values["judge"],
                shown_verdict=values["verdict"],
                time_spent_seconds=values["time_spent_seconds"],
                review_status=values["review_status"],
                is_gold=values["is_gold"],
                rating=judgment_rating(values),
            )
        )
    return loaded


def dimension_keys(*, domain: Domain, scores: Iterable[Mapping[str, object]]) -> list[str]:
    """Return the rubric's dimensions in rubric order, then any other key found in `scores`."""
    rubric = Rubric.objects.filter(domain=domain).first()
    keys = [str(item["key"]) for item in rubric.dimensions] if rubric else []
    found = {key for judgment_scores in scores for key in judgment_scores}
    return keys + sorted(found - set(keys))


@dataclass(frozen=True)
class AgreementResult:
    judgment_count: int
    dimensions: list[str]
    report: AgreementReport

    @property
    def rows(self) -> list[DimensionAgreement]:
        """The verdict first, then each rating dimension in rubric order."""
        return [self.report.verdict, *self.report.dimensions]


def batch_agreement_get(*, batch: ComparisonBatch) -> AgreementResult:
    """Agreement among the judgments of a batch's comparisons, whatever their review status.

    Rejected and pending judgments count: agreement describes the experts before review
    filters their work, and leaving out rejected judgments would raise alpha.
    """
    judgments = judgments_load(Judgment.objects.filter(comparison__batch=batch))
    return _agreement(batch.domain, judgments)


def domain_agreement_get(*, domain: Domain) -> AgreementResult:
    """Agreement among every judgment of a domain and its children (used for imported data)."""
    ids = domain_ids_with_children(domain=domain)
    judgments = judgments_load(Judgment.objects.filter(domain_id__in=ids))
    return _agreement(domain, judgments)


def _agreement(domain: Domain, judgments: list[LoadedJudgment]) -> AgreementResult:
    dimensions = dimension_keys(
        domain=domain, scores=[judgment.rating.scores for judgment in judgments]
    )
    report = agreement_report([judgment.rating for judgment in judgments], dimensions=dimensions)
    return AgreementResult(judgment_count=len(judgments), dimensions=dimensions, report=report)


@dataclass(frozen=True)
class QualityFlag:
    figure: str
    message: str


@dataclass(frozen=True)
class ExpertQuality:
    """Quality figures of one expert in one domain; a rate with no data is None.

    `left_pick_rate` is the share of verdicts for side A as shown among the expert's A-or-B
    verdicts, and `right_pick_rate` is one minus it. `position_p_value` is the two-sided
    binomial test of the left picks against one half.
    """

    profile_id: int
    display_name: str
    judgment_count: int
    consensus_agreed: int
    consensus_compared: int
    consensus_agreement: float | None
    gold_correct: int
    gold_judged: int
    gold_accuracy: float | None
    review_rejected: int
    review_decided: int
    rejection_rate: float | None
    median_seconds: float | None
    left_picks: int
    right_picks: int
    left_pick_rate: float | None
    right_pick_rate: float | None
    position_p_value: float | None
    flags: tuple[QualityFlag, ...]

    @property
    def is_flagged(self) -> bool:
        return bool(self.flags)


# Sort keys of the expert table: the query value of `?sort=` and the figure it sorts by.
EXPERT_SORT_KEYS: dict[str, str] = {
    "name": "display_name",
    "judgments": "judgment_count",
    "consensus": "consensus_agreement",
    "gold": "gold_accuracy",
    "rejection": "rejection_rate",
    "time": "median_seconds",
    "right_picks": "right_pick_rate",
    "position_p": "position_p_value",
    "flags": "flag_count",
}
DEFAULT_EXPERT_SORT = "name"


@dataclass(frozen=True)
class ExpertQualityTable:
    rows: list[ExpertQuality]
    thresholds: QualityThresholds
    sort: str


def quality_thresholds_get(*, domain: Domain) -> QualityThresholds:
    """Return the domain's stored thresholds, or an unsaved row with the model's defaults."""
    stored = QualityThresholds.objects.filter(domain=domain).first()
    return stored if stored is not None else QualityThresholds(domain=domain)


def expert_quality_list(*, domain: Domain, sort: str = DEFAULT_EXPERT_SORT) -> ExpertQualityTable:
    """Quality figures of every expert with a judgment in the domain or its children.

    Consensus agreement compares each of the expert's judgments (any review status) with the
    majority verdict of the other experts' accepted judgments of the same unit, both in the
    canonical orientation. A unit with no other accepted judgment, or whose majority is a tie
    between two or more verdicts, has no consensus and counts neither way.

    Position bias uses the verdicts as shown. For an imported judgment, which has no
    assignment, the stored order of the sides stands for the order shown.

    `sort` is a key of EXPERT_SORT_KEYS, prefixed with "-" for descending order; rows without
    the figure come last either way. An unknown key sorts by name.

    NOTE: gold accuracy costs one query per expert with a gold judgment, because it reuses
    `annotation.selectors.gold_accuracy`, which reads one expert at a time.
    """
    ids = domain_ids_with_children(domain=domain)
    judgments = judgments_load(Judgment.objects.filter(domain_id__in=ids, expert__isnull=False))
    thresholds = quality_thresholds_get(domain=domain)
    reviews = _review_counts(ids)
    consensus = _consensus_counts(judgments)

    by_expert: dict[int, list[LoadedJudgment]] = defaultdict(list)
    for judgment in judgments:
        if judgment.expert_id is not None:
            by_expert[judgment.expert_id].append(judgment)
    rows = [
        _expert_row(
            domain,
            thresholds,
            expert_judgments,
            consensus.get(expert_id, (0, 0)),
            reviews.get(expert_id, (0, 0)),
        )
        for expert_id, expert_judgments in by_expert.items()
    ]
    sort = sort if sort.lstrip("-") in EXPERT_SORT_KEYS else DEFAULT_EXPERT_SORT
    return ExpertQualityTable(rows=_sorted_rows(rows, sort), thresholds=thresholds, sort=sort)


def _review_counts(domain_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(rejected, decided) review tasks per expert profile id, over the judgments' tasks."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = ReviewTask.objects.filter(
        judgment__domain_id__in=domain_ids,
        judgment__expert__isnull=False,
        status__in=DECIDED_REVIEW_STATUSES,
    ).values_list("judgment__expert_id", "status")
    for expert_id, status in rows:
        counts[expert_id][1] += 1
        counts[expert_id][0] += int(status == ReviewTaskStatus.REJECTED)
    return {expert_id: (pair[0], pair[1]) for expert_id, pair in counts.items()}


def _consensus_counts(judgments: Sequence[LoadedJudgment]) -> dict[int, tuple[int, int]]:
    """(agreed, compared) per expert profile id; see `expert_quality_list` for the rule."""
    accepted: dict[Hashable, list[tuple[Hashable, str]]] = defaultdict(list)
    for judgment in judgments:
        if judgment.review_status == ReviewStatus.ACCEPTED:
            accepted[judgment.rating.unit].append((judgment.rating.rater, judgment.rating.verdict))

    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for judgment in judgments:
        if judgment.expert_id is None:
            continue
        others = Counter(
            verdict
            for rater, verdict in accepted.get(judgment.rating.unit, [])
            if rater != judgment.rating.rater
        )
        majority = _unique_majority(others)
        if majority is None:
            continue
        counts[judgment.expert_id][1] += 1
        counts[judgment.expert_id][0] += int(judgment.rating.verdict == majority)
    return {expert_id: (pair[0], pair[1]) for expert_id, pair in counts.items()}


def _unique_majority(verdicts: Counter[str]) -> str | None:
    ranked = verdicts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _expert_row(
    domain: Domain,
    thresholds: QualityThresholds,
    judgments: list[LoadedJudgment],
    consensus: tuple[int, int],
    reviews: tuple[int, int],
) -> ExpertQuality:
    first = judgments[0]
    gold_correct, gold_judged = (
        gold_accuracy(user=first.user_id, domain=domain)
        if any(judgment.is_gold for judgment in judgments)
        else (0, 0)
    )
    times = [j.time_spent_seconds for j in judgments if j.time_spent_seconds is not None]
    left = sum(1 for judgment in judgments if judgment.shown_verdict == Verdict.A_BETTER)
    right = sum(1 for judgment in judgments if judgment.shown_verdict == Verdict.B_BETTER)
    picks = left + right
    row = ExpertQuality(
        profile_id=int(first.expert_id or 0),
        display_name=first.display_name,
        judgment_count=len(judgments),
        consensus_agreed=consensus[0],
        consensus_compared=consensus[1],
        consensus_agreement=_share(*consensus),
        gold_correct=gold_correct,
        gold_judged=gold_judged,
        gold_accuracy=_share(gold_correct, gold_judged),
        review_rejected=reviews[0],
        review_decided=reviews[1],
        rejection_rate=_share(*reviews),
        median_seconds=float(median(times)) if times else None,
        left_picks=left,
        right_picks=right,
        left_pick_rate=_share(left, picks),
        right_pick_rate=_share(right, picks),
        position_p_value=float(binomtest(left, picks, 0.5).pvalue) if picks else None,
        flags=(),
    )
    return _with_flags(row, thresholds)


def _share(count: int, total: int) -> float | None:
    return count / total if total else None


def _with_flags(row: ExpertQuality, thresholds: QualityThresholds) -> ExpertQuality:
    # TODO: require a minimum number of judgments before flagging; a share from two judgments
    # now flags as readily as one from two hundred.
    flags = []
    if row.consensus_agreement is not None and (
        row.consensus_agreement < thresholds.min_consensus_agreement
    ):
        flags.append(
            QualityFlag(
                "consensus",
                f"Consensus agreement {row.consensus_agreement:.2f} is below "
                f"{thresholds.min_consensus_agreement:.2f}.",
            )
        )
    if row.gold_accuracy is not None and row.gold_accuracy < thresholds.min_gold_accuracy:
        flags.append(
            QualityFlag(
                "gold",
                f"Gold accuracy {row.gold_accuracy:.2f} is below "
                f"{thresholds.min_gold_accuracy:.2f}.",
            )
        )
    if row.rejection_rate is not None and row.rejection_rate > thresholds.max_rejection_rate:
        flags.append(
            QualityFlag(
                "rejection",
                f"Rejection rate {row.rejection_rate:.2f} is above "
                f"{thresholds.max_rejection_rate:.2f}.",
            )
        )
    if row.position_p_value is not None and (
        row.position_p_value < thresholds.max_position_bias_p_value
    ):
        flags.append(
            QualityFlag(
                "position",
                f"Position bias: p = {row.position_p_value:.4f} is below "
                f"{thresholds.max_position_bias_p_value:g}.",
            )
        )
    return replace(row, flags=tuple(flags))


def _sorted_rows(rows: list[ExpertQuality], sort: str) -> list[ExpertQuality]:
    descending = sort.startswith("-")
    attribute = EXPERT_SORT_KEYS[sort.lstrip("-")]

    def figure(row: ExpertQuality) -> Any:
        return len(row.flags) if attribute == "flag_count" else getattr(row, attribute)

    by_name = sorted(rows, key=lambda row: (row.display_name.lower(), row.profile_id))
    with_figure = [row for row in by_name if figure(row) is not None]
    without_figure = [row for row in by_name if figure(row) is None]
    return sorted(with_figure, key=figure, reverse=descending) + without_figure


@dataclass(frozen=True)
class ReviewerAgreement:
    """How often later review rounds overturned one reviewer's acceptances.

    `accepted` counts the reviewer's accept decisions. `later_reviewed` counts those whose
    judgment a later round (higher round number) decided on. `overturned` counts those that a
    later round rejected or returned. The rate is overturned / later_reviewed, because an
    acceptance that no later round looked at could not have been overturned.
    """

    reviewer_id: int
    username: str
    decided: int
    accepted: int
    later_reviewed: int
    overturned: int
    overturn_rate: float | None


def reviewer_agreement_list(*, domain: Domain) -> list[ReviewerAgreement]:
    """Count each reviewer's decisions in the domain and its children, and the overturned ones."""
    ids = domain_ids_with_children(domain=domain)
    tasks = list(
        ReviewTask.objects.filter(
            round__domain_id__in=ids,
            status__in=DECIDED_REVIEW_STATUSES,
            reviewer__isnull=False,
        ).values_list("judgment_id", "round__number", "status", "reviewer_id", "reviewer__username")
    )
    later: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for judgment_id, number, status, _, _ in tasks:
        later[judgment_id].append((number, status))

    counts: dict[int, Counter[str]] = defaultdict(Counter)
    usernames: dict[int, str] = {}
    for judgment_id, number, status, reviewer_id, username in tasks:
        usernames[reviewer_id] = username
        counts[reviewer_id]["decided"] += 1
        if status != ReviewTaskStatus.ACCEPTED:
            continue
        counts[reviewer_id]["accepted"] += 1
        following = [other for round_number, other in later[judgment_id] if round_number > number]
        counts[reviewer_id]["later_reviewed"] += int(bool(following))
        counts[reviewer_id]["overturned"] += int(
            any(other in OVERTURNING_STATUSES for other in following)
        )

    rows = [
        ReviewerAgreement(
            reviewer_id=reviewer_id,
            username=usernames[reviewer_id],
            decided=count["decided"],
            accepted=count["accepted"],
            later_reviewed=count["later_reviewed"],
            overturned=count["overturned"],
            overturn_rate=_share(count["overturned"], count["later_reviewed"]),
        )
        for reviewer_id, count in counts.items()
    ]
    return sorted(rows, key=lambda row: (row.username.lower(), row.reviewer_id))


class BatchNotFound(NotFound):
    code = "batch_not_found"


def batch_get(*, batch_id: int) -> ComparisonBatch:
    """Return the batch with its domain, or raise BatchNotFound naming the id."""
    batch = ComparisonBatch.objects.select_related("domain").filter(pk=batch_id).first()
    if batch is None:
        raise BatchNotFound(
            f"Batch {batch_id} does not exist. Pick a batch from the staff batch list."
        )
    return batch
