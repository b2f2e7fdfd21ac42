"""The Django admin's pages for django-otp's devices, with deletion recorded in the portal's audit log.

Deleting an authenticator or a recovery-code device in the admin is a reset of that person's second factor (a lost
phone): besides Django's own admin log, it writes the portal's audit row, requires a new enrolment at the next
sign-in, ends the person's sessions and notifies them (``reset.devices_deleted_in_admin``). The portal's own page
(``twofactor_reset``) does the same with a required reason and is the documented way.
"""

from django.contrib import admin
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.twofactor import reset


class AuditedDeletion:
    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        reset.devices_deleted_in_admin(actor=request.user, devices=[obj])

    def delete_queryset(self, request, queryset):
        devices = list(queryset.select_related("user"))
        super().delete_queryset(request, queryset)
        reset.devices_deleted_in_admin(actor=request.user, devices=devices)


class AuditedTOTPDeviceAdmin(AuditedDeletion, TOTPDeviceAdmin):
    pass


class AuditedStaticDeviceAdmin(AuditedDeletion, StaticDeviceAdmin):
    pass


for model, model_admin in ((TOTPDevice, AuditedTOTPDeviceAdmin), (StaticDevice, AuditedStaticDeviceAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
