from django.urls import path

from broadsheet.search import stats_views

app_name = "search_stats"

urlpatterns = [
    path("", stats_views.overview, name="overview"),
]
