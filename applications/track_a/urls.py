from django.urls import path

from applications.track_a import views

app_name = "track_a"
urlpatterns = [
    path("", views.index, name="index"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.edit_section, name="edit_section"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/city-review/<slug:office>/", views.city_review, name="city_review"),
    path("<int:pk>/agreement/", views.agreement, name="agreement"),
    path("<int:pk>/forward/", views.forward, name="forward"),
    path("<int:pk>/document-review/", views.document_review, name="document_review"),
    path("<int:pk>/site-evaluation/", views.site_evaluation, name="site_evaluation"),
    path("<int:pk>/experts/", views.expert_group, name="expert_group"),
    path("<int:pk>/experts/propose/", views.group_propose, name="group_propose"),
    path("<int:pk>/experts/confirm/", views.group_confirm, name="group_confirm"),
    path("<int:pk>/experts/opinion/", views.expert_opinion, name="expert_opinion"),
    path("<int:pk>/experts/conflict/", views.group_conflict, name="group_conflict"),
    path("<int:pk>/experts/report/<slug:kind>/", views.group_report, name="group_report"),
    path("<int:pk>/experts/report/<slug:kind>/sign/", views.group_sign, name="group_sign"),
    path("<int:pk>/recognition/<slug:office>/", views.recognition, name="recognition"),
    path("<int:pk>/grant/", views.grant, name="grant"),
    path("<int:pk>/files/<slug:kind>/<int:item>/", views.file, name="file"),
    path("<int:pk>/annex1.pdf", views.application_pdf, name="application_pdf"),
    path("<int:pk>/authority.pdf", views.authority_pdf, name="authority_pdf"),
    path("committee/new/", views.committee_start, name="committee_start"),
    path("committee/<int:pk>/", views.committee_detail, name="committee_detail"),
    path("committee/<int:pk>/edit/", views.committee_edit, name="committee_edit"),
    path("committee/<int:pk>/members/", views.committee_members, name="committee_members"),
    path("committee/<int:pk>/file/", views.committee_file, name="committee_file"),
    path("committee/<int:pk>/review/", views.committee_review, name="committee_review"),
    path("committee/<int:pk>/adjust/", views.committee_adjust, name="committee_adjust"),
    path("committee/<int:pk>/revoke/", views.committee_revoke, name="committee_revoke"),
    path("committee/<int:pk>/rules-file/", views.committee_rules_file, name="committee_rules_file"),
]
