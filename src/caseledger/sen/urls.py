from django.urls import path

from caseledger.sen import views

app_name = "sen"
urlpatterns = [
    # Issue 8: a school's staff read its SEN register; its SENCO and admins keep it.
    path("sen-register/", views.register, name="register"),
    path("sen-register/export.csv", views.register_export, name="register-export"),
    path("sen-register/add/", views.entry_add, name="entry-add"),
    path("sen-register/<uuid:entry_id>/", views.entry_detail, name="entry-detail"),
    path("sen-register/<uuid:entry_id>/change/", views.entry_change, name="entry-change"),
    path("sen-register/<uuid:entry_id>/remove/", views.entry_remove, name="entry-remove"),
    # A school's classes decide which pupils a teacher sees; its SENCO and admins set them up.
    path("classes/", views.class_list, name="classes"),
    path("classes/add/", views.class_add, name="class-add"),
    path("classes/<uuid:class_id>/", views.class_detail, name="class"),
    path("classes/<uuid:class_id>/change/", views.class_change, name="class-change"),
    # A pupil's page, and the parents the school shares the pupil's SEN records with.
    path("pupils/<uuid:child_id>/", views.pupil, name="pupil"),
    path("pupils/<uuid:child_id>/parents/", views.parent_access, name="parents"),
    path(
        "pupils/<uuid:child_id>/parents/<uuid:access_id>/revoke/",
        views.parent_revoke,
        name="parent-revoke",
    ),
    # A parent's way in to what schools share with them.
    path("school-support/", views.my_children, name="my-children"),
]
