"""Expert profiles for the judges of imported data sets."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction

from experts.models import ExpertProfile

USERNAME_LIMIT = 150


def imported_username(source: str, judge: str) -> str:
    return f"{source}:{judge}"[:USERNAME_LIMIT]


def imported_profiles_get_or_create(*, source: str, judges: Iterable[str]) -> dict[str, int]:
    """Return judge id -> profile id, creating inactive users that can never log in.

    An imported judge is a person recorded by another project (MT-bench's `expert_17`); the
    profile lets their judgments be counted per expert without granting them an account.
    """
    wanted = sorted({judge for judge in judges if judge})
    with transaction.atomic():
        existing = dict(
            ExpertProfile.objects.filter(
                is_imported=True, external_source=source, external_id__in=wanted
            ).values_list("external_id", "id")
        )
        for judge in wanted:
            if judge in existing:
                continue
            user = User(username=imported_username(source, judge), is_active=False)
            user.set_unusable_password()
            user.save()
            profile = ExpertProfile.objects.create(
                user=user,
                display_name=f"{judge} ({source})",
                is_imported=True,
                external_source=source,
                external_id=judge,
            )
            existing[judge] = profile.pk
    return existing
