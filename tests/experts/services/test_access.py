"""work_access: the one answer to "may this user do this kind of work here now?"."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from experts.models import ApprovalStatus
from experts.services.access import WorkKind, may_work, work_access
from tests.experts.factories import DomainApprovalFactory, DomainFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_active_approval_allows_judging() -> None:
    approval = DomainApprovalFactory()

    access = work_access(user=approval.expert, domain=approval.domain, kind=WorkKind.JUDGE)

    assert access.allowed is True
    assert access.reason == ""


def test_no_approval_names_the_domain() -> None:
    user = UserFactory()
    domain = DomainFactory(slug="coding", name="Coding")

    access = work_access(user=user, domain=domain, kind=WorkKind.JUDGE)

    assert access.allowed is False
    assert access.reason == (
        "You are not approved in Coding. Apply for the domain and pass its qualification test."
    )


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (ApprovalStatus.SUSPENDED, "Your approval in Math is suspended: late reviews"),
        (ApprovalStatus.REVOKED, "Your approval in Math was revoked: late reviews"),
    ],
)
def test_suspended_or_revoked_approval_gives_the_reason(status: str, expected: str) -> None:
    approval = DomainApprovalFactory(
        domain=DomainFactory(slug="math", name="Math"), status=status, status_reason="late reviews"
    )

    access = work_access(user=approval.expert, domain=approval.domain, kind=WorkKind.JUDGE)

    assert access.allowed is False
    assert access.reason == expected


def test_expired_approval_is_refused_with_the_date() -> None:
    expired = timezone.now() - timedelta(minutes=1)
    approval = DomainApprovalFactory(domain=DomainFactory(name="Math"), expires_at=expired)

    access = work_access(user=approval.expert, domain=approval.domain, kind=WorkKind.JUDGE)

    assert access.allowed is False
    assert access.reason == (
        f"Your approval in Math expired on {expired:%Y-%m-%d}. Ask staff to renew it."
    )


def test_review_needs_the_reviewer_role() -> None:
    expert = DomainApprovalFactory(is_reviewer=False)
    reviewer = DomainApprovalFactory(is_reviewer=True)

    assert may_work(user=expert.expert, domain=expert.domain, kind=WorkKind.REVIEW) is False
    assert may_work(user=reviewer.expert, domain=reviewer.domain, kind=WorkKind.REVIEW) is True
    assert may_work(user=expert.expert, domain=expert.domain, kind=WorkKind.JUDGE) is True


def test_inactive_account_is_refused_everywhere() -> None:
    approval = DomainApprovalFactory()
    approval.expert.is_active = False
    approval.expert.save()

    access = work_access(user=approval.expert, domain=approval.domain, kind=WorkKind.JUDGE)

    assert access.allowed is False
    assert access.reason == "Your account is suspended. Contact staff."


def test_anonymous_user_is_asked_to_log_in() -> None:
    access = work_access(user=AnonymousUser(), domain=DomainFactory(), kind=WorkKind.JUDGE)

    assert access.allowed is False
    assert access.reason == "Log in to work in this domain."


def test_approval_in_one_domain_allows_nothing_in_another() -> None:
    approval = DomainApprovalFactory()
    other = DomainFactory()

    assert may_work(user=approval.expert, domain=other, kind=WorkKind.JUDGE) is False
