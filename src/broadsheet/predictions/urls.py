from django.urls import path

from broadsheet.fastpath.decorators import reader_page
from broadsheet.predictions import feeds, views

app_name = "predictions"

urlpatterns = [
    path("", views.record, name="record"),
    path("feed/", reader_page(feeds.ResolutionFeed(), slugs=("author", "tag")), name="feed"),
]
