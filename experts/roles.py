"""Who is staff. Per-domain roles (expert, reviewer) live in `experts.services.access`."""

from typing import Any

from django.contrib.auth.models import Group, Permission

STAFF_PERMISSION = "experts.decide_application"
STAFF_GROUP = "staff"


def is_staff_member(user: Any) -> bool:
    """Staff verify credentials, approve experts and change roles.

    The permission comes from the `staff` group (or superuser status); it is read on every
    request, so removing someone from the group takes effect at once.
    """
    return bool(user.is_authenticated and user.is_active and user.has_perm(STAFF_PERMISSION))


def staff_group_ensure() -> Group:
    """Return the staff group with its permission, creating either if missing.

    The migration creates both; this restores them where a test flushed the database.
    """
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    app_label, codename = STAFF_PERMISSION.split(".")
    group.permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    return group
