from django.urls import path

from broadsheet.comments import views

app_name = "comments"

urlpatterns = [
    path("posts/<slug:slug>/comments/", views.comment_create, name="create"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="edit"),
    path("comments/stop/<str:token>/", views.stop_notices, name="stop_notices"),
]
