"""Admin for qualification tests and gold items, where staff write them, and a read-only view
of attempts.

Attempts change only through `experts.services.qualification`, which locks rows and audits,
so the admin cannot add, edit or delete them.
"""

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest

from experts.models import AttemptItem, GoldItem, QualificationAttempt, QualificationTest


@admin.register(QualificationTest)
class QualificationTestAdmin(admin.ModelAdmin[QualificationTest]):
    list_display = [
        "domain",
        "item_count",
        "active_item_count",
        "pass_mark",
        "max_attempts",
        "wait_between_attempts",
        "attempt_duration",
    ]
    search_fields = ["domain__slug", "domain__name"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[QualificationTest]:
        return (
            super()
            .get_queryset(request)
            .select_related("domain")
            .annotate(active_items=Count("items", filter=Q(items__is_active=True)))
        )

    @admin.display(description="Active gold items")
    def active_item_count(self, test: QualificationTest) -> int:
        # get_queryset annotates the count. Starting an attempt fails while it is below
        # item_count.
        return int(getattr(test, "active_items", 0))


@admin.register(GoldItem)
class GoldItemAdmin(admin.ModelAdmin[GoldItem]):
    """Gold items with their correct verdicts. Staff deactivate an item rather than delete it,
    because attempts refer to it."""

    list_display = ["id", "test", "short_prompt", "correct_verdict", "is_active", "created_at"]
    list_filter = ["test", "is_active", "correct_verdict"]
    search_fields = ["prompt_text"]
    list_select_related = ["test__domain"]

    @admin.display(description="Prompt")
    def short_prompt(self, item: GoldItem) -> str:
        return item.prompt_text[:80]


class AttemptItemInline(admin.TabularInline[AttemptItem, QualificationAttempt]):
    model = AttemptItem
    fields = ["position", "gold_item", "answer", "answered_at"]
    readonly_fields = ["position", "gold_item", "answer", "answered_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(QualificationAttempt)
class QualificationAttemptAdmin(admin.ModelAdmin[QualificationAttempt]):
    list_display = [
        "id",
        "application",
        "number",
        "status",
        "correct_count",
        "item_count",
        "started_at",
        "finished_at",
    ]
    list_filter = ["status", "application__domain"]
    search_fields = ["application__applicant__username"]
    list_select_related = ["application"]
    inlines = [AttemptItemInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
