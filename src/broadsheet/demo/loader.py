"""Fill an empty site with the demo: staff in every role, tags, posts, pages, comments,
and predictions on the record, open, awaiting and resolved."""

import datetime
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone

from broadsheet.accounts.models import Role, User
from broadsheet.accounts.services import create_staff_user
from broadsheet.analytics.models import DailyPostStats, DailyReferral, Source
from broadsheet.comments.services import post_comment
from broadsheet.content import revisions
from broadsheet.content.models import Page, Post, Tag
from broadsheet.content.services import save_page, save_post, save_tag
from broadsheet.core.board import board
from broadsheet.core.models import SiteSettings
from broadsheet.core.services import save_site_settings
from broadsheet.demo.content import (
    AUTHORS,
    PAGES,
    POSTS,
    STUDIO_EXAMPLES,
    TAGS,
    PostSpec,
    PredictionSpec,
    ResolutionSpec,
)
from broadsheet.newsletter.models import Subscriber
from broadsheet.predictions.models import Change, Prediction
from broadsheet.predictions.services import resolve

DEMO_SUBSCRIBERS = ["reader.one@example.com", "reader.two@example.com"]
DEMO_NAVIGATION = "About | /about/\nContact | /contact/"

# Which demo writer holds which role; the owner is made separately.
DEMO_ROLES = {"kofi": Role.EDITOR, "hanna": Role.AUTHOR, "ines": Role.AUTHOR}
DEMO_ROLES["devika"] = Role.CONTRIBUTOR


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    password: str


def site_is_empty() -> bool:
    return not Post.objects.exists()


@transaction.atomic
def load_demo(*, now: datetime.datetime | None = None) -> list[DemoLogin]:
    """Create the demo content, and logins with fresh random passwords for an owner, an
    editor, an author and a contributor (the first writer in each role)."""
    now = now or timezone.now()
    logins = [_make_staff("owner@example.com", Role.OWNER, display_name="Site Owner")]
    owner = User.objects.get(username=logins[0].email)
    authors = {}
    for spec in AUTHORS:
        role = DEMO_ROLES[spec["username"]]
        login = _make_staff(f"{spec['username']}@example.com", role, spec["display_name"])
        author = User.objects.get(username=login.email)
        author.slug, author.bio = spec["slug"], spec["bio"]
        author.save(update_fields=["slug", "bio"])
        authors[spec["username"]] = author
        if all(known.role != role for known in logins):
            logins.append(login)
    # Tags, pages and settings are saved by the studio's actions, as the owner would.
    saved_tags = [save_tag(actor=owner, tag=Tag(**spec)) for spec in TAGS]
    tags = {tag.slug: tag for tag in saved_tags}
    for post_spec in POSTS:
        _create_post(post_spec, authors=authors, tags=tags, now=now)
    _create_studio_examples(authors, tags=tags, now=now)
    _create_community_examples(now=now)
    for page in PAGES:
        save_page(actor=owner, page=Page(**page))
    save_site_settings(SiteSettings(navigation=DEMO_NAVIGATION), actor=owner)
    return logins


def _create_community_examples(*, now: datetime.datetime) -> None:
    """A comment waiting in the moderation queue and a few newsletter subscribers."""
    newest = Post.objects.published().newest_first()[0]  # the demo's posts exist by now
    post_comment(
        post=newest,
        name="Quentin Query",
        body="Held for a moderator: does this hold for rural areas too?",
        email="quentin@example.com",
        approved=False,
        created_at=now - datetime.timedelta(hours=2),
    )
    for address in DEMO_SUBSCRIBERS:
        Subscriber.objects.create(email=address, status=Subscriber.Status.ACTIVE, confirmed_at=now)


def _make_staff(email: str, role: str, display_name: str) -> DemoLogin:
    password = secrets.token_urlsafe(12)
    create_staff_user(email=email, role=role, password=password, display_name=display_name)
    return DemoLogin(role=role, email=email, password=password)


def _create_studio_examples(authors: dict, *, tags: dict, now: datetime.datetime) -> None:
    """Work in progress, so the studio's filters have something in each state."""
    for spec in STUDIO_EXAMPLES:
        post = Post(
            title=spec["title"],
            body=spec["body"],
            author=authors[spec["author"]],
            status=spec["status"],
        )
        if spec["status"] == Post.Status.SCHEDULED:
            post.published_at = now + datetime.timedelta(days=spec["in_days"])
        save_post(post)
        post.tags.set([tags[slug] for slug in spec["tags"]])
        revisions.record(post, author=post.author)


def _create_post(spec: PostSpec, *, authors: dict, tags: dict, now: datetime.datetime) -> None:
    published_at = now - datetime.timedelta(days=spec["days_ago"], hours=3)
    published_on = timezone.localdate(published_at)
    blocks = [_block(p, p["probability"], published_on) for p in spec.get("predictions", [])]
    with _dated(published_at):  # the record is made as the post is published
        post = save_post(
            Post(
                title=spec["title"],
                slug=spec["slug"],
                author=authors[spec["author"]],
                body="\n\n".join([spec["body"], *blocks]),
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
    for days_after, happen in _record_history(post, spec, authors=authors):
        with _dated(published_at + datetime.timedelta(days=days_after)):
            happen()
    first = None
    for n, comment in enumerate(spec["comments"], start=1):
        said = post_comment(
            post=post,
            name=comment["name"],
            body=comment["body"],
            parent=first if n == 2 else None,  # a conversation, not only a list
            approved=True,
            created_at=published_at + datetime.timedelta(hours=5 * n),
        )
        first = first or said
    with board().counts_write():
        Post.objects.filter(pk=post.pk).update(view_count=spec["views"])
    _spread_stats(post, spec["views"], published_at=published_at, now=now)


def _block(spec: PredictionSpec, probability: str, published_on: datetime.date) -> str:
    """A prediction as its writer types it in the post's Markdown."""
    resolves_on = published_on + datetime.timedelta(days=spec["resolves_in_days"])
    lines = [spec["statement"], f"probability: {probability}", f"resolves: {resolves_on}"]
    if criteria := spec.get("criteria"):
        lines.append(f"criteria: {criteria}")
    return "```prediction\n" + "\n".join(lines) + "\n```"


def _record_history(
    post: Post, spec: PostSpec, *, authors: dict
) -> list[tuple[int, Callable[[], object]]]:
    """What happened to the post's predictions after publication, by days after it, in
    order: probabilities revised in the text, resolutions and their corrections, each
    through the same action a writer's would go through."""
    events: list[tuple[int, Callable[[], object]]] = []
    assert post.published_at is not None  # published by `_create_post`
    published_on = timezone.localdate(post.published_at)
    for number, prediction in enumerate(spec.get("predictions", []), start=1):
        if revised := prediction.get("revised"):
            old = _block(prediction, prediction["probability"], published_on)
            new = _block(prediction, revised["probability"], published_on)
            days_after = revised["days_after"]
            events.append((days_after, partial(_revise, post, old, new, days_after=days_after)))
        for resolution in (prediction.get("resolution"), prediction.get("correction")):
            if resolution is not None:
                by = authors[resolution.get("by", spec["author"])]
                resolving = partial(_resolve, post, number, resolution, by)
                events.append((resolution["days_after"], resolving))
    return sorted(events, key=lambda event: event[0])


def _revise(post: Post, old: str, new: str, *, days_after: int) -> None:
    assert post.published_at is not None  # published by `_create_post`
    post.body = post.body.replace(old, new)
    save_post(post, now=post.published_at + datetime.timedelta(days=days_after))


def _resolve(post: Post, number: int, spec: ResolutionSpec, by: User) -> None:
    prediction = Prediction.objects.get(post=post, number=number)
    resolve(
        actor=by,
        prediction=prediction,
        outcome=spec["outcome"],
        note=spec["note"],
        source=spec.get("source", ""),
    )


@contextmanager
def _dated(moment: datetime.datetime) -> Iterator[None]:
    """The record's writes inside, dated `moment`: the actions date what they write now,
    and the demo's history happened before."""
    since = timezone.now()
    yield
    Prediction.objects.filter(made_at__gte=since).update(made_at=moment)
    Prediction.objects.filter(resolved_at__gte=since).update(resolved_at=moment)
    Change.objects.filter(at__gte=since).update(at=moment)


# Where demo readers came from, so the stats pages have something to show.
DEMO_SOURCES = [
    (Source.HOME, "", 5),
    (Source.SEARCH, "google.com", 3),
    (Source.SOCIAL, "news.ycombinator.com", 2),
    (Source.FEED, "", 2),
    (Source.DIRECT, "", 2),
]


def _spread_stats(
    post: Post, views: int, *, published_at: datetime.datetime, now: datetime.datetime
) -> None:
    """Daily totals for the demo's views, more in the first days after publication."""
    days = max((now - published_at).days, 1)
    weights = [1 / (day + 1) for day in range(days)]
    scale = views / sum(weights)
    daily = [int(w * scale) for w in weights]
    daily[0] += views - sum(daily)
    start = timezone.localdate(published_at)
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
