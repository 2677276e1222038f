from django.urls import path

from caseledger.provision import views

app_name = "provision"
urlpatterns = [
    # Issue 8: a school's provision map. Its staff read it; its SENCO and admins keep it.
    path("provision-map/", views.provision_map, name="map"),
    path("provision-map/export.csv", views.provision_map_export, name="map-export"),
    path("provision-map/reports/", views.reports, name="reports"),
    path("provision-map/reports/<slug:table>.csv", views.reports_export, name="reports-export"),
    path("provision-map/scales/", views.scales, name="scales"),
    path("provision-map/scales/add/", views.scale_add, name="scale-add"),
    path("provision-map/interventions/", views.interventions, name="interventions"),
    path("provision-map/interventions/add/", views.intervention_add, name="intervention-add"),
    path(
        "provision-map/interventions/<uuid:intervention_id>/",
        views.intervention_detail,
        name="intervention",
    ),
    path(
        "provision-map/interventions/<uuid:intervention_id>/<slug:table>.csv",
        views.intervention_export,
        name="intervention-export",
    ),
    path(
        "provision-map/interventions/<uuid:intervention_id>/change/",
        views.intervention_change,
        name="intervention-change",
    ),
    path(
        "provision-map/interventions/<uuid:intervention_id>/groups/add/",
        views.group_add,
        name="group-add",
    ),
    path("provision-map/groups/<uuid:group_id>/", views.group_detail, name="group"),
    path("provision-map/groups/<uuid:group_id>/end/", views.group_end, name="group-end"),
    path(
        "provision-map/groups/<uuid:group_id>/sessions/add/",
        views.session_add,
        name="session-add",
    ),
    path("provision-map/groups/<uuid:group_id>/places/add/", views.place_add, name="place-add"),
    path("provision-map/places/<uuid:place_id>/end/", views.place_end, name="place-end"),
    path("provision-map/places/<uuid:place_id>/exit/", views.place_exit, name="place-exit"),
    path("provision-map/places/<uuid:place_id>/change/", views.place_change, name="place-change"),
    path("pupils/<uuid:child_id>/provision/", views.pupil, name="pupil"),
    path("pupils/<uuid:child_id>/provision/export.csv", views.pupil_export, name="pupil-export"),
]
