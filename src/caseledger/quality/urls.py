from django.urls import path

from caseledger.quality import views

app_name = "quality"

urlpatterns = [
    path("settings/recording-quality/", views.quality_settings, name="settings"),
]
