"""Read-only admin for credentials.

Decisions go through the staff pages, which check the assignment and write the audit trail, so
the admin can neither add, change nor delete a credential. It links to the permission-checked
download view, never to a file URL.
"""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from experts.models import Credential

DETAIL_FIELDS = (
    "owner",
    "application",
    "kind",
    "title",
    "issuer",
    "document",
    "original_name",
    "content_type",
    "size",
    "sha256",
    "status",
    "reviewed_by",
    "reviewed_at",
    "review_reason",
    "uploaded_at",
)


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin[Credential]):
    list_display = ["id", "owner", "application", "kind", "title", "status", "uploaded_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "issuer", "owner__username", "original_name", "sha256"]
    list_select_related = ["owner", "application"]
    date_hierarchy = "uploaded_at"
    fields = DETAIL_FIELDS
    readonly_fields = DETAIL_FIELDS

    @admin.display(description="Document")
    def document(self, credential: Credential) -> SafeString:
        url = reverse("experts:credential-document", kwargs={"credential_id": credential.pk})
        return format_html(
            '<a href="{}">Download</a> (only the owner and the assigned staff member may)', url
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Credential | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Credential | None = None) -> bool:
        return False
