from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from portal import access
from portal.auth import PortalAdminAuthenticationForm
from portal.models import (
    AuditLog,
    City,
    ExpertProfile,
    Institution,
    Notification,
    Occupation,
    RoleAssignment,
    User,
)

admin.site.site_header = _("一试三证 试点工作平台 · 后台管理")
admin.site.site_title = _("后台管理")
admin.site.index_title = _("参考数据与账号")
# The admin's login goes through the same lockout, serialisation and message as the portal's (issue 14, #1).
admin.site.login_form = PortalAdminAuthenticationForm
# Only site admins reach the admin, whatever their is_staff flag says.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_staff and \
    access.is_site_admin(request.user)


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "full_name", "email", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("平台信息"), {"fields": ["full_name", "phone"]}),)


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "city", "kind", "applied_engineering", "industry_college_level"]
    list_filter = ["affiliation", "city", "kind", "industry_college_level"]
    search_fields = ["name", "uscc"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only (DOMAIN §8)."""

    list_display = ["at", "actor_name", "role", "action", "object_repr", "ip", "outcome"]
    list_filter = ["action", "outcome", "role"]
    search_fields = ["actor_name", "object_repr", "object_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at"]
    raw_id_fields = ["recipient"]


@admin.register(ExpertProfile)
class ExpertProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "title_level", "specialty"]
    list_filter = ["title_level"]
    search_fields = ["user__username", "user__full_name", "title", "specialty"]
    raw_id_fields = ["user"]


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "focus", "is_skill", "max_level"]
    list_filter = ["focus", "is_skill"]
    search_fields = ["code", "name", "job_types"]
