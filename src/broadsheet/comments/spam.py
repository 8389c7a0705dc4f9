"""Spam defence for comments: cheap local checks first, then an optional Akismet-compatible
service. What is caught is kept with status "spam" and a reason, never silently dropped."""

import json
import logging
import re
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from broadsheet.comments.models import BlockedSender
from broadsheet.core.ratelimit import hits

log = logging.getLogger(__name__)

MAX_LINKS = 2
# Comments per address in the window before the next is refused (not stored at all).
RATE_LIMIT = 5
RATE_WINDOW_SECONDS = 600
# A person needs at least this long to read a post and write something.
MIN_SECONDS_TO_WRITE = 3
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


@dataclass(frozen=True)
class Submission:
    name: str
    email: str
    body: str
    address_hash: str
    user_agent: str = ""
    seconds_to_write: float | None = None  # None when the browser ran no script


def over_rate_limit(address_hash: str) -> bool:
    """Counts this attempt; True once an address has sent too many in the window."""
    if not address_hash:
        return False
    return hits("comments", address_hash, window=RATE_WINDOW_SECONDS) > RATE_LIMIT


def spam_reason(submission: Submission, *, blocked_words: str) -> str:
    """Why this looks like spam, or "" if it does not."""
    if _is_blocked(submission):
        return "The sender is blocked."
    if submission.seconds_to_write is not None and (
        submission.seconds_to_write < MIN_SECONDS_TO_WRITE
    ):
        return "Written faster than a person can."
    if len(_LINK.findall(submission.body)) > MAX_LINKS:
        return f"More than {MAX_LINKS} links."
    text = f"{submission.name}\n{submission.body}".lower()
    for word in (w.strip().lower() for w in blocked_words.splitlines()):
        if word and word in text:
            return f"Contains a blocked word ({word})."
    if settings.BROADSHEET_AKISMET_KEY and akismet_says_spam(submission):
        return "Akismet says spam."
    return ""


def _is_blocked(submission: Submission) -> bool:
    blocked = BlockedSender.objects.none()
    if submission.address_hash:
        blocked |= BlockedSender.objects.filter(address_hash=submission.address_hash)
    if submission.email:
        blocked |= BlockedSender.objects.filter(email__iexact=submission.email)
    return blocked.exists()


def akismet_says_spam(submission: Submission) -> bool:
    """Ask an Akismet-compatible service. If it cannot be reached, the comment is not
    called spam (the site's hold policy still applies): a service outage must not eat
    every comment."""
    url = settings.BROADSHEET_AKISMET_URL.format(key=settings.BROADSHEET_AKISMET_KEY)
    data = urllib.parse.urlencode(
        {
            "blog": settings.SITE_URL or "http://localhost",
            "user_ip": submission.address_hash,  # never the address itself
            "user_agent": submission.user_agent,
            "comment_type": "comment",
            "comment_author": submission.name,
            "comment_author_email": submission.email,
            "comment_content": submission.body,
        }
    ).encode()
    request = urllib.request.Request(url, data=data, method="POST")  # noqa: S310 (configured URL)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.read().strip() == b"true"
    except (OSError, json.JSONDecodeError):
        log.warning("The spam check service did not answer; the comment was not checked.")
        return False
