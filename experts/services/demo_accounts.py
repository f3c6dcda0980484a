"""Accounts for trying the product locally: staff, an approved expert and a reviewer."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from experts.models import ApprovalStatus, Domain, DomainApproval, ExpertProfile
from experts.roles import staff_group_ensure

DEMO_APPROVAL_DAYS = 365


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str


def _reset_user(username: str, *, display_name: str) -> tuple[User, str]:
    password = secrets.token_urlsafe(12)
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@localhost"}
    )
    user.set_password(password)
    user.is_active = True
    user.save()
    ExpertProfile.objects.get_or_create(user=user, defaults={"display_name": display_name})
    return user, password


def demo_accounts_ensure(*, domains: list[Domain]) -> list[DemoAccount]:
    """Create or reset the three demo accounts with fresh random passwords.

    The expert and the reviewer are approved in every domain given; the reviewer also holds
    the reviewer role there. Meant for a local demo database only.
    """
    with transaction.atomic():
        staff, staff_password = _reset_user("demo-staff", display_name="Demo staff")
        staff.groups.add(staff_group_ensure())
        staff.is_staff = True
        staff.save(update_fields=["is_staff"])
        expert, expert_password = _reset_user("demo-expert", display_name="Demo expert")
        reviewer, reviewer_password = _reset_user("demo-reviewer", display_name="Demo reviewer")

        now = timezone.now()
        for domain in domains:
            for user, is_reviewer in ((expert, False), (reviewer, True)):
                DomainApproval.objects.update_or_create(
                    expert=user,
                    domain=domain,
                    defaults={
                        "status": ApprovalStatus.ACTIVE,
                        "is_reviewer": is_reviewer,
                        "approved_by": staff,
                        "approved_at": now,
                        "expires_at": now + timedelta(days=DEMO_APPROVAL_DAYS),
                        "status_reason": "",
                    },
                )
    return [
        DemoAccount("demo-staff", staff_password, "staff"),
        DemoAccount("demo-expert", expert_password, "approved expert"),
        DemoAccount("demo-reviewer", reviewer_password, "expert and reviewer"),
    ]
