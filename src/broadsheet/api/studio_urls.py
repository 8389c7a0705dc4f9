from django.urls import path

from broadsheet.api import studio_views

app_name = "api_studio"

urlpatterns = [path("", studio_views.reference, name="reference")]
