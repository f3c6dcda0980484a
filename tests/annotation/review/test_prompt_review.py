"""Expert-written prompts: draft, review, audit, frozen; never edited once frozen."""

import pytest
from django.db import IntegrityError, transaction

from annotation.models import Prompt, PromptSet, PromptStatus
from annotation.services.prompt_authoring import (
    PromptNotEditable,
    prompt_draft_create,
    prompt_draft_update,
    prompt_retire,
    prompt_review_decide,
    prompt_review_next,
    prompt_submit,
)
from tests.annotation.work_setup import approved_expert
from tests.experts.factories import DomainApprovalFactory, DomainFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
TEXT = "Write a function that merges two sorted lists in linear time."


@pytest.fixture
def prompt_set() -> PromptSet:
    return PromptSet.objects.create(domain=DomainFactory(), name="expert prompts")


def reviewer(prompt_set: PromptSet) -> object:
    return DomainApprovalFactory(domain=prompt_set.domain, is_reviewer=True).expert


def submitted(prompt_set: PromptSet) -> Prompt:
    author = approved_expert(prompt_set.domain)
    prompt = prompt_draft_create(author=author, prompt_set=prompt_set, text=TEXT)
    return prompt_submit(author=author, prompt_id=prompt.pk)


def test_review_then_audit_freezes_the_prompt(prompt_set: PromptSet) -> None:
    prompt = submitted(prompt_set)
    first, second = reviewer(prompt_set), reviewer(prompt_set)

    review = prompt_review_next(reviewer=first, domain=prompt_set.domain)
    assert review is not None
    prompt_review_decide(reviewer=first, review_id=review.pk, decision="accept")
    assert prompt_review_next(reviewer=first, domain=prompt_set.domain) is None
    audit = prompt_review_next(reviewer=second, domain=prompt_set.domain)
    assert audit is not None and audit.stage == "audit"
    prompt_review_decide(reviewer=second, review_id=audit.pk, decision="accept")

    prompt.refresh_from_db()
    assert prompt.status == PromptStatus.FROZEN


def test_author_never_reviews_their_prompt(prompt_set: PromptSet) -> None:
    author = DomainApprovalFactory(domain=prompt_set.domain, is_reviewer=True).expert
    prompt = prompt_draft_create(author=author, prompt_set=prompt_set, text=TEXT)
    prompt_submit(author=author, prompt_id=prompt.pk)

    assert prompt_review_next(reviewer=author, domain=prompt_set.domain) is None


def test_returned_prompt_is_a_draft_again_with_the_comment(prompt_set: PromptSet) -> None:
    prompt = submitted(prompt_set)
    first = reviewer(prompt_set)
    review = prompt_review_next(reviewer=first, domain=prompt_set.domain)
    assert review is not None

    prompt_review_decide(
        reviewer=first, review_id=review.pk, decision="return", comment="State the input size."
    )

    prompt.refresh_from_db()
    review.refresh_from_db()
    assert prompt.status == PromptStatus.DRAFT
    assert review.comment == "State the input size."


def test_frozen_prompt_is_never_edited(prompt_set: PromptSet) -> None:
    prompt = submitted(prompt_set)
    Prompt.objects.filter(pk=prompt.pk).update(status=PromptStatus.FROZEN)

    with pytest.raises(PromptNotEditable):
        prompt_draft_update(author=prompt.author, prompt_id=prompt.pk, text=TEXT + " Now faster.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Prompt.objects.filter(pk=prompt.pk).update(text="rewritten behind the service's back")

    prompt.refresh_from_db()
    assert prompt.text == TEXT


def test_frozen_prompt_is_retired_not_deleted(prompt_set: PromptSet) -> None:
    prompt = submitted(prompt_set)
    Prompt.objects.filter(pk=prompt.pk).update(status=PromptStatus.FROZEN)

    retired = prompt_retire(staff_user=StaffUserFactory(), prompt=prompt)

    assert retired.status == PromptStatus.RETIRED
    assert retired.text == TEXT


def test_short_prompt_is_rejected(prompt_set: PromptSet) -> None:
    author = approved_expert(prompt_set.domain)

    with pytest.raises(Exception) as caught:
        prompt_draft_create(author=author, prompt_set=prompt_set, text="Too short")

    assert getattr(caught.value, "message", "") == (
        "A prompt needs at least 20 characters; this one has 9."
    )
    assert not Prompt.objects.exists()
