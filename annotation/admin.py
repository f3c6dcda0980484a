from django.contrib import admin

from annotation.models import EvaluatedModel, Judgment, JudgmentImport


@admin.register(EvaluatedModel)
class EvaluatedModelAdmin(admin.ModelAdmin[EvaluatedModel]):
    list_display = ["name", "organization", "created_at"]
    search_fields = ["name", "organization"]


@admin.register(JudgmentImport)
class JudgmentImportAdmin(admin.ModelAdmin[JudgmentImport]):
    list_display = ["file_name", "domain", "judgment_count", "imported_at"]
    readonly_fields = ["domain", "file_name", "content_sha256", "judgment_count", "imported_at"]


@admin.register(Judgment)
class JudgmentAdmin(admin.ModelAdmin[Judgment]):
    """Read-only: imported judgments keep the verdicts of their source file."""

    list_display = ["id", "domain", "model_a", "model_b", "verdict", "judge", "review_status"]
    list_filter = ["domain", "verdict", "review_status"]
    list_select_related = ["domain", "model_a", "model_b"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
