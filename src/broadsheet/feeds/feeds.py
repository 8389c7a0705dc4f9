"""Feeds of posts (site, author, tag) and of a post's comments, in RSS 2.0 and Atom 1.0.

Every feed is a fixed number of queries however many posts, tags or comments there are:
the authors and the tags come in one prefetch each, and the predictions in the posts'
texts (when one has any) in two more, so each card shows where the prediction stands now:
a stored feed is made again when the content generation moves, which a resolution moves.
"""

import datetime
from abc import ABC, abstractmethod

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import SyndicationFeed

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.content.models import Post, PostQuerySet, Tag
from broadsheet.core.markup import absolute_urls
from broadsheet.core.selectors import get_site_settings
from broadsheet.feeds.generators import FullContentAtom, FullContentRss
from broadsheet.predictions.rendering import fill, in_text, with_permalinks
from broadsheet.predictions.selectors import site_today

FEED_SIZE = 20
COMMENT_FEED_SIZE = 50
FEED_CAMPAIGN = "?utm_source=feed"


class PublishedPostsFeed[Subject](Feed, ABC):
    """The newest published posts about one subject (the site, an author, a tag), with the
    excerpt as summary and the full text as content. Django passes each method the
    subject `get_object` found."""

    feed_type: type[SyndicationFeed] = FullContentRss

    @abstractmethod
    def title(self, obj: Subject) -> str: ...

    @abstractmethod
    def description(self, obj: Subject) -> str: ...

    @abstractmethod
    def link(self, obj: Subject) -> str: ...

    @abstractmethod
    def posts(self, obj: Subject) -> PostQuerySet:
        """The published posts this feed is about."""

    def subtitle(self, obj: Subject) -> str:
        # Atom's name for the RSS description.
        return self.description(obj)

    def items(self, obj: Subject) -> list[Post]:
        # Not `for_listing()`: that defers body_html, which is the point of a full feed.
        # Authors prefetched rather than joined, as there (a join SQLite may turn around).
        newest = self.posts(obj).newest_first().prefetch_related("author", "tags")
        posts = list(newest[:FEED_SIZE])
        records, today = in_text(posts, history=True), site_today()
        for post in posts:  # the body as the post's page shows it (these are never saved)
            if post.pk in records:
                post.body_html = fill(post.body_html, records[post.pk], today=today)
        return posts

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.excerpt

    def item_pubdate(self, item: Post) -> datetime.datetime | None:
        return item.published_at

    def item_updateddate(self, item: Post) -> datetime.datetime | None:
        return item.last_changed_at

    def item_author_name(self, item: Post) -> str:
        return item.author.public_name

    def item_author_link(self, item: Post) -> str | None:
        # Made absolute in get_feed, which has the request.
        return item.author.get_absolute_url() if item.author.slug else None

    def item_categories(self, item: Post) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_guid_is_permalink(self, item: Post) -> bool:
        # The guid is the post's URL (Django's default), which a reader can open.
        return True

    def item_extra_kwargs(self, item: Post) -> dict[str, str]:
        return {"content_html": item.body_html}

    def get_feed(self, obj: Subject, request: HttpRequest) -> SyndicationFeed:
        feed = super().get_feed(obj, request)
        origin = request.build_absolute_uri("/").rstrip("/")
        # Django makes item links absolute but not author links; Atom wants an absolute IRI.
        # Done here rather than by keeping the request on `self`, which threads share.
        for entry in feed.items:
            if entry["author_link"]:
                entry["author_link"] = request.build_absolute_uri(entry["author_link"])
            content = absolute_urls(entry["content_html"], origin)
            entry["content_html"] = with_permalinks(content, entry["link"])
            # Readers who arrive from a feed reader send no Referer; the link says where
            # they came from, for the stats. The guid stays the bare permalink.
            entry["link"] += FEED_CAMPAIGN
        return feed


class PostFeed(PublishedPostsFeed[None]):
    """The site's newest published posts (the feed has no subject: `obj` is None)."""

    def title(self, obj: None) -> str:
        return get_site_settings().title

    def description(self, obj: None) -> str:
        return get_site_settings().description

    def link(self, obj: None) -> str:
        return reverse("content:home")

    def posts(self, obj: None) -> PostQuerySet:
        return Post.objects.published()


class PostAtomFeed(PostFeed):
    feed_type = FullContentAtom


class AuthorFeed(PublishedPostsFeed[User]):
    """One author's posts; 404 for someone who is not a public author."""

    def get_object(self, request: HttpRequest, slug: str) -> User:
        return get_object_or_404(User, slug=slug, is_active=True)

    def title(self, obj: User) -> str:
        return f"{obj.public_name} · {get_site_settings().title}"

    def description(self, obj: User) -> str:
        return obj.bio or f"Posts by {obj.public_name}"

    def link(self, obj: User) -> str:
        return obj.get_absolute_url()

    def posts(self, obj: User) -> PostQuerySet:
        return Post.objects.published().filter(author=obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = FullContentAtom


class TagFeed(PublishedPostsFeed[Tag]):
    """The posts with one tag; 404 for a tag that does not exist."""

    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return f"{obj.name} · {get_site_settings().title}"

    def description(self, obj: Tag) -> str:
        return obj.description or f"Posts tagged {obj.name}"

    def link(self, obj: Tag) -> str:
        return obj.get_absolute_url()

    def posts(self, obj: Tag) -> PostQuerySet:
        return Post.objects.published().tagged(obj)


class TagAtomFeed(TagFeed):
    feed_type = FullContentAtom


class PostCommentsFeed(Feed):
    """A published post's approved comments, newest first, in Atom."""

    feed_type = FullContentAtom

    def get_object(self, request: HttpRequest, slug: str) -> Post:
        # Drafts and future posts 404 here exactly as their pages do.
        return get_object_or_404(Post.objects.published().defer("body", "body_html"), slug=slug)

    def title(self, obj: Post) -> str:
        return f"Comments on {obj.title}"

    def subtitle(self, obj: Post) -> str:
        return f"Comments on {obj.title} · {get_site_settings().title}"

    def description(self, obj: Post) -> str:
        return self.subtitle(obj)

    def link(self, obj: Post) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Post) -> QuerySet[Comment]:
        # Through the reverse manager, so each comment already knows its post: no join.
        return obj.comments.approved().order_by("-created_at", "-id")[:COMMENT_FEED_SIZE]

    def item_title(self, item: Comment) -> str:
        return f"Comment by {item.name} on {item.post.title}"

    def item_description(self, item: Comment) -> None:  # type: ignore[override]  # Django leaves out <summary> for None; the stub says str
        # The whole comment is the content; a summary of it would only repeat it.
        return None

    def item_link(self, item: Comment) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Comment) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Comment) -> datetime.datetime:
        # Atom requires <updated> on every entry; comments are never edited.
        return item.created_at

    def item_author_name(self, item: Comment) -> str:
        return item.name

    def item_extra_kwargs(self, item: Comment) -> dict[str, str]:
        return {"content_html": item.body_html}
