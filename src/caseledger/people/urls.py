from django.urls import path

from caseledger.cases import views as case_views
from caseledger.people import views

app_name = "people"
urlpatterns = [
    path("new/", views.child_create, name="child-create"),
    path("<uuid:child_id>/", views.child_detail, name="child-detail"),
    path("<uuid:child_id>/edit/", views.child_edit, name="child-edit"),
    path("<uuid:child_id>/adults/new/", views.adult_add, name="adult-add"),
    path("<uuid:child_id>/adults/<uuid:adult_id>/edit/", views.adult_edit, name="adult-edit"),
    path("<uuid:child_id>/professionals/new/", views.professional_add, name="professional-add"),
    path(
        "<uuid:child_id>/professionals/<uuid:professional_id>/edit/",
        views.professional_edit,
        name="professional-edit",
    ),
    path("<uuid:child_id>/cases/new/", case_views.case_open, name="case-open"),
    path("<uuid:child_id>/household/link/", views.household_link, name="household-link"),
    path("<uuid:child_id>/household/leave/", views.household_leave, name="household-leave"),
]
