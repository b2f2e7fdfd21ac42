"""What the apps' admins share: a read-only view for the records only the portal's services and workflows change."""

from django.contrib import admin


class ReadOnlyMixin:
    """Shown, never added, changed or deleted by hand: such a change would skip the rules, the transition log
    and the audit (the services and ``applications.workflow.run_transition`` are the one door)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyTabularInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
