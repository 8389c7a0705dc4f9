"""Restoring a Broadsheet archive (`archive`): the site it holds, back, all or nothing.

Everything is written in one transaction; files written for it are removed again if it
does not commit (a failure, or a dry run, which does the whole restore and rolls back, so
its report is exact). It works on an empty site and on one that has content already:

- posts, pages and comments are brought back to their state in the archive (posts and
  pages matched by slug, comments by post, name and time); a second restore of the same
  archive finds everything as it is and changes nothing;
- what the site has already is used as it is: accounts (matched by email, or username
  when there is no email), tags (by slug, or else name) and subscribers (by email; an
  archive never subscribes again someone who has left). New accounts get no usable
  password (they set one by "forgot password"), the role they had, but never a second
  owner: an exported owner comes in as an administrator if the site has an owner;
- likes come back as the counts (the likes themselves are not in an archive);
- predictions come back as the record the archive holds, each with its history of changes
  (matched by post and number, or a deleted post's by author, number, title and time);
  a restored post's text is the archive's, so its predictions' places in it are too: one
  the site made since stays on the record, out of the text.

site.json is read in one pass (`jsonstream`), in the order `archive.SECTIONS` writes
it, so memory holds one item at a time and the maps from the archive's names to the
site's rows (people, images, tags, post slugs, comment ids).

Posts are saved by `content.services.save_post` (rendering, excerpt, archive month, the
task of a scheduled post) and the site settings by `core.services.save_site_settings`;
pages, tags and comments are written directly (their actions check an actor's rights
or a reader's limits, and a restore has neither), as are dates and counts, which no
action sets. So are predictions: saving a post would make its record again from the
text (new, dated today, with no history), so the restore runs inside
`predictions.services.record_restored`, which keeps `sync_post` away from the posts it
writes (the publish check still refuses a block that cannot be read).
"""

import datetime
import io
import logging
import uuid
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from PIL import Image as PILImage

from broadsheet.accounts.models import Role, User
from broadsheet.accounts.services import apply_role, unique_user_slug
from broadsheet.analytics.models import DailyPostStats, DailyReferral
from broadsheet.comments.models import MAX_DEPTH, Comment
from broadsheet.content.models import Page, Post, Revision, SlugRedirect, Tag
from broadsheet.content.services import render_body, save_post
from broadsheet.core.board import board
from broadsheet.core.markup import render_comment
from broadsheet.core.selectors import editable_site_settings
from broadsheet.core.services import save_site_settings
from broadsheet.exporters.archive import (
    FORMAT,
    LATER_SECTIONS,
    MEDIA_FOLDER,
    SECTIONS,
    SITE_JSON,
    VERSION,
)
from broadsheet.exporters.jsonstream import read_members
from broadsheet.fastpath.invalidation import batched_writes
from broadsheet.importers.base import BadSource
from broadsheet.media.models import Image
from broadsheet.media.services import FORMATS, make_renditions
from broadsheet.newsletter.models import Subscriber
from broadsheet.predictions.models import Change, Prediction
from broadsheet.predictions.services import record_restored

logger = logging.getLogger(__name__)
Progress = Callable[[str], None]


class _Placed(NamedTuple):
    """Where a comment of the archive is here: its id, its thread's top comment and level."""

    pk: int
    root: int | None
    depth: int
    parent: int | None  # the archive's id of the comment it answers


MAX_NOTES = 100  # the report says how many more there were
PROGRESS_EVERY = 1000
SECOND = datetime.timedelta(seconds=1)  # site.json keeps times to the second
# The largest numbers the columns take in every database: counts, and ids and view counts.
COUNT_MOST, ID_MOST = 2**31 - 1, 2**63 - 1
SMALL_MOST = 2**15 - 1  # a prediction's number and place


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass
class RestoreReport:
    """What a restore did (or, in a dry run, would do), per kind, and what it did
    otherwise than the archive says, with why."""

    dry_run: bool
    tallies: dict[str, Tally] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    notes_left_out: int = 0

    def tally(self, kind: str) -> Tally:
        return self.tallies.setdefault(kind, Tally())

    def note(self, text: str) -> None:
        if len(self.notes) < MAX_NOTES:
            self.notes.append(text)
        else:
            self.notes_left_out += 1


def is_archive(path: Path) -> bool:
    """Whether `path` is a zip or folder holding a Broadsheet export (cheap: the start of
    its site.json)."""
    try:
        with _ArchiveFiles(path) as files, files.open_text(SITE_JSON) as stream:
            head = stream.read(4096)
    except (BadSource, OSError, UnicodeDecodeError):
        return False
    return f'"format": "{FORMAT}"' in head or f'"format":"{FORMAT}"' in head


def restore_archive(
    path: Path, *, dry_run: bool, progress: Progress | None = None
) -> RestoreReport:
    """Restore the archive at `path` (a zip, or the folder it unpacks to) onto this site.

    Raises `BadSource` for an archive that cannot be restored; then nothing is changed.
    """
    report = RestoreReport(dry_run=dry_run)
    with _ArchiveFiles(path) as files:
        restore = _Restore(files, report, progress or (lambda message: None))
        committed = False
        try:
            # One move of the page store when it commits, for every row, saved or written.
            with board().counts_write(), transaction.atomic(), batched_writes(), record_restored():
                restore.run()
                if dry_run:
                    raise _RolledBack
            committed = True
        except _RolledBack:
            pass
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise BadSource(f"{path} is damaged ({error}); nothing was restored.") from error
        finally:
            if not committed:
                restore.remove_stored_files()
    return report


class _RolledBack(Exception):
    """A dry run's way out of its transaction."""


# --- The archive's files ------------------------------------------------------------------


class _ArchiveFiles:
    """The files of an archive, a zip or a folder, by their names in the archive (site.json
    at the top, or inside the one folder the archive holds)."""

    def __init__(self, path: Path) -> None:
        self.zip: zipfile.ZipFile | None = None
        self.folder = path
        if not path.exists():
            raise BadSource(f"There is no file or folder {path}.")
        if path.is_dir():
            tops = [path, *(child for child in path.iterdir() if child.is_dir())]
            found = [folder for folder in tops if (folder / SITE_JSON).is_file()]
            if not found:
                raise BadSource(f"{path} holds no {SITE_JSON}: it is not a Broadsheet export.")
            self.folder, self.prefix = found[0], ""
            return
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise BadSource(f"{path} is not a zip file or a folder.") from error
        names = [n for n in self.zip.namelist() if PurePosixPath(n).name == SITE_JSON]
        names = [n for n in names if n.count("/") <= 1]
        if not names:
            self.zip.close()
            raise BadSource(f"{path} holds no {SITE_JSON}: it is not a Broadsheet export.")
        self.prefix = min(names, key=len).removesuffix(SITE_JSON)

    def __enter__(self) -> "_ArchiveFiles":
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.zip is not None:
            self.zip.close()

    def open_text(self, name: str) -> IO[str]:
        if self.zip is not None:
            return io.TextIOWrapper(self.zip.open(self.prefix + name), encoding="utf-8")
        return (self.folder / name).open(encoding="utf-8")

    def read(self, name: str, *, limit: int) -> bytes | None:
        """A file's bytes; None if it is missing or larger than `limit`."""
        if self.zip is not None:
            try:
                info = self.zip.getinfo(self.prefix + name)
            except KeyError:
                return None
            return self.zip.read(info) if info.file_size <= limit else None
        file = (self.folder / name).resolve()
        if not file.is_relative_to(self.folder.resolve()) or not file.is_file():
            return None
        return file.read_bytes() if file.stat().st_size <= limit else None


def _safe_file_name(name: str, entry: "_Entry") -> str:
    """A stored file's name from the archive: relative, inside the media folder."""
    parts = PurePosixPath(name).parts
    if (
        not parts
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or any(part in (".", "..") for part in parts)
    ):
        raise entry.bad(f"“{name}” is not a file name inside the media folder")
    return name


# --- Reading one item ---------------------------------------------------------------------


class _Entry:
    """One object of site.json, its fields read with their types checked: anything else
    is a `BadSource` that says where."""

    def __init__(self, section: str, index: int, data: Any) -> None:
        self.where = f"{section} item {index + 1}"
        if not isinstance(data, dict):
            raise self.bad("it should be an object")
        self.data = data

    def bad(self, problem: str) -> BadSource:
        return BadSource(f"{SITE_JSON}, {self.where}: {problem}.")

    def invalid(self, error: ValidationError) -> BadSource:
        if hasattr(error, "error_dict"):
            problems = [f"{name}: {' '.join(m)}" for name, m in error.message_dict.items()]
        else:
            problems = error.messages
        return self.bad("; ".join(problems).rstrip("."))

    def _get(self, name: str, kinds: tuple[type, ...], expected: str, required: bool) -> Any:
        value = self.data.get(name)
        if value is None:
            if required:
                raise self.bad(f"“{name}” is missing")
            return None
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise self.bad(f"“{name}” should be {expected}")
        return value

    def text(self, name: str, *, required: bool = False) -> str:
        return self._get(name, (str,), "text", required) or ""

    def optional_text(self, name: str) -> str | None:
        return self._get(name, (str,), "text", False) or None

    def number(self, name: str, *, required: bool = False, most: int = COUNT_MOST) -> int:
        value = self._get(name, (int,), "a whole number", required) or 0
        if not 0 <= value <= most:
            raise self.bad(f"“{name}” should be a whole number from 0 to {most}")
        return value

    def optional_number(self, name: str, *, most: int = COUNT_MOST) -> int | None:
        return self.number(name, most=most) if self.data.get(name) is not None else None

    def fraction(self, name: str) -> Decimal:
        """A probability (0.15), as the Decimal its column keeps (the model checks its range
        and decimals)."""
        value = self._get(name, (int, float), "a number", True)
        return Decimal(str(value))

    def flag(self, name: str, *, default: bool) -> bool:
        value = self._get(name, (bool,), "true or false", False)
        return default if value is None else value

    def optional_uuid(self, name: str) -> uuid.UUID | None:
        value = self._get(name, (str,), "text", False)
        if value is None:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise self.bad(f"“{name}” is not a UUID: {value[:60]!r}") from None

    def moment(self, name: str, *, required: bool = False) -> datetime.datetime | None:
        value = self._get(name, (str,), "a date and time", required)
        if value is None:
            return None
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError as error:
            raise self.bad(f"“{name}” is not a date and time (ISO 8601): {value!r}") from error
        if moment.tzinfo is None:
            raise self.bad(f"“{name}” needs its offset from UTC: {value!r}")
        return moment

    def required_moment(self, name: str) -> datetime.datetime:
        return self.moment(name, required=True)  # type: ignore[return-value]  # required: never None

    def day(self, name: str) -> datetime.date:
        value = self._get(name, (str,), "a date", True)
        try:
            return datetime.date.fromisoformat(value)
        except ValueError as error:
            raise self.bad(f"“{name}” is not a date (YYYY-MM-DD): {value!r}") from error

    def strings(self, name: str) -> list[str]:
        values = self._get(name, (list,), "a list", False) or []
        if not all(isinstance(value, str) for value in values):
            raise self.bad(f"“{name}” should be a list of texts")
        return values

    def entries(self, name: str) -> list["_Entry"]:
        values = self._get(name, (list,), "a list", False) or []
        return [_Entry(f"{self.where}, {name}", n, value) for n, value in enumerate(values)]

    def mapping(self, name: str) -> dict:
        return dict(self._get(name, (dict,), "an object", False) or {})


def _check(
    instance: models.Model, entry: _Entry, *, exclude: tuple[str, ...] = (), unique: bool = False
) -> None:
    """The model's own rules (lengths, choices, formats) for a row made from the archive."""
    try:
        instance.full_clean(
            exclude=list(exclude), validate_unique=unique, validate_constraints=unique
        )
    except ValidationError as error:
        raise entry.invalid(error) from error


def _differs(instance: models.Model, values: dict[str, Any]) -> bool:
    return any(getattr(instance, name) != value for name, value in values.items())


# --- The restore --------------------------------------------------------------------------


class _Restore:
    def __init__(self, files: _ArchiveFiles, report: RestoreReport, progress: Progress) -> None:
        self.files, self.report, self.progress = files, report, progress
        self.stored: list[str] = []  # files written, removed if the restore does not commit
        self.renamed: dict[str, str] = {}  # a file stored under another name than its own
        # The archive's names for things → the site's rows.
        self.people: dict[str, User] = {}
        self.images: dict[str, Image] = {}
        self.tags: dict[str, Tag] = {}
        self.posts: dict[str, int] = {}
        self.new_posts: set[int] = set()  # made by this restore: their comments are all new
        self.comments: dict[int, _Placed] = {}  # by the archive's comment ids
        self.taken_comments: set[int] = set()  # the site's comments matched or written
        self.taken_predictions: set[int] = set()  # deleted posts' ones, matched or written

    def run(self) -> None:
        handlers: dict[str, Callable[[_Entry], None]] = {
            "staff": self.person,
            "tags": self.tag,
            "media": self.image,
            "posts": self.post,
            "predictions": self.prediction,
            "pages": self.page,
            "redirects": self.redirect,
            "comments": self.comment,
            "subscribers": self.subscriber,
        }
        header: dict[str, Any] = {}
        site: _Entry | None = None
        seen = 0  # how many of SECTIONS, which must come in their order
        with self.files.open_text(SITE_JSON) as stream:
            for key, value in read_members(stream, name=SITE_JSON):
                if key in ("format", "version", "exported_at"):
                    header[key] = value
                    continue
                if key not in SECTIONS:
                    self.report.note(f"{SITE_JSON} has “{key}”, which this version does not know.")
                    continue
                _check_header(header)
                seen = _past_missing(seen, key)
                if seen == len(SECTIONS) or key != SECTIONS[seen]:
                    raise _out_of_order(key, SECTIONS[seen] if seen < len(SECTIONS) else None)
                seen += 1
                if key == "site":
                    site = _Entry("site", 0, value)  # applied last: its logo is in media
                elif not isinstance(value, Iterator):
                    raise BadSource(f"{SITE_JSON}: “{key}” should be a list.")
                else:
                    self._section(key, value, handlers[key])
        _check_header(header)
        seen = _past_missing(seen, None)
        if seen < len(SECTIONS):
            raise _out_of_order(None, SECTIONS[seen])
        if site is not None:
            self.site_settings(site)

    def _section(self, key: str, items: Iterator[Any], handle: Callable[[_Entry], None]) -> None:
        count = 0
        for count, item in enumerate(items, start=1):
            handle(_Entry(key, count - 1, item))
            if count % PROGRESS_EVERY == 0:
                self.progress(f"{key}: {count}")
        self.report.tally(key)  # a kind the archive has shows in the report, even if empty
        self.progress(f"{key}: {count} done")

    def remove_stored_files(self) -> None:
        for name in self.stored:
            try:
                default_storage.delete(name)
            except OSError:  # one stubborn file must not keep the others, or hide the error
                logger.warning("Could not delete %s, written by a restore.", name, exc_info=True)
        self.stored.clear()

    # --- Names in the archive -------------------------------------------------------------

    def person_named(self, username: str | None, entry: _Entry) -> User | None:
        if not username:
            return None
        person = self.people.get(username)
        if person is None:
            self.report.note(f"{entry.where} names “{username}”, who is not in staff: left out.")
        return person

    def image_named(self, name: str | None, entry: _Entry) -> Image | None:
        if not name:
            return None
        image = self.images.get(name)
        if image is None:
            self.report.note(f"{entry.where} shows the image “{name}”, not in media: left out.")
        return image

    def with_new_names(self, body: str) -> str:
        """A text's links to images that are stored here under another name, changed."""
        for old, new in self.renamed.items():
            body = body.replace(settings.MEDIA_URL + old, settings.MEDIA_URL + new)
        return body

    # --- Files ----------------------------------------------------------------------------

    def store_file(self, name: str, data: bytes) -> str:
        """Keep a file of the archive under its own name if that is free (or holds the same
        bytes already); returns the name it is stored under."""
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as existing:
                if existing.read() == data:
                    return name
        stored = default_storage.save(name, ContentFile(data))
        self.stored.append(stored)
        if stored != name:
            self.renamed[name] = stored
            self.report.note(f"media/{name} is stored as {stored}: that name was taken.")
        return stored

    def store_image(self, name: str, data: bytes, image: Image, entry: _Entry) -> Image | None:
        """Check and keep one image of the archive; None (noted) if it is no image we take.

        The original is kept byte for byte as it was exported (it was cleaned when it was
        uploaded; cleaning it again would lose quality at every round trip); the smaller
        copies for `srcset` are made again (`media.services.make_renditions`).
        """
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", PILImage.DecompressionBombWarning)
                with PILImage.open(io.BytesIO(data), formats=list(FORMATS)) as picture:
                    picture.verify()
                    kind, (image.width, image.height) = str(picture.format), picture.size
        except Exception:  # Pillow has many ways of saying "not an image we read"
            self.report.note(f"media/{name} is not a JPEG, PNG, GIF or WebP image: left out.")
            return None
        image.content_type, image.size = FORMATS[kind][0], len(data)
        _check(image, entry, exclude=("file", "uploaded_by", "renditions"))
        image.file = self.store_file(name, data)
        image.renditions = []
        try:
            make_renditions(image, self.stored)
        except ValidationError as error:
            self.report.note(f"media/{name}: no smaller copies ({' '.join(error.messages)}).")
        image.save()
        return image

    # --- Each kind ------------------------------------------------------------------------

    def person(self, entry: _Entry) -> None:
        username, email = entry.text("username", required=True), entry.text("email")
        if email:
            found = User.objects.filter(email__iexact=email).order_by("pk").first()
        else:
            found = User.objects.filter(username=username).first()
        tally = self.report.tally("staff")
        if found is not None:
            self.people[username] = found
            tally.unchanged += 1
            return
        user = User(
            username=self._free_username(username),
            email=email,
            display_name=entry.text("display_name"),
            first_name=entry.text("first_name"),
            last_name=entry.text("last_name"),
            bio=entry.text("bio"),
            is_active=entry.flag("active", default=True),
            notify_comments=entry.flag("notify_comments", default=True),
            date_joined=entry.moment("joined_at") or timezone.now(),
        )
        user.slug = self._free_user_slug(entry.optional_text("slug"))
        role = entry.text("role")
        if role == Role.OWNER and User.objects.filter(role=Role.OWNER).exists():
            role = Role.ADMINISTRATOR
            self.report.note(f"{username} was the owner; this site has one: an administrator.")
        try:
            apply_role(user, role)
        except ValidationError as error:
            raise entry.invalid(error) from error
        user.set_unusable_password()
        if avatar := entry.optional_text("avatar"):
            avatar = _safe_file_name(avatar, entry)
            data = self.files.read(
                MEDIA_FOLDER + avatar, limit=settings.BROADSHEET_MAX_UPLOAD_BYTES
            )
            if data is None:
                self.report.note(f"media/{avatar}, {username}'s picture, is missing: left out.")
            else:
                user.avatar = self.store_file(avatar, data)
        _check(user, entry, exclude=("password",), unique=True)
        user.save()
        self.people[username] = user
        tally.created += 1

    def _free_username(self, username: str) -> str:
        candidate, n = username, 2
        while User.objects.filter(username=candidate).exists():
            candidate, n = f"{username}-{n}", n + 1
        if candidate != username:
            self.report.note(f"The username {username} is taken here: {candidate} instead.")
        return candidate

    def _free_user_slug(self, slug: str | None) -> str | None:
        if slug is None or not User.objects.filter(slug=slug).exists():
            return slug
        free = unique_user_slug(slug)
        self.report.note(f"The author address {slug} is taken here: {free} instead.")
        return free

    def tag(self, entry: _Entry) -> None:
        slug, name = entry.text("slug", required=True), entry.text("name", required=True)
        found = (
            Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name__iexact=name).first()
        )
        tally = self.report.tally("tags")
        if found is None:
            found = Tag(slug=slug, name=name, description=entry.text("description"))
            _check(found, entry, unique=True)
            found.save()
            tally.created += 1
        else:
            tally.unchanged += 1
        self.tags[slug] = found

    def image(self, entry: _Entry) -> None:
        name = _safe_file_name(entry.text("file", required=True), entry)
        described = {"alt": entry.text("alt"), "original_name": entry.text("original_name")}
        tally = self.report.tally("media")
        found = Image.objects.filter(file=name).first()
        if found is not None:
            if _differs(found, described):
                for key, value in described.items():
                    setattr(found, key, value)
                _check(found, entry, exclude=("file", "uploaded_by", "renditions"))
                found.save(update_fields=list(described))
                tally.updated += 1
            else:
                tally.unchanged += 1
            self.images[name] = found
            return
        data = self.files.read(MEDIA_FOLDER + name, limit=settings.BROADSHEET_MAX_UPLOAD_BYTES)
        uploaded_by = self.person_named(entry.optional_text("uploaded_by"), entry)
        image = None
        if data is None:
            self.report.note(f"media/{name} is missing or too large: left out.")
        else:
            image = self.store_image(name, data, Image(**described, uploaded_by=uploaded_by), entry)
        if image is None:
            tally.skipped += 1
            return
        if created_at := entry.moment("created_at"):
            Image.objects.filter(pk=image.pk).update(created_at=created_at)
        self.images[name] = image
        tally.created += 1

    def post(self, entry: _Entry) -> None:
        slug = entry.text("slug", required=True)
        entry.where = f"post “{slug}”"
        author = self.person_named(entry.text("author", required=True), entry)
        if author is None:
            raise entry.bad("its author is not in staff")
        fields: dict[str, Any] = {
            "title": entry.text("title", required=True),
            "status": entry.text("status", required=True),
            "author": author,
            "body": self.with_new_names(entry.text("body")),
            "custom_excerpt": entry.text("custom_excerpt"),
            "seo_title": entry.text("seo_title"),
            "seo_description": entry.text("seo_description"),
            "cover_image": self.image_named(entry.optional_text("cover"), entry),
            "cover_alt": entry.text("cover_alt"),
            "featured": entry.flag("featured", default=False),
            "published_at": entry.moment("published_at"),
        }
        if (kept_uuid := self._post_uuid(slug, entry)) is not None:
            fields["uuid"] = kept_uuid
        tags = [self._tag_named(tag_slug, entry) for tag_slug in entry.strings("tags")]
        # What no action sets: written as they are, after the save.
        kept = {
            "created_at": entry.moment("created_at") or timezone.now(),
            "updated_at": entry.moment("updated_at"),
            "trashed_at": entry.moment("trashed_at"),
            "view_count": entry.number("view_count", most=ID_MOST),
            "like_count": entry.number("like_count"),
        }
        post = Post.objects.filter(slug=slug).first()
        created = post is None
        if post is None:
            post = Post(slug=slug)
        same_tags = not created and {t.pk for t in post.tags.all()} == {t.pk for t in tags}
        changed = created or _differs(post, fields) or not same_tags
        if changed:
            new_text = not created and post.body != fields["body"]
            for key, value in fields.items():
                setattr(post, key, value)
            _check(post, entry, exclude=("author", "cover_image", "published_month"))
            try:
                save_post(post, tags=tags)
            except ValidationError as error:  # a prediction block that cannot be read
                raise entry.invalid(error) from error
            if new_text:  # its predictions' places are the archive's (`prediction`)
                Prediction.objects.filter(post=post).update(position=None)
        stored = Post.objects.filter(pk=post.pk).values(*kept).get()
        if stored != kept:
            Post.objects.filter(pk=post.pk).update(**kept)
            changed = True
        changed |= self._revisions(post, entry)
        changed |= self._daily_rows(post, entry)
        self.posts[slug] = post.pk
        if created:
            self.new_posts.add(post.pk)
        tally = self.report.tally("posts")
        if created:
            tally.created += 1
        elif changed:
            tally.updated += 1
        else:
            tally.unchanged += 1

    def _post_uuid(self, slug: str, entry: _Entry) -> uuid.UUID | None:
        """The archive's uuid for the post, to keep: what outside the site names the post
        by (Ghost's API) still finds it. None when the archive has none (older archives:
        the post keeps its own) or another post here has it (then it is reported)."""
        kept = entry.optional_uuid("uuid")
        if kept is None:
            return None
        other = Post.objects.filter(uuid=kept).exclude(slug=slug).values_list("slug", flat=True)
        if holder := other.first():
            self.report.note(
                f"post “{slug}”: its uuid is post “{holder}”'s here; it keeps its own."
            )
            return None
        return kept

    def _tag_named(self, slug: str, entry: _Entry) -> Tag:
        if slug not in self.tags:
            raise entry.bad(f"it has the tag “{slug}”, which is not in tags")
        return self.tags[slug]

    def _revisions(self, post: Post, entry: _Entry) -> bool:
        """The post's revisions the site lacks (known by time and kind); whether any."""
        have = {
            (t.replace(microsecond=0), kind)
            for t, kind in post.revisions.values_list("created_at", "kind")
        }
        missing = []
        for revision in entry.entries("revisions"):
            created_at = revision.required_moment("created_at")
            kind = revision.text("kind", required=True)
            if (created_at, kind) in have:
                continue
            data = revision.mapping("data")
            if "cover_image" in data:
                cover = self.images.get(data["cover_image"]) if data["cover_image"] else None
                data["cover_image"] = cover.pk if cover else None
            author = self.person_named(revision.optional_text("author"), revision)
            row = Revision(post=post, author=author, created_at=created_at, kind=kind, data=data)
            _check(row, revision, exclude=("post", "author"))
            missing.append(row)
        Revision.objects.bulk_create(missing)
        return bool(missing)

    def _daily_rows(self, post: Post, entry: _Entry) -> bool:
        """The post's daily views and referrals as the archive has them; whether any changed."""
        stats = {
            (row.day("day"),): (row.number("views"), row.number("readers"))
            for row in entry.entries("daily_stats")
        }
        referrals = {}
        for row in entry.entries("referrals"):
            key = (row.day("day"), row.text("source", required=True), row.text("domain"))
            referrals[key] = (row.number("views"),)
            referral = DailyReferral(post=post, day=key[0], source=key[1], domain=key[2])
            _check(referral, row, exclude=("post",))
        changed = _put_rows(DailyPostStats, post, ("day",), ("views", "readers"), stats)
        return (
            _put_rows(DailyReferral, post, ("day", "source", "domain"), ("views",), referrals)
            or changed
        )

    def prediction(self, entry: _Entry) -> None:
        number = entry.number("number", required=True, most=SMALL_MOST)
        slug = entry.optional_text("post")
        entry.where = f"prediction {number} of " + (f"post “{slug}”" if slug else "a deleted post")
        tally = self.report.tally("predictions")
        post_id = self.posts.get(slug) if slug else None
        if slug and post_id is None:
            self.report.note(f"The {entry.where} is left out: the post is not in posts.")
            tally.skipped += 1
            return
        author = self.person_named(entry.text("author", required=True), entry)
        if author is None:
            raise entry.bad("its author is not in staff")
        resolver = self.person_named(entry.optional_text("resolved_by"), entry)
        made_at = entry.required_moment("made_at")
        fields: dict[str, Any] = {
            "author_id": author.pk,
            "position": entry.optional_number("position", most=SMALL_MOST),
            "post_title": entry.text("post_title", required=True),
            "statement": entry.text("statement", required=True),
            "probability": entry.fraction("probability"),
            "first_probability": entry.fraction("first_probability"),
            "resolves_on": entry.day("resolves_on"),
            "criteria": entry.text("criteria"),
            "source": entry.text("source"),
            "made_at": made_at,
            "outcome": entry.text("outcome"),
            "resolved_at": entry.moment("resolved_at"),
            "resolved_by_id": resolver.pk if resolver else None,
            "resolution_note": entry.text("resolution_note"),
            "resolution_source": entry.text("resolution_source"),
            "reminded_at": entry.moment("reminded_at"),
        }
        if post_id is not None:
            found = Prediction.objects.filter(post_id=post_id, number=number).first()
        else:  # a deleted post's: the same author, number, title and second
            found = (
                Prediction.objects.filter(
                    post=None,
                    author=author,
                    number=number,
                    post_title=fields["post_title"],
                    made_at__gte=made_at,
                    made_at__lt=made_at + SECOND,
                )
                .exclude(pk__in=self.taken_predictions)
                .order_by("pk")
                .first()
            )
        prediction = found or Prediction(post_id=post_id, number=number)
        changed = found is None or _differs(found, fields)
        if changed:
            for key, value in fields.items():
                setattr(prediction, key, value)
            # Out of the text (null) is a place too, read by `optional_number`.
            exclude = ("post", "author", "resolved_by", "position")
            _check(prediction, entry, exclude=exclude, unique=True)
            prediction.save()
        if post_id is None:
            self.taken_predictions.add(prediction.pk)
        changed |= self._changes(prediction, entry, new=found is None)
        if found is None:
            tally.created += 1
        elif changed:
            tally.updated += 1
        else:
            tally.unchanged += 1

    def _changes(self, prediction: Prediction, entry: _Entry, *, new: bool) -> bool:
        """Make the prediction's history the archive's: its fields are the archive's, and
        its outcome is where its history of resolutions ends. Whether it changed."""
        wanted = []
        for change in entry.entries("changes"):
            row = Change(
                prediction=prediction,
                at=change.required_moment("at"),
                by=self.person_named(change.optional_text("by"), change),
                field=change.text("field", required=True),
                old=change.text("old"),
                new=change.text("new"),
                note=change.text("note"),
            )
            _check(row, change, exclude=("prediction", "by"))
            wanted.append(row)
        if not new:
            have = [
                (at.replace(microsecond=0), *rest)
                for at, *rest in prediction.changes.values_list(
                    "at", "by_id", "field", "old", "new", "note"
                )
            ]
            if have == [(c.at, c.by_id, c.field, c.old, c.new, c.note) for c in wanted]:
                return False
            prediction.changes.all().delete()
        Change.objects.bulk_create(wanted)
        return bool(wanted) or not new

    def page(self, entry: _Entry) -> None:
        slug = entry.text("slug", required=True)
        entry.where = f"page “{slug}”"
        fields = {
            "title": entry.text("title", required=True),
            "status": entry.text("status", required=True),
            "body": self.with_new_names(entry.text("body")),
            "seo_description": entry.text("seo_description"),
        }
        created_at = entry.moment("created_at") or timezone.now()
        page = Page.objects.filter(slug=slug).first()
        tally = self.report.tally("pages")
        if page is not None and not _differs(page, fields | {"created_at": created_at}):
            tally.unchanged += 1
            return
        if page is None:
            page = Page(slug=slug)
            tally.created += 1
        else:
            tally.updated += 1
        for key, value in fields.items():
            setattr(page, key, value)
        _check(page, entry)
        page.body_html = render_body(page.body)
        page.save()
        Page.objects.filter(pk=page.pk).update(created_at=created_at)

    def redirect(self, entry: _Entry) -> None:
        old_slug, slug = entry.text("old_slug", required=True), entry.text("post", required=True)
        tally = self.report.tally("redirects")
        post_id = self.posts.get(slug)
        if post_id is None or Post.objects.filter(slug=old_slug).exists():
            why = "is not in posts" if post_id is None else "is a post's address here"
            self.report.note(f"The old address {old_slug} → {slug} is left out: it {why}.")
            tally.skipped += 1
            return
        found = SlugRedirect.objects.filter(old_slug=old_slug).first()
        if found is None:
            found = SlugRedirect(old_slug=old_slug, post_id=post_id)
            _check(found, entry, exclude=("post",))
            found.save()
            tally.created += 1
        elif found.post_id != post_id:
            SlugRedirect.objects.filter(pk=found.pk).update(post_id=post_id)
            tally.updated += 1
        else:
            tally.unchanged += 1

    def comment(self, entry: _Entry) -> None:
        archive_id = entry.number("id", required=True, most=ID_MOST)
        entry.where = f"comment {archive_id}"
        tally = self.report.tally("comments")
        post_slug = entry.text("post", required=True)
        post_id = self.posts.get(post_slug)
        parent = entry.optional_number("parent", most=ID_MOST)
        if post_id is None or (parent is not None and parent not in self.comments):
            missing = f"the post {post_slug}" if post_id is None else f"comment {parent}"
            self.report.note(f"Comment {archive_id} is left out: {missing} is not before it.")
            tally.skipped += 1
            return
        name, created_at = entry.text("name", required=True), entry.required_moment("created_at")
        member = self.person_named(entry.optional_text("member"), entry)
        withdrawn = entry.flag("withdrawn", default=False)
        fields: dict[str, Any] = {
            "status": entry.text("status", required=True),
            "email": entry.text("email"),
            "member_id": member.pk if member else None,
            "body": "" if withdrawn else entry.text("body"),
            "edited_at": entry.moment("edited_at"),
            "withdrawn": withdrawn,
            "like_count": entry.number("like_count"),
            "notify_replies": entry.flag("notify_replies", default=False),
            "spam_reason": entry.text("spam_reason"),
        }
        parent_id, root_id, depth = self._place_under(parent)
        found = None
        if post_id not in self.new_posts:
            found = self._matching_comment(post_id, parent_id, name, created_at)
        if found is not None:
            if _differs(found, fields):
                fields["body_html"] = render_comment(fields["body"]) if fields["body"] else ""
                Comment.objects.filter(pk=found.pk).update(**fields)
                tally.updated += 1
            else:
                tally.unchanged += 1
            self.comments[archive_id] = _Placed(found.pk, found.root_id, found.depth, parent)
            return
        comment = Comment(
            post_id=post_id,
            parent_id=parent_id,
            root_id=root_id,
            depth=depth,
            name=name,
            created_at=created_at,
            body_html=render_comment(fields["body"]) if fields["body"] else "",
            **fields,
        )
        # A withdrawn comment keeps its place without a text.
        textless = ("body",) if withdrawn else ()
        _check(comment, entry, exclude=("post", "parent", "root", "member", "body_html", *textless))
        comment.save()
        self.taken_comments.add(comment.pk)
        self.comments[archive_id] = _Placed(comment.pk, root_id, depth, parent)
        tally.created += 1

    def _matching_comment(
        self, post_id: int, parent_id: int | None, name: str, created_at: datetime.datetime
    ) -> Comment | None:
        """The site's comment this one is (same post, place in the thread, name and second),
        if this restore has not matched or written it for another already. Looked up by the
        second alone, whose index is the narrow one (a post may have thousands of comments,
        and SQLite would otherwise read them all), then compared."""
        same_second = Comment.objects.filter(
            created_at__gte=created_at, created_at__lt=created_at + SECOND
        ).order_by("id")
        for candidate in same_second:
            if (candidate.post_id, candidate.parent_id, candidate.name) == (
                post_id,
                parent_id,
                name,
            ) and candidate.pk not in self.taken_comments:
                self.taken_comments.add(candidate.pk)
                return candidate
        return None

    def _place_under(self, parent: int | None) -> tuple[int | None, int | None, int]:
        """(parent id, root id, depth) here of a reply to the archive's comment `parent`;
        past the deepest level a reply joins its parent's thread, as on the site."""
        if parent is None:
            return None, None, 0
        above = self.comments[parent]
        while above.depth >= MAX_DEPTH and above.parent is not None:
            above = self.comments[above.parent]
        return above.pk, above.root or above.pk, above.depth + 1

    def subscriber(self, entry: _Entry) -> None:
        email = entry.text("email", required=True)
        tally = self.report.tally("subscribers")
        if Subscriber.objects.filter(email__iexact=email).exists():
            tally.unchanged += 1  # the site's record of their consent is the newer one
            return
        subscriber = Subscriber(
            email=email,
            status=entry.text("status", required=True),
            member=self.person_named(entry.optional_text("member"), entry),
            confirmed_at=entry.moment("confirmed_at"),
            unsubscribed_at=entry.moment("unsubscribed_at"),
        )
        _check(subscriber, entry, exclude=("member",), unique=True)
        subscriber.save()
        if created_at := entry.moment("created_at"):
            Subscriber.objects.filter(pk=subscriber.pk).update(created_at=created_at)
        tally.created += 1

    def site_settings(self, entry: _Entry) -> None:
        site = editable_site_settings()
        links = [
            (link.text("label", required=True), link.text("url", required=True))
            for link in entry.entries("navigation")
        ]
        values = {
            "title": entry.text("title", required=True),
            "description": entry.text("description"),
            "logo": self.image_named(entry.optional_text("logo"), entry),
            "navigation": "\n".join(f"{label} | {url}" for label, url in links),
            "timezone": entry.text("timezone", required=True),
            "language": entry.text("language", required=True),
            "comment_policy": entry.text("comment_policy", required=True),
            "blocked_words": "\n".join(entry.strings("blocked_words")),
        }
        tally = self.report.tally("site")
        if not _differs(site, values):
            tally.unchanged += 1
            return
        for key, value in values.items():
            setattr(site, key, value)
        _check(site, entry, exclude=("logo",))
        save_site_settings(site)
        tally.updated += 1


def _out_of_order(found: str | None, expected: str | None) -> BadSource:
    where = f"has “{found}” where" if found else "ends where"
    wanted = f"“{expected}” should be" if expected else "it should end"
    return BadSource(
        f"{SITE_JSON} {where} {wanted}: it is read in one pass, and its lists come in this "
        f"order: {', '.join(SECTIONS)}."
    )


def _past_missing(seen: int, key: str | None) -> int:
    """The place in SECTIONS past the later lists an older archive lacks before `key` (None:
    before its end)."""
    while seen < len(SECTIONS) and SECTIONS[seen] != key and SECTIONS[seen] in LATER_SECTIONS:
        seen += 1
    return seen


def _check_header(header: dict[str, Any]) -> None:
    if header.get("format") != FORMAT:
        raise BadSource(f'{SITE_JSON} does not begin with "format": "{FORMAT}".')
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BadSource(f"{SITE_JSON} does not say its version before its content.")
    if version > VERSION:
        raise BadSource(
            f"This archive is version {version}, written by a newer Broadsheet; "
            f"this one reads version {VERSION}. Update Broadsheet and try again."
        )


def _put_rows(
    model: type[models.Model],
    post: Post,
    keys: tuple[str, ...],
    columns: tuple[str, ...],
    wanted: dict[tuple, tuple],
) -> bool:
    """Make the post's rows of `model` (one per key) hold `wanted`'s values; whether any
    changed. Rows the archive does not have are kept."""
    stored = {
        row[: len(keys)]: row[len(keys) :]
        for row in model._default_manager.filter(post=post).values_list(*keys, *columns)
    }
    missing = [
        model(
            post=post,
            **dict(zip(keys, key, strict=True)),
            **dict(zip(columns, values, strict=True)),
        )
        for key, values in wanted.items()
        if key not in stored
    ]
    model._default_manager.bulk_create(missing)
    changed = [
        (key, values) for key, values in wanted.items() if key in stored and stored[key] != values
    ]
    for key, values in changed:
        model._default_manager.filter(post=post, **dict(zip(keys, key, strict=True))).update(
            **dict(zip(columns, values, strict=True))
        )
    return bool(missing or changed)
