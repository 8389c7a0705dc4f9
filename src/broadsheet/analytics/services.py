"""What counts as a view, and handing counted views to the recorder."""

from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.http import HttpRequest
from django.utils import timezone

from broadsheet.analytics.recorder import View, recorder
from broadsheet.content.models import Post

_crawler_detect = CrawlerDetect()


@lru_cache(maxsize=4096)
def is_crawler(user_agent: str) -> bool:
    """Uses the maintained crawler list; an empty User-Agent is a script, not a reader."""
    return not user_agent or _crawler_detect.isCrawler(user_agent)


# Compile the list's patterns now (tens of milliseconds), not during a reader's request.
is_crawler("Mozilla/5.0 (start-up)")


def is_reader_request(*, method: str, user_agent: str, purpose: str) -> bool:
    """A person loading the page: not a robot, a link prefetch or a HEAD request."""
    return method == "GET" and "prefetch" not in purpose and not is_crawler(user_agent)


def count_view(
    *, post_id: int, address: str, user_agent: str, referrer: str, host: str, query: str
) -> None:
    """Buffer one counted view (written within a second, see `analytics.recorder`)."""
    recorder.record(View(post_id, timezone.localdate(), address, user_agent, referrer, host, query))


def record_view(request: HttpRequest, post: Post) -> bool:
    """Count a view made through Django (signed-in people and the first, uncached render)."""
    headers = request.headers
    user = request.user
    if user.is_authenticated and (user.pk == post.author_id or user.is_staff):
        return False
    if not is_reader_request(
        method=request.method,
        user_agent=headers.get("User-Agent", ""),
        purpose=headers.get("Sec-Purpose", "") + headers.get("Purpose", ""),
    ):
        return False
    count_view(
        post_id=post.pk,
        address=request.META.get("REMOTE_ADDR", ""),
        user_agent=headers.get("User-Agent", ""),
        referrer=headers.get("Referer", ""),
        host=request.get_host(),
        query=request.META.get("QUERY_STRING", ""),
    )
    return True
