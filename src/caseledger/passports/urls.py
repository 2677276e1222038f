from django.urls import path

from caseledger.passports import views

app_name = "passports"
urlpatterns = [
    # Issue 8: a pupil's passport, for staff who see the pupil and the parents the school
    # shares it with; the SENCO and admins write new versions.
    path("pupils/<uuid:child_id>/passport/", views.passport, name="passport"),
    path("pupils/<uuid:child_id>/passport/new/", views.passport_new, name="passport-new"),
    path("pupils/<uuid:child_id>/passport/passport.pdf", views.passport_pdf, name="passport-pdf"),
    path(
        "pupils/<uuid:child_id>/passport/versions/<int:number>/",
        views.version,
        name="version",
    ),
    path(
        "pupils/<uuid:child_id>/passport/versions/<int:number>/photo",
        views.photo,
        name="photo",
    ),
]
