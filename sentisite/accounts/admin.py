"""Admin for API tokens without their keys (staff see whose token it is and when it was made) and the lock-out."""

from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.db.models.constants import LOOKUP_SEP
from django.urls import path
from rest_framework.authtoken.admin import TokenAdmin
from rest_framework.authtoken.models import TokenProxy

from . import services
from .models import ApiToken, LoginFailure

admin.site.unregister(TokenProxy)


@admin.register(ApiToken)
class KeylessTokenAdmin(TokenAdmin):
    """DRF's token admin as a list only: who has a token, since when. A key is a password."""

    list_display = ("user", "created")
    list_display_links = None

    def get_urls(self):
        # Only the list: Django's object pages (change, delete, history) put the primary key, which
        # is the token itself, into their links. Staff revoke tokens from the user list instead.
        name = f"{self.opts.app_label}_{self.opts.model_name}_changelist"
        return [path("", self.admin_site.admin_view(self.changelist_view), name=name)]

    def lookup_allowed(self, lookup, value, request=None):
        # The list filters on any field of its own named in the query string, so `?key__startswith=a`
        # would answer yes or no about a key's first letter, and a few hundred requests recover it.
        # The key is the primary key too, and `pk` is its alias. (Lookups across relations, such as
        # user__auth_token__key, are refused by Django's own check: none is a list filter.)
        if lookup.split(LOOKUP_SEP, 1)[0] in ("key", "pk"):
            return False
        return super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class UserAdmin(auth_admin.UserAdmin):
    """Django's user admin, plus revoking API tokens (a new password set here revokes them too)."""

    actions = ["revoke_api_tokens"]

    @admin.action(description="Revoke the API tokens of the selected users", permissions=["change"])
    def revoke_api_tokens(self, request, queryset):
        revoked = sum(services.api_tokens_revoke(user=user) for user in queryset)
        self.message_user(request, f"{revoked} API token(s) revoked.", messages.SUCCESS)


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """The lock-out's slots (hashed counters), read-only; deleting rows unlocks a username or address."""

    list_display = ("counter", "slot", "failed_at", "expires_at")
    list_filter = ("expires_at",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
