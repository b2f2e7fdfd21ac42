from django.urls import path

from portal.twofactor import views

urlpatterns = [
    path("security/", views.account, name="twofactor_account"),
    path("security/recovery-codes/", views.renew_recovery_codes, name="twofactor_recovery_codes"),
    path("security/turn-off/", views.turn_off, name="twofactor_turn_off"),
    path("security/reset/", views.reset, name="twofactor_reset"),
    path("two-factor/", views.verify, name="twofactor_verify"),
    path("two-factor/setup/", views.setup, name="twofactor_setup"),
]
