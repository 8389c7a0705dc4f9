"""Shared fixtures: people and posts made through the same services the site uses."""

import datetime
import itertools

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from broadsheet.accounts.models import User
from broadsheet.analytics.recorder import recorder
from broadsheet.content.models import Post, Tag
from broadsheet.content.services import save_post
from broadsheet.core.selectors import forget_site_settings

pytest_plugins = ["tests.smtp_server", "tests.live_site"]

_sequence = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The database rolls back after each test; the cache and the settings must forget with
    it (a rollback moves no generation)."""
    cache.clear()
    forget_site_settings()
    yield
    cache.clear()
    forget_site_settings()


@pytest.fixture(autouse=True)
def _no_views_from_other_tests():
    """Views are buffered per process; each test starts and ends with none waiting."""
    recorder._pending.clear()
    yield
    recorder._pending.clear()


@pytest.fixture
def flush_views():
    """Write the buffered views now, as the server's flush thread would within a second."""
    return recorder.flush_now


@pytest.fixture
def run_tasks(monkeypatch):
    """Run the queued background tasks now, as `broadsheet worker` would, then return."""
    # The worker closes idle connections between tasks; here that one holds the test's data.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("worker", batch=True, verbosity=0)


@pytest.fixture
def make_author(db):
    def make(name: str = "Ada Writer", **fields) -> User:
        n = next(_sequence)
        return User.objects.create_user(
            username=fields.pop("username", f"writer{n}"),
            password=fields.pop("password", "correct horse battery staple"),
            display_name=name,
            slug=fields.pop("slug", f"writer-{n}"),
            **fields,
        )

    return make


@pytest.fixture
def make_staff(db):
    """A signed-up staff member with `role`, made the way the studio makes them."""
    from broadsheet.accounts.services import create_staff_user

    def make(role: str, name: str | None = None, **fields) -> User:
        n = next(_sequence)
        user = create_staff_user(
            email=fields.pop("email", f"{role}{n}@example.com"),
            role=role,
            password=fields.pop("password", "correct horse battery staple"),
            display_name=name or f"{role.title()} {n}",
        )
        for field, value in fields.items():
            setattr(user, field, value)
        user.save()
        return user

    return make


@pytest.fixture
def author(make_author) -> User:
    return make_author("Ada Writer", slug="ada")


@pytest.fixture
def make_tag(db):
    def make(name: str) -> Tag:
        return Tag.objects.create(name=name, slug=name.lower().replace(" ", "-"))

    return make


@pytest.fixture
def make_post(author):
    def make(
        title: str | None = None,
        *,
        body: str = "Some thoughtful analysis of the matter at hand.",
        status: str = Post.Status.PUBLISHED,
        days_ago: float = 1,
        tags=(),
        **fields,
    ) -> Post:
        published_at = timezone.now() - datetime.timedelta(days=days_ago)
        post = save_post(
            Post(
                title=title or f"Post number {next(_sequence)}",
                body=body,
                status=status,
                published_at=published_at if status == Post.Status.PUBLISHED else None,
                author=fields.pop("author", author),
                **fields,
            ),
            now=published_at,
        )
        if tags:
            post.tags.set(tags)
        return post

    return make


@pytest.fixture
def post(make_post) -> Post:
    return make_post("The economics of small things", body="First paragraph.\n\nSecond one.")
