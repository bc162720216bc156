"""The Job admin: staff see every user's jobs and their chunks, read-only (jobs are made by uploading)."""

from django.contrib import admin

from .models import Chunk, Job


class ChunkInline(admin.TabularInline):
    model = Chunk
    fields = (
        "index",
        "first_row",
        "rows",
        "status",
        "attempts",
        "worker",
        "lease_until",
        "errors",
        "positive",
        "negative",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("filename", "owner", "status", "processed", "total", "errors", "model", "created_at", "finished_at")
    list_filter = ("status", "model", "created_at")
    search_fields = ("filename", "owner__username", "id")
    date_hierarchy = "created_at"
    list_select_related = ("owner",)
    inlines = [ChunkInline]
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
