"""Who is staff. Per-domain roles (expert, reviewer) live in `experts.services.access`."""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

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

    The migrations create both; this restores them where a test flushed the database.
    """
    group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    app_label, codename = STAFF_PERMISSION.split(".")
    # Not get_for_model(): its cache can outlive a flush and name a deleted row.
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model="domainapplication"
    )
    permission, _ = Permission.objects.get_or_create(
        codename=codename,
        content_type=content_type,
        defaults={"name": "Can verify credentials, approve experts and change roles"},
    )
    group.permissions.add(permission)
    return group
