from django.urls import path

from . import public, views

app_name = "certificates"
urlpatterns = [
    # Signed in: the issuer, the holder, overseeing offices.
    path("", views.certificate_list, name="list"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("<int:pk>/correct/", views.certificate_correct, name="correct"),
    path("results/", views.result_list, name="results"),
    path("results/photos/", views.result_photos, name="result_photos"),
    path("rounds/<int:round_pk>/issue-titles/", views.issue_round_titles, name="issue_round_titles"),
    path("batches/new/", views.batch_start, name="batch_start"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("batches/<int:pk>/zip/", views.batch_zip, name="batch_zip"),
    # Public: no login.
    path("verify/", public.verify_form, name="verify"),
    path("verify/offline/", public.offline_verifier, name="offline"),
    path("verify/pdf/", public.verify_pdf, name="verify_pdf"),
    path("api/status/<str:verification_id>", public.status_api, name="status_api"),
    path("v/<str:verification_id>/id-check/", public.id_check, name="id_check"),
]
