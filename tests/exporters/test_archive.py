"""The archive: what site.json holds (and never holds), its schema, the Markdown copies,
the media files, memory that stays flat as the site grows, and the command."""

import json
import tracemalloc
from pathlib import Path

import frontmatter
import jsonschema
import pytest
from django.core.management import CommandError, call_command

from broadsheet.content.models import Post
from broadsheet.demo.generator import generate_site
from broadsheet.exporters.archive import write_archive
from broadsheet.media.models import Image
from tests.exporters.archives import TRICKY_BODY, entries, export_to, site_json

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "docs" / "site-json.schema.json").read_text()
)


def test_nothing_secret_is_anywhere_in_the_archive(varied_site, forecasts, tmp_path):
    archive = entries(export_to(tmp_path / "site.zip"))

    assert len(varied_site.values) == len(set(varied_site.values)) and all(varied_site.values)
    for name, data in archive.items():
        text = data.decode("utf-8", errors="replace")
        leaked = [value for value in varied_site.values if value in text]
        assert not leaked, f"{name} holds {leaked}"
    document = site_json(tmp_path / "site.zip")
    keys = _all_keys(document)
    assert not {key for key in keys if "token" in key or "hash" in key or "password" in key}
    assert not {"totp_secret", "reader_key", "reader", "salt", "session_key"} & keys


def _all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for item in value.values() for k in _all_keys(item)}
    if isinstance(value, list):
        return {k for item in value for k in _all_keys(item)}
    return set()


def test_site_json_follows_its_documented_schema(varied_site, forecasts, tmp_path):
    document = site_json(export_to(tmp_path / "site.zip"))

    validator = jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert not errors
    # Every field is described, so the schema is the format's documentation.
    for name, definition in SCHEMA["$defs"].items():
        assert definition["description"], name
        for field, rule in definition.get("properties", {}).items():
            assert rule.get("description"), f"{name}.{field}"


def test_a_field_the_schema_does_not_know_fails_it(varied_site, tmp_path):
    document = site_json(export_to(tmp_path / "site.zip"))
    document["posts"][0]["password"] = "x"

    assert not jsonschema.Draft202012Validator(SCHEMA).is_valid(document)


def test_site_json_holds_what_readers_and_writers_see(varied_site, tmp_path):
    document = site_json(export_to(tmp_path / "site.zip"))

    assert (document["format"], document["version"]) == ("broadsheet-export", 1)
    assert document["site"]["navigation"] == [
        {"label": "About", "url": "/about/"},
        {"label": "Notes", "url": "https://notes.example.org/"},
    ]
    posts = {post["slug"]: post for post in document["posts"]}
    assert [p["slug"] for p in document["posts"]] == sorted(posts)
    assert {p["status"] for p in posts.values()} == {"draft", "review", "scheduled", "published"}
    main = posts["small-things-priced"]
    assert main["author"] == "arthur@example.com"
    assert main["tags"] == ["cities", "economics"]
    assert main["uuid"] == str(Post.objects.get(slug="small-things-priced").uuid)
    assert main["featured"] is True and posts["half-an-idea"]["featured"] is False
    assert len({p["uuid"] for p in posts.values()}) == len(posts)
    assert main["cover"] == Image.objects.get().file.name
    assert main["old_slugs"] == ["small-things"]
    assert (main["view_count"], main["like_count"]) == (321, 4)
    assert main["published_at"].endswith("+00:00") and "." not in main["published_at"]
    assert TRICKY_BODY in main["body"]
    assert [r["kind"] for r in main["revisions"]] == ["save", "save"]
    assert main["revisions"][0]["data"]["cover_image"] == main["cover"]  # a name, not an id
    assert len(main["daily_stats"]) == 2 and len(main["referrals"]) == 2
    assert posts["regrettable"]["trashed_at"] is not None
    assert document["redirects"] == [{"old_slug": "small-things", "post": "small-things-priced"}]

    comments = document["comments"]
    assert {c["status"] for c in comments} == {"approved", "pending", "spam", "rejected"}
    seen: set[int] = set()
    for comment in comments:  # each reply after the comment it answers
        assert comment["parent"] is None or comment["parent"] in seen
        seen.add(comment["id"])
    assert max(_depths(comments).values()) == 3
    assert any(c["withdrawn"] and c["body"] == "" for c in comments)
    assert any(c["member"] == "reader@example.com" for c in comments)
    assert {s["status"] for s in document["subscribers"]} == {"active", "pending", "unsubscribed"}


def _depths(comments: list[dict]) -> dict[int, int]:
    depths: dict[int, int] = {}
    for comment in comments:
        depths[comment["id"]] = 0 if comment["parent"] is None else depths[comment["parent"]] + 1
    return depths


def test_every_post_and_page_is_a_markdown_file_a_static_site_tool_reads(varied_site, tmp_path):
    archive = entries(export_to(tmp_path / "site.zip"))

    main = frontmatter.loads(archive["posts/small-things-priced.md"].decode())
    assert main["title"] == "Small things & big prices"
    assert main["slug"] == "small-things-priced"
    assert main["tags"] == ["Cities", "Economics"]
    assert main["author"] == "Arthur Author"
    assert main["draft"] is False
    assert main["featured"] is True  # as Jekyll and Hugo themes read it
    assert "featured" not in frontmatter.loads(archive["posts/half-an-idea.md"].decode())
    assert main["excerpt"] == "Why prices rose."
    assert main["date"].utcoffset() is not None  # a timestamp, read as one
    assert main["cover"] in archive  # the path inside the archive
    assert TRICKY_BODY in main.content
    assert frontmatter.loads(archive["posts/half-an-idea.md"].decode())["draft"] is True
    assert frontmatter.loads(archive["posts/regrettable.md"].decode())["draft"] is True
    assert frontmatter.loads(archive["posts/next-week.md"].decode())["draft"] is False
    about = frontmatter.loads(archive["pages/about.md"].decode())
    assert (about["title"], about.content) == ("About", "We write about prices.")
    assert frontmatter.loads(archive["pages/colophon.md"].decode())["draft"] is True


def test_the_stored_originals_are_in_the_archive(varied_site, tmp_path, media_root):
    archive = entries(export_to(tmp_path / "site.zip"))

    image = Image.objects.get()
    assert archive[f"media/{image.file.name}"] == (media_root / image.file.name).read_bytes()
    assert archive["media/avatars/2026/01/arthur.png"].startswith(b"\x89PNG")
    renditions = [r["name"] for r in image.renditions]
    assert renditions and not any(f"media/{name}" in archive for name in renditions)


def _peak_export_memory(path: Path) -> int:
    tracemalloc.start()
    try:
        with path.open("wb") as file:
            write_archive(file)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_as_the_site_grows(db, tmp_path):
    # Large enough to fill every chunk read (posts and comments), then four times that.
    generate_site(posts=400, comments=2000, tags=10, authors=3, seed=1)
    small = _peak_export_memory(tmp_path / "small.zip")
    generate_site(posts=1200, comments=6000, tags=10, authors=3, seed=2)
    large = _peak_export_memory(tmp_path / "large.zip")

    assert len(site_json(tmp_path / "large.zip")["posts"]) == 1600
    assert large < small * 1.5, (small, large)


def test_the_command_writes_a_dated_file_by_default(varied_site, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    call_command("export", verbosity=0)

    [written] = list(tmp_path.glob("broadsheet-export-*.zip"))
    assert len(written.stem) == len("broadsheet-export-2026-04-15")
    assert site_json(written)["format"] == "broadsheet-export"
    assert oct(written.stat().st_mode & 0o777) == "0o600"  # it holds email addresses
    assert not list(tmp_path.glob(".*.part"))


def test_the_command_refuses_a_folder_that_does_not_exist(db, tmp_path):
    with pytest.raises(CommandError, match="no folder"):
        call_command("export", output=str(tmp_path / "nowhere" / "site.zip"))
