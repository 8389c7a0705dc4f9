"""Ghost's own JavaScript clients, unchanged, against a real `broadsheet serve`.

`@tryghost/content-api` and `@tryghost/admin-api` from npm (installed outside the
repository by `scripts/ghost-clients`) run `tests/api/ghost_clients.mjs`: what they read
and write must be what Ghost would answer, and the public site must then show what the
Admin API wrote.
"""

import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.core.test_cli import BROWSER_UA
from tests.live_site import shell, start, stop

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("ghost_clients.mjs")
SEED = (
    "import json; from broadsheet.accounts.models import User; "
    "from broadsheet.content.models import Post, Tag; "
    "from broadsheet.content.services import save_post; "
    "from broadsheet.integrations.services import create_integration; "
    "tag = Tag.objects.create(name='News', slug='news'); "
    "post = save_post(Post(title='Seeded news', slug='seeded-news', body='Fresh **news**.', "
    "author=User.objects.get(slug='w'), status='published')); post.tags.add(tag); "
    "_, keys = create_integration(actor=None, name='Ghost clients'); "
    "print(json.dumps({'content': keys.content_key, 'admin': keys.admin_key}))"
)


def clients_folder() -> str:
    """Where `scripts/ghost-clients` keeps the clients (installing them the first time)."""
    done = subprocess.run(
        [str(ROOT / "scripts" / "ghost-clients")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        pytest.fail(f"scripts/ghost-clients could not install Ghost's clients:\n{done.stderr}")
    return done.stdout.strip().splitlines()[-1]


def public(url: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER_UA})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


@pytest.fixture(scope="module")
def node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: Ghost's clients are JavaScript")
    return node


@pytest.fixture
def site(site_env, node):
    keys = json.loads(shell(site_env, SEED).strip().splitlines()[-1])
    server, base = start(site_env, workers=2)
    try:
        yield base, keys
    finally:
        stop(server)


def run_clients(node: str, base: str, keys: dict) -> dict:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "GHOST_URL": base,
        "CONTENT_KEY": keys["content"],
        "ADMIN_KEY": keys["admin"],
        "TAG_SLUG": "news",
        "POST_SLUG": "seeded-news",
        "GHOST_CLIENTS": clients_folder(),
    }
    done = subprocess.run([node, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_ghost_clients_read_and_write_a_live_site(site, node):
    base, keys = site
    got = run_clients(node, base, keys)
    expected_failures = {"read_missing", "bad_key", "stale_edit"}
    failed = {
        step: answer
        for step, answer in got.items()
        if step not in expected_failures and isinstance(answer, dict) and "error" in answer
    }
    assert not failed, failed

    # The Content API, through @tryghost/content-api.
    listed = got["browse_posts"]
    assert [post["slug"] for post in listed["posts"]] == ["seeded-news"]
    assert listed["posts"][0]["tags"] == ["news"]
    assert listed["posts"][0]["primary_tag"] == "news"
    assert listed["posts"][0]["authors"] == ["w"]
    assert listed["posts"][0]["primary_author"] == "w"
    assert "<strong>news</strong>" in listed["posts"][0]["html"]
    assert listed["meta"]["pagination"] == {
        "page": 1,
        "limit": 5,
        "pages": 1,
        "total": 1,
        "next": None,
        "prev": None,
    }
    assert got["read_post"]["title"] == "Seeded news"
    assert got["read_post"]["tags"] == ["news"]
    assert got["read_post_by_id"] == {"id": got["read_post"]["id"], "slug": "seeded-news"}
    assert got["read_missing"]["error"] == "NotFoundError"
    assert got["bad_key"]["error"] == "UnauthorizedError"
    tags = {tag["slug"]: tag["count"] for tag in got["browse_tags"]["tags"]}
    assert tags["news"] == {"posts": 1}  # before the Admin API added one
    assert {"slug": "w", "name": "W", "count": {"posts": 2}} in got["browse_authors"]
    assert got["settings"]["url"] == base + "/"
    assert got["settings"]["title"]

    # The Admin API, through @tryghost/admin-api.
    assert got["site"]["url"] == base + "/"
    added, edited = got["add_post"], got["edit_post"]
    assert added["status"] == "published"
    assert added["html"].count("<strong>Ghost") == 1
    assert edited["id"] == added["id"]
    assert edited["title"] == "Through the Admin API, edited"
    assert edited["updated_at"] >= added["updated_at"]
    assert got["stale_edit"]["error"] == "UpdateCollisionError"
    assert sorted(got["read_admin_post"]["tags"]) == ["from-the-client", "news"]
    scheduled = got["schedule_post"]
    assert scheduled["status"] == "scheduled"
    assert scheduled["published_at"] > added["published_at"]
    assert got["browse_admin_posts"]["slugs"] == [scheduled["slug"]]
    deleted = got["delete_post"]
    assert deleted["read_after"]["error"] == "NotFoundError"
    image = got["upload_image"]
    assert image["ref"] == "dot.png"
    assert image["url"].startswith(base + "/media/") and image["url"].endswith(".png")
    tag = got["add_tag"]
    assert tag["slug"] == "added-by-client"
    assert tag["description"] == "Made over the Admin API"

    # What the public site shows afterwards.
    status, page = public(edited["url"])
    assert status == 200
    assert "Through the Admin API, edited" in page
    assert "Written with <strong>Ghost" in page
    assert public(deleted["url"])[0] == 404
    assert public(f"{base}/posts/{scheduled['slug']}/")[0] == 404
    with urllib.request.urlopen(image["url"], timeout=10) as response:
        assert response.headers["Content-Type"] == "image/png"
        assert response.read().startswith(b"\x89PNG")
    status, page = public(f"{base}/tags/news/")
    assert status == 200 and "Through the Admin API, edited" in page
