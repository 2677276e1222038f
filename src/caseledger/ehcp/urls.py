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
]
