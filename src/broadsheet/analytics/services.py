"""What counts as a view, and handing counted views to the recorder."""

import datetime
import time
import zoneinfo
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.http import HttpRequest

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.analytics.recorder import View, recorder
from broadsheet.content.models import Post
from broadsheet.core.addresses import client_address
from broadsheet.core.selectors import get_site_settings

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


# (time zone, the next local midnight as a Unix time, today) for the site's time zone.
_today: tuple[str, float, datetime.date] = ("", 0.0, datetime.date.min)


def view_day() -> datetime.date:
    """Today in the site's time zone, which the stats pages use, however the view arrives
    (the fast path runs outside the middleware that activates it); worked out once a day."""
    global _today
    site_zone = get_site_settings().timezone
    zone, midnight, day = _today
    now = time.time()
    if zone != site_zone or now >= midnight:
        tz = zoneinfo.ZoneInfo(site_zone)
        day = datetime.datetime.fromtimestamp(now, tz).date()
        tomorrow = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tz)
        _today = (site_zone, tomorrow.timestamp(), day)
    return day


def count_reader_view(post_id: int, environ: dict) -> bool:
    """Buffer a view of the post if a reader made this request (WSGI environ or META).

    Written within a second, see `analytics.recorder`. Used by the fast path and by the
    post view alike, so both count by the same rules.
    """
    user_agent = environ.get("HTTP_USER_AGENT", "")
    purpose = environ.get("HTTP_SEC_PURPOSE", "") + environ.get("HTTP_PURPOSE", "")
    if not is_reader_request(
        method=environ.get("REQUEST_METHOD", ""), user_agent=user_agent, purpose=purpose
    ):
        return False
    view = View(
        post_id=post_id,
        day=view_day(),
        address=client_address(environ),
        user_agent=user_agent,
        referrer=environ.get("HTTP_REFERER", ""),
        host=environ.get("HTTP_HOST", ""),
        query=environ.get("QUERY_STRING", ""),
    )
    recorder.record(view)
    return True


def record_view(request: HttpRequest, post: Post) -> bool:
    """Count a view made through Django (signed-in people and the first, uncached render)."""
    user = request.user
    if isinstance(user, User) and (user.pk == post.author_id or permissions.is_staff_account(user)):
        return False
    return count_reader_view(post.pk, request.META)
