"""Permission checks shared by the experts pages and API."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from experts.roles import is_staff_member

ViewFunction = Callable[..., HttpResponse]


class IsStaffMember(BasePermission):
    message = "Only staff may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        return is_staff_member(request.user)


def staff_required(view: ViewFunction) -> ViewFunction:
    """Page decorator: anonymous users go to the login page, others without the role get 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            raise PermissionDenied("Only staff may open this page.")
        return view(request, *args, **kwargs)

    return wrapper
