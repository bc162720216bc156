"""Admin for API tokens without their keys: staff see whose token it is and when it was made, and may revoke it."""

from django.contrib import admin
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from .models import LoginFailure

admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class KeylessTokenAdmin(TokenAdmin):
    """DRF's token admin (its rows link by user id, not by key) minus the key column: a key is a password."""

    list_display = ("user", "created")

    def has_add_permission(self, request):
        # DRF's add form would show the new key to staff; a user makes their own on the API token page.
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Read-only view of the lock-out's slots (hashed counters); deleting rows unlocks them."""

    list_display = ("counter", "slot", "failed_at", "expires_at")
    list_filter = ("expires_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
