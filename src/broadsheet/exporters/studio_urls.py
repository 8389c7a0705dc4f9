from django.urls import path

from broadsheet.exporters import studio_views

app_name = "export_studio"

urlpatterns = [
    path("", studio_views.export_page, name="page"),
    path("download/", studio_views.download, name="download"),
]
