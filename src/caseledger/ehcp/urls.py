from django.urls import path

from caseledger.ehcp import views

app_name = "ehcp"
urlpatterns = [
    # Those who work on an EHCP tracking case (its family) change its status.
    path("cases/<uuid:case_id>/ehcp-status/", views.status_change, name="status-change"),
    # Everyone who sees the case reads its plan versions and compares them; its family adds
    # versions and confirms their sections.
    path("cases/<uuid:case_id>/ehcp-plan/", views.plan, name="plan"),
    path("cases/<uuid:case_id>/ehcp-plan/add/", views.version_add, name="version-add"),
    path("ehcp-plan-versions/<uuid:version_id>/", views.version_detail, name="version-detail"),
    path(
        "ehcp-plan-versions/<uuid:version_id>/sections/",
        views.version_sections,
        name="version-sections",
    ),
    # Everyone who sees the case sees a confirmed version's flags; its family confirms or
    # dismisses them.
    path(
        "ehcp-plan-versions/<uuid:version_id>/flags/<str:flag_key>/",
        views.flag_decide,
        name="flag-decide",
    ),
    path(
        "ehcp-plan-versions/<uuid:version_id>/compare/<uuid:other_id>/",
        views.version_compare,
        name="version-compare",
    ),
    path(
        "ehcp-plan-versions/<uuid:version_id>/reports/",
        views.version_reports,
        name="version-reports",
    ),
    # Provision linked to needs: read by everyone who sees the case, linked by its family.
    path("ehcp-plan-versions/<uuid:version_id>/provision/", views.provision, name="provision"),
    path(
        "ehcp-plan-versions/<uuid:version_id>/provision/<str:section>/<str:item_key>/",
        views.item_needs,
        name="item-needs",
    ),
    # Annotations: written by the family, read by everyone who sees the case.
    path(
        "ehcp-plan-versions/<uuid:version_id>/annotations/add/",
        views.annotation_add,
        name="annotation-add",
    ),
    path(
        "ehcp-annotations/<uuid:annotation_id>/", views.annotation_detail, name="annotation-detail"
    ),
    path(
        "ehcp-annotations/<uuid:annotation_id>/change/",
        views.annotation_edit,
        name="annotation-edit",
    ),
    # Comments: anyone who sees the case (an advocate it is shared with) comments.
    path(
        "ehcp-plan-versions/<uuid:version_id>/flags/<str:flag_key>/comments/",
        views.flag_comment,
        name="flag-comment",
    ),
    path(
        "ehcp-annotations/<uuid:annotation_id>/comments/",
        views.annotation_comment,
        name="annotation-comment",
    ),
    path("notes/<uuid:entry_id>/comments/", views.note_comment, name="note-comment"),
    # The working document, in Word or PDF.
    path(
        "ehcp-plan-versions/<uuid:version_id>/working-document.<str:file_type>",
        views.working_document,
        name="working-document",
    ),
]
