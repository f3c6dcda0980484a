"""Shared set-up for the rating tests: logged-in clients, leases and well-formed judgments."""

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from annotation.models import Assignment, Prompt, PromptStatus
from annotation.services.assignment import assignment_next
from experts.models import Domain

RATIONALE = "A keeps the five-seven-five form; B ignores the syllable count."
SCORES = {"correctness": -1, "readability": 0}
# The API body and the page form of one complete, valid judgment.
JUDGMENT_BODY: dict[str, Any] = {
    "verdict": "a",
    "dimension_scores": SCORES,
    "rationale": RATIONALE,
}
JUDGMENT_FORM = {
    "verdict": "a",
    "dimension_correctness": "-1",
    "dimension_readability": "0",
    "rationale": RATIONALE,
}


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def lease(user: User, domain: Domain) -> Assignment:
    """Lease the user's next comparison, failing the test if none is left."""
    assignment = assignment_next(user=user, domain=domain)
    if assignment is None:
        raise AssertionError(f"no comparison left for {user.username} in {domain.slug}")
    return assignment


def judgment_url(assignment: Assignment) -> str:
    return f"/api/work/tasks/{assignment.pk}/judgment/"


def prompts_rewrite(text: str) -> None:
    """Give every prompt this text, going through draft because frozen text cannot change."""
    Prompt.objects.update(status=PromptStatus.DRAFT)
    Prompt.objects.update(text=text)
    Prompt.objects.update(status=PromptStatus.FROZEN)
