from django.urls import URLPattern

app_name = "passports"
urlpatterns: list[URLPattern] = []
