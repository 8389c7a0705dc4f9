"""robots.txt and the sitemap. Each is the same for every reader, so the fast path keeps it."""

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from broadsheet.core.pagination import page_number_or_404
from broadsheet.fastpath.decorators import reader_page
from broadsheet.feeds.sitemaps import PAGE_SIZE, SECTIONS, index_xml, section_xml

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


def _xml(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="application/xml")
    response.headers["X-Robots-Tag"] = "noindex, noodp, noarchive"  # as Django's sitemaps
    return response


def _origin(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").removesuffix("/")


@require_safe
@reader_page
def sitemap_index(request: HttpRequest) -> HttpResponse:
    return _xml(index_xml(_origin(request)))


@require_safe
@reader_page(reads=("p",))
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """A page of a section (`?p=2` and on); 404 past its end, as for any page."""
    if (chosen := SECTIONS.get(section)) is None:
        raise Http404("No such sitemap section.")
    start = (page_number_or_404(request.GET.get("p")) - 1) * PAGE_SIZE
    entries = chosen.entries(start, start + PAGE_SIZE)
    if not entries and start:
        raise Http404("No such page.")
    return _xml(section_xml(_origin(request), chosen, entries))
