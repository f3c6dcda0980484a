"""Which model makers have seen which prompts."""

from datetime import datetime
from typing import Any

from django.db import transaction

from annotation.models import EvaluatedModel, PromptExposure, PromptSet
from experts.models import AuditAction, Domain
from experts.selectors.domain import domain_ids_with_children
from experts.services.application import require_staff
from experts.services.audit import audit_record
from seal_platform.errors import InvalidInput


def exposure_record(
    *,
    prompt_set: PromptSet,
    model: EvaluatedModel,
    sent_at: datetime,
    staff_user: Any,
    note: str = "",
) -> int:
    """Record that every prompt of the set was sent to the model at `sent_at`."""
    require_staff(staff_user)
    if sent_at.tzinfo is None:
        raise InvalidInput(
            f"The time {sent_at.isoformat()} has no UTC offset; give one, such as +00:00."
        )
    with transaction.atomic():
        created = PromptExposure.objects.bulk_create(
            [
                PromptExposure(
                    prompt=prompt, model=model, sent_at=sent_at, recorded_by=staff_user, note=note
                )
                for prompt in prompt_set.prompts.all()
            ],
            ignore_conflicts=True,
        )
        audit_record(
            actor=staff_user,
            action=AuditAction.PROMPT_EXPOSED,
            subject=None,
            target=prompt_set,
            domain=prompt_set.domain,
            details={"model": model.name, "sent_at": sent_at.isoformat(), "prompts": len(created)},
        )
    return len(created)


def exposed_models(*, domain: Domain, model_names: list[str]) -> dict[str, str]:
    """Return model name -> explanation for fitted models whose maker saw this domain's prompts.

    A model is exposed when a prompt of the domain (or its child domains) was sent to it, or
    to another model of the same organization.
    """
    exposures = (
        PromptExposure.objects.filter(prompt__domain_id__in=domain_ids_with_children(domain=domain))
        .select_related("model")
        .order_by("sent_at")
    )
    first_by_maker: dict[str, tuple[str, datetime]] = {}
    for exposure in exposures:
        maker = exposure.model.organization or exposure.model.name
        first_by_maker.setdefault(maker, (exposure.model.name, exposure.sent_at))

    flagged: dict[str, str] = {}
    for model in EvaluatedModel.objects.filter(name__in=model_names):
        maker = model.organization or model.name
        if maker in first_by_maker:
            sent_to, sent_at = first_by_maker[maker]
            flagged[model.name] = (
                f"{model.name}: prompts of this leaderboard were sent to {sent_to} "
                f"({maker}) on {sent_at:%Y-%m-%d}, so its maker may have seen them."
            )
    return flagged
