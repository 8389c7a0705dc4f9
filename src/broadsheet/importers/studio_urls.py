from django.urls import path

from broadsheet.importers import studio_views

app_name = "import_studio"

urlpatterns = [
    path("", studio_views.start, name="start"),
    path("<int:pk>/", studio_views.job, name="job"),
]
