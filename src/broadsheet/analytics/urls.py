from django.urls import path

from broadsheet.analytics import views

app_name = "analytics"

urlpatterns = [
    path("stats/", views.overview, name="overview"),
    path("stats/posts/<int:pk>/", views.post_stats, name="post"),
]
