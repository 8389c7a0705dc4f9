from django.urls import path

from broadsheet.studio.views import comments, pages, posts, site, tags

app_name = "studio"

urlpatterns = [
    path("", posts.home, name="home"),
    path("posts/", posts.post_list, name="posts"),
    path("posts/new/", posts.post_new, name="post_new"),
    path("posts/<int:pk>/", posts.post_edit, name="post_edit"),
    path("posts/<int:pk>/autosave/", posts.post_autosave, name="post_autosave"),
    path("posts/<int:pk>/preview/", posts.post_preview, name="post_preview"),
    path("posts/<int:pk>/trash/", posts.post_trash, name="post_trash"),
    path("posts/<int:pk>/restore/", posts.post_restore, name="post_restore"),
    path("posts/<int:pk>/history/", posts.post_history, name="post_history"),
    path("posts/<int:pk>/history/<int:revision>/", posts.revision_detail, name="revision"),
    path(
        "posts/<int:pk>/history/<int:revision>/restore/",
        posts.revision_restore,
        name="revision_restore",
    ),
    path("preview/", posts.markdown_preview, name="markdown_preview"),
    path("comments/", comments.comment_queue, name="comments"),
    path("comments/<int:pk>/", comments.comment_moderate, name="comment_moderate"),
    path("tags/", tags.tag_list, name="tags"),
    path("tags/new/", tags.tag_edit, name="tag_new"),
    path("tags/<int:pk>/", tags.tag_edit, name="tag_edit"),
    path("tags/<int:pk>/delete/", tags.tag_delete, name="tag_delete"),
    path("pages/", pages.page_list, name="pages"),
    path("pages/new/", pages.page_edit, name="page_new"),
    path("pages/<int:pk>/", pages.page_edit, name="page_edit"),
    path("settings/", site.settings_edit, name="settings"),
]
