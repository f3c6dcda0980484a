"""The refit a closed batch requests: which domains, once per batch, and what it leaves alone."""

import pytest
from django.test import override_settings

from annotation.models import BatchStatus, ComparisonBatch
from experts.models import Domain
from leaderboards.models import BatchRefit, BatchRefitStatus, Fit, FitRating, FitStatus
from leaderboards.services.refit import REFIT_MAX_ATTEMPTS, batch_refit, refit_domains
from leaderboards.tasks import batch_refit_task
from tests.experts.factories import DomainFactory
from tests.leaderboards.factories import BatchFactory, software_domains

pytestmark = pytest.mark.django_db

ROUNDS = 12
SEED = 77


@pytest.fixture(autouse=True)
def small_bootstrap(settings: object) -> None:
    settings.LEADERBOARD_BOOTSTRAP_ROUNDS = ROUNDS  # type: ignore[attr-defined]
    settings.LEADERBOARD_SEED = SEED  # type: ignore[attr-defined]


@pytest.fixture
def closed_batch() -> ComparisonBatch:
    _, child = software_domains()
    return BatchFactory(domain=child)


def test_task_name_is_pinned() -> None:
    assert batch_refit_task.name == "leaderboards.batch_refit"


def test_task_delivery_and_retry_settings() -> None:
    from django.db import OperationalError

    assert batch_refit_task.acks_late is True
    assert batch_refit_task.reject_on_worker_lost is True
    assert batch_refit_task.soft_time_limit == 540
    assert batch_refit_task.time_limit == 600
    assert batch_refit_task.autoretry_for == (OperationalError,)
    assert batch_refit_task.retry_backoff is True
    assert batch_refit_task.max_retries == 5


def test_refit_domains_are_the_domain_then_its_parent(closed_batch: ComparisonBatch) -> None:
    child = closed_batch.domain
    assert child.parent is not None

    assert refit_domains(domain=child) == [child, child.parent]
    assert refit_domains(domain=child.parent) == [child.parent]


def test_closed_batch_fits_its_domain_and_parent(closed_batch: ComparisonBatch) -> None:
    refit = batch_refit(batch_id=closed_batch.pk)

    assert refit is not None
    fits = list(refit.fits.order_by("domain__slug"))
    assert refit.status == BatchRefitStatus.FINISHED
    assert refit.attempts == 1
    assert [fit.domain.slug for fit in fits] == ["coding", "software"]
    assert [(fit.bootstrap_rounds, fit.seed, fit.status) for fit in fits] == [
        (ROUNDS, SEED, FitStatus.FINISHED),
        (ROUNDS, SEED, FitStatus.FINISHED),
    ]
    assert fits[0].judgment_ids_sha256 == fits[1].judgment_ids_sha256


def test_task_returns_the_fit_ids(closed_batch: ComparisonBatch) -> None:
    fit_ids = batch_refit_task.apply(kwargs={"batch_id": closed_batch.pk}).get()

    assert fit_ids == list(Fit.objects.order_by("pk").values_list("pk", flat=True))
    assert len(fit_ids) == 2


def test_running_twice_makes_one_fit_per_domain(closed_batch: ComparisonBatch) -> None:
    batch_refit(batch_id=closed_batch.pk)

    again = batch_refit(batch_id=closed_batch.pk)

    assert again is not None
    assert again.status == BatchRefitStatus.FINISHED
    assert again.attempts == 1
    assert Fit.objects.count() == 2
    assert BatchRefit.objects.count() == 1


def test_same_input_batches_share_fits(closed_batch: ComparisonBatch) -> None:
    other = BatchFactory(domain=closed_batch.domain)
    first = batch_refit(batch_id=closed_batch.pk)

    second = batch_refit(batch_id=other.pk)

    assert first is not None and second is not None
    assert set(second.fits.all()) == set(first.fits.all())
    assert Fit.objects.count() == 2


def test_open_batch_is_left_alone(closed_batch: ComparisonBatch) -> None:
    ComparisonBatch.objects.filter(pk=closed_batch.pk).update(status=BatchStatus.OPEN)

    result = batch_refit_task.apply(kwargs={"batch_id": closed_batch.pk}).get()

    assert result == []
    assert Fit.objects.count() == 0
    assert BatchRefit.objects.count() == 0


def test_missing_batch_is_left_alone() -> None:
    result = batch_refit_task.apply(kwargs={"batch_id": 987654}).get()

    assert result == []
    assert Fit.objects.count() == 0
    assert BatchRefit.objects.count() == 0


def test_domain_without_judgments_finishes_with_no_fit() -> None:
    batch = BatchFactory(domain=DomainFactory(slug="empty"))

    refit = batch_refit(batch_id=batch.pk)

    assert refit is not None
    assert refit.status == BatchRefitStatus.FINISHED
    assert refit.fits.count() == 0
    assert Fit.objects.count() == 0


def test_refit_gives_up_after_the_attempt_cap(closed_batch: ComparisonBatch) -> None:
    BatchRefit.objects.create(batch=closed_batch, attempts=REFIT_MAX_ATTEMPTS)

    refit = batch_refit(batch_id=closed_batch.pk)

    assert refit is not None
    assert refit.status == BatchRefitStatus.FAILED
    assert refit.attempts == REFIT_MAX_ATTEMPTS + 1
    assert refit.failure_reason == (
        f"The refit of batch {closed_batch.pk} started {REFIT_MAX_ATTEMPTS} times without "
        "finishing, for example because its worker was killed each time. Check the worker's "
        "memory and time limits, then refit the domain with `manage.py fit_leaderboard`."
    )
    assert Fit.objects.count() == 0


def test_failed_refit_is_not_run_again(closed_batch: ComparisonBatch) -> None:
    BatchRefit.objects.create(
        batch=closed_batch, status=BatchRefitStatus.FAILED, attempts=1, failure_reason="x"
    )

    refit = batch_refit(batch_id=closed_batch.pk)

    assert refit is not None
    assert refit.attempts == 1
    assert Fit.objects.count() == 0


@override_settings(LEADERBOARD_BOOTSTRAP_ROUNDS=-1)
def test_invalid_settings_fail_the_refit_with_the_message(closed_batch: ComparisonBatch) -> None:
    refit = batch_refit(batch_id=closed_batch.pk)

    assert refit is not None
    assert refit.status == BatchRefitStatus.FAILED
    assert refit.failure_reason == (
        "Bootstrap rounds must be 0 or more, not -1. Use 0 for no intervals."
    )
    assert FitRating.objects.count() == 0


def test_child_batch_refit_changes_parent_fit(closed_batch: ComparisonBatch) -> None:
    parent = Domain.objects.get(slug="software")

    batch_refit(batch_id=closed_batch.pk)

    assert Fit.objects.filter(domain=parent, status=FitStatus.FINISHED).count() == 1
