"""The media library, under /studio/media/."""

from django.urls import path

from broadsheet.media import views

app_name = "media"

urlpatterns = [
    path("", views.library, name="library"),
    path("upload/", views.upload, name="upload"),
    path("upload/json/", views.upload_json, name="upload_json"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
