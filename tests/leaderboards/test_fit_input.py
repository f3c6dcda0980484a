"""What a fit reads: the judgment ID set, verdict counts and dimension outcomes by sign."""

import hashlib

import pytest

from annotation.models import Judgment, ReviewStatus
from experts.models import Domain
from leaderboards.fit_input import domain_fit_input_read, fit_judgments
from leaderboards.judgment_ids import (
    judgment_id_set_from_ids,
    judgment_id_set_of,
    ranges_contain,
)
from tests.leaderboards.factories import SMALL_INPUT, add_judgments, software_domains

# SHA-256 of the text "3-5,9-9,11-12", the runs of the IDs 3, 4, 5, 9, 11 and 12, computed
# with hashlib outside the project.
SHA256_OF_SAMPLE_IDS = "5e9c8f207d27b781f1800132e9bc4f3be82867fb487bdf1249c28141098ee9c8"
SHA256_OF_NOTHING = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def expected_sha256(ids: list[int]) -> str:
    """Hash the runs of consecutive IDs, found here by a plain walk over the sorted IDs."""
    runs: list[str] = []
    ordered = sorted(ids)
    start = 0
    for index in range(1, len(ordered) + 1):
        if index == len(ordered) or ordered[index] != ordered[index - 1] + 1:
            runs.append(f"{ordered[start]}-{ordered[index - 1]}")
            start = index
    return hashlib.sha256(",".join(runs).encode()).hexdigest()


def test_id_set_in_python_hashes_and_groups_runs() -> None:
    id_set = judgment_id_set_from_ids([11, 4, 3, 9, 5, 12, 4])

    assert id_set.count == 6
    assert id_set.sha256 == SHA256_OF_SAMPLE_IDS
    assert id_set.ranges == [[3, 5], [9, 9], [11, 12]]


def test_id_set_of_nothing_is_the_empty_hash() -> None:
    id_set = judgment_id_set_from_ids([])

    assert id_set.count == 0
    assert id_set.sha256 == SHA256_OF_NOTHING
    assert id_set.ranges == []


@pytest.mark.parametrize(
    ("judgment_id", "expected"),
    [(2, False), (3, True), (5, True), (6, False), (9, True), (10, False), (12, True), (13, False)],
)
def test_ranges_contain_checks_inclusive_bounds(judgment_id: int, expected: bool) -> None:
    assert ranges_contain([[3, 5], [9, 9], [11, 12]], judgment_id) is expected


@pytest.mark.django_db
def test_database_id_set_matches_python_with_gaps() -> None:
    parent, child = software_domains()
    rejected = add_judgments(child, SMALL_INPUT[:1], review_status=ReviewStatus.REJECTED)
    add_judgments(child, SMALL_INPUT[:2])
    accepted = list(fit_judgments(domain=parent).values_list("id", flat=True))

    in_database = judgment_id_set_of(fit_judgments(domain=parent))

    first_rejected, last_rejected = rejected[0].pk, rejected[-1].pk
    assert in_database == judgment_id_set_from_ids(accepted)
    assert in_database.count == 32
    assert in_database.sha256 == expected_sha256(accepted)
    assert in_database.ranges == [
        [min(accepted), first_rejected - 1],
        [last_rejected + 1, max(accepted)],
    ]


@pytest.mark.django_db
def test_fit_input_leaves_out_gold_pending_and_rejected() -> None:
    parent, child = software_domains()
    add_judgments(child, SMALL_INPUT[:1], is_gold=True)
    add_judgments(child, SMALL_INPUT[:1], review_status=ReviewStatus.PENDING)
    add_judgments(child, SMALL_INPUT[:1], review_status=ReviewStatus.REJECTED)

    domain_input = domain_fit_input_read(domain=child)

    counted = Judgment.objects.filter(
        domain=child, is_gold=False, review_status=ReviewStatus.ACCEPTED
    ).values_list("id", flat=True)
    assert domain_input.overall.judgment_count == 24
    assert domain_input.judgment_ids.count == 24
    assert domain_input.judgment_ids.sha256 == expected_sha256(list(counted))


@pytest.mark.django_db
def test_parent_input_counts_its_children() -> None:
    parent, _ = software_domains()

    domain_input = domain_fit_input_read(domain=parent)

    assert domain_input.overall.judgment_count == 24
    assert domain_input.overall.model_names == ["alpha", "beta", "gamma"]


def pair_counts(domain: Domain, dimension: str) -> dict[tuple[str, str], tuple[int, int, int]]:
    domain_input = domain_fit_input_read(domain=domain)
    fit_input = (
        domain_input.overall
        if dimension == ""
        else next(item.fit_input for item in domain_input.dimensions if item.key == dimension)
    )
    counts = fit_input.counts
    names = fit_input.model_names
    return {
        (names[int(first)], names[int(second)]): (int(wins), int(losses), int(ties))
        for first, second, wins, losses, ties in zip(
            counts.first,
            counts.second,
            counts.first_wins,
            counts.second_wins,
            counts.ties,
            strict=True,
        )
    }


@pytest.mark.django_db
def test_verdict_counts_per_pair() -> None:
    _, child = software_domains()

    assert pair_counts(child, "") == {
        ("alpha", "beta"): (6, 2, 2),
        ("alpha", "gamma"): (4, 1, 0),
        ("beta", "gamma"): (5, 3, 1),
    }


@pytest.mark.django_db
def test_dimension_outcome_follows_the_score_sign_as_shown() -> None:
    _, child = software_domains()

    # style: alpha-beta gives -1 x6 (A=alpha wins), 0 x2 (tie), and +2 x2 with beta shown as
    # A, so B=alpha wins; alpha-gamma gives -2 x4 (alpha wins) and +1 x1 with gamma shown as
    # A, so alpha wins again. Beta and gamma never meet on this dimension.
    assert pair_counts(child, "style") == {
        ("alpha", "beta"): (8, 0, 2),
        ("alpha", "gamma"): (5, 0, 0),
    }


@pytest.mark.django_db
def test_dimensions_are_sorted_with_rubric_labels() -> None:
    _, child = software_domains()

    domain_input = domain_fit_input_read(domain=child)

    assert [(item.key, item.label) for item in domain_input.dimensions] == [
        ("correctness", "Correctness"),
        ("style", "Style"),
    ]
    assert domain_input.dimensions[0].fit_input.judgment_count == 24
    assert domain_input.dimensions[1].fit_input.judgment_count == 15


@pytest.mark.django_db
def test_non_numeric_dimension_scores_are_skipped() -> None:
    parent, child = software_domains()
    add_judgments(child, [("alpha", "beta", "a", {"style": "-2", "correctness": True}, 3)])

    domain_input = domain_fit_input_read(domain=child)

    assert [item.key for item in domain_input.dimensions] == ["correctness", "style"]
    assert domain_input.dimensions[0].fit_input.judgment_count == 24
    assert domain_input.dimensions[1].fit_input.judgment_count == 15
    assert domain_input.overall.judgment_count == 27


@pytest.mark.django_db
def test_scores_outside_the_rubric_are_not_fitted() -> None:
    parent, child = software_domains()
    add_judgments(child, [("alpha", "beta", "a", {"tone": -1}, 3)])

    domain_input = domain_fit_input_read(domain=child)

    assert [item.key for item in domain_input.dimensions] == ["correctness", "style"]


@pytest.mark.django_db
def test_parent_fits_its_childrens_rubric_dimensions() -> None:
    parent, _ = software_domains()

    domain_input = domain_fit_input_read(domain=parent)

    assert [(item.key, item.label) for item in domain_input.dimensions] == [
        ("correctness", "Correctness"),
        ("style", "Style"),
    ]


@pytest.mark.django_db
def test_fingerprint_changes_with_a_dimension_score_only() -> None:
    _, child = software_domains()
    before = domain_fit_input_read(domain=child)
    judgment = Judgment.objects.filter(domain=child).order_by("pk").first()
    assert judgment is not None
    Judgment.objects.filter(pk=judgment.pk).update(dimension_scores={"correctness": 2, "style": 2})

    after = domain_fit_input_read(domain=child)

    assert after.judgment_ids == before.judgment_ids
    assert after.overall.fingerprint == before.overall.fingerprint
    assert after.fingerprint != before.fingerprint
