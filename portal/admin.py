from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal import access, accounts
from portal.auth import PortalAdminAuthenticationForm
from portal.forms import posted_id
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


class RoleForm(forms.ModelForm):
    """A role row of the user's admin page; a new or re-roled row is refused for a student (``accounts.check_role``)."""

    class Meta:
        model = RoleAssignment
        fields = ["role", "institution", "city", "organisation"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        key = self.add_prefix("institution")
        if self.is_bound and self.data.get(key) and not posted_id(self.data, key):
            # A garbled id ("abc") would reach the autocomplete widget's query when the page is shown again (a 500):
            # it is no institution, so it is refused as none chosen.
            self.data = self.data.copy()
            self.data[key] = ""

    def clean(self):
        data = super().clean()
        if self.instance.pk is None or "role" in self.changed_data:
            try:
                accounts.check_role(data.get("role"))
            except ValidationError as exc:
                self.add_error(None, exc.messages[0])
        return data


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleForm
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts are made, and roles granted, changed and revoked, through ``portal.accounts`` (checked, audited)."""

    inlines = [RoleInline]
    list_display = ["username", "full_name", "email", "is_active"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("平台信息"), {"fields": ["full_name", "phone"]}),)
    add_fieldsets = ((None, {"classes": ["wide"], "fields": ["username", "full_name", "usable_password",
                                                                "password1", "password2"]}),)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:  # the form has set (and validated) the password on ``obj``
            accounts.create_account(actor=request.user, user=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for assignment in formset.deleted_objects:
            accounts.revoke_role(actor=request.user, assignment=assignment)
        for assignment, changed in formset.changed_objects:
            accounts.change_role(actor=request.user, assignment=assignment, changed=changed)
        for assignment in formset.new_objects:
            accounts.grant_role(actor=request.user, user=form.instance, grant=accounts.Grant(
                role=assignment.role, institution=assignment.institution, city_id=assignment.city_id,
                organisation=assignment.organisation))
        return None


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

    def get_changelist_instance(self, request):
        """A date beyond the calendar (``?at__year=99999999999999999999``) is a wrong filter like any other (the
        admin's "invalid filter" page), not an OverflowError from Django's date hierarchy."""
        try:
            return super().get_changelist_instance(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc

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

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:  # a new entry of the pool is checked and audited as the demo's are (portal.accounts)
            accounts.add_expert_profile(actor=request.user, profile=obj)


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "focus", "is_skill", "max_level"]
    list_filter = ["focus", "is_skill"]
    search_fields = ["code", "name", "job_types"]
