"""Feeds, sitemap and robots.txt. Each is the same for every reader, so the fast path keeps it."""

from django.urls import path

from broadsheet.fastpath.decorators import reader_page
from broadsheet.feeds import feeds, views

app_name = "feeds"

urlpatterns = [
    path("feed/", reader_page(feeds.PostFeed()), name="rss"),
    path("feed/atom/", reader_page(feeds.PostAtomFeed()), name="atom"),
    path("authors/<slug:slug>/feed/", reader_page(feeds.AuthorFeed()), name="author_rss"),
    path(
        "authors/<slug:slug>/feed/atom/",
        reader_page(feeds.AuthorAtomFeed()),
        name="author_atom",
    ),
    path("tags/<slug:slug>/feed/", reader_page(feeds.TagFeed()), name="tag_rss"),
    path("tags/<slug:slug>/feed/atom/", reader_page(feeds.TagAtomFeed()), name="tag_atom"),
    path(
        "posts/<slug:slug>/comments/feed/",
        reader_page(feeds.PostCommentsFeed()),
        name="post_comments",
    ),
    # An index of sections, each split into pages small enough to render quickly.
    path("sitemap.xml", views.sitemap_index, name="sitemap"),
    path("sitemap-<section>.xml", views.sitemap_section, name="sitemap_section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
