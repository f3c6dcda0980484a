"""Reactions of the annotation app to expert decisions."""

from typing import Any

from annotation.models import Assignment, AssignmentStatus
from annotation.services.assignment import assignments_release_for_expert


def release_withdrawn_work(
    sender: Any, *, user_id: int, domain_id: int | None, **kwargs: Any
) -> None:
    """Return the expert's leases to the pool at once when their access is withdrawn."""
    if domain_id is not None:
        assignments_release_for_expert(user_id=user_id, domain_id=domain_id)
        return
    domain_ids = set(
        Assignment.objects.filter(expert_id=user_id, status=AssignmentStatus.LEASED).values_list(
            "comparison__batch__domain_id", flat=True
        )
    )
    for each_domain in domain_ids:
        if each_domain is not None:
            assignments_release_for_expert(user_id=user_id, domain_id=each_domain)
