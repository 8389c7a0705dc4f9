from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

urlpatterns = [
    # The admin has its own login form, which knows nothing of two-factor codes or lockouts.
    path("admin/login/", RedirectView.as_view(pattern_name="accounts:login", query_string=True)),
    path("admin/", admin.site.urls),
    path("account/", include("broadsheet.accounts.urls")),
    path("studio/staff/", include("broadsheet.accounts.staff_urls")),
    path("studio/media/", include("broadsheet.media.urls")),
    path("studio/newsletter/", include("broadsheet.newsletter.studio_urls")),
    path("studio/import/", include("broadsheet.importers.studio_urls")),
    path("studio/export/", include("broadsheet.exporters.studio_urls")),
    path("studio/api/", include("broadsheet.api.studio_urls")),
    path("studio/integrations/", include("broadsheet.integrations.studio_urls")),
    path("studio/predictions/", include("broadsheet.predictions.studio_urls")),
    path("ghost/api/", include("broadsheet.api.urls")),
    path("members/", include("broadsheet.members.urls")),
    path("newsletter/", include("broadsheet.newsletter.urls")),
    path("likes/", include("broadsheet.likes.urls")),
    path("predictions/", include("broadsheet.predictions.urls")),
    path("studio/", include("broadsheet.studio.urls")),
    path("stats/search/", include("broadsheet.search.stats_urls")),
    path("", include("broadsheet.search.urls")),
    path("", include("broadsheet.analytics.urls")),
    path("", include("broadsheet.feeds.urls")),
    path("", include("broadsheet.comments.urls")),
    path("", include("broadsheet.content.urls")),
    # Uploaded media from the data folder: a one-box site needs no other server for it.
    re_path(
        rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
        serve,
        {"document_root": settings.MEDIA_ROOT},
    ),
]
