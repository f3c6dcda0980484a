"""Configure a domain's review pipeline."""

from typing import Any

from django.db import transaction

from annotation.models import ReviewRound, ReviewTask, ReviewTaskStatus
from experts.models import Domain
from experts.services.application import require_staff
from seal_platform.errors import Conflict, InvalidInput

MAX_ROUNDS = 5


def review_rounds_set(
    *, domain: Domain, rounds: list[tuple[str, float, bool]], staff_user: Any
) -> list[ReviewRound]:
    """Replace the pipeline with (name, sample share, requires reviewer role) per round.

    Refused while any judgment of the domain is waiting in or held by a round, so no review
    in progress loses its round.
    """
    require_staff(staff_user)
    if not 1 <= len(rounds) <= MAX_ROUNDS:
        raise InvalidInput(f"A pipeline has 1 to {MAX_ROUNDS} rounds, not {len(rounds)}.")
    for name, share, _ in rounds:
        if not name or not 0 < share <= 1:
            raise InvalidInput(
                f"Round {name!r} needs a name and a share above 0 and at most 1, not {share}."
            )
    with transaction.atomic():
        busy = ReviewTask.objects.filter(
            round__domain=domain, status__in=[ReviewTaskStatus.WAITING, ReviewTaskStatus.LEASED]
        ).count()
        if busy:
            raise Conflict(
                f"{busy} judgment(s) of {domain.name} are in review; change the pipeline once "
                "they are decided."
            )
        existing = {item.number: item for item in ReviewRound.objects.filter(domain=domain)}
        saved = []
        for number, (name, share, requires_role) in enumerate(rounds, start=1):
            item = existing.get(number) or ReviewRound(domain=domain, number=number)
            item.name, item.sample_share, item.requires_reviewer_role = name, share, requires_role
            item.save()
            saved.append(item)
        extra = [item for number, item in existing.items() if number > len(rounds)]
        for item in extra:
            if item.tasks.exists():
                raise Conflict(
                    f"Round {item.number} has review history and cannot be removed; keep "
                    f"{len(existing)} rounds or more."
                )
            item.delete()
    return saved
