from django.urls import path

from caseledger.workdays import views

app_name = "workdays"
urlpatterns = [
    path("settings/working-days/", views.working_days_settings, name="working-days"),
]
