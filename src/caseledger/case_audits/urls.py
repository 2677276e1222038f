from django.urls import URLPattern

app_name = "case_audits"

urlpatterns: list[URLPattern] = []
