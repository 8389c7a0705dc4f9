from django.urls import path, register_converter

from broadsheet.content import views
from broadsheet.core.converters import MonthConverter, PageConverter, YearConverter

register_converter(YearConverter, "yyyy")
register_converter(MonthConverter, "mm")
register_converter(PageConverter, "page")

app_name = "content"

urlpatterns = [
    path("", views.post_list, name="home"),
    path("page/<page:page>/", views.post_list, name="home_page"),
    path("posts/<slug:slug>/", views.post_detail, name="post"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("authors/<slug:slug>/page/<page:page>/", views.author_detail, name="author_page"),
    path("authors/<slug:slug>/avatar.svg", views.author_avatar, name="author_avatar"),
    path("tags/<slug:slug>/", views.tag_detail, name="tag"),
    path("tags/<slug:slug>/page/<page:page>/", views.tag_detail, name="tag_page"),
    path("archive/", views.archive_index, name="archive"),
    path("archive/<yyyy:year>/<mm:month>/", views.archive_month, name="archive_month"),
    path(
        "archive/<yyyy:year>/<mm:month>/page/<page:page>/",
        views.archive_month,
        name="archive_month_page",
    ),
    # Standalone pages last: any other address that is one slug deep.
    path("<slug:slug>/", views.page_detail, name="page"),
]
