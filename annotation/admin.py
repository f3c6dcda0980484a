from typing import TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from annotation.models import EvaluatedModel, Judgment, JudgmentImport, Prompt, Response


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


ModelType = TypeVar("ModelType", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[ModelType]):
    """Staff may look but not edit: prompts are frozen, and responses are what a model wrote.

    The admin escapes every field it shows, so the untrusted texts appear as inert text.
    """

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ModelType | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ModelType | None = None) -> bool:
        return False


@admin.register(Prompt)
class PromptAdmin(ReadOnlyAdmin[Prompt]):
    list_display = ["id", "domain", "source", "external_id", "category", "status", "prompt_set"]
    list_filter = ["domain", "status"]
    list_select_related = ["domain", "prompt_set"]
    search_fields = ["external_id", "text"]
    fields = [
        "domain",
        "prompt_set",
        "source",
        "external_id",
        "category",
        "status",
        "author",
        "text",
        "reference_answer",
        "created_at",
    ]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin[Response]):
    list_display = ["id", "prompt", "model", "created_at"]
    list_filter = ["model"]
    list_select_related = ["prompt", "model"]
    search_fields = ["prompt__external_id", "model__name"]
    fields = ["prompt", "model", "text", "created_at"]
