from django.urls import path

from caseledger.case_audits import views

app_name = "case_audits"
urlpatterns = [
    # Managers and organisation admins: sample, grade and complete audits.
    path("manage/case-audits/", views.audit_list, name="audit-list"),
    path("manage/case-audits/export.csv", views.audit_export, name="audit-export"),
    path("manage/case-audits/sample/", views.audit_sample, name="audit-sample"),
    path("manage/case-audits/<uuid:audit_id>/", views.audit_detail, name="audit-detail"),
    path(
        "manage/case-audits/<uuid:audit_id>/questions/<uuid:question_id>/",
        views.audit_grade,
        name="audit-grade",
    ),
    path(
        "manage/case-audits/<uuid:audit_id>/actions/new/",
        views.audit_action_add,
        name="audit-action-add",
    ),
    path(
        "manage/case-audits/<uuid:audit_id>/complete/",
        views.audit_complete,
        name="audit-complete",
    ),
    # Workers: the actions completed audits give them.
    path("case-audits/actions/", views.my_actions, name="my-audit-actions"),
    path(
        "case-audits/actions/<uuid:action_id>/done/",
        views.action_done,
        name="audit-action-done",
    ),
    # Organisation admins: the checklist.
    path("settings/case-audits/", views.checklist, name="checklist"),
    path("settings/case-audits/questions/new/", views.question_add, name="question-add"),
    path(
        "settings/case-audits/questions/<uuid:question_id>/",
        views.question_edit,
        name="question-edit",
    ),
]
