"""Prompts written by experts: draft, review, audit, frozen; retired instead of edited.

The same rules as judgment review apply: nobody reviews their own prompt, the audit is done by
someone other than the reviewer, and every decision is kept on a PromptReview row.
"""

import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from annotation.models import (
    Prompt,
    PromptReview,
    PromptReviewStage,
    PromptSet,
    PromptStatus,
    ReviewDecision,
    ReviewTaskStatus,
)
from annotation.services.assignment import _locked, require_work_access
from annotation.services.review import ReviewOwnWork
from experts.models import Domain
from experts.services.access import WorkKind
from experts.services.application import require_staff
from seal_platform.errors import Conflict, InvalidInput, NotFound

MIN_PROMPT_LENGTH = 20
WRITTEN_SOURCE = "written"


class PromptNotEditable(Conflict):
    code = "prompt_not_editable"


class PromptNotFound(NotFound):
    code = "prompt_not_found"


def _check_text(text: str) -> str:
    if len(text.strip()) < MIN_PROMPT_LENGTH:
        raise InvalidInput(
            f"A prompt needs at least {MIN_PROMPT_LENGTH} characters; this one has "
            f"{len(text.strip())}.",
            fields={"text": ["Too short."]},
        )
    return text.strip()


def prompt_draft_create(
    *, author: Any, prompt_set: PromptSet, text: str, category: str = ""
) -> Prompt:
    require_work_access(user=author, domain=prompt_set.domain, kind=WorkKind.WRITE_PROMPT)
    with transaction.atomic():
        return Prompt.objects.create(
            domain=prompt_set.domain,
            prompt_set=prompt_set,
            source=WRITTEN_SOURCE,
            external_id=uuid.uuid4().hex,
            category=category.strip(),
            text=_check_text(text),
            author=author,
            status=PromptStatus.DRAFT,
        )


def prompt_get_for_author(*, author: Any, prompt_id: int) -> Prompt:
    prompt = Prompt.objects.filter(pk=prompt_id, author=author).select_related("domain").first()
    if prompt is None:
        raise PromptNotFound(f"Prompt {prompt_id} does not exist or is not yours.")
    return prompt


def prompt_draft_update(*, author: Any, prompt_id: int, text: str) -> Prompt:
    """Edit a draft. A prompt in review, frozen or retired is never edited."""
    with transaction.atomic():
        prompt = Prompt.objects.select_for_update().filter(pk=prompt_id, author=author).first()
        if prompt is None:
            raise PromptNotFound(f"Prompt {prompt_id} does not exist or is not yours.")
        if prompt.status != PromptStatus.DRAFT:
            raise PromptNotEditable(
                f"Prompt {prompt.pk} is {prompt.get_status_display().lower()}; only drafts can "
                "be edited. Write a new prompt instead."
            )
        prompt.text = _check_text(text)
        prompt.save(update_fields=["text"])
    return prompt


def prompt_submit(*, author: Any, prompt_id: int) -> Prompt:
    with transaction.atomic():
        prompt = Prompt.objects.select_for_update().filter(pk=prompt_id, author=author).first()
        if prompt is None:
            raise PromptNotFound(f"Prompt {prompt_id} does not exist or is not yours.")
        if prompt.status != PromptStatus.DRAFT:
            raise PromptNotEditable(f"Prompt {prompt.pk} is already {prompt.status}.")
        require_work_access(user=author, domain=prompt.domain, kind=WorkKind.WRITE_PROMPT)
        prompt.status = PromptStatus.IN_REVIEW
        prompt.save(update_fields=["status"])
        PromptReview.objects.create(prompt=prompt, stage=PromptReviewStage.REVIEW)
    return prompt


def prompt_review_next(*, reviewer: Any, domain: Domain) -> PromptReview | None:
    """Lease the next prompt review or audit; never the reviewer's own prompt, and never the
    audit of a prompt they reviewed."""
    require_work_access(user=reviewer, domain=domain, kind=WorkKind.REVIEW)
    current = PromptReview.objects.filter(
        reviewer=reviewer, status=ReviewTaskStatus.LEASED, prompt__domain=domain
    ).first()
    if current is not None:
        return current
    with transaction.atomic():
        candidates = (
            PromptReview.objects.filter(status=ReviewTaskStatus.WAITING, prompt__domain=domain)
            .exclude(prompt__author=reviewer)
            .exclude(
                prompt_id__in=PromptReview.objects.filter(reviewer=reviewer).values("prompt_id")
            )
            .order_by("id")
        )
        review: PromptReview | None = _locked(candidates).first()
        if review is None:
            return None
        review.status = ReviewTaskStatus.LEASED
        review.reviewer = reviewer
        review.save(update_fields=["status", "reviewer"])
    return review


def prompt_review_decide(
    *, reviewer: Any, review_id: int, decision: str, comment: str = ""
) -> PromptReview:
    """Accept (review -> audit -> frozen), reject (retired) or return (back to draft)."""
    if decision not in ReviewDecision.values:
        raise InvalidInput(f"Decision {decision!r} is unknown; use accept, reject or return.")
    if decision != ReviewDecision.ACCEPT and not comment.strip():
        raise InvalidInput(
            "Say why you reject or return this prompt; its author reads the comment.",
            fields={"comment": ["Required."]},
        )
    with transaction.atomic():
        review = (
            PromptReview.objects.select_for_update()
            .filter(pk=review_id, reviewer=reviewer, status=ReviewTaskStatus.LEASED)
            .first()
        )
        if review is None:
            raise NotFound(f"Prompt review {review_id} is not leased to you.")
        prompt = Prompt.objects.select_for_update().get(pk=review.prompt_id)
        if prompt.author_id == reviewer.pk:
            raise ReviewOwnWork(
                "You cannot review your own prompt; another reviewer must decide it. This "
                "applies to staff and superusers too."
            )
        require_work_access(user=reviewer, domain=prompt.domain, kind=WorkKind.REVIEW)
        _decide_prompt(review=review, prompt=prompt, decision=decision, comment=comment)
    return review


def _decide_prompt(*, review: PromptReview, prompt: Prompt, decision: str, comment: str) -> None:
    review.decided_at = timezone.now()
    review.comment = comment.strip()
    if decision == ReviewDecision.ACCEPT:
        review.status = ReviewTaskStatus.ACCEPTED
        if review.stage == PromptReviewStage.REVIEW:
            PromptReview.objects.create(prompt=prompt, stage=PromptReviewStage.AUDIT)
        else:
            prompt.status = PromptStatus.FROZEN
    elif decision == ReviewDecision.REJECT:
        review.status = ReviewTaskStatus.REJECTED
        prompt.status = PromptStatus.RETIRED
    else:
        review.status = ReviewTaskStatus.RETURNED
        prompt.status = PromptStatus.DRAFT
    review.save()
    prompt.save(update_fields=["status"])


def prompt_retire(*, staff_user: Any, prompt: Prompt) -> Prompt:
    """Retire a frozen prompt: it leaves future batches, and its text stays as it was."""
    require_staff(staff_user)
    with transaction.atomic():
        locked = Prompt.objects.select_for_update().get(pk=prompt.pk)
        if locked.status != PromptStatus.FROZEN:
            raise PromptNotEditable(f"Prompt {locked.pk} is {locked.status}, not frozen.")
        locked.status = PromptStatus.RETIRED
        locked.save(update_fields=["status"])
    return locked
