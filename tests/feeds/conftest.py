"""Fixtures for the feed tests: people and posts made through the services the site uses.

Kept here rather than borrowed from tests/conftest.py so these tests say exactly what they
build, and do not change when fixtures for other apps do.
"""

import datetime
import itertools
from collections.abc import Callable

import feedparser
import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.content.models import Post, Tag
from broadsheet.content.services import save_post

_numbers = itertools.count(1)


@pytest.fixture
def make_writer(db) -> Callable[..., User]:
    def make(name: str, *, slug: str | None = None, **fields) -> User:
        n = next(_numbers)
        return User.objects.create_user(
            username=f"feedwriter{n}",
            password="correct horse battery staple",
            display_name=name,
            slug=slug or f"feed-writer-{n}",
            **fields,
        )

    return make


@pytest.fixture
def writer(make_writer) -> User:
    return make_writer("Ada Writer", slug="ada")


@pytest.fixture
def new_tag(db) -> Callable[[str], Tag]:
    def make(name: str) -> Tag:
        return Tag.objects.create(name=name, slug=name.lower().replace(" ", "-"))

    return make


@pytest.fixture
def publish(writer) -> Callable[..., Post]:
    """A post as the site would save it; days_ago < 0 makes a scheduled (future) post."""

    def make(
        title: str,
        *,
        body: str = "Some thoughtful analysis of the matter at hand.",
        status: str = Post.Status.PUBLISHED,
        days_ago: float = 1,
        author: User | None = None,
        tags: tuple[Tag, ...] | list[Tag] = (),
    ) -> Post:
        when = timezone.now() - datetime.timedelta(days=days_ago)
        post = save_post(
            Post(
                title=title,
                body=body,
                status=status,
                published_at=when if status == Post.Status.PUBLISHED else None,
                author=author or writer,
            ),
            now=when,
        )
        post.tags.set(tags)
        return post

    return make


@pytest.fixture
def read_feed(client: Client) -> Callable[[str], feedparser.FeedParserDict]:
    """Fetch a feed and parse it the way a feed reader would; it must be well-formed."""

    def read(url: str) -> feedparser.FeedParserDict:
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = feedparser.parse(response.content)
        assert parsed.bozo == 0, (url, parsed.get("bozo_exception"))
        return parsed

    return read
