"""Where a reader came from, judged from the Referer header and the link they followed."""

from urllib.parse import parse_qs, urlsplit

from broadsheet.analytics.models import Source

# Registrable-name fragments of the search engines and social networks readers arrive from.
SEARCH_ENGINES = (
    "google.", "bing.com", "duckduckgo.com", "search.yahoo.", "yandex.", "baidu.com",
    "ecosia.org", "kagi.com", "search.brave.com", "startpage.com", "qwant.com",
)  # fmt: skip
SOCIAL_NETWORKS = (
    "facebook.com", "t.co", "twitter.com", "x.com", "linkedin.com", "lnkd.in", "reddit.com",
    "news.ycombinator.com", "bsky.app", "threads.net", "mastodon.", "instagram.com",
    "youtube.com", "tiktok.com", "substack.com", "telegram.org", "whatsapp.com",
)  # fmt: skip
INTERNAL_SECTIONS = (
    ("/tags/", Source.TAG),
    ("/authors/", Source.AUTHOR),
    ("/posts/", Source.POST),
    ("/archive/", Source.ARCHIVE),
    ("/page/", Source.HOME),
)
FEED_MARKERS = {"feed", "rss", "atom"}


def _matches(host: str, names: tuple[str, ...]) -> bool:
    """ "google." matches any google.* and its subdomains; "x.com" that domain and below."""
    labels = f".{host}."
    return any(
        f".{name}" in labels if name.endswith(".") else labels.endswith(f".{name}.")
        for name in names
    )


def classify(*, referrer: str, own_host: str, query: str = "") -> tuple[str, str]:
    """(source, external domain or "") for one view."""
    if FEED_MARKERS & set(parse_qs(query).get("utm_source", [])):
        return Source.FEED, ""
    if not referrer:
        return Source.DIRECT, ""
    parts = urlsplit(referrer)
    host = (parts.hostname or "").removeprefix("www.")
    if not host:
        return Source.DIRECT, ""
    if host == own_host.split(":")[0].removeprefix("www."):
        if parts.path in ("", "/"):
            return Source.HOME, ""
        for prefix, source in INTERNAL_SECTIONS:
            if parts.path.startswith(prefix):
                return source, ""
        return Source.DIRECT, ""
    if _matches(host, SEARCH_ENGINES):
        return Source.SEARCH, host
    if _matches(host, SOCIAL_NETWORKS):
        return Source.SOCIAL, host
    return Source.REFERRAL, host
