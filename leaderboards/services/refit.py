"""Refit the leaderboards that a closed batch changed.

Closing a batch queues `leaderboards.batch_refit` after the close commits. The refit fits the
batch's domain and then its parent, because a parent's leaderboard counts its children's
judgments too. Both use the site's bootstrap settings (LEADERBOARD_BOOTSTRAP_ROUNDS and
LEADERBOARD_SEED), so a repeated message finds the fits it already made.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from annotation.models import BatchStatus, ComparisonBatch
from experts.models import Domain
from leaderboards.fit_input import DomainHasNoJudgments
from leaderboards.models import BatchRefit, BatchRefitStatus, Fit
from leaderboards.services.fit import fit_create
from seal_platform.errors import SealError

logger = logging.getLogger(__name__)

# Starts of the refit task allowed per batch, counting redeliveries after a lost worker and
# retries after a database fault. A fit that kills its worker every time stops here.
REFIT_MAX_ATTEMPTS = 5


def refit_domains(*, domain: Domain) -> list[Domain]:
    """Return the domains whose leaderboards count this domain's judgments: itself, then parent."""
    return [domain] if domain.parent is None else [domain, domain.parent]


def _attempt_start(batch: ComparisonBatch) -> BatchRefit:
    """Count one more start of the refit, committed before any fitting begins."""
    with transaction.atomic():
        refit, _ = BatchRefit.objects.select_for_update().get_or_create(batch=batch)
        if refit.status == BatchRefitStatus.RUNNING:
            refit.attempts += 1
            refit.save(update_fields=["attempts"])
    return refit


def batch_refit_fail(*, batch_id: int, reason: str) -> None:
    """Mark a batch's refit failed with the reason, unless it finished or the batch is gone."""
    if not ComparisonBatch.objects.filter(pk=batch_id).exists():
        return
    with transaction.atomic():
        refit, _ = BatchRefit.objects.select_for_update().get_or_create(batch_id=batch_id)
        if refit.status == BatchRefitStatus.FINISHED:
            return
        refit.status = BatchRefitStatus.FAILED
        refit.failure_reason = reason
        refit.finished_at = timezone.now()
        refit.save()
    logger.error("leaderboards.batch_refit.failed", extra={"batch_id": batch_id, "reason": reason})


def _finish(refit: BatchRefit, fits: list[Fit]) -> None:
    with transaction.atomic():
        locked = BatchRefit.objects.select_for_update().get(pk=refit.pk)
        locked.fits.add(*fits)
        locked.status = BatchRefitStatus.FINISHED
        locked.finished_at = timezone.now()
        locked.save(update_fields=["status", "finished_at"])


def _batch_closed_or_none(batch_id: int) -> ComparisonBatch | None:
    batch = ComparisonBatch.objects.select_related("domain__parent").filter(pk=batch_id).first()
    if batch is None:
        logger.warning(
            "leaderboards.batch_refit.skipped", extra={"batch_id": batch_id, "reason": "missing"}
        )
        return None
    if batch.status != BatchStatus.CLOSED:
        logger.warning(
            "leaderboards.batch_refit.skipped", extra={"batch_id": batch_id, "reason": "open"}
        )
        return None
    return batch


def batch_refit(*, batch_id: int) -> BatchRefit | None:
    """Fit the leaderboards of a closed batch's domain and its parent, once per batch.

    A missing or still open batch is left alone and None is returned, so a message from a
    close that was rolled back does nothing. A refit already finished is returned as it is.
    A refit started more than REFIT_MAX_ATTEMPTS times is marked failed without fitting. A
    domain without accepted judgments is skipped. A fit that fails (FitFailed and other
    SealErrors) marks the refit failed with its message; that is a decision, not retried.
    """
    batch = _batch_closed_or_none(batch_id)
    if batch is None:
        return None
    refit = _attempt_start(batch)
    if refit.status != BatchRefitStatus.RUNNING:
        return refit
    if refit.attempts > REFIT_MAX_ATTEMPTS:
        batch_refit_fail(
            batch_id=batch_id,
            reason=f"The refit of batch {batch_id} started {refit.attempts - 1} times without "
            "finishing, for example because its worker was killed each time. Check the worker's "
            "memory and time limits, then refit the domain with `manage.py fit_leaderboard`.",
        )
        refit.refresh_from_db()
        return refit

    fits: list[Fit] = []
    for domain in refit_domains(domain=batch.domain):
        try:
            fits.append(
                fit_create(
                    domain=domain,
                    bootstrap_rounds=settings.LEADERBOARD_BOOTSTRAP_ROUNDS,
                    seed=settings.LEADERBOARD_SEED,
                )
            )
        except DomainHasNoJudgments:
            logger.info(
                "leaderboards.batch_refit.domain_skipped",
                extra={"batch_id": batch_id, "domain": domain.slug},
            )
        except SealError as error:
            batch_refit_fail(batch_id=batch_id, reason=error.message)
            refit.refresh_from_db()
            return refit
    _finish(refit, fits)
    refit.refresh_from_db()
    logger.info(
        "leaderboards.batch_refit.finished",
        extra={
            "batch_id": batch_id,
            "fit_ids": [fit.pk for fit in fits],
            "attempts": refit.attempts,
        },
    )
    return refit
