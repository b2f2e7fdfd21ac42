from django.urls import path

from evaluation.rounds import public, views

app_name = "rounds"
urlpatterns = [
    path("", views.index, name="index"),
    path("my/", views.my, name="my"),
    path("open/", views.open_round, name="open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/apply/", views.apply, name="apply"),
    path("<int:pk>/enrol/", views.enrol, name="enrol"),
    path("<int:pk>/publish-candidates/", views.publish_candidates, name="publish_candidates"),
    path("<int:pk>/close-notice/", views.close_notice, name="close_notice"),
    path("<int:pk>/session/", views.session, name="session"),
    path("<int:pk>/session/ballot/<int:application_pk>/", views.ballot, name="ballot"),
    path("<int:pk>/session/close/", views.close_session, name="close_session"),
    path("<int:pk>/minutes.pdf", views.minutes, name="minutes"),
    path("<int:pk>/publish-results/", views.publish_results, name="publish_results"),
    path("<int:pk>/finalise/", views.finalise, name="finalise"),
    path("<int:pk>/objections/", views.objections, name="objections"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("<int:pk>/decisions/", views.decisions, name="decisions"),
    path("decisions/<int:pk>/correct/", views.correct_decision, name="correct_decision"),
    path("objections/<int:pk>/answer/", views.answer_objection, name="answer_objection"),
    path("applications/<int:pk>/", views.application, name="application"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", views.submit, name="submit"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/review/", views.review, name="review"),
    path("applications/<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("applications/<int:pk>/evidence/<int:evidence_pk>/", views.evidence, name="evidence"),
    path("applications/<int:pk>/evidence/<int:evidence_pk>/delete/", views.evidence_delete, name="evidence_delete"),
    path("public/", public.public_index, name="public_index"),
    path("public/<int:pk>/", public.public_notice, name="public_notice"),
    path("public/<int:pk>/objection/", public.objection, name="objection"),
    path("public/objection/<str:receipt>/", public.objection_receipt, name="objection_receipt"),
]
