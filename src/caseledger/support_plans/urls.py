from django.urls import URLPattern

app_name = "support_plans"
urlpatterns: list[URLPattern] = []
