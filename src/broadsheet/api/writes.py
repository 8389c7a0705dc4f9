"""What an Admin API client sends, read into the studio's own terms (`content.services.Edit`,
a tag, an author) so that every write goes through the same actions as the studio.

Ghost's read-only fields (`id`, `uuid`, `url`, `excerpt`, counts) are ignored when sent
back, as Ghost ignores them; a field of the wrong type is a 422 naming it.
"""

import datetime
import json
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest
from django.utils.dateparse import parse_datetime

from broadsheet.accounts.models import User, staff_people
from broadsheet.api import ids
from broadsheet.api.errors import BadRequest, Invalid, UnsupportedMediaType
from broadsheet.content.models import Page, Post, Tag
from broadsheet.content.services import Edit
from broadsheet.media.models import Image

# Ghost's name for a field -> ours, for the fields taken as they come.
_POST_TEXT = {
    "title": "title",
    "slug": "slug",
    "custom_excerpt": "custom_excerpt",
    "meta_title": "seo_title",
    "meta_description": "seo_description",
    "feature_image_alt": "cover_alt",
}
STATUSES = ("draft", "published", "scheduled")


def sent_object(request: HttpRequest, resource: str) -> dict[str, Any]:
    """The one object of `{"<resource>": [{...}]}`, as Ghost's clients send it."""
    if request.content_type != "application/json":
        raise UnsupportedMediaType("Send JSON (Content-Type: application/json).")
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"The body is not JSON: {error}.") from error
    items = data.get(resource) if isinstance(data, dict) else None
    if not isinstance(items, list) or len(items) != 1 or not isinstance(items[0], dict):
        raise Invalid(f'Send one object as {{"{resource}": [{{...}}]}}.', context=resource)
    _refuse_unstorable_text(items[0], resource)
    return items[0]


def _refuse_unstorable_text(value: Any, where: str) -> None:
    """JSON can carry what no text column can store: a NUL character (PostgreSQL refuses
    it) or half of a surrogate pair (not UTF-8 at all). A 422 naming the field, before any
    query sees it (a uniqueness check with one was a 500)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _refuse_unstorable_text(key, where)
            _refuse_unstorable_text(item, f"{where}.{key}")
    elif isinstance(value, list):
        for item in value:
            _refuse_unstorable_text(item, where)
    elif isinstance(value, str):
        if "\x00" in value:
            raise Invalid(f"{where} holds a NUL character.", context=where)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise Invalid(f"{where} is not valid Unicode text.", context=where) from error


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise Invalid(f"{key} must be a string.", context=key)
    return value


def _within_length(model: type[Model], field: str, value: str, *, key: str) -> str:
    """The services check no lengths (the studio's forms do): too long for its column is
    a 422 here, not a database error (PostgreSQL) or a cut-off value."""
    longest = getattr(model._meta.get_field(field), "max_length", None)
    if longest is not None and len(value) > longest:
        raise Invalid(f"{key} can be at most {longest} characters.", context=key)
    return value


def moment(data: dict[str, Any], key: str) -> datetime.datetime | None:
    """A date the client sent (ISO 8601; no zone means UTC, as Ghost reads it)."""
    value = _text(data, key)
    if not value:
        return None
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise Invalid(f"{key} must be a date and time such as 2026-12-01T09:30:00Z.", context=key)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.UTC)


def status(data: dict[str, Any]) -> str | None:
    value = _text(data, "status")
    if value is not None and value not in STATUSES:
        raise Invalid(f"status must be one of {', '.join(STATUSES)}.", context="status")
    return value


def body(data: dict[str, Any], *, source: str) -> str | None:
    """The body as Broadsheet keeps it: Markdown as sent, or HTML (sanitized) kept so that
    it renders as sent; Ghost's editor documents are rendered to HTML first (by the
    importers' code, loaded here, not in every server process: it brings the readers'
    libraries along)."""
    from broadsheet.importers.html import to_body
    from broadsheet.importers.readers.ghost_content import (
        DocumentError,
        render_lexical,
        render_mobiledoc,
    )

    if (markdown := _text(data, "markdown")) is not None:
        return markdown
    html = _text(data, "html")
    if html is not None and (source == "html" or not data.get("lexical")):
        return to_body(html)
    for key, render in (("lexical", render_lexical), ("mobiledoc", render_mobiledoc)):
        if (document := _text(data, key)) is not None:
            try:
                return to_body(render(document).html)
            except DocumentError as error:
                raise Invalid(f"{key}: {error}.", context=key) from error
    return None


def post_edit(data: dict[str, Any], *, source: str) -> Edit:
    """The fields and tags of a post as the client sent them (only those it sent)."""
    fields: dict[str, Any] = {}
    for theirs, ours in _POST_TEXT.items():
        if (value := _text(data, theirs)) is not None:
            fields[ours] = _within_length(Post, ours, value, key=theirs)
    if "featured" in data:
        if not isinstance(data["featured"], bool):
            raise Invalid("featured must be true or false.", context="featured")
        fields["featured"] = data["featured"]
    if "feature_image" in data:
        fields["cover_image"] = _image(data["feature_image"])
    if (text := body(data, source=source)) is not None:
        fields["body"] = text
    tag_names = _tag_names(data["tags"]) if "tags" in data else None
    return Edit(fields=fields, tag_names=tag_names)


def _image(url: Any) -> Image | None:
    """`feature_image` names an image by its address; it must be one uploaded here."""
    if url in (None, ""):
        return None
    if not isinstance(url, str):
        raise Invalid("feature_image must be an image's address.", context="feature_image")
    _, found, name = url.partition(settings.MEDIA_URL)
    image = Image.objects.filter(file=name).first() if found and name else None
    if image is None:
        raise Invalid(
            "feature_image must be an image uploaded to this site (images/upload/).",
            context="feature_image",
        )
    return image


def _tag_names(tags: Any) -> list[str]:
    """Tags by name (made on the fly, as in the studio), or existing ones by slug or id."""
    if not isinstance(tags, list):
        raise Invalid("tags must be a list.", context="tags")
    names = []
    for tag in tags:
        if isinstance(tag, str):
            names.append(tag)
        elif isinstance(tag, dict) and isinstance(tag.get("name"), str):
            names.append(tag["name"])
        elif isinstance(tag, dict) and isinstance(tag.get("slug") or tag.get("id"), str):
            names.append(_existing_tag(tag).name)
        else:
            raise Invalid(
                "Each tag is a name, or an object with a name, slug or id.", context="tags"
            )
    return names


def _existing_tag(tag: dict[str, Any]) -> Tag:
    lookup = {"slug": tag["slug"]} if tag.get("slug") else {"pk": ids.decode(tag["id"])}
    found = Tag.objects.filter(**lookup).first() if None not in lookup.values() else None
    if found is None:
        raise Invalid(f"There is no tag {tag.get('slug') or tag.get('id')}.", context="tags")
    return found


def author(data: dict[str, Any]) -> User | None:
    """The post's author: the first of `authors`, by email, id or slug (Broadsheet keeps
    one author a post). A staff account; never an integration's own."""
    authors = data.get("authors")
    if authors is None:
        return None
    if not isinstance(authors, list) or not authors:
        raise Invalid("authors must be a list of at least one author.", context="authors")
    first = authors[0]
    if isinstance(first, str):
        first = {"email": first} if "@" in first else {"id": first}
    if not isinstance(first, dict):
        raise Invalid("Each author is an email, an id, or an object with one.", context="authors")
    staff = staff_people().filter(is_active=True)
    if isinstance(first.get("email"), str):
        found = staff.filter(email__iexact=first["email"]).first()
    elif isinstance(first.get("id"), str) and (pk := ids.decode(first["id"])) is not None:
        found = staff.filter(pk=pk).first()
    elif isinstance(first.get("slug"), str):
        found = staff.filter(slug=first["slug"]).first()
    else:
        found = None
    if found is None:
        raise Invalid("No staff member has that email, id or slug.", context="authors")
    return found


def page_fields(data: dict[str, Any], page: Page, *, source: str) -> Page:
    """A page with what the client sent applied (not saved)."""
    for theirs, ours in (
        ("title", "title"),
        ("slug", "slug"),
        ("meta_description", "seo_description"),
    ):
        if (value := _text(data, theirs)) is not None:
            setattr(page, ours, value)
    if (text := body(data, source=source)) is not None:
        page.body = text
    if (wanted := status(data)) is not None:
        if wanted == "scheduled":
            raise Invalid(
                "A page is a draft or published; it cannot be scheduled.", context="status"
            )
        page.status = wanted
    return page


def tag_fields(data: dict[str, Any], tag: Tag) -> Tag:
    for key in ("name", "slug", "description"):
        if (value := _text(data, key)) is not None:
            setattr(tag, key, value.strip())
    return tag
