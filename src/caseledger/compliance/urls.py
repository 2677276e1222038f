from django.urls import path

from caseledger.compliance import views

app_name = "compliance"

urlpatterns = [
    path("manage/compliance/", views.organisation, name="organisation"),
    path("manage/compliance/trends/", views.organisation_trends, name="trends"),
    path(
        "manage/compliance/export/<slug:section>.csv",
        views.organisation_export,
        name="organisation-export",
    ),
    path(
        "manage/compliance/<slug:section>/",
        views.organisation_section,
        name="organisation-section",
    ),
    path("manage/teams/<uuid:team_id>/compliance/", views.team, name="team"),
    path("manage/teams/<uuid:team_id>/compliance/trends/", views.team_trends, name="team-trends"),
    path(
        "manage/teams/<uuid:team_id>/compliance/export/<slug:section>.csv",
        views.team_export,
        name="team-export",
    ),
    path("settings/visit-intervals/", views.visit_intervals, name="visit-intervals"),
]
