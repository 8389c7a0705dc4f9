from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from broadsheet.fastpath.decorators import reader_page


@require_safe
@reader_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("feeds:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /stats/", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
