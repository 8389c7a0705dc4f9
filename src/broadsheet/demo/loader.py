"""Fill an empty site with the demo: authors, tags, posts (one edited later), comments."""

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.analytics.models import DailyPostStats, DailyReferral, Source
from broadsheet.comments.services import post_comment
from broadsheet.content.models import Post, Tag
from broadsheet.content.services import save_post
from broadsheet.demo.content import AUTHORS, POSTS, TAGS

ADMIN_USERNAME = "admin"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str


def site_is_empty() -> bool:
    return not Post.objects.exists()


@transaction.atomic
def load_demo(*, now: datetime.datetime | None = None) -> DemoLogin:
    """Create the demo content and an administrator with a fresh random password."""
    now = now or timezone.now()
    password = secrets.token_urlsafe(12)
    User.objects.create_superuser(
        username=ADMIN_USERNAME,
        email="admin@example.com",
        password=password,
        display_name="Site Administrator",
        slug="admin",
    )
    authors = {
        spec["username"]: User.objects.create_user(
            username=spec["username"],
            password=None,
            display_name=spec["display_name"],
            slug=spec["slug"],
            bio=spec["bio"],
        )
        for spec in AUTHORS
    }
    tags = {spec["slug"]: Tag.objects.create(**spec) for spec in TAGS}
    for spec in POSTS:
        _create_post(spec, authors=authors, tags=tags, now=now)
    return DemoLogin(username=ADMIN_USERNAME, password=password)


def _create_post(spec: dict, *, authors: dict, tags: dict, now: datetime.datetime) -> None:
    published_at = now - datetime.timedelta(days=spec["days_ago"], hours=3)
    post = save_post(
        Post(
            title=spec["title"],
            slug=spec["slug"],
            author=authors[spec["author"]],
            body=spec["body"],
            custom_excerpt=spec["custom_excerpt"],
            status=Post.Status.PUBLISHED,
            published_at=published_at,
        ),
        now=published_at,
    )
    post.tags.set([tags[slug] for slug in spec["tags"]])
    if edit := spec["edit"]:
        post.body += edit["append"]
        save_post(post, now=published_at + datetime.timedelta(days=edit["days_after"]))
    for n, comment in enumerate(spec["comments"], start=1):
        post_comment(
            post=post,
            name=comment["name"],
            body=comment["body"],
            approved=True,
            created_at=published_at + datetime.timedelta(hours=5 * n),
        )
    Post.objects.filter(pk=post.pk).update(view_count=spec["views"])
    _spread_stats(post, spec["views"], now=now)


# Where demo readers came from, so the stats pages have something to show.
DEMO_SOURCES = [
    (Source.HOME, "", 5),
    (Source.SEARCH, "google.com", 3),
    (Source.SOCIAL, "news.ycombinator.com", 2),
    (Source.FEED, "", 2),
    (Source.DIRECT, "", 2),
]


def _spread_stats(post: Post, views: int, *, now: datetime.datetime) -> None:
    """Daily totals for the demo's views, more in the first days after publication."""
    days = max((now - post.published_at).days, 1)
    weights = [1 / (day + 1) for day in range(days)]
    scale = views / sum(weights)
    daily = [int(w * scale) for w in weights]
    daily[0] += views - sum(daily)
    start = timezone.localdate(post.published_at)
    shares = sum(weight for *_, weight in DEMO_SOURCES)
    for offset, count in enumerate(daily):
        if not count:
            continue
        day = start + datetime.timedelta(days=offset)
        DailyPostStats.objects.create(
            post=post, day=day, views=count, readers=max(count * 4 // 5, 1)
        )
        for source, domain, weight in DEMO_SOURCES:
            if share := count * weight // shares:
                DailyReferral.objects.create(
                    post=post, day=day, source=source, domain=domain, views=share
                )
