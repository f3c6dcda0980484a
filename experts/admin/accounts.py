"""Admin for users, profiles, applications, approvals and the audit trail."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from experts.models import AuditEntry, DomainApplication, DomainApproval, ExpertProfile
from experts.services.approval import accounts_suspend
from seal_platform.errors import SealError

ADMIN_SUSPENSION_REASON = "Suspended with the admin's bulk action."


@admin.action(description="Suspend the selected accounts (they are refused on their next request)")
def suspend_accounts(modeladmin: Any, request: HttpRequest, queryset: QuerySet[User]) -> None:
    try:
        count = accounts_suspend(
            users=queryset, staff_user=request.user, reason=ADMIN_SUSPENSION_REASON
        )
    except SealError as error:
        modeladmin.message_user(request, error.message, level=messages.ERROR)
        return
    modeladmin.message_user(request, f"Suspended {count} account(s).")


class SealUserAdmin(UserAdmin[User]):
    actions = [suspend_accounts]


admin.site.unregister(User)
admin.site.register(User, SealUserAdmin)


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin[ExpertProfile]):
    list_display = ["display_name", "user", "years_of_practice", "is_imported", "external_id"]
    list_filter = ["is_imported"]
    search_fields = ["display_name", "user__username", "external_id"]


@admin.register(DomainApplication)
class DomainApplicationAdmin(admin.ModelAdmin[DomainApplication]):
    """Read-only: decisions go through the staff pages, which audit them."""

    list_display = ["id", "applicant", "domain", "status", "assigned_staff", "created_at"]
    list_filter = ["status", "domain"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(DomainApproval)
class DomainApprovalAdmin(admin.ModelAdmin[DomainApproval]):
    """Read-only: suspensions, revocations and roles go through the audited staff pages."""

    list_display = ["expert", "domain", "status", "is_reviewer", "expires_at"]
    list_filter = ["status", "is_reviewer", "domain"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[AuditEntry]):
    list_display = ["created_at", "actor", "action", "subject", "domain", "reason"]
    list_filter = ["action", "domain"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
