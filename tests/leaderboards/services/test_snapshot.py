"""Publishing snapshots: versions, one snapshot per fit, immutability, marks after reviews."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from experts.models import Domain
from experts.services.application import NotStaff
from leaderboards.models import Fit, FitStatus, Snapshot, SnapshotRating
from leaderboards.selectors import fit_standing_rows, snapshot_standing_rows
from leaderboards.services.fit import fit_create
from leaderboards.services.snapshot import (
    FitAlreadyPublished,
    FitNotFinished,
    SnapshotNoteTooLong,
    snapshot_publish,
    snapshots_mark_affected,
)
from tests.experts.factories import StaffUserFactory, UserFactory
from tests.leaderboards.factories import SMALL_INPUT, add_judgments, software_domains


@pytest.fixture
def coding(db: None) -> Domain:
    return software_domains()[1]


@pytest.fixture
def fit(coding: Domain) -> Fit:
    return fit_create(domain=coding, bootstrap_rounds=20, seed=3)


@pytest.fixture
def staff(db: None) -> object:
    return StaffUserFactory()


def newer_fit(domain: Domain) -> Fit:
    add_judgments(domain, SMALL_INPUT[:1])
    return fit_create(domain=domain, bootstrap_rounds=20, seed=3)


@pytest.mark.django_db
def test_publish_copies_the_fit(fit: Fit, staff: object) -> None:
    snapshot = snapshot_publish(fit=fit, staff_user=staff, note="  First public version.  ")

    assert snapshot.version == 1
    assert snapshot.note == "First public version."
    assert snapshot.published_by == staff
    assert snapshot.judgment_count == 24
    assert snapshot.judgment_ids_sha256 == fit.judgment_ids_sha256
    assert (snapshot.seed, snapshot.bootstrap_rounds) == (3, 20)
    assert snapshot.fitted_at == fit.finished_at
    assert snapshot.dimensions == fit.dimensions
    assert snapshot.pair_counts == fit.pair_counts
    assert SnapshotRating.objects.filter(snapshot=snapshot).count() == 9
    for key in ("", "correctness", "style"):
        assert snapshot_standing_rows(snapshot=snapshot, dimension=key) == fit_standing_rows(
            fit=fit, dimension=key
        )


@pytest.mark.django_db
def test_versions_count_up_per_domain(fit: Fit, staff: object, coding: Domain) -> None:
    first = snapshot_publish(fit=fit, staff_user=staff, note="")
    second = snapshot_publish(fit=newer_fit(coding), staff_user=staff, note="")
    parent_fit = fit_create(domain=Domain.objects.get(slug="software"), bootstrap_rounds=0, seed=3)

    parent_snapshot = snapshot_publish(fit=parent_fit, staff_user=staff, note="")

    assert (first.version, second.version, parent_snapshot.version) == (1, 2, 1)


@pytest.mark.django_db
def test_publishing_a_fit_twice_makes_one_snapshot(fit: Fit, staff: object) -> None:
    first = snapshot_publish(fit=fit, staff_user=staff, note="")

    with pytest.raises(FitAlreadyPublished) as raised:
        snapshot_publish(fit=fit, staff_user=staff, note="")

    assert raised.value.message == (
        f"Fit {fit.pk} is already published as version 1. Each fit is published once; refit "
        "the domain to publish newer judgments."
    )
    assert raised.value.snapshot == first
    assert Snapshot.objects.count() == 1


@pytest.mark.django_db
def test_fit_unique_constraint_blocks_second_snapshot(fit: Fit, staff: object) -> None:
    first = snapshot_publish(fit=fit, staff_user=staff, note="")

    with pytest.raises(IntegrityError), transaction.atomic():
        Snapshot.objects.create(
            domain=first.domain,
            version=2,
            fit=fit,
            published_at=first.published_at,
            published_by=first.published_by,
            fitted_at=first.fitted_at,
            judgment_count=1,
            judgment_ids_sha256="",
            seed=1,
            bootstrap_rounds=1,
            code_version="",
        )

    assert Snapshot.objects.count() == 1


@pytest.mark.django_db
def test_unique_constraint_stops_a_repeated_version(
    fit: Fit, staff: object, coding: Domain
) -> None:
    first = snapshot_publish(fit=fit, staff_user=staff, note="")

    with pytest.raises(IntegrityError), transaction.atomic():
        Snapshot.objects.create(
            domain=coding,
            version=1,
            fit=newer_fit(coding),
            published_at=first.published_at,
            published_by=first.published_by,
            fitted_at=first.fitted_at,
            judgment_count=1,
            judgment_ids_sha256="",
            seed=1,
            bootstrap_rounds=1,
            code_version="",
        )


@pytest.mark.django_db
def test_unfinished_fit_cannot_be_published(fit: Fit, staff: object) -> None:
    Fit.objects.filter(pk=fit.pk).update(status=FitStatus.RUNNING)
    fit.refresh_from_db()

    with pytest.raises(FitNotFinished) as raised:
        snapshot_publish(fit=fit, staff_user=staff, note="")

    assert raised.value.message == (
        f"Fit {fit.pk} is running, not finished, so it cannot be published. Wait for it to "
        "finish, or publish another fit of this domain."
    )
    assert Snapshot.objects.count() == 0


@pytest.mark.django_db
def test_long_note_is_rejected_and_nothing_saved(fit: Fit, staff: object) -> None:
    with pytest.raises(SnapshotNoteTooLong) as raised:
        snapshot_publish(fit=fit, staff_user=staff, note="n" * 501)

    assert raised.value.message == "The note has 501 characters; keep it to 500 or fewer."
    assert Snapshot.objects.count() == 0
    assert SnapshotRating.objects.count() == 0


@pytest.mark.django_db
def test_non_staff_cannot_publish(fit: Fit) -> None:
    with pytest.raises(NotStaff):
        snapshot_publish(fit=fit, staff_user=UserFactory(), note="")

    assert Snapshot.objects.count() == 0


@pytest.mark.django_db
def test_database_rejects_changing_a_snapshot(fit: Fit, staff: object) -> None:
    snapshot = snapshot_publish(fit=fit, staff_user=staff, note="kept")

    with pytest.raises(IntegrityError, match="cannot be changed or deleted"), transaction.atomic():
        Snapshot.objects.filter(pk=snapshot.pk).update(note="rewritten")

    snapshot.refresh_from_db()
    assert snapshot.note == "kept"


@pytest.mark.django_db
def test_database_rejects_deleting_a_snapshot(fit: Fit, staff: object) -> None:
    snapshot = snapshot_publish(fit=fit, staff_user=staff, note="")

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM leaderboards_snapshot WHERE id = %s", [snapshot.pk])

    assert Snapshot.objects.filter(pk=snapshot.pk).exists()


@pytest.mark.django_db
def test_database_rejects_changing_or_deleting_snapshot_ratings(fit: Fit, staff: object) -> None:
    snapshot = snapshot_publish(fit=fit, staff_user=staff, note="")
    ratings = SnapshotRating.objects.filter(snapshot=snapshot)

    with pytest.raises(IntegrityError), transaction.atomic():
        ratings.update(rating=0.0)
    with pytest.raises(IntegrityError), transaction.atomic():
        ratings.delete()

    assert sorted(ratings.values_list("rating", flat=True)) == sorted(
        fit.ratings.values_list("rating", flat=True)
    )


@pytest.mark.django_db
def test_database_allows_setting_affected_once(fit: Fit, staff: object) -> None:
    snapshot = snapshot_publish(fit=fit, staff_user=staff, note="")
    Snapshot.objects.filter(pk=snapshot.pk).update(affected_at=snapshot.published_at)

    with pytest.raises(IntegrityError), transaction.atomic():
        Snapshot.objects.filter(pk=snapshot.pk).update(affected_at=None)

    snapshot.refresh_from_db()
    assert snapshot.affected_at == snapshot.published_at


@pytest.mark.django_db
def test_reversal_marks_only_snapshots_that_counted_the_judgment(
    fit: Fit, staff: object, coding: Domain
) -> None:
    older = snapshot_publish(fit=fit, staff_user=staff, note="")
    extra = add_judgments(coding, SMALL_INPUT[:1])
    newer = snapshot_publish(
        fit=fit_create(domain=coding, bootstrap_rounds=0, seed=3), staff_user=staff, note=""
    )

    marked = snapshots_mark_affected(judgment_ids=[extra[0].pk])

    older.refresh_from_db()
    newer.refresh_from_db()
    assert marked == 1
    assert older.affected_at is None
    assert newer.affected_at is not None


@pytest.mark.django_db
def test_marking_twice_keeps_the_first_mark(fit: Fit, staff: object) -> None:
    snapshot = snapshot_publish(fit=fit, staff_user=staff, note="")
    judgment_id = fit.judgment_id_ranges[0][0]
    snapshots_mark_affected(judgment_ids=[judgment_id])
    snapshot.refresh_from_db()
    first_mark = snapshot.affected_at

    marked_again = snapshots_mark_affected(judgment_ids=[judgment_id, judgment_id + 1])

    snapshot.refresh_from_db()
    assert marked_again == 0
    assert snapshot.affected_at == first_mark


@pytest.mark.django_db
def test_unknown_judgments_mark_nothing(fit: Fit, staff: object) -> None:
    snapshot_publish(fit=fit, staff_user=staff, note="")

    assert snapshots_mark_affected(judgment_ids=[]) == 0
    assert snapshots_mark_affected(judgment_ids=[fit.judgment_id_ranges[-1][1] + 1000]) == 0
    assert Snapshot.objects.filter(affected_at__isnull=False).count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_of_one_fit_make_one_snapshot() -> None:
    _, coding = software_domains()
    fit = fit_create(domain=coding, bootstrap_rounds=0, seed=3)
    staff = StaffUserFactory()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish() -> None:
        barrier.wait()
        try:
            snapshot_publish(fit=fit, staff_user=staff, note="")
            outcomes.append("published")
        except FitAlreadyPublished:
            outcomes.append("already published")
        except Exception as error:  # noqa: BLE001 (the assertion below shows what went wrong)
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already published", "published"]
    assert Snapshot.objects.count() == 1
