from django.urls import path

from evaluation import import_views, standard_views, views

app_name = "evaluation"
urlpatterns = [
    path("", views.graduate_list, name="graduate_list"),
    path("<int:pk>/", views.graduate_detail, name="graduate_detail"),
    path("<int:pk>/reveal-id/", views.graduate_reveal_id, name="graduate_reveal_id"),
    path("<int:pk>/achievements/", views.achievement_add, name="achievement_add"),
    path("<int:pk>/achievements/<int:achievement_pk>/delete/", views.achievement_delete, name="achievement_delete"),
    path("<int:pk>/achievements/<int:achievement_pk>/evidence/", views.evidence, name="evidence"),
    path("import/", import_views.import_start, name="import_start"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("import/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("import/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", import_views.import_discard, name="import_discard"),
    path("export/", import_views.export, name="export"),
    path("evaluations/", views.run_list, name="run_list"),
    path("evaluations/start/", views.run_start, name="run_start"),
    path("evaluations/<int:pk>/", views.run_detail, name="run_detail"),
    path("evaluations/<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("standard/", standard_views.standard_list, name="standard_list"),
    path("standard/edit/", standard_views.standard_edit, name="standard_edit"),
    path("standard/<int:pk>/", standard_views.standard_detail, name="standard_detail"),
    path("standard/<int:pk>/comment/", standard_views.standard_comment, name="standard_comment"),
    path("accounts/", views.accounts_create, name="accounts_create"),
    path("activate/", views.activate, name="activate"),
    path("me/", views.my_record, name="my_record"),
    path("me/what-if/", views.what_if, name="what_if"),
]
