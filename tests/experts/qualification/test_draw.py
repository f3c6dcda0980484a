"""The draw of gold items: active items only, unseen items first, seen ones to fill."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from experts.models import AttemptStatus, DomainApplication, QualificationAttempt, QualificationTest
from experts.services.qualification import attempt_start
from tests.experts.qualification.conftest import ended_attempt, gold_items

pytestmark = pytest.mark.django_db


def drawn_ids(attempt: QualificationAttempt) -> set[int]:
    return set(attempt.items.values_list("gold_item_id", flat=True))


def test_draw_takes_item_count_items(
    applicant: User, application: DomainApplication, qualification_test: QualificationTest
) -> None:
    gold_items(qualification_test, ["a", "b", "tie", "both_bad", "a", "b"])

    attempt = attempt_start(application=application, user=applicant)

    assert attempt.items.count() == 4
    assert len(drawn_ids(attempt)) == 4


def test_draw_skips_inactive_items(
    applicant: User, application: DomainApplication, qualification_test: QualificationTest
) -> None:
    pool = gold_items(qualification_test, ["a", "b", "tie", "both_bad", "a", "b"])
    for item in pool[4:]:
        item.is_active = False
        item.save()

    attempt = attempt_start(application=application, user=applicant)

    assert drawn_ids(attempt) == {item.pk for item in pool[:4]}


def test_draw_prefers_unseen_items(
    applicant: User, application: DomainApplication, qualification_test: QualificationTest
) -> None:
    pool = gold_items(qualification_test, ["a", "b", "tie", "both_bad"] * 2)
    ended_attempt(
        application,
        number=1,
        status=AttemptStatus.FAILED,
        ended_at=timezone.now() - timedelta(days=30),
        items=pool[:4],
    )

    attempt = attempt_start(application=application, user=applicant)

    assert drawn_ids(attempt) == {item.pk for item in pool[4:]}


def test_draw_fills_from_seen_items_when_unseen_run_short(
    applicant: User, application: DomainApplication, qualification_test: QualificationTest
) -> None:
    pool = gold_items(qualification_test, ["a", "b", "tie", "both_bad", "a", "b"])
    ended_attempt(
        application,
        number=1,
        status=AttemptStatus.FAILED,
        ended_at=timezone.now() - timedelta(days=30),
        items=pool[:4],
    )

    attempt = attempt_start(application=application, user=applicant)

    drawn = drawn_ids(attempt)
    assert {pool[4].pk, pool[5].pk} <= drawn
    assert len(drawn & {item.pk for item in pool[:4]}) == 2


def test_draw_ignores_other_applicants_history(
    applicant: User,
    other_applicant: User,
    application: DomainApplication,
    qualification_test: QualificationTest,
) -> None:
    """Another applicant's attempts leave this applicant's pool of unseen items untouched."""
    pool = gold_items(qualification_test, ["a", "b", "tie", "both_bad"] * 2)
    other = DomainApplication.objects.create(applicant=other_applicant, domain=application.domain)
    ended_attempt(
        other,
        number=1,
        status=AttemptStatus.FAILED,
        ended_at=timezone.now() - timedelta(days=30),
        items=pool[:4],
    )
    ended_attempt(
        application,
        number=1,
        status=AttemptStatus.FAILED,
        ended_at=timezone.now() - timedelta(days=30),
        items=pool[4:],
    )

    attempt = attempt_start(application=application, user=applicant)

    assert drawn_ids(attempt) == {item.pk for item in pool[:4]}
