"""A WordPress export (WXR 1.2) of the site, for WordPress's importer and the many tools
that read WordPress exports.

RSS 2.0 with WordPress's namespaces: the staff who wrote or uploaded as `wp:author`, the
tags as `wp:tag`, then one `item` per image (an attachment), post and page. Texts are the
rendered HTML with absolute addresses, as the site shows them; comments go inside their
post's item. Broadsheet's posts, pages and images have ids of their own each, and
WordPress has one series for all: images keep theirs, posts follow after the highest
image id, and pages after the highest post id.

Written as it is read, item by item, so memory does not grow with the site. Text that
may hold markup goes in CDATA sections (a `]]>` inside is split across two sections);
characters XML 1.0 cannot carry are left out.
"""

import datetime
import email.utils
import posixpath
import re
import zoneinfo
from typing import IO

from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.accounts.models import Role, User
from broadsheet.comments.models import Comment
from broadsheet.content.models import Page, Post, Tag
from broadsheet.core.markup import absolute_urls
from broadsheet.core.models import SiteSettings
from broadsheet.core.selectors import editable_site_settings
from broadsheet.exporters.archive import ExportSummary
from broadsheet.exporters.rows import in_chunks, tags_of
from broadsheet.media.models import Image

WXR_VERSION = "1.2"
NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
# What WordPress calls each state of a comment (it has "trash" for a rejected one).
COMMENT_APPROVED: dict[str, str] = {
    Comment.Status.APPROVED: "1",
    Comment.Status.PENDING: "0",
    Comment.Status.SPAM: "spam",
    Comment.Status.REJECTED: "trash",
}
_NOT_IN_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


class _XmlWriter:
    """Elements written as they come, one per line and indented with tabs, as WordPress's
    own exports are."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.depth = 0

    def start(self, tag: str, attributes: dict[str, str] | None = None) -> None:
        self._line(f"<{tag}{_attributes(attributes)}>")
        self.depth += 1

    def end(self, tag: str) -> None:
        self.depth -= 1
        self._line(f"</{tag}>")

    def text(self, tag: str, value: object, attributes: dict[str, str] | None = None) -> None:
        self._line(f"<{tag}{_attributes(attributes)}>{_escape(str(value))}</{tag}>")

    def cdata(self, tag: str, value: str, attributes: dict[str, str] | None = None) -> None:
        self._line(f"<{tag}{_attributes(attributes)}>{_cdata(value)}</{tag}>")

    def _line(self, markup: str) -> None:
        self.stream.write("\t" * self.depth + markup + "\n")


def _escape(value: str) -> str:
    return _NOT_IN_XML.sub("", value).translate(_ESCAPES)


def _cdata(value: str) -> str:
    if not value:
        return ""
    return "<![CDATA[" + _NOT_IN_XML.sub("", value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _attributes(attributes: dict[str, str] | None) -> str:
    return "".join(f' {name}="{_escape(value)}"' for name, value in (attributes or {}).items())


class _Site:
    """What every item needs: the address, the time zone, and the ids WordPress will see."""

    def __init__(self, settings: SiteSettings, origin: str, now: datetime.datetime) -> None:
        self.settings, self.origin, self.now = settings, origin.rstrip("/"), now
        self.zone = zoneinfo.ZoneInfo(settings.timezone)
        self.post_offset = Image.objects.aggregate(top=Max("pk"))["top"] or 0
        self.page_offset = self.post_offset + (Post.objects.aggregate(top=Max("pk"))["top"] or 0)
        self.comment_status = "open" if settings.comments_open else "closed"
        # Pages have no author here, nor images whose uploader has gone: the owner stands in.
        owner = User.objects.filter(role=Role.OWNER).values_list("username", flat=True).first()
        self.owner = owner or ""

    def absolute(self, url: str) -> str:
        return self.origin + url if url.startswith("/") and not url.startswith("//") else url

    def local(self, value: datetime.datetime) -> str:
        return timezone.localtime(value, self.zone).strftime("%Y-%m-%d %H:%M:%S")

    @staticmethod
    def gmt(value: datetime.datetime) -> str:
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")


def write_wxr(
    stream: IO[str], *, origin: str, now: datetime.datetime | None = None
) -> ExportSummary:
    """Write the site as WXR to a text stream; `origin` (https://…) makes links absolute."""
    site = _Site(editable_site_settings(), origin, now or timezone.now())
    summary = ExportSummary()
    xml = _XmlWriter(stream)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write("<!-- A WordPress eXtended RSS (WXR) file, written by Broadsheet. -->\n")
    xml.start("rss", {"version": "2.0"} | {f"xmlns:{p}": uri for p, uri in NAMESPACES.items()})
    xml.start("channel")
    xml.cdata("title", site.settings.title)
    xml.text("link", site.origin + "/")
    xml.cdata("description", site.settings.description)
    xml.text("pubDate", email.utils.format_datetime(site.now.astimezone(datetime.UTC)))
    xml.text("language", site.settings.language)
    xml.text("wp:wxr_version", WXR_VERSION)
    xml.text("wp:base_site_url", site.origin)
    xml.text("wp:base_blog_url", site.origin)
    authors = _write_authors(xml)
    summary.counts["authors"] = len(authors)
    summary.counts["tags"] = _write_tags(xml)
    xml.text("generator", "Broadsheet")
    summary.counts["attachments"] = _write_attachments(xml, site)
    summary.counts["posts"], summary.counts["comments"] = _write_posts(xml, site, authors)
    summary.counts["pages"] = _write_pages(xml, site)
    xml.end("channel")
    xml.end("rss")
    return summary


def _write_authors(xml: _XmlWriter) -> set[int]:
    """Everyone an item names: writers of posts, uploaders of images, and the owner (whose
    name the pages carry). Returns their ids."""
    people = (
        User.objects.filter(Q(posts__isnull=False) | Q(images__isnull=False) | Q(role=Role.OWNER))
        .distinct()
        .order_by("username")
    )
    ids = set()
    for person in people.iterator():
        xml.start("wp:author")
        xml.text("wp:author_id", person.pk)
        xml.cdata("wp:author_login", person.username)
        xml.cdata("wp:author_email", person.email)
        xml.cdata("wp:author_display_name", person.public_name)
        xml.cdata("wp:author_first_name", person.first_name)
        xml.cdata("wp:author_last_name", person.last_name)
        xml.end("wp:author")
        ids.add(person.pk)
    return ids


def _write_tags(xml: _XmlWriter) -> int:
    count = 0
    for tag in Tag.objects.order_by("slug").iterator():
        xml.start("wp:tag")
        xml.text("wp:term_id", tag.pk)
        xml.text("wp:tag_slug", tag.slug)
        xml.cdata("wp:tag_name", tag.name)
        xml.cdata("wp:tag_description", tag.description)
        xml.end("wp:tag")
        count += 1
    return count


def _start_item(
    xml: _XmlWriter,
    site: _Site,
    *,
    title: str,
    link: str,
    date: datetime.datetime,
    creator: str,
    guid: str,
    wp_id: int,
) -> None:
    """An item's opening elements, the same for every kind of item."""
    xml.start("item")
    xml.cdata("title", title)
    xml.text("link", link)
    xml.text("pubDate", email.utils.format_datetime(date.astimezone(datetime.UTC)))
    xml.cdata("dc:creator", creator)
    xml.text("guid", guid, {"isPermaLink": "false"})
    xml.text("description", "")
    xml.text("wp:post_id", wp_id)
    xml.cdata("wp:post_date", site.local(date))
    xml.cdata("wp:post_date_gmt", site.gmt(date))


def _type_and_place(
    xml: _XmlWriter,
    *,
    name: str,
    status: str,
    post_type: str,
    comments: str,
    sticky: bool = False,
) -> None:
    xml.cdata("wp:comment_status", comments)
    xml.cdata("wp:ping_status", "closed")
    xml.cdata("wp:post_name", name)
    xml.cdata("wp:status", status)
    xml.text("wp:post_parent", 0)
    xml.text("wp:menu_order", 0)
    xml.cdata("wp:post_type", post_type)
    xml.cdata("wp:post_password", "")
    xml.text("wp:is_sticky", 1 if sticky else 0)  # WordPress's "featured": first on its home


def _meta(xml: _XmlWriter, key: str, value: object) -> None:
    xml.start("wp:postmeta")
    xml.cdata("wp:meta_key", key)
    xml.cdata("wp:meta_value", str(value))
    xml.end("wp:postmeta")


def _write_attachments(xml: _XmlWriter, site: _Site) -> int:
    images = Image.objects.order_by("pk").select_related("uploaded_by")
    count = 0
    for image in images.iterator():
        url = site.absolute(image.url)
        stem = posixpath.splitext(posixpath.basename(image.file.name or ""))[0]
        _start_item(
            xml,
            site,
            title=image.original_name or stem,
            link=url,
            date=image.created_at,
            creator=image.uploaded_by.username if image.uploaded_by else site.owner,
            guid=url,
            wp_id=image.pk,
        )
        xml.cdata("content:encoded", "")
        xml.cdata("excerpt:encoded", "")
        _type_and_place(
            xml, name=slugify(stem), status="inherit", post_type="attachment", comments="closed"
        )
        xml.text("wp:attachment_url", url)
        if image.alt:
            _meta(xml, "_wp_attachment_image_alt", image.alt)
        xml.end("item")
        count += 1
    return count


def wp_status(
    status: str,
    *,
    published_at: datetime.datetime | None,
    trashed_at: datetime.datetime | None,
    now: datetime.datetime,
) -> str:
    """A post's state in WordPress's words; a trashed post goes to WordPress's trash."""
    if trashed_at is not None:
        return "trash"
    if status == Post.Status.REVIEW:
        return "pending"
    if status == Post.Status.SCHEDULED:
        return "future" if published_at and published_at > now else "publish"
    return "publish" if status == Post.Status.PUBLISHED else "draft"


def _write_posts(xml: _XmlWriter, site: _Site, authors: set[int]) -> tuple[int, int]:
    rows = Post.objects.order_by("pk").values(
        "id",
        "slug",
        "title",
        "status",
        "body_html",
        "custom_excerpt",
        "seo_title",
        "seo_description",
        "cover_image_id",
        "featured",
        "published_at",
        "updated_at",
        "created_at",
        "trashed_at",
        author_name=F("author__username"),
    )
    posts = comments = 0
    for chunk in in_chunks(rows):
        tags = tags_of([row["id"] for row in chunk], "name", "slug")
        for row in chunk:
            _write_post(xml, site, row, tags[row["id"]])
            comments += _write_comments(xml, site, row["id"], authors)
            xml.end("item")
            posts += 1
    return posts, comments


def _write_post(xml: _XmlWriter, site: _Site, row: dict, tags: list[tuple[str, str]]) -> None:
    """A post's item, up to its comments."""
    wp_id = site.post_offset + row["id"]
    _start_item(
        xml,
        site,
        title=row["title"],
        link=site.origin + reverse("content:post", kwargs={"slug": row["slug"]}),
        date=row["published_at"] or row["created_at"],
        creator=row["author_name"],
        guid=f"{site.origin}/?p={wp_id}",
        wp_id=wp_id,
    )
    xml.cdata("content:encoded", absolute_urls(row["body_html"], site.origin))
    xml.cdata("excerpt:encoded", row["custom_excerpt"])
    if row["updated_at"]:
        xml.cdata("wp:post_modified", site.local(row["updated_at"]))
        xml.cdata("wp:post_modified_gmt", site.gmt(row["updated_at"]))
    status = wp_status(
        row["status"], published_at=row["published_at"], trashed_at=row["trashed_at"], now=site.now
    )
    _type_and_place(
        xml,
        name=row["slug"],
        status=status,
        post_type="post",
        comments=site.comment_status,
        sticky=row["featured"],
    )
    for name, slug in tags:
        xml.cdata("category", name, {"domain": "post_tag", "nicename": slug})
    if row["cover_image_id"]:
        _meta(xml, "_thumbnail_id", row["cover_image_id"])
    # Yoast SEO's fields, which most WordPress sites read the SEO title and text from.
    if row["seo_title"]:
        _meta(xml, "_yoast_wpseo_title", row["seo_title"])
    if row["seo_description"]:
        _meta(xml, "_yoast_wpseo_metadesc", row["seo_description"])


def _write_comments(xml: _XmlWriter, site: _Site, post_id: int, authors: set[int]) -> int:
    """A post's comments, by id: WordPress's importer links a reply to a comment it has
    added already. Returns how many."""
    rows = Comment.objects.filter(post_id=post_id).order_by("pk")
    count = 0
    for comment in rows.values(
        "id", "parent_id", "member_id", "name", "email", "body", "status", "created_at"
    ).iterator():
        xml.start("wp:comment")
        xml.text("wp:comment_id", comment["id"])
        xml.cdata("wp:comment_author", comment["name"])
        xml.cdata("wp:comment_author_email", comment["email"])
        xml.cdata("wp:comment_author_url", "")
        xml.cdata("wp:comment_author_IP", "")
        xml.cdata("wp:comment_date", site.local(comment["created_at"]))
        xml.cdata("wp:comment_date_gmt", site.gmt(comment["created_at"]))
        xml.cdata("wp:comment_content", comment["body"])
        xml.cdata("wp:comment_approved", COMMENT_APPROVED[comment["status"]])
        xml.cdata("wp:comment_type", "comment")
        xml.text("wp:comment_parent", comment["parent_id"] or 0)
        member = comment["member_id"] if comment["member_id"] in authors else 0
        xml.text("wp:comment_user_id", member)
        xml.end("wp:comment")
        count += 1
    return count


def _write_pages(xml: _XmlWriter, site: _Site) -> int:
    count = 0
    for page in Page.objects.order_by("pk").iterator():
        wp_id = site.page_offset + page.pk
        _start_item(
            xml,
            site,
            title=page.title,
            link=site.origin + page.get_absolute_url(),
            date=page.created_at,
            creator=site.owner,
            guid=f"{site.origin}/?page_id={wp_id}",
            wp_id=wp_id,
        )
        xml.cdata("content:encoded", absolute_urls(page.body_html, site.origin))
        xml.cdata("excerpt:encoded", "")
        published = page.status == Page.Status.PUBLISHED
        _type_and_place(
            xml,
            name=page.slug,
            status="publish" if published else "draft",
            post_type="page",
            comments="closed",
        )
        if page.seo_description:
            _meta(xml, "_yoast_wpseo_metadesc", page.seo_description)
        xml.end("item")
        count += 1
    return count
