"""robots.txt: crawl everything public, skip the staff's pages, find the sitemap."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from broadsheet.fastpath.decorators import reader_page

# Staff-only areas: crawlers would only meet a login page there.
DISALLOWED = ("/admin/", "/stats/", "/studio/", "/account/")


@require_safe
@reader_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Crawlers read this first; the Sitemap line must be absolute to count."""
    sitemap = request.build_absolute_uri(reverse("feeds:sitemap"))
    lines = [
        "User-agent: *",
        "Allow: /",
        *(f"Disallow: {path}" for path in DISALLOWED),
        "",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
