from django.urls import path

from . import views

app_name = "track_b"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("registry/", views.registry, name="registry"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/<slug:section>/", views.edit, name="edit"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/return/", views.return_for_revision, name="return"),
    path("<int:pk>/panel/", views.panel, name="panel"),
    path("<int:pk>/conflict/", views.declare_conflict, name="declare_conflict"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report/sign/", views.sign, name="sign"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/file/", views.file, name="file"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("<int:pk>/documents/<slug:kind>/", views.document, name="document"),
    path("<int:pk>/files/<slug:kind>/<int:row>/", views.row_file, name="row_file"),
    path("entrustments/", views.entrustment_list, name="entrustment_list"),
    path("entrustments/new/", views.entrustment_create, name="entrustment_create"),
    path("entrustments/<int:pk>/", views.entrustment_detail, name="entrustment_detail"),
    path("entrustments/<int:pk>/edit/", views.entrustment_edit, name="entrustment_edit"),
    path("entrustments/<int:pk>/report/", views.entrustment_report, name="entrustment_report"),
    path("entrustments/<int:pk>/acknowledge/", views.entrustment_acknowledge, name="entrustment_acknowledge"),
    path("entrustments/<int:pk>/return/", views.entrustment_return, name="entrustment_return"),
    path("entrustments/<int:pk>/plan/", views.entrustment_plan_file, name="entrustment_plan_file"),
    path("exemptions/", views.exemption_list, name="exemption_list"),
    path("exemptions/new/", views.exemption_create, name="exemption_create"),
    path("exemptions/<int:pk>/", views.exemption_detail, name="exemption_detail"),
    path("exemptions/<int:pk>/decide/", views.exemption_decide, name="exemption_decide"),
    path("exemptions/<int:pk>/withdraw/", views.exemption_withdraw, name="exemption_withdraw"),
    path("exemptions/<int:pk>/certificate/", views.exemption_file, name="exemption_file"),
]
