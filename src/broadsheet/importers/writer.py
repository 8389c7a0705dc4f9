"""Putting records on the site: the one writer every reader's output goes through.

Posts go through `content.services.save_post` (rendering, excerpt, slug rules, the
publication task of a scheduled post), pages and tags through `store_page`/`store_tag`,
comments through `comments.services.import_comment`, authors through
`accounts.services.create_author_without_login`, images through the media pipeline.
Who may import is checked once, by the caller (`run.run_import`).

Every record's key is kept (`ImportedThing`) with a digest of the record: the same
record again is left alone, a changed one updates what it made. References a format
may give in any order (a WordPress cover image after its post, a comments feed after
its posts) are settled in `finish`, which also rewrites links between imported posts.
"""

import dataclasses
import datetime
import hashlib
import json
import re
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from broadsheet.accounts.models import Role, User
from broadsheet.accounts.services import create_author_without_login
from broadsheet.comments.models import Comment
from broadsheet.comments.services import ArrivingComment, import_comment, import_thread
from broadsheet.content import revisions
from broadsheet.content.models import Page, Post, Tag
from broadsheet.content.services import (
    PAGE_SLUG_LENGTH,
    POST_SLUG_LENGTH,
    TAG_SLUG_LENGTH,
    save_post,
    store_page,
    store_tag,
)
from broadsheet.core.slugs import slug_base, unique_slug
from broadsheet.importers import records as r
from broadsheet.importers.html import to_body
from broadsheet.importers.media import MediaImporter
from broadsheet.importers.models import ImportedThing, key_hash
from broadsheet.importers.report import Report
from broadsheet.media.models import Image
from broadsheet.redirects.addresses import keep, normalise

Kind = ImportedThing.Kind
POST_STATUS = {
    r.Status.PUBLISHED: Post.Status.PUBLISHED,
    r.Status.DRAFT: Post.Status.DRAFT,
    r.Status.REVIEW: Post.Status.REVIEW,
    r.Status.SCHEDULED: Post.Status.SCHEDULED,
    r.Status.PRIVATE: Post.Status.DRAFT,
}
COMMENT_STATUS = {
    r.CommentStatus.APPROVED: Comment.Status.APPROVED,
    r.CommentStatus.HELD: Comment.Status.PENDING,
    r.CommentStatus.SPAM: Comment.Status.SPAM,
}
# A source's "modified" this close to its "published" is the same moment, not an update.
SAME_MOMENT = datetime.timedelta(minutes=1)
_HREF = re.compile(r'(\shref=")([^"]+)(")')


def _arriving(post: Post, comment: r.Comment, *, parent: int | None = None) -> ArrivingComment:
    return ArrivingComment(
        name=comment.name,
        email=comment.email,
        author_url=comment.url,
        body_html=comment.body_html,
        status=COMMENT_STATUS[comment.status],
        created_at=comment.created_at or post.published_at or timezone.now(),
        parent=parent,
    )


def without_nul(value: Any) -> Any:
    """A record with every NUL character taken out of its text: no text shows one, and
    PostgreSQL refuses to store it (a JSON or CSV export may hold one)."""
    if isinstance(value, str):
        return value.replace("\x00", "") if "\x00" in value else value
    if isinstance(value, list):
        return [without_nul(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: without_nul(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return dataclasses.replace(value, **changes)
    return value


# Fields records gained after digests were first kept, with their defaults: left out of a
# digest while at their default, so a record read again digests as it did before them
# (an import run before they came is not all "updated" by the next run).
LATER_FIELDS: dict[str, object] = {"featured": False, "uuid": ""}


def digest(record: object) -> str:
    """The same record, read again, has the same digest."""
    fields = dataclasses.asdict(record)  # type: ignore[call-overload]
    for name, default in LATER_FIELDS.items():
        if name in fields and fields[name] == default:
            del fields[name]
    data = json.dumps(fields, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def link_key(url: str) -> str:
    """A permalink as links to it may spell it: any scheme, with or without www. and the
    trailing slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}" + (f"?{parts.query}" if parts.query else "")


class Writer:
    def __init__(self, *, author_role: str, media: MediaImporter, report: Report) -> None:
        self.author_role = author_role
        self.media = media
        self.report = report
        self.root: Path | None = None  # the current source's folder, for relative media
        self._authors: dict[str, User] = {}
        self._tags: dict[str, Tag] = {}
        # Kept small for a run of any size: ids and addresses, never rows with their text.
        self._posts: dict[str, int] = {}  # item key → post id
        self._links: dict[str, str] = {}  # link_key(old permalink) → new address
        self._paths: dict[str, str] = {}  # normalised old path → new address
        self._comments: dict[str, Comment] = {}  # this item's, by key: parents of replies
        self._media: dict[str, r.Media] = {}  # Media records by key
        self._waiting_covers: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._waiting_comments: list[r.Comment] = []
        self._linking: list[tuple[type[Post] | type[Page], int]] = []  # bodies with links
        # This item's comments' things, looked up at once (None: look each up).
        self._known: dict[str, ImportedThing] | None = None
        self._new_things: list[ImportedThing] = []  # written together after each item

    # Records

    def add(self, record: r.Record) -> None:
        record = without_nul(record)
        if isinstance(record, r.Item):
            self._item(record)
        elif isinstance(record, r.Media):
            self._media_record(record)
        elif isinstance(record, r.Comment):
            self._waiting_comments.append(record)
        else:
            self.report.skip("", record.what, record.reason)

    def finish(self) -> None:
        for comment in self._waiting_comments:
            target = self._find_post(comment.item_key, comment.item_link)
            if target is not None:
                self._comment(target, comment)
            else:
                self.report.skip("comments", comment.key, "its post is not in this import")
        for key, posts in self._waiting_covers.items():
            for _, title in posts:
                self.report.skip("media", key, f"the cover of “{title}” is not in the export")
        self._save_new_things()
        self._rewrite_links()

    # Items

    def _item(self, item: r.Item) -> None:
        kind = Kind.POST if item.kind == r.Kind.POST else Kind.PAGE
        tally = "posts" if kind == Kind.POST else "pages"
        thing = self._thing(kind, item.key)
        target = thing.target if thing is not None else None
        signature = digest(item)
        if isinstance(target, (Post, Page)) and thing is not None and thing.digest == signature:
            self.report.count(tally, "unchanged")
            self._remember(item, target)
            return
        if kind == Kind.POST:
            obj: Post | Page = self._write_post(item, target if isinstance(target, Post) else None)
        else:
            obj = self._write_page(item, target if isinstance(target, Page) else None)
        self.report.count(tally, "updated" if target is not None else "imported")
        self._keep_thing(thing, kind, item.key, obj, digest=signature, link=item.link)
        keep([*item.old_paths, *([urlsplit(item.link).path] if item.link else [])], obj)
        self._remember(item, obj)
        if 'href="' in obj.body:
            self._linking.append((type(obj), obj.pk))
        self._comments = {}
        if isinstance(obj, Post) and item.comments:
            self._known = self._things(Kind.COMMENT, [c.key for c in item.comments])
            if self._known:
                for comment in item.comments:
                    self._comment(obj, comment)
            else:
                self._new_thread(obj, item.comments)
            self._known = None
        self._save_new_things()

    def _write_post(self, item: r.Item, post: Post | None) -> Post:
        new = post is None
        post = post or Post()
        post.title = self._title(item)
        if new:
            post.slug = self._free_slug(Post, item, POST_SLUG_LENGTH, "post")
        post.author = self._author(item.authors[0] if item.authors else None)
        post.body = self._body(item)
        post.custom_excerpt = self._cut(item, "excerpt", item.excerpt.strip(), 300)
        post.seo_title = item.seo_title.strip()[:70]
        post.seo_description = item.seo_description.strip()[:160]
        post.featured = item.featured
        post.uuid = self._uuid(item, post)
        post.status = POST_STATUS[item.status]
        now = timezone.now()
        post.published_at = item.published_at or (
            now if post.status == Post.Status.PUBLISHED else None
        )
        post.created_at = item.created_at or item.published_at or post.created_at or now
        post.cover_image, post.cover_alt = self._cover(item, post)
        save_post(post, tags=[self._tag(term) for term in item.terms if not term.internal])
        self._wait_for_cover(item, post)
        updated = item.updated_at
        if updated and post.published_at and updated - post.published_at < SAME_MOMENT:
            updated = None
        Post.objects.filter(pk=post.pk).update(updated_at=updated)
        post.updated_at = updated
        revisions.record(post, author=None)
        return post

    def _uuid(self, item: r.Item, post: Post) -> uuid.UUID:
        """The source's uuid when it is one and no other post has it (what outside the
        site names the post by keeps finding it), else the post's own."""
        if not item.uuid:
            return post.uuid
        try:
            wanted = uuid.UUID(item.uuid)
        except ValueError:
            self.report.note(f"“{item.title[:60]}”: its uuid “{item.uuid[:40]}” is not a UUID")
            return post.uuid
        if wanted != post.uuid:
            holder = Post.objects.filter(uuid=wanted).exclude(pk=post.pk).first()
            if holder is not None:
                self.report.note(
                    f"“{item.title[:60]}”: its uuid is “{holder.title[:60]}”'s; it has its own"
                )
                return post.uuid
        return wanted

    def _write_page(self, item: r.Item, page: Page | None) -> Page:
        page = page or Page(slug=self._free_slug(Page, item, PAGE_SLUG_LENGTH, "page"))
        page.title = self._title(item)
        page.body = self._body(item)
        page.seo_description = (item.seo_description or item.excerpt).strip()[:160]
        public = item.status == r.Status.PUBLISHED
        page.status = Page.Status.PUBLISHED if public else Page.Status.DRAFT
        if item.created_at:
            page.created_at = item.created_at
        return store_page(page)

    def _title(self, item: r.Item) -> str:
        title = " ".join(item.title.split())
        return self._cut(item, "title", title, 200) or "(untitled)"

    def _cut(self, item: r.Item, field: str, value: str, limit: int) -> str:
        if len(value) > limit:
            self.report.note(f"“{item.title[:60]}”: the {field} was cut to {limit} characters")
        return value[:limit]

    def _free_slug(
        self, model: type[Post] | type[Page], item: r.Item, length: int, fallback: str
    ) -> str:
        kept = slug_base(item.slug, max_length=length, fallback="")
        slug = unique_slug(
            model.objects.all(), kept or item.title, max_length=length, fallback=fallback
        )
        if item.slug and slug != kept:
            self.report.note(
                f"“{item.title[:60]}”: the address “{item.slug}” was taken; it is “{slug}”"
            )
        return slug

    def _body(self, item: r.Item) -> str:
        if item.body_format == r.Format.MARKDOWN:
            return self.media.rewrite_markdown(item.body, root=self.root)
        return to_body(self.media.rewrite(item.body, root=self.root))

    def _remember(self, item: r.Item, obj: Post | Page) -> None:
        if isinstance(obj, Post):
            self._posts[item.key] = obj.pk
        url = obj.get_absolute_url()
        if item.link:
            self._links[link_key(item.link)] = url
        for path in [*item.old_paths, urlsplit(item.link).path if item.link else ""]:
            if normalised := normalise(path):
                self._paths[normalised] = url

    def _find_post(self, key: str, link: str) -> Post | None:
        """The post a standalone comment belongs to: from this run, or an earlier one."""
        if key and key in self._posts:
            return Post.objects.get(pk=self._posts[key])
        thing = self._thing(Kind.POST, key) if key else None
        if thing is None and link:
            thing = ImportedThing.objects.filter(kind=Kind.POST, link=link_key(link)).first()
        target = thing.target if thing is not None else None
        return target if isinstance(target, Post) else None

    # Covers and media

    def _cover(self, item: r.Item, post: Post) -> tuple[Image | None, str]:
        """The cover now, or (for a cover named by a `Media` record not seen yet) the one
        it has; `_wait_for_cover` then fills it in when the record comes."""
        media = item.cover or (self._media.get(item.cover_key) if item.cover_key else None)
        if media is None:
            return (post.cover_image, post.cover_alt) if item.cover_key else (None, "")
        return self.media.image_for(media, root=self.root), (item.cover_alt or media.alt).strip()[
            :300
        ]

    def _wait_for_cover(self, item: r.Item, post: Post) -> None:
        if item.cover is None and item.cover_key and item.cover_key not in self._media:
            self._waiting_covers[item.cover_key].append((post.pk, item.title))

    def _media_record(self, media: r.Media) -> None:
        if media.key:
            self._media[media.key] = media
        waiting = self._waiting_covers.pop(media.key, []) if media.key else []
        image = self.media.image_for(media, root=self.root) if waiting else None
        if image is not None:
            for pk, _ in waiting:
                Post.objects.filter(pk=pk).update(cover_image=image, cover_alt=media.alt[:300])

    # People, tags, comments

    def _author(self, author: r.Author | None) -> User:
        if author is None:
            return self._fallback_author()
        if author.key in self._authors:
            return self._authors[author.key]
        thing = self._thing(Kind.AUTHOR, author.key)
        user = thing.target if thing is not None else None
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=author.email).first() if author.email else None
            if user is None:
                user = create_author_without_login(
                    name=author.name, email=author.email, role=self.author_role, bio=author.bio
                )
                self.report.count("authors", "imported")
            else:
                self.report.count("authors", "matched")
            self._keep_thing(thing, Kind.AUTHOR, author.key, user)
        keep(author.old_paths, user)
        self._authors[author.key] = user
        return user

    def _fallback_author(self) -> User:
        """For items that name nobody: the owner, else the first administrator, else one
        author made for them."""
        if "" not in self._authors:
            user = (
                User.objects.filter(role__in=[Role.OWNER, Role.ADMINISTRATOR])
                .order_by("role")
                .first()
                or User.objects.filter(username="imported-author").first()
            )
            if user is None:
                user = create_author_without_login(
                    name="Imported author", email="", role=self.author_role
                )
                self.report.note("items without an author are by “Imported author”")
            self._authors[""] = user
        return self._authors[""]

    def _tag(self, term: r.Term) -> Tag:
        name = " ".join(term.name.split())[: Tag._meta.get_field("name").max_length]
        slug = slug_base(term.slug or name, max_length=TAG_SLUG_LENGTH, fallback="")
        cached = self._tags.get(slug) or self._tags.get(name.lower())
        if cached is not None:
            return cached
        tag = (Tag.objects.filter(slug=slug).first() if slug else None) or Tag.objects.filter(
            name__iexact=name
        ).first()
        if tag is None:  # so no tag has `slug` either: it is free
            tag = store_tag(Tag(name=name, slug=slug, description=term.description[:500]))
            self.report.count("tags", "imported")
        else:
            self.report.count("tags", "matched")
        keep(term.old_paths, tag)
        self._tags[slug] = self._tags[name.lower()] = tag
        return tag

    def _comment(self, post: Post, comment: r.Comment) -> None:
        thing = (
            self._known.get(comment.key)
            if self._known is not None
            else self._thing(Kind.COMMENT, comment.key)
        )
        existing = thing.target if thing is not None else None
        signature = digest(comment)
        if isinstance(existing, Comment) and thing is not None and thing.digest == signature:
            self._comments[comment.key] = existing
            self.report.count("comments", "unchanged")
            return
        parent = self._comments.get(comment.parent_key) if comment.parent_key else None
        if comment.parent_key and parent is None:
            parent_thing = self._thing(Kind.COMMENT, comment.parent_key)
            parent = parent_thing.target if parent_thing is not None else None
            if parent is None:
                self._orphan(post, comment)
        saved = import_comment(
            post=post,
            comment=existing if isinstance(existing, Comment) else None,
            parent=parent if isinstance(parent, Comment) else None,
            arriving=_arriving(post, comment),
        )
        self.report.count("comments", "updated" if existing is not None else "imported")
        self._keep_thing(thing, Kind.COMMENT, comment.key, saved, digest=signature)
        self._comments[comment.key] = saved

    def _new_thread(self, post: Post, comments: list[r.Comment]) -> None:
        """A post's comments, none imported before: written together (`import_thread`)."""
        index = {comment.key: n for n, comment in enumerate(comments)}
        arriving = []
        for comment in comments:
            parent = index.get(comment.parent_key) if comment.parent_key else None
            if comment.parent_key and parent is None:
                self._orphan(post, comment)
            arriving.append(_arriving(post, comment, parent=parent))
        for comment, saved in zip(
            comments, import_thread(post=post, comments=arriving), strict=True
        ):
            self._keep_thing(None, Kind.COMMENT, comment.key, saved, digest=digest(comment))
        self.report.count("comments", "imported", len(comments))

    def _orphan(self, post: Post, comment: r.Comment) -> None:
        self.report.note(
            f"a comment by {comment.name or 'someone'} on “{post.title[:60]}” replied to a "
            "comment that is not in the export; it is a top comment here"
        )

    # Keys

    def _thing(self, kind: str, key: str) -> ImportedThing | None:
        return (
            ImportedThing.objects.filter(kind=kind, key_hash=key_hash(key))
            .select_related("content_type")
            .first()
        )

    def _things(self, kind: str, keys: list[str]) -> dict[str, ImportedThing]:
        """Many keys' things in one query (an item's comments), by key."""
        by_hash = {key_hash(key): key for key in keys}
        found = ImportedThing.objects.filter(kind=kind, key_hash__in=by_hash).select_related(
            "content_type"
        )
        return {by_hash[thing.key_hash]: thing for thing in found}

    def _keep_thing(
        self,
        thing: ImportedThing | None,
        kind: str,
        key: str,
        obj: models.Model,
        *,
        digest: str = "",
        link: str = "",
    ) -> None:
        """Remember what `key` became; `thing` is what was found for it before (None: new).
        New ones are written together (`_save_new_things`), so a post's fifty comments
        cost one insert here, not fifty."""
        thing = thing or ImportedThing(kind=kind, key_hash=key_hash(key))
        thing.key = key[:300]
        thing.digest = digest
        thing.link = link_key(link)[:500] if link else ""
        thing.content_type = ContentType.objects.get_for_model(obj)
        thing.object_id = obj.pk
        if thing.pk is None:
            self._new_things.append(thing)
        else:
            thing.save()

    def _save_new_things(self) -> None:
        latest = {(thing.kind, thing.key_hash): thing for thing in self._new_things}
        ImportedThing.objects.bulk_create(
            list(latest.values()),
            update_conflicts=True,
            unique_fields=["kind", "key_hash"],
            update_fields=["key", "digest", "link", "content_type", "object_id"],
        )
        self._new_things = []

    # Links between imported posts

    def _rewrite_links(self) -> None:
        """Links to another imported post's old permalink or old path go to its new one."""
        for model, pk in self._linking:
            obj = model.objects.get(pk=pk)
            fixed = _HREF.sub(lambda m: m[1] + self._new_href(m[2]) + m[3], obj.body)
            if fixed == obj.body:
                continue
            obj.body = fixed
            if isinstance(obj, Post):
                save_post(obj)
                Post.objects.filter(pk=obj.pk).update(updated_at=obj.updated_at)
            else:
                store_page(obj)

    def _new_href(self, href: str) -> str:
        target_part, _, fragment = href.partition("#")
        if href.startswith(("http://", "https://", "//")):
            target = self._links.get(link_key(target_part))  # "//host/x" splits as well
        else:
            target = (
                self._paths.get(normalise(target_part)) if target_part.startswith("/") else None
            )
        if target is None:
            return href
        return target + (f"#{fragment}" if fragment else "")
