"""The admin goes through the same permission engine as every page."""

from django.contrib import admin

from hoinghi.core.models import AuditEntry
from hoinghi.core.permissions import can, reach, scope


class ScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose lists and changes are limited to the user's grants.

    `view_action` and `change_action` name the engine's actions; the model declares
    `SCOPE_PATH`. Django's per-model permissions are not consulted: grants are the one source.
    """

    view_action = "orgs.view"
    change_action = "orgs.change"

    def get_queryset(self, request):
        return scope(request.user, self.view_action, super().get_queryset(request))

    def has_module_permission(self, request):
        return (
            request.user.is_active
            and request.user.is_staff
            and self._has_any_grant(request, self.view_action)
        )

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return can(request.user, self.view_action, obj)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self._has_any_grant(request, self.change_action)
        return can(request.user, self.change_action, obj)

    def has_add_permission(self, request):
        return self._has_any_grant(request, self.change_action)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    @staticmethod
    def _has_any_grant(request, action: str) -> bool:
        return not reach(request.user, action).is_empty


class VocabularyAdmin(admin.ModelAdmin):
    """Levels, kinds and roles are configuration: superusers change them, staff may look."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    has_add_permission = has_change_permission

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    view_action = "core.view_audit"
    list_display = ("created_at", "type", "object_repr", "actor")
    list_filter = ("type",)
    search_fields = ("object_repr", "type")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
