from django.urls import path

from caseledger.ehcp import views

app_name = "ehcp"
urlpatterns = [
    # Those who work on an EHCP tracking case (its family) change its status.
    path("cases/<uuid:case_id>/ehcp-status/", views.status_change, name="status-change"),
]
