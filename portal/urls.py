from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.main import api
from certificates import public as certificates_public
from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/locks/", views.login_locks, name="login_locks"),
    path("accounts/", include("portal.twofactor.urls")),
    path("audit/", views.audit_log, name="audit_log"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution_detail"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/read/", views.inbox_mark_read, name="inbox_mark_read"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/session/extend/", views.session_extend, name="session_extend"),
    path("pilot/", include("applications.track_a.urls")),
    path("filing/", include("applications.track_b.urls")),
    path("graduates/", include("evaluation.urls")),
    path("rounds/", include("evaluation.rounds.urls")),
    path("certificates/", include("certificates.urls")),
    path("assessment/", include("assessment.urls")),
    # Contract certificate-qr.md: the QR link and the published key set live at the site root.
    path("v/<str:verification_id>", certificates_public.verify_link, name="certificate_verify_link"),
    path(".well-known/certificate-keys.json", certificates_public.key_set, name="certificate_keys"),
    path("api/v1/", api.urls),
    path("api/tokens/", include("api.urls")),
    path(".well-known/pdf-signing-ca.pem", certificates_public.pdf_signing_ca, name="pdf_signing_ca"),
    path("admin/", admin.site.urls),
]

# Chinese error pages with the site's header (templates/400.html, 403.html, 404.html; the 500 page below
# renders without touching the database). CSRF failures: settings.CSRF_FAILURE_VIEW.
handler500 = "portal.errors.server_error"
