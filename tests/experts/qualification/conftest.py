"""Fixtures for qualification test tests: an applicant with a verified credential, a test whose
gold items have pairwise different verdicts, and helpers that place attempts in the past.

Response texts avoid the word "correct", so the secrecy tests can search response bodies for it.
"""

import itertools
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from experts.models import (
    AttemptItem,
    AttemptStatus,
    Credential,
    CredentialKind,
    CredentialStatus,
    DomainApplication,
    GoldItem,
    QualificationAttempt,
    QualificationTest,
)
from seal_platform.verdict import Verdict
from tests.experts.factories import (
    DomainApplicationFactory,
    GoldItemFactory,
    QualificationTestFactory,
    StaffUserFactory,
    UserFactory,
)

# Four items, one per verdict, so that a leaked verdict points to one item.
GOLD_VERDICTS = [Verdict.A_BETTER, Verdict.B_BETTER, Verdict.TIE, Verdict.BOTH_BAD]
_stored_names = itertools.count(1)


def verified_credential(application: DomainApplication) -> Credential:
    """Store a verified credential row; the document itself is never read by these tests."""
    number = next(_stored_names)
    return Credential.objects.create(
        owner=application.applicant,
        application=application,
        kind=CredentialKind.DEGREE,
        title="MSc Computer Science",
        stored_name=f"qualification-test-{number}.pdf",
        original_name="degree.pdf",
        content_type="application/pdf",
        size=1024,
        sha256="0" * 64,
        status=CredentialStatus.VERIFIED,
    )


def gold_items(test: QualificationTest, verdicts: Sequence[str]) -> list[GoldItem]:
    return [
        GoldItemFactory(
            test=test,
            prompt_text=f"Prompt {index}: explain recursion.",
            response_a_text=f"Response A to prompt {index}.",
            response_b_text=f"Response B to prompt {index}.",
            correct_verdict=verdict,
        )
        for index, verdict in enumerate(verdicts, start=1)
    ]


def answer_key(attempt: QualificationAttempt) -> dict[int, str]:
    """Return position -> gold verdict, read straight from the database."""
    items = attempt.items.select_related("gold_item")
    return {item.position: item.gold_item.correct_verdict for item in items}


def wrong_verdict(verdict: str) -> str:
    return Verdict.B_BETTER if verdict == Verdict.A_BETTER else Verdict.A_BETTER


def answers_with_correct_count(attempt: QualificationAttempt, correct: int) -> dict[int, str]:
    """Answer the first `correct` positions right and the rest wrong."""
    key = answer_key(attempt)
    return {
        position: verdict if position <= correct else wrong_verdict(verdict)
        for position, verdict in key.items()
    }


def store_answers(attempt: QualificationAttempt, answers: dict[int, str]) -> None:
    for position, verdict in answers.items():
        attempt.items.filter(position=position).update(answer=verdict, answered_at=timezone.now())


def ended_attempt(
    application: DomainApplication,
    *,
    number: int,
    status: AttemptStatus,
    ended_at: datetime,
    items: Sequence[GoldItem],
) -> QualificationAttempt:
    """Store a finished attempt that ended at `ended_at`, with every item answered "a".

    An abandoned attempt ends at its expires_at and has no finished_at, as the service
    stores it.
    """
    is_abandoned = status == AttemptStatus.ABANDONED
    attempt = QualificationAttempt.objects.create(
        application=application,
        number=number,
        status=status,
        started_at=ended_at - timedelta(hours=1),
        expires_at=ended_at if is_abandoned else ended_at + timedelta(hours=1),
        finished_at=None if is_abandoned else ended_at,
        correct_count=None if is_abandoned else 1,
        item_count=len(items),
    )
    AttemptItem.objects.bulk_create(
        AttemptItem(attempt=attempt, gold_item=item, position=position, answer=Verdict.A_BETTER)
        for position, item in enumerate(items, start=1)
    )
    return attempt


def expire(attempt: QualificationAttempt, *, ago: timedelta = timedelta(minutes=1)) -> None:
    QualificationAttempt.objects.filter(pk=attempt.pk).update(expires_at=timezone.now() - ago)


def api_client(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def application() -> DomainApplication:
    application: DomainApplication = DomainApplicationFactory()
    verified_credential(application)
    return application


@pytest.fixture
def qualification_test(application: DomainApplication) -> QualificationTest:
    test: QualificationTest = QualificationTestFactory(
        domain=application.domain,
        item_count=4,
        pass_mark=0.75,
        max_attempts=2,
        wait_between_attempts=timedelta(days=14),
        attempt_duration=timedelta(hours=2),
    )
    return test


@pytest.fixture
def items(qualification_test: QualificationTest) -> list[GoldItem]:
    return gold_items(qualification_test, GOLD_VERDICTS)


@pytest.fixture
def applicant(application: DomainApplication) -> User:
    return application.applicant


@pytest.fixture
def other_applicant() -> User:
    user: User = UserFactory()
    return user


@pytest.fixture
def staff_user() -> User:
    user: User = StaffUserFactory()
    return user
