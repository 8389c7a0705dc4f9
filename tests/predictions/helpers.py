"""Predictions made as writers make them: published posts with blocks, dates from today."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.text import slugify

from broadsheet.accounts.models import User
from broadsheet.content import services
from broadsheet.content.models import Post, Tag
from broadsheet.predictions.selectors import site_today


def published(
    writer: User, *blocks: str, title: str = "What comes next", tags: Iterable[str] = ()
) -> Post:
    """A post by `writer` with these blocks (`test_record.prediction`) and tags (made if
    need be), published years ago, so that blocks dated in the past were forecasts when
    it came out."""
    return services.save_post(
        Post(
            title=title,
            body="Intro.\n\n" + "\n".join(blocks),
            author=writer,
            status=Post.Status.PUBLISHED,
            published_at=timezone.now() - datetime.timedelta(days=3650),
        ),
        tags=[Tag.objects.get_or_create(name=name, slug=slugify(name))[0] for name in tags],
    )


def days_from_today(days: int) -> str:
    """A block's date, `days` from today in the site's time zone."""
    return (site_today() + datetime.timedelta(days=days)).isoformat()
