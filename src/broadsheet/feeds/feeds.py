"""Feeds of posts (site, author, tag) and of a post's comments, in RSS 2.0 and Atom 1.0."""

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.content.models import Post, Tag
from broadsheet.content.selectors import get_published_post
from broadsheet.core.selectors import get_site_settings
from broadsheet.feeds.generators import FullContentAtom, FullContentRss

FEED_SIZE = 20
COMMENT_FEED_SIZE = 50


class PostFeed(Feed):
    """The newest published posts with their full text."""

    feed_type = FullContentRss

    def title(self, obj=None) -> str:
        return get_site_settings().title

    def description(self, obj=None) -> str:
        return get_site_settings().description

    def link(self, obj=None) -> str:
        return reverse("content:home")

    def posts(self, obj):
        return Post.objects.published()

    def items(self, obj=None):
        return (
            self.posts(obj)
            .newest_first()
            .select_related("author")
            .prefetch_related("tags")[:FEED_SIZE]
        )

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        return item.excerpt

    def item_pubdate(self, item: Post):
        return item.published_at

    def item_updateddate(self, item: Post):
        return item.last_changed_at

    def item_author_name(self, item: Post) -> str:
        return item.author.public_name

    def item_author_link(self, item: Post) -> str:
        return self.request.build_absolute_uri(item.author.get_absolute_url())

    def item_categories(self, item: Post) -> list[str]:
        return [tag.name for tag in item.tags.all()]

    def item_guid_is_permalink(self, item: Post) -> bool:
        return True

    def item_extra_kwargs(self, item: Post) -> dict:
        return {"content_html": item.body_html}

    def get_feed(self, obj, request: HttpRequest):
        self.request = request
        return super().get_feed(obj, request)


class PostAtomFeed(PostFeed):
    feed_type = FullContentAtom
    subtitle = PostFeed.description


class AuthorFeed(PostFeed):
    def get_object(self, request: HttpRequest, slug: str) -> User:
        return get_object_or_404(User, slug=slug, is_active=True)

    def title(self, obj: User) -> str:
        return f"{obj.public_name} · {get_site_settings().title}"

    def description(self, obj: User) -> str:
        return obj.bio or f"Posts by {obj.public_name}"

    def link(self, obj: User) -> str:
        return obj.get_absolute_url()

    def posts(self, obj: User):
        return Post.objects.published().filter(author=obj)


class AuthorAtomFeed(AuthorFeed):
    feed_type = FullContentAtom
    subtitle = AuthorFeed.description


class TagFeed(PostFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Tag:
        return get_object_or_404(Tag, slug=slug)

    def title(self, obj: Tag) -> str:
        return f"{obj.name} · {get_site_settings().title}"

    def description(self, obj: Tag) -> str:
        return obj.description or f"Posts tagged {obj.name}"

    def link(self, obj: Tag) -> str:
        return obj.get_absolute_url()

    def posts(self, obj: Tag):
        return Post.objects.published().filter(tags=obj)


class TagAtomFeed(TagFeed):
    feed_type = FullContentAtom
    subtitle = TagFeed.description


class PostCommentsFeed(Feed):
    """A post's approved comments, newest first, in Atom."""

    feed_type = FullContentAtom

    def get_object(self, request: HttpRequest, slug: str) -> Post:
        return get_published_post(slug)

    def title(self, obj: Post) -> str:
        return f"Comments on {obj.title}"

    def link(self, obj: Post) -> str:
        return obj.get_absolute_url()

    def subtitle(self, obj: Post) -> str:
        return f"Comments on {obj.title} · {get_site_settings().title}"

    def items(self, obj: Post):
        return (
            Comment.objects.approved()
            .filter(post=obj)
            .select_related("post")
            .order_by("-created_at", "-id")[:COMMENT_FEED_SIZE]
        )

    def item_title(self, item: Comment) -> str:
        return f"Comment by {item.name}"

    def item_description(self, item: Comment) -> str:
        return item.body_html

    def item_link(self, item: Comment) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Comment):
        return item.created_at

    def item_author_name(self, item: Comment) -> str:
        return item.name
