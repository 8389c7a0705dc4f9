"""Predictions made as writers make them: published posts with blocks, dates from today."""

import datetime

from broadsheet.accounts.models import User
from broadsheet.content import services
from broadsheet.content.models import Post
from broadsheet.predictions.selectors import site_today
from tests.predictions.test_record import publish


def published(writer: User, *blocks: str, title: str = "What comes next") -> Post:
    """A post by `writer` with these blocks (`test_record.prediction`), published."""
    post = services.save_changes(
        actor=writer, post=Post(), edit=services.Edit(fields={"title": title, "body": ""})
    )
    return publish(writer, post, "Intro.\n\n" + "\n".join(blocks))


def days_from_today(days: int) -> str:
    """A block's date, `days` from today in the site's time zone."""
    return (site_today() + datetime.timedelta(days=days)).isoformat()
