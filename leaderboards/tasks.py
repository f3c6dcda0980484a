"""Celery tasks of the leaderboards app. Each is a thin wrapper over one service."""

from typing import Any

from celery import Task, shared_task
from django.db import OperationalError

from experts.models import Domain
from leaderboards.services.fit import fit_create
from leaderboards.services.refit import batch_refit, batch_refit_fail


@shared_task(  # type: ignore[untyped-decorator]  # Celery 5.7 ships no type hints.
    name="leaderboards.leaderboard_refit",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=540,
    time_limit=600,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def leaderboard_refit_task(*, domain_id: int, bootstrap_rounds: int, seed: int) -> int:
    """Refit one domain's leaderboard and return the fit's id (an existing one if unchanged)."""
    domain = Domain.objects.get(pk=domain_id)
    fit = fit_create(domain=domain, bootstrap_rounds=bootstrap_rounds, seed=seed)
    return fit.pk


class BatchRefitTask(Task):  # type: ignore[misc]  # Celery 5.7 ships no type hints.
    """Marks the batch's refit failed once the task gives up (last retry or a time limit)."""

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        batch_id = kwargs.get("batch_id")
        if isinstance(batch_id, int):
            batch_refit_fail(
                batch_id=batch_id,
                reason=f"The refit task {task_id} gave up: {type(exc).__name__}: {exc}",
            )


@shared_task(  # type: ignore[untyped-decorator]  # Celery 5.7 ships no type hints.
    base=BatchRefitTask,
    name="leaderboards.batch_refit",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=540,
    time_limit=600,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def batch_refit_task(*, batch_id: int) -> list[int]:
    """Refit the leaderboards a closed batch changed; return the ids of their fits.

    Queued by name from `annotation` when a batch closes. Safe to run again for the same
    batch: see `leaderboards.services.refit.batch_refit`.
    """
    refit = batch_refit(batch_id=batch_id)
    if refit is None:
        return []
    return list(refit.fits.order_by("pk").values_list("pk", flat=True))
