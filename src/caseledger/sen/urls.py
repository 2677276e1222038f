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
]
