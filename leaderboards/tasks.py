"""Celery tasks of the leaderboards app. Each is a thin wrapper over one service."""

from celery import shared_task
from django.db import OperationalError

from experts.models import Domain
from leaderboards.services.fit import fit_create


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
