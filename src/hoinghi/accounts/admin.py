from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from hoinghi.accounts import services
from hoinghi.accounts.models import Grant, User
from hoinghi.core.admin import ScopedAdmin


class GrantInline(admin.TabularInline):
    model = Grant
    fk_name = "user"
    extra = 0
    raw_id_fields = ("unit",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Users are managed by superusers; grants say where everyone else may act."""

    list_display = ("username", "full_name", "email", "is_staff", "is_active")
    fieldsets = (*DjangoUserAdmin.fieldsets, ("hoinghi", {"fields": ("full_name", "person")}))
    raw_id_fields = ("person",)
    inlines = [GrantInline]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    has_change_permission = has_add_permission = has_delete_permission = has_view_permission


@admin.register(Grant)
class GrantAdmin(ScopedAdmin):
    view_action = "accounts.view_grants"
    change_action = "accounts.manage_grants"
    list_display = ("user", "role", "unit", "created_at")
    list_filter = ("role",)
    raw_id_fields = ("user", "unit")

    def save_model(self, request, obj, form, change):
        if change:
            services.grant_revoke(actor=request.user, grant=Grant.objects.get(pk=obj.pk))
        saved = services.grant_create(actor=request.user, user=obj.user, role=obj.role, unit=obj.unit)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        services.grant_revoke(actor=request.user, grant=obj)
