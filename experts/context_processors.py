from typing import Any

from django.http import HttpRequest

from experts.roles import is_staff_member


def roles(request: HttpRequest) -> dict[str, Any]:
    """Expose `is_staff_member` to templates, for the navigation bar."""
    return {"is_staff_member": is_staff_member(request.user)}
