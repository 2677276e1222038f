from django.urls import URLPattern

app_name = "provision"
urlpatterns: list[URLPattern] = []
