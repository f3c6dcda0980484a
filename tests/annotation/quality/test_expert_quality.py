"""Expert figures (consensus, gold, rejection, time, position bias, flags) and reviewer figures."""

from math import comb

import pytest

from annotation.models import Comparison, QualityThresholds, ReviewStatus, ReviewTaskStatus
from annotation.selectors_quality import (
    ExpertQuality,
    expert_quality_list,
    reviewer_agreement_list,
)
from experts.models import Domain
from tests.annotation.quality.quality_setup import decide, expert_with_profile, judge
from tests.annotation.work_setup import make_batch
from tests.experts.factories import DomainFactory

pytestmark = pytest.mark.django_db

EXACT = 1e-12
ACCEPTED = ReviewStatus.ACCEPTED


def binomial_two_sided_p(successes: int, trials: int) -> float:
    """Exact two-sided test against one half: the mass of outcomes no likelier than observed."""
    pmf = [comb(trials, k) / 2**trials for k in range(trials + 1)]
    return float(sum(mass for mass in pmf if mass <= pmf[successes] * (1 + 1e-7)))


def rows_by_name(domain: Domain, sort: str = "name") -> dict[str, ExpertQuality]:
    return {row.display_name: row for row in expert_quality_list(domain=domain, sort=sort).rows}


def comparisons_of(domain: Domain, count: int) -> list[Comparison]:
    batch = make_batch(domain, comparisons=count, required=3)
    return list(batch.comparisons.order_by("id"))


def test_right_picks_ten_of_fourteen() -> None:
    domain = DomainFactory(slug="coding")
    comparisons = comparisons_of(domain, 14)
    expert = expert_with_profile(domain, name="Righty")
    for number, comparison in enumerate(comparisons):
        judge(comparison, expert, is_swapped=number % 2 == 1, verdict="b" if number < 10 else "a")

    row = rows_by_name(domain)["Righty"]

    assert row.right_picks == 10
    assert row.left_picks == 4
    assert row.right_pick_rate == pytest.approx(10 / 14, abs=EXACT)
    assert row.left_pick_rate == pytest.approx(4 / 14, abs=EXACT)
    assert row.position_p_value == pytest.approx(binomial_two_sided_p(4, 14), abs=EXACT)
    assert binomial_two_sided_p(4, 14) == pytest.approx(2 * 1471 / 16384, abs=EXACT)
    assert row.flags == ()


def test_position_bias_flagged_below_threshold() -> None:
    domain = DomainFactory(slug="coding")
    expert = expert_with_profile(domain, name="Lefty")
    for comparison in comparisons_of(domain, 12):
        judge(comparison, expert, is_swapped=comparison.pk % 2 == 0, verdict="a")

    row = rows_by_name(domain)["Lefty"]

    assert row.position_p_value == pytest.approx(binomial_two_sided_p(12, 12), abs=EXACT)
    assert [flag.figure for flag in row.flags] == ["position"]
    assert row.flags[0].message == "Position bias: p = 0.0005 is below 0.01."


def test_ties_and_both_bad_leave_position_bias_undefined() -> None:
    domain = DomainFactory(slug="coding")
    expert = expert_with_profile(domain, name="Neutral")
    first, second = comparisons_of(domain, 2)
    judge(first, expert, is_swapped=False, verdict="tie")
    judge(second, expert, is_swapped=True, verdict="both_bad")

    row = rows_by_name(domain)["Neutral"]

    assert row.left_pick_rate is None
    assert row.right_pick_rate is None
    assert row.position_p_value is None


def test_consensus_uses_other_accepted_judgments() -> None:
    domain = DomainFactory(slug="coding")
    clear, split = comparisons_of(domain, 2)
    ada = expert_with_profile(domain, name="Ada")
    bob = expert_with_profile(domain, name="Bob")
    cy = expert_with_profile(domain, name="Cy")
    # Ada and Bob prefer the same model from opposite sides; Cy (pending) prefers the other.
    judge(clear, ada, is_swapped=False, verdict="a", review_status=ACCEPTED)
    judge(clear, bob, is_swapped=True, verdict="b", review_status=ACCEPTED)
    judge(clear, cy, is_swapped=False, verdict="b")
    # Ada and Bob split, so Cy has no majority to compare with on this unit.
    judge(split, ada, is_swapped=False, verdict="a", review_status=ACCEPTED)
    judge(split, bob, is_swapped=False, verdict="b", review_status=ACCEPTED)
    judge(split, cy, is_swapped=False, verdict="a")

    rows = rows_by_name(domain)

    assert (rows["Ada"].consensus_agreed, rows["Ada"].consensus_compared) == (1, 2)
    assert (rows["Bob"].consensus_agreed, rows["Bob"].consensus_compared) == (1, 2)
    assert (rows["Cy"].consensus_agreed, rows["Cy"].consensus_compared) == (0, 1)
    assert rows["Ada"].consensus_agreement == 0.5
    assert rows["Cy"].consensus_agreement == 0.0
    assert [flag.message for flag in rows["Ada"].flags] == [
        "Consensus agreement 0.50 is below 0.60."
    ]


def test_stored_thresholds_replace_defaults() -> None:
    domain = DomainFactory(slug="coding")
    comparison = comparisons_of(domain, 1)[0]
    ada = expert_with_profile(domain, name="Ada")
    bob = expert_with_profile(domain, name="Bob")
    judge(comparison, ada, is_swapped=False, verdict="a", review_status=ACCEPTED)
    judge(comparison, bob, is_swapped=False, verdict="b", review_status=ACCEPTED)
    QualityThresholds.objects.create(domain=domain, min_consensus_agreement=0.0)

    table = expert_quality_list(domain=domain)

    assert table.thresholds.min_consensus_agreement == 0.0
    assert [row.consensus_agreement for row in table.rows] == [0.0, 0.0]
    assert [row.flags for row in table.rows] == [(), ()]


def test_gold_accuracy_maps_swapped_sides() -> None:
    domain = DomainFactory(slug="coding")
    first, second = comparisons_of(domain, 2)
    Comparison.objects.filter(pk__in=[first.pk, second.pk]).update(is_gold=True, gold_verdict="a")
    first.refresh_from_db()
    second.refresh_from_db()
    expert = expert_with_profile(domain, name="Gold")
    judge(first, expert, is_swapped=True, verdict="b")
    judge(second, expert, is_swapped=False, verdict="b")

    row = rows_by_name(domain)["Gold"]

    assert (row.gold_correct, row.gold_judged) == (1, 2)
    assert row.gold_accuracy == 0.5
    assert [flag.message for flag in row.flags] == ["Gold accuracy 0.50 is below 0.70."]


def test_rejection_rate_and_median_time() -> None:
    domain = DomainFactory(slug="coding")
    expert = expert_with_profile(domain, name="Ada")
    reviewer = expert_with_profile(domain, name="Rev", is_reviewer=True).user
    times = (30, 60, 90, 200, None)
    judgments = [
        judge(comparison, expert, is_swapped=False, verdict="tie", seconds=seconds)
        for comparison, seconds in zip(comparisons_of(domain, 5), times, strict=True)
    ]
    decide(judgments[0], number=1, status=ReviewTaskStatus.ACCEPTED, reviewer=reviewer)
    decide(judgments[1], number=1, status=ReviewTaskStatus.RETURNED, reviewer=reviewer)
    decide(judgments[2], number=1, status=ReviewTaskStatus.REJECTED, reviewer=reviewer)
    decide(judgments[3], number=1, status=ReviewTaskStatus.NOT_SAMPLED, reviewer=reviewer)

    row = rows_by_name(domain)["Ada"]

    assert (row.review_rejected, row.review_decided) == (1, 3)
    assert row.rejection_rate == pytest.approx(1 / 3, abs=EXACT)
    assert row.median_seconds == 75.0
    assert [flag.figure for flag in row.flags] == ["rejection"]


def test_sort_orders_rows_and_puts_missing_last() -> None:
    domain = DomainFactory(slug="coding")
    first, second = comparisons_of(domain, 2)
    for name, seconds in (("Ann", 90), ("Bea", 30), ("Col", None)):
        expert = expert_with_profile(domain, name=name)
        judge(first, expert, is_swapped=False, verdict="tie", seconds=seconds)
        judge(second, expert, is_swapped=False, verdict="tie", seconds=seconds)

    def names(sort: str) -> list[str]:
        return [row.display_name for row in expert_quality_list(domain=domain, sort=sort).rows]

    assert names("time") == ["Bea", "Ann", "Col"]
    assert names("-time") == ["Ann", "Bea", "Col"]
    assert names("-name") == ["Col", "Bea", "Ann"]
    assert names("no-such-column") == ["Ann", "Bea", "Col"]


def test_reviewer_overturned_by_later_round() -> None:
    domain = DomainFactory(slug="coding")
    expert = expert_with_profile(domain, name="Ada")
    peer = expert_with_profile(domain, name="Peer").user
    auditor = expert_with_profile(domain, name="Auditor", is_reviewer=True).user
    first, second, third = (
        judge(comparison, expert, is_swapped=False, verdict="a")
        for comparison in comparisons_of(domain, 3)
    )
    for judgment in (first, second, third):
        decide(judgment, number=1, status=ReviewTaskStatus.ACCEPTED, reviewer=peer)
    decide(first, number=2, status=ReviewTaskStatus.REJECTED, reviewer=auditor)
    decide(second, number=2, status=ReviewTaskStatus.ACCEPTED, reviewer=auditor)

    rows = {row.username: row for row in reviewer_agreement_list(domain=domain)}

    assert (rows["peer"].decided, rows["peer"].accepted) == (3, 3)
    assert (rows["peer"].later_reviewed, rows["peer"].overturned) == (2, 1)
    assert rows["peer"].overturn_rate == 0.5
    assert (rows["auditor"].decided, rows["auditor"].accepted) == (2, 1)
    assert rows["auditor"].later_reviewed == 0
    assert rows["auditor"].overturn_rate is None
