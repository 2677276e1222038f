from django.urls import path

from caseledger.cases import views

app_name = "cases"
urlpatterns = [
    # Issue 7: a family's grants to advocates, across its children.
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/<uuid:grant_id>/revoke/", views.sharing_revoke, name="sharing-revoke"),
    path("<uuid:case_id>/", views.case_detail, name="case-detail"),
    path("<uuid:case_id>/allocate/", views.case_allocate, name="case-allocate"),
    path("<uuid:case_id>/deallocate/", views.case_deallocate, name="case-deallocate"),
    path("<uuid:case_id>/close/", views.case_close, name="case-close"),
    path("<uuid:case_id>/reopen/", views.case_reopen, name="case-reopen"),
    path("<uuid:case_id>/access/new/", views.grant_create, name="grant-create"),
    path("<uuid:case_id>/access/<uuid:grant_id>/revoke/", views.grant_revoke, name="grant-revoke"),
]
