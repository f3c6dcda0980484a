from django.contrib import admin

from experts.models import Domain


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin[Domain]):
    list_display = ["slug", "name", "parent", "created_at"]
    search_fields = ["slug", "name"]
