"""Posts, pages, tags, authors and the site's settings as Ghost's APIs show them.

The field names and their shapes are Ghost's (ghost/core/test/e2e-api/content
snapshots): dates as `2019-11-26T02:43:13.000+00:00`, absolute URLs, `null` for what
Broadsheet does not have. Broadsheet's own counts come along as `views`, `likes` and
`comment_count`, and a post's predictions as `predictions` (Ghost has none). Everything
here works on rows already read (see `api.selectors`): no function makes a query.
"""

import datetime
import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from broadsheet.accounts.models import User
from broadsheet.api import ids
from broadsheet.api.params import Options
from broadsheet.content.models import Page, Post, Tag
from broadsheet.content.services import EXCERPT_LENGTH
from broadsheet.core.markup import absolute_urls, plain_text, truncate_words
from broadsheet.core.models import SiteSettings
from broadsheet.predictions.models import Prediction
from broadsheet.predictions.rendering import state_of
from broadsheet.predictions.selectors import site_today

if TYPE_CHECKING:
    from broadsheet.api.selectors import Found

WORDS_PER_MINUTE = 275  # Ghost's reading speed
_TAG = re.compile(r"<[^>]*>")
# Ghost's post fields that Broadsheet has nothing for: always null, so clients find them.
_POST_NULLS = (
    "canonical_url",
    "feature_image_caption",
    "og_image",
    "og_title",
    "og_description",
    "twitter_image",
    "twitter_title",
    "twitter_description",
    "codeinjection_head",
    "codeinjection_foot",
    "custom_template",
    "email_subject",
    "frontmatter",
)
_TAG_NULLS = (
    "feature_image",
    "og_image",
    "og_title",
    "og_description",
    "twitter_image",
    "twitter_title",
    "twitter_description",
    "codeinjection_head",
    "codeinjection_foot",
    "canonical_url",
    "accent_color",
)
_AUTHOR_NULLS = ("cover_image", "website", "location", "facebook", "twitter", "meta_title")


def timestamp(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    utc = moment.astimezone(datetime.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}+00:00"


def reading_time(html: str) -> int:
    """Minutes, as Ghost rounds them: at least one for any text. The words are counted
    between the tags, not through an HTML parser: a list of long posts took 1 ms a post."""
    words = len(_TAG.sub(" ", html).split())
    return max(1, math.ceil(words / WORDS_PER_MINUTE)) if words else 0


def _kept(obj: dict[str, Any], options: Options) -> dict[str, Any]:
    """Only the fields asked for (`fields=`), in Ghost's order."""
    if options.fields is None:
        return obj
    return {key: value for key, value in obj.items() if key in options.fields}


def author_object(
    user: User, *, origin: str, post_count: int | None = None, options: Options | None = None
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": ids.encode(user.pk),
        "name": user.public_name,
        "slug": user.slug,
        "profile_image": origin + user.avatar_url,
        "bio": user.bio or None,
        "meta_description": None,
        "url": origin + user.get_absolute_url(),
    }
    obj.update(dict.fromkeys(_AUTHOR_NULLS))
    if post_count is not None:
        obj["count"] = {"posts": post_count}
    return _kept(obj, options) if options else obj


def tag_object(
    tag: Tag, *, origin: str, post_count: int | None = None, options: Options | None = None
) -> dict[str, Any]:
    obj: dict[str, Any] = {
        "id": ids.encode(tag.pk),
        "name": tag.name,
        "slug": tag.slug,
        "description": tag.description or None,
        "visibility": "public",
        "meta_title": None,
        "meta_description": None,
        "url": origin + tag.get_absolute_url(),
    }
    obj.update(dict.fromkeys(_TAG_NULLS))
    if post_count is not None:
        obj["count"] = {"posts": post_count}
    return _kept(obj, options) if options else obj


def post_object(
    post: Post,
    *,
    origin: str,
    options: Options,
    comment_count: int = 0,
    predictions: Sequence[Prediction] = (),
    admin: bool = False,
    seen: dict[tuple[str, int], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A post; its tags and author must have been read with it (`api.selectors`), and
    `predictions` are those in its text, in order.
    `seen` keeps the tags and authors already made for this answer: a list of posts
    names the same few many times, and each costs two URL reversals.

    `id`, `views` and `likes` come first and in this order: the fast path fills the two
    counts of a stored answer as it serves it (`fastpath.live`), as it does on pages.
    """
    html = absolute_urls(post.body_html, origin) if "html" in options.formats else None
    url = origin + post.get_absolute_url()
    obj: dict[str, Any] = {
        "id": ids.encode(post.pk),
        "views": post.view_count,
        "likes": post.like_count,
        "uuid": str(post.uuid),
        "title": post.title,
        "slug": post.slug,
        "html": html,
        "comment_id": str(post.pk),
        "feature_image": origin + post.cover_image.url if post.cover_image else None,
        "feature_image_alt": (post.cover_alt or None) if post.cover_image else None,
        "featured": post.featured,
        "visibility": "public",
        "created_at": timestamp(post.created_at),
        "updated_at": timestamp(post.modified_at),
        "published_at": timestamp(post.published_at),
        "custom_excerpt": post.custom_excerpt or None,
        "excerpt": post.excerpt,
        "reading_time": reading_time(post.body_html),
        "access": True,
        "comments": True,
        "url": url,
        "meta_title": post.seo_title or None,
        "meta_description": post.seo_description or None,
        "comment_count": comment_count,
        "predictions": prediction_objects(predictions, post_url=url),
    }
    obj.update(dict.fromkeys(_POST_NULLS))
    if "html" not in options.formats:
        del obj["html"]
    if "plaintext" in options.formats:
        obj["plaintext"] = plain_text(post.body_html)
    if admin:
        obj["status"] = ghost_status(post)
        obj["markdown"] = post.body
    if "tags" in options.include:
        seen = {} if seen is None else seen
        tags = [
            seen.get(("tag", tag.pk))
            or seen.setdefault(("tag", tag.pk), tag_object(tag, origin=origin))
            for tag in post.tags.all()
        ]
        obj["tags"], obj["primary_tag"] = tags, tags[0] if tags else None
    if "authors" in options.include:
        key = ("author", post.author_id)
        seen = {} if seen is None else seen
        author = seen.get(key) or seen.setdefault(key, author_object(post.author, origin=origin))
        obj["authors"], obj["primary_author"] = [author], author
    return _kept(obj, options)


def prediction_objects(predictions: Sequence[Prediction], *, post_url: str) -> list[dict]:
    """A post's predictions as their cards state them, each with its state today: open,
    awaiting (its date has passed, unresolved), true, false or void. Probabilities are
    fractions (0.15); the record scores `first_probability`, the one first published."""
    if not predictions:
        return []
    today = site_today()
    return [_prediction_object(p, post_url=post_url, today=today) for p in predictions]


def _prediction_object(
    prediction: Prediction, *, post_url: str, today: datetime.date
) -> dict[str, Any]:
    return {
        "number": prediction.number,
        "url": f"{post_url}#prediction-{prediction.number}",
        "statement": prediction.statement,
        "probability": float(prediction.probability),
        "first_probability": float(prediction.first_probability),
        "resolves_on": prediction.resolves_on.isoformat(),
        "criteria": prediction.criteria or None,
        "source": prediction.source or None,
        "state": state_of(prediction, today),
        "outcome": prediction.outcome or None,
        "resolved_at": timestamp(prediction.resolved_at),
        "resolution_note": prediction.resolution_note or None,
        "resolution_source": prediction.resolution_source or None,
    }


def ghost_status(post: Post) -> str:
    """Ghost has draft, scheduled and published; a post waiting for review is a draft."""
    if post.is_published:
        return "published"
    if post.status == Post.Status.SCHEDULED:
        return "scheduled"
    return "draft"


def page_object(page: Page, *, origin: str, options: Options, admin: bool = False) -> dict:
    """A standalone page: Ghost's page fields, with no author, tags or counts."""
    obj: dict[str, Any] = {
        "id": ids.encode(page.pk),
        "uuid": str(page.uuid),
        "title": page.title,
        "slug": page.slug,
        "html": absolute_urls(page.body_html, origin),
        "feature_image": None,
        "feature_image_alt": None,
        "featured": False,
        "visibility": "public",
        "created_at": timestamp(page.created_at),
        "updated_at": timestamp(page.modified_at),
        "published_at": timestamp(page.created_at),
        "custom_excerpt": None,
        "excerpt": page.seo_description or _excerpt(page.body_html),
        "reading_time": reading_time(page.body_html),
        "access": True,
        "url": origin + page.get_absolute_url(),
        "meta_title": None,
        "meta_description": page.seo_description or None,
    }
    obj.update(dict.fromkeys(_POST_NULLS))
    if "html" not in options.formats:
        del obj["html"]
    if "plaintext" in options.formats:
        obj["plaintext"] = plain_text(page.body_html)
    if admin:
        obj["status"] = page.status
        obj["markdown"] = page.body
    if "tags" in options.include:
        obj["tags"], obj["primary_tag"] = [], None
    if "authors" in options.include:
        obj["authors"], obj["primary_author"] = [], None
    return _kept(obj, options)


def _excerpt(html: str) -> str:
    return truncate_words(plain_text(html), EXCERPT_LENGTH)


def settings_object(site: SiteSettings, *, origin: str) -> dict[str, Any]:
    return {
        "title": site.title,
        "description": site.description,
        "logo": origin + site.logo.url if site.logo else None,
        "icon": None,
        "accent_color": None,
        "cover_image": None,
        "facebook": None,
        "twitter": None,
        "lang": site.language,
        "locale": site.language,
        "timezone": site.timezone,
        "codeinjection_head": None,
        "codeinjection_foot": None,
        "navigation": [{"label": label, "url": url} for label, url in site.navigation_links],
        "secondary_navigation": [],
        "meta_title": None,
        "meta_description": None,
        "og_image": None,
        "og_title": None,
        "og_description": None,
        "twitter_image": None,
        "twitter_title": None,
        "twitter_description": None,
        "members_support_address": None,
        "url": origin + "/",
    }


def site_object(site: SiteSettings, *, origin: str) -> dict[str, Any]:
    """The Admin API's `site/`: what a client shows of the site it is connected to."""
    full = settings_object(site, origin=origin)
    kept = ("title", "description", "logo", "icon", "accent_color", "locale", "url")
    return {**{key: full[key] for key in kept}, "version": "6.0"}


def pagination(*, page: int, limit: int, total: int) -> dict[str, Any]:
    pages = max(1, math.ceil(total / limit))
    return {
        "page": page,
        "limit": limit,
        "pages": pages,
        "total": total,
        "next": page + 1 if page < pages else None,
        "prev": page - 1 if page > 1 else None,
    }


def objects(
    resource: str, found: "Found", *, origin: str, options: Options, admin: bool = False
) -> list[dict[str, Any]]:
    """The rows of `found` as the objects of `resource`, with the counts read with them."""
    counted = "count.posts" in options.include
    if resource == "posts":
        seen: dict[tuple[str, int], dict[str, Any]] = {}
        return [
            post_object(
                post,
                origin=origin,
                options=options,
                comment_count=found.counts.get(post.pk, 0),
                predictions=found.predictions.get(post.pk, ()),
                admin=admin,
                seen=seen,
            )
            for post in found.rows
        ]
    if resource == "pages":
        return [
            page_object(page, origin=origin, options=options, admin=admin) for page in found.rows
        ]
    make = tag_object if resource == "tags" else author_object
    return [
        make(
            row,
            origin=origin,
            post_count=found.counts.get(row.pk, 0) if counted else None,
            options=options,
        )
        for row in found.rows
    ]
