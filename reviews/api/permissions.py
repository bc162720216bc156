"""Object-level rules: a review is only ever seen or changed by its owner."""

from rest_framework import permissions


class IsOwner(permissions.BasePermission):
    """Belt and braces: the queryset is already scoped to the owner, so another's review is a 404 first."""

    def has_object_permission(self, request, view, obj):
        return obj.owner_id == request.user.pk
