"""What counts as a view, and counting it without ever losing one."""

from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.db.models import F
from django.http import HttpRequest

from broadsheet.content.models import Post

_crawler_detect = CrawlerDetect()


@lru_cache(maxsize=4096)
def is_crawler(user_agent: str) -> bool:
    """Uses the maintained crawler list; an empty User-Agent is a script, not a reader."""
    return not user_agent or _crawler_detect.isCrawler(user_agent)


def is_countable_view(request: HttpRequest, post: Post) -> bool:
    """A person reading the page: not a robot, a prefetch, a HEAD, the author or staff."""
    if request.method != "GET":
        return False
    if (
        request.headers.get("Sec-Purpose", "").startswith("prefetch")
        or request.headers.get("Purpose") == "prefetch"
    ):
        return False
    user = request.user
    if user.is_authenticated and (user.pk == post.author_id or user.is_staff):
        return False
    return not is_crawler(request.headers.get("User-Agent", ""))


def record_view(request: HttpRequest, post: Post) -> bool:
    """Count the view in one atomic UPDATE (no read-modify-write, so none is lost)."""
    if not is_countable_view(request, post):
        return False
    Post.objects.filter(pk=post.pk).update(view_count=F("view_count") + 1)
    post.view_count += 1
    return True
