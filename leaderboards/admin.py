from django.contrib import admin

from leaderboards.models import Fit, Snapshot


@admin.register(Fit)
class FitAdmin(admin.ModelAdmin[Fit]):
    """Read-only: a fit records exactly what went in and what came out."""

    list_display = ["id", "domain", "status", "judgment_count", "bootstrap_rounds", "finished_at"]
    list_filter = ["status", "domain"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin[Snapshot]):
    """Read-only: published snapshots never change (a PostgreSQL trigger enforces it)."""

    list_display = ["id", "domain", "version", "published_at", "affected_at"]
    list_filter = ["domain"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
