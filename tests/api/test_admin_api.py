"""The Admin API through HTTP, with tokens made as @tryghost/admin-api makes them: who may
call, what each write does to posts, pages, tags and images (through the studio's own
actions and rights), and what bad input gets back."""

import datetime
import io
import json
import time

import jwt
import pytest
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone
from PIL import Image as PILImage

from broadsheet.accounts.models import Role
from broadsheet.api import ids
from broadsheet.content.models import Page, Post, Revision, Tag
from broadsheet.integrations.services import create_integration, revoke_integration
from broadsheet.newsletter.models import Send, Subscriber
from tests.api.conftest import admin_token

LEXICAL = json.dumps(
    {
        "root": {
            "type": "root",
            "version": 1,
            "direction": "ltr",
            "format": "",
            "indent": 0,
            "children": [
                {
                    "type": "paragraph",
                    "version": 1,
                    "direction": "ltr",
                    "format": "",
                    "indent": 0,
                    "children": [
                        {
                            "type": "text",
                            "version": 1,
                            "text": "Written in Ghost's editor",
                            "detail": 0,
                            "format": 0,
                            "mode": "normal",
                            "style": "",
                        }
                    ],
                }
            ],
        }
    }
)


def ghost_error(response, status: int, type_: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    errors = response.json()["errors"]
    assert len(errors) == 1 and errors[0]["type"] == type_ and errors[0]["message"]
    return errors[0]


def caller(client, admin_key: str):
    def call(method: str, path: str, json=None, **extra):
        headers = {"HTTP_AUTHORIZATION": f"Ghost {admin_token(admin_key)}", **extra}
        send = getattr(client, method)
        if json is not None:
            return send(
                f"/ghost/api/admin/{path}", json, content_type="application/json", **headers
            )
        return send(f"/ghost/api/admin/{path}", **headers)

    return call


@pytest.fixture
def as_role(client, db):
    """An Admin API caller for a new integration with `role`, and the integration."""

    def make(role: str):
        integration, issued = create_integration(actor=None, name=f"A {role}", role=role)
        return caller(client, issued.admin_key), integration

    return make


@pytest.fixture
def owner(make_staff):
    return make_staff(Role.OWNER, name="The Owner")


def one(response, key: str = "posts") -> dict:
    body = response.json()
    assert len(body[key]) == 1, body
    return body[key][0]


# Tokens -----------------------------------------------------------------------------------


def test_a_good_token_is_let_in(admin, post):
    response = admin("get", "posts/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def _token(admin_key: str, *, claims=None, headers=None, key=None, algorithm="HS256") -> str:
    key_id, secret = admin_key.split(":")
    now = int(time.time())
    payload = {"iat": now, "exp": now + 300, "aud": "/admin/", **(claims or {})}
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(
        payload,
        bytes.fromhex(secret) if key is None else key,
        algorithm=algorithm,
        headers={"kid": key_id, **(headers or {})},
    )


def _tampered(admin_key: str) -> str:
    header, payload, signature = _token(admin_key).split(".")
    other = jwt.utils.base64url_encode(
        json.dumps({"iat": int(time.time()), "aud": "/admin/", "sub": "root"}).encode()
    ).decode()
    assert other != payload
    return f"{header}.{other}.{signature}"


BAD_HEADERS = {
    "expired": lambda k: f"Ghost {admin_token(k, issued_at=time.time() - 6 * 60)}",
    "future-dated": lambda k: f"Ghost {admin_token(k, issued_at=time.time() + 10 * 60)}",
    "wrong audience": lambda k: f"Ghost {admin_token(k, audience='/content/')}",
    "no iat": lambda k: f"Ghost {_token(k, claims={'iat': None})}",
    "tampered": lambda k: f"Ghost {_tampered(k)}",
    "other secret": lambda k: f"Ghost {_token(k, key=b'0' * 32)}",
    "unknown kid": lambda k: f"Ghost {_token(k, headers={'kid': 'f' * 24})}",
    "no kid": lambda k: (
        "Ghost "
        + jwt.encode({"iat": int(time.time()), "aud": "/admin/"}, b"x" * 32, algorithm="HS256")
    ),
    "bearer": lambda k: f"Bearer {admin_token(k)}",
    "no token": lambda k: "Ghost ",
    "two tokens": lambda k: f"Ghost {admin_token(k)} {admin_token(k)}",
    "garbage": lambda k: "Ghost not.a.jwt",
    "the admin key itself": lambda k: f"Ghost {k}",
}


def _alg_none(admin_key: str) -> str:
    key_id, _ = admin_key.split(":")
    header = jwt.utils.base64url_encode(
        json.dumps({"alg": "none", "typ": "JWT", "kid": key_id}).encode()
    ).decode()
    payload = jwt.utils.base64url_encode(
        json.dumps({"iat": int(time.time()), "aud": "/admin/"}).encode()
    ).decode()
    return f"Ghost {header}.{payload}."


BAD_HEADERS["alg none"] = _alg_none


# Ghost answers these 400: no token to check at all, or one that names no key.
MALFORMED = {"garbage", "no kid", "the admin key itself"}


@pytest.mark.parametrize("case", sorted(BAD_HEADERS))
def test_a_bad_token_is_refused(client, keys, post, case):
    header = BAD_HEADERS[case](keys[2])
    response = client.get("/ghost/api/admin/posts/", HTTP_AUTHORIZATION=header)
    if case in MALFORMED:
        ghost_error(response, 400, "BadRequestError")
    else:
        ghost_error(response, 401, "UnauthorizedError")
    assert post.title not in response.content.decode()


def test_no_header_is_a_401(client, keys, post):
    error = ghost_error(client.get("/ghost/api/admin/posts/"), 401, "UnauthorizedError")
    assert error["code"] == "INVALID_AUTH_HEADER"


def test_a_write_with_a_bad_token_changes_nothing(client, keys, post):
    header = BAD_HEADERS["expired"](keys[2])
    response = client.post(
        "/ghost/api/admin/posts/",
        {"posts": [{"title": "Sneaked in"}]},
        content_type="application/json",
        HTTP_AUTHORIZATION=header,
    )
    ghost_error(response, 401, "UnauthorizedError")
    assert not Post.objects.filter(title="Sneaked in").exists()


def test_a_revoked_integration_is_refused_at_once(admin, keys, post):
    assert admin("get", "posts/").status_code == 200
    revoke_integration(actor=None, integration=keys[0])
    ghost_error(admin("get", "posts/"), 401, "UnauthorizedError")


def test_the_content_key_opens_no_admin_door(client, keys, post):
    response = client.get("/ghost/api/admin/posts/", {"key": keys[1]})
    ghost_error(response, 401, "UnauthorizedError")


# Posts: reading ---------------------------------------------------------------------------


def test_browse_includes_drafts_but_not_the_trash(admin, make_post, post):
    draft = make_post("Still a draft", status=Post.Status.DRAFT)
    trashed = make_post("Thrown away")
    Post.objects.filter(pk=trashed.pk).update(trashed_at=timezone.now())

    body = admin("get", "posts/").json()
    by_title = {p["title"]: p for p in body["posts"]}

    assert set(by_title) == {post.title, draft.title}
    assert by_title[draft.title]["status"] == "draft"
    assert by_title[post.title]["status"] == "published"
    assert by_title[post.title]["markdown"] == post.body
    assert body["meta"]["pagination"]["total"] == 2
    assert admin("get", f"posts/{ids.encode(draft.pk)}/").status_code == 200
    ghost_error(admin("get", f"posts/{ids.encode(trashed.pk)}/"), 404, "NotFoundError")


# Posts: adding ----------------------------------------------------------------------------


def test_add_a_post_in_markdown(admin, owner):
    response = admin("post", "posts/", json={"posts": [{"title": "Hello", "markdown": "*Hi*"}]})
    assert response.status_code == 201, response.content
    got = one(response)
    post = Post.objects.get(pk=ids.decode(got["id"]))
    assert post.body == "*Hi*" and "<em>Hi</em>" in post.body_html
    assert got["status"] == "draft" and post.status == Post.Status.DRAFT
    assert "<em>Hi</em>" in got["html"]


def test_add_a_post_in_html_is_sanitized(admin, owner, client):
    html = '<p>Safe <strong>words</strong></p><script>alert("x")</script><p onclick="x()">B</p>'
    response = admin(
        "post",
        "posts/?source=html",
        json={"posts": [{"title": "From HTML", "html": html, "status": "published"}]},
    )
    assert response.status_code == 201, response.content
    post = Post.objects.get(title="From HTML")
    assert "<strong>words</strong>" in post.body_html
    for stored in (post.body, post.body_html, one(response)["html"]):
        assert "<script" not in stored and "alert(" not in stored and "onclick" not in stored
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<strong>words</strong>" in page and 'alert("x")' not in page


def test_add_a_post_in_lexical(admin, owner):
    response = admin("post", "posts/", json={"posts": [{"title": "Lexical", "lexical": LEXICAL}]})
    assert response.status_code == 201, response.content
    html = Post.objects.get(title="Lexical").body_html
    assert "<p>Written in Ghost" in html and "editor</p>" in html


def test_a_broken_lexical_document_is_a_422(admin, owner):
    response = admin("post", "posts/", json={"posts": [{"title": "L", "lexical": "{not json"}]})
    ghost_error(response, 422, "ValidationError")
    assert not Post.objects.exists()


def test_add_published_shows_on_the_site(admin, owner, client, content_get):
    sent = {"title": "Out now", "markdown": "Hi", "status": "published"}
    response = admin("post", "posts/", json={"posts": [sent]})
    got = one(response)
    assert got["status"] == "published" and got["published_at"]
    post = Post.objects.get(title="Out now")
    assert post.is_published
    assert client.get(post.get_absolute_url()).status_code == 200
    assert content_get(f"posts/slug/{post.slug}/").status_code == 200


def test_publishing_with_newsletter_sends_it_to_the_subscribers(admin, owner):
    Subscriber.objects.create(email="reader@example.org", status=Subscriber.Status.ACTIVE)
    sent = {"title": "Out now", "markdown": "Hi", "status": "published"}

    response = admin("post", "posts/?newsletter=default", json={"posts": [sent]})

    assert response.status_code == 201, response.content
    send = Send.objects.get(post__title="Out now")
    assert send.total == 1 and send.created_by.is_integration


def test_the_newsletter_is_refused_before_anything_is_published(as_role, owner):
    call, _ = as_role(Role.AUTHOR)
    sent = {"title": "Mine", "markdown": "Hi", "status": "published"}

    response = call("post", "posts/?newsletter=default", json={"posts": [sent]})

    ghost_error(response, 403, "NoPermissionError")
    assert not Post.objects.filter(title="Mine").exists() and not Send.objects.exists()


def test_add_scheduled_in_the_future(admin, owner, content_get):
    when = timezone.now() + datetime.timedelta(days=2)
    response = admin(
        "post",
        "posts/",
        json={
            "posts": [{"title": "Later", "status": "scheduled", "published_at": when.isoformat()}]
        },
    )
    assert response.status_code == 201, response.content
    assert one(response)["status"] == "scheduled"
    post = Post.objects.get(title="Later")
    assert post.status == Post.Status.SCHEDULED
    assert abs(post.published_at - when) < datetime.timedelta(seconds=1)
    assert content_get(f"posts/slug/{post.slug}/").status_code == 404


@pytest.mark.parametrize("published_at", [None, "2001-01-01T00:00:00Z", "tomorrow", 12345])
def test_scheduling_needs_a_future_time(admin, owner, published_at):
    sent = {"title": "Later", "status": "scheduled"}
    if published_at is not None:
        sent["published_at"] = published_at
    ghost_error(admin("post", "posts/", json={"posts": [sent]}), 422, "ValidationError")
    assert not Post.objects.filter(title="Later").exists()


def test_tags_by_name_are_made_on_the_fly_and_by_slug_found(admin, owner, make_tag):
    existing = make_tag("Economics")
    response = admin(
        "post",
        "posts/",
        json={
            "posts": [
                {
                    "title": "Tagged",
                    "tags": ["Brand New", {"name": "Also New"}, {"slug": "economics"}],
                }
            ]
        },
    )
    assert response.status_code == 201, response.content
    post = Post.objects.get(title="Tagged")
    assert sorted(t.name for t in post.tags.all()) == ["Also New", "Brand New", "Economics"]
    assert Tag.objects.filter(name="Brand New").exists()
    assert [t["name"] for t in one(response)["tags"]][2] == "Economics"
    assert Tag.objects.get(slug="economics").pk == existing.pk


def test_an_unknown_tag_slug_is_a_422(admin, owner):
    response = admin("post", "posts/", json={"posts": [{"title": "T", "tags": [{"slug": "nope"}]}]})
    ghost_error(response, 422, "ValidationError")


def test_authors_by_email_and_by_id(admin, make_staff):
    writer = make_staff(Role.AUTHOR, name="Wanda Writer", email="wanda@example.com")
    other = make_staff(Role.AUTHOR, name="Otto Other")

    by_email = admin(
        "post", "posts/", json={"posts": [{"title": "A", "authors": ["wanda@example.com"]}]}
    )
    by_id = admin(
        "post",
        "posts/",
        json={"posts": [{"title": "B", "authors": [{"id": ids.encode(other.pk)}]}]},
    )
    sent = {"title": "C", "authors": [{"email": "WANDA@example.com"}]}
    by_email_object = admin("post", "posts/", json={"posts": [sent]})

    assert Post.objects.get(title="A").author == writer
    assert Post.objects.get(title="B").author == other
    assert Post.objects.get(title="C").author == writer
    assert one(by_email)["primary_author"]["name"] == "Wanda Writer"
    assert one(by_id)["authors"][0]["id"] == ids.encode(other.pk)
    assert by_email_object.status_code == 201


def test_with_no_authors_the_owner_is_the_author(admin, owner, keys):
    response = admin("post", "posts/", json={"posts": [{"title": "Nobody named"}]})
    assert response.status_code == 201
    assert Post.objects.get(title="Nobody named").author == owner


def test_an_unknown_author_or_the_integration_itself_is_a_422(admin, owner, keys, make_author):
    reader = make_author("Just a reader", email="reader@example.com")
    for authors in (
        ["nobody@example.com"],
        [{"id": ids.encode(keys[0].user.pk)}],
        [{"email": reader.email}],
        [],
        "x",
    ):
        response = admin("post", "posts/", json={"posts": [{"title": "Who", "authors": authors}]})
        ghost_error(response, 422, "ValidationError")
    assert not Post.objects.filter(title="Who").exists()


# Posts: editing ---------------------------------------------------------------------------


def test_edit_with_updated_at_changes_the_public_page(admin, post, client, keys):
    read = one(admin("get", f"posts/{ids.encode(post.pk)}/"))
    assert post.updated_at is None

    response = admin(
        "put",
        f"posts/{read['id']}/",
        json={"posts": [{"title": "A corrected headline", "updated_at": read["updated_at"]}]},
    )

    assert response.status_code == 200, response.content
    assert one(response)["title"] == "A corrected headline"
    assert "A corrected headline" in client.get(post.get_absolute_url()).content.decode()
    post.refresh_from_db()
    assert post.updated_at is not None  # "Updated", as a published edit in the studio
    revision = post.revisions.order_by("-created_at").first()
    assert revision.author == keys[0].user and revision.kind == Revision.Kind.SAVE
    assert revision.data["title"] == "A corrected headline"


def test_a_stale_edit_is_a_409_and_kept(admin, post):
    read = one(admin("get", f"posts/{ids.encode(post.pk)}/"))
    first = admin(
        "put",
        f"posts/{read['id']}/",
        json={"posts": [{"title": "First edit", "updated_at": read["updated_at"]}]},
    )
    assert first.status_code == 200

    stale = admin(
        "put",
        f"posts/{read['id']}/",
        json={"posts": [{"title": "Second edit", "updated_at": read["updated_at"]}]},
    )

    ghost_error(stale, 409, "UpdateCollisionError")
    post.refresh_from_db()
    assert post.title == "First edit"
    kept = post.revisions.get(kind=Revision.Kind.CONFLICT)
    assert kept.data["title"] == "Second edit"


@pytest.mark.parametrize("updated_at", [None, "", "yesterday", 5])
def test_an_edit_without_a_good_updated_at_is_a_422(admin, post, updated_at):
    sent = {"title": "Changed"}
    if updated_at is not None:
        sent["updated_at"] = updated_at
    response = admin("put", f"posts/{ids.encode(post.pk)}/", json={"posts": [sent]})
    ghost_error(response, 422, "ValidationError")
    post.refresh_from_db()
    assert post.title != "Changed"


def test_edit_to_draft_takes_it_off_the_site(admin, post, client):
    read = one(admin("get", f"posts/{ids.encode(post.pk)}/"))
    response = admin(
        "put",
        f"posts/{read['id']}/",
        json={"posts": [{"status": "draft", "updated_at": read["updated_at"]}]},
    )
    assert response.status_code == 200 and one(response)["status"] == "draft"
    assert client.get(post.get_absolute_url()).status_code == 404


def test_editing_an_unknown_post_is_a_404(admin, db):
    response = admin(
        "put",
        f"posts/{ids.encode(999)}/",
        json={"posts": [{"title": "X", "updated_at": "2026-01-01T00:00:00.000Z"}]},
    )
    ghost_error(response, 404, "NotFoundError")


# Posts: deleting --------------------------------------------------------------------------


def test_delete_moves_the_post_to_the_trash(admin, post, client, content_get):
    response = admin("delete", f"posts/{ids.encode(post.pk)}/")
    assert response.status_code == 204 and response.content == b""
    post.refresh_from_db()
    assert post.trashed_at is not None  # kept, to restore
    assert client.get(post.get_absolute_url()).status_code == 404
    assert content_get(f"posts/slug/{post.slug}/").status_code == 404
    ghost_error(admin("delete", f"posts/{ids.encode(post.pk)}/"), 404, "NotFoundError")


# The integration's role -------------------------------------------------------------------


def test_a_contributor_integration_cannot_publish(as_role, owner):
    call, _ = as_role(Role.CONTRIBUTOR)
    response = call("post", "posts/", json={"posts": [{"title": "Go", "status": "published"}]})
    ghost_error(response, 403, "NoPermissionError")
    assert not Post.objects.filter(title="Go").exists()


def test_a_contributor_integration_can_add_a_draft(as_role, owner):
    call, integration = as_role(Role.CONTRIBUTOR)
    response = call("post", "posts/", json={"posts": [{"title": "Draft by a bot"}]})
    assert response.status_code == 201, response.content
    post = Post.objects.get(title="Draft by a bot")
    assert post.status == Post.Status.DRAFT
    assert post.author == integration.user  # it may not write in the owner's name


def test_an_author_integration_cannot_edit_someone_elses_post(as_role, post):
    call, _ = as_role(Role.AUTHOR)
    read = one(call("get", f"posts/{ids.encode(post.pk)}/"))
    response = call(
        "put",
        f"posts/{read['id']}/",
        json={"posts": [{"title": "Hijacked", "updated_at": read["updated_at"]}]},
    )
    ghost_error(response, 403, "NoPermissionError")
    ghost_error(call("delete", f"posts/{read['id']}/"), 403, "NoPermissionError")
    post.refresh_from_db()
    assert post.title != "Hijacked" and post.trashed_at is None


def test_an_editor_integration_can_edit_anyones_post(as_role, post):
    call, _ = as_role(Role.EDITOR)
    read = one(call("get", f"posts/{ids.encode(post.pk)}/"))
    response = call(
        "put",
        f"posts/{read['id']}/",
        json={"posts": [{"title": "Edited by the desk", "updated_at": read["updated_at"]}]},
    )
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.title == "Edited by the desk"


@pytest.mark.parametrize(
    ("method", "path", "sent"),
    [
        ("post", "pages/", {"pages": [{"title": "About"}]}),
        ("post", "tags/", {"tags": [{"name": "Politics"}]}),
    ],
)
def test_pages_and_tags_need_an_editor(as_role, method, path, sent):
    call, _ = as_role(Role.AUTHOR)
    ghost_error(call(method, path, json=sent), 403, "NoPermissionError")
    assert not Page.objects.exists() and not Tag.objects.exists()


def test_an_author_integration_cannot_edit_or_delete_a_tag(as_role, make_tag):
    tag = make_tag("Economics")
    call, _ = as_role(Role.AUTHOR)
    path = f"tags/{ids.encode(tag.pk)}/"
    ghost_error(call("put", path, json={"tags": [{"name": "X"}]}), 403, "NoPermissionError")
    ghost_error(call("delete", path), 403, "NoPermissionError")
    assert Tag.objects.get(pk=tag.pk).name == "Economics"


# Pages ------------------------------------------------------------------------------------


def test_pages_add_edit_delete(admin, client, content_get):
    added = admin(
        "post",
        "pages/",
        json={"pages": [{"title": "About us", "markdown": "We *write*.", "status": "published"}]},
    )
    assert added.status_code == 201, added.content
    page = one(added, "pages")
    assert page["slug"] == "about-us" and page["status"] == "published"
    assert "We <em>write</em>." in content_get("pages/slug/about-us/").json()["pages"][0]["html"]
    assert (
        "We <em>write</em>." in client.get(Page.objects.get().get_absolute_url()).content.decode()
    )

    edited = admin(
        "put",
        f"pages/{page['id']}/",
        json={"pages": [{"title": "About", "updated_at": page["updated_at"]}]},
    )
    assert edited.status_code == 200, edited.content
    assert one(edited, "pages")["title"] == "About"
    assert content_get("pages/slug/about-us/").json()["pages"][0]["title"] == "About"

    assert admin("delete", f"pages/{page['id']}/").status_code == 204
    assert not Page.objects.exists()
    ghost_error(content_get("pages/slug/about-us/"), 404, "NotFoundError")


def test_a_page_cannot_be_scheduled(admin):
    response = admin("post", "pages/", json={"pages": [{"title": "P", "status": "scheduled"}]})
    ghost_error(response, 422, "ValidationError")


def test_a_stale_page_edit_is_a_409(admin):
    page = one(admin("post", "pages/", json={"pages": [{"title": "About"}]}), "pages")
    path = f"pages/{page['id']}/"
    assert (
        admin(
            "put", path, json={"pages": [{"title": "One", "updated_at": page["updated_at"]}]}
        ).status_code
        == 200
    )
    stale = admin("put", path, json={"pages": [{"title": "Two", "updated_at": page["updated_at"]}]})
    ghost_error(stale, 409, "UpdateCollisionError")
    assert Page.objects.get().title == "One"


# Tags -------------------------------------------------------------------------------------


def test_tags_add_edit_delete(admin, make_post):
    added = admin("post", "tags/", json={"tags": [{"name": "Politics", "description": "Votes"}]})
    assert added.status_code == 201, added.content
    tag = one(added, "tags")
    assert tag["slug"] == "politics" and tag["description"] == "Votes"
    post = make_post(tags=[Tag.objects.get(slug="politics")])

    edited = admin("put", f"tags/{tag['id']}/", json={"tags": [{"name": "Government"}]})
    assert edited.status_code == 200 and one(edited, "tags")["name"] == "Government"
    assert [t["name"] for t in admin("get", "tags/").json()["tags"]] == ["Government"]

    assert admin("delete", f"tags/{tag['id']}/").status_code == 204
    assert not Tag.objects.exists()
    assert Post.objects.filter(pk=post.pk).exists()  # the post stays, without it


@pytest.mark.parametrize("name", ["Politics", " Politics "])
def test_a_duplicate_tag_name_is_a_422(admin, make_tag, name):
    make_tag("Politics")
    response = admin("post", "tags/", json={"tags": [{"name": name}]})
    ghost_error(response, 422, "ValidationError")
    assert Tag.objects.count() == 1


@pytest.mark.parametrize(
    "sent", [{"name": ""}, {"name": "x" * 101}, {"name": 5}, {"name": "Ok", "slug": "Not A Slug"}]
)
def test_a_bad_tag_is_a_422(admin, db, sent):
    ghost_error(admin("post", "tags/", json={"tags": [sent]}), 422, "ValidationError")
    assert not Tag.objects.exists()


# Images -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def png_file(size=(40, 30), name="chart.png") -> io.BytesIO:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (20, 20, 220)).save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def upload(client, admin_key: str, **fields):
    return client.post(
        "/ghost/api/admin/images/upload/",
        fields,
        HTTP_AUTHORIZATION=f"Ghost {admin_token(admin_key)}",
    )


def test_an_image_upload_answers_an_address_that_serves(client, keys, media_root):
    response = upload(client, keys[2], file=png_file(), ref="my-chart")
    assert response.status_code == 201, response.content
    image = one(response, "images")
    assert image["url"].startswith("http://testserver/media/")
    assert image["ref"] == "my-chart"

    # /media/ is served from MEDIA_ROOT as it was at start (the URL pattern holds it), so
    # the view is called with this test's folder.
    path = image["url"].removeprefix("http://testserver")
    match = resolve(path)
    served = match.func(RequestFactory().get(path), **{**match.kwargs, "document_root": media_root})
    assert served.status_code == 200
    data = b"".join(served.streaming_content)
    assert PILImage.open(io.BytesIO(data)).size == (40, 30)


def test_an_uploaded_image_can_be_a_feature_image(client, keys, admin, owner, content_get):
    url = one(upload(client, keys[2], file=png_file()), "images")["url"]
    response = admin(
        "post",
        "posts/",
        json={"posts": [{"title": "Pictured", "feature_image": url, "status": "published"}]},
    )
    assert response.status_code == 201, response.content
    got = content_get("posts/slug/pictured/").json()["posts"][0]
    assert got["feature_image"] == url


def test_a_non_image_is_a_422(client, keys):
    text = io.BytesIO(b"just some words, not a picture")
    text.name = "notes.png"
    ghost_error(upload(client, keys[2], file=text), 422, "ValidationError")


def test_no_file_is_a_422(client, keys):
    ghost_error(upload(client, keys[2], ref="x"), 422, "ValidationError")


def test_a_too_large_image_is_a_413(client, keys, settings, media_root):
    settings.BROADSHEET_MAX_UPLOAD_BYTES = 100
    response = upload(client, keys[2], file=png_file((400, 400)))  # 1,390 bytes
    ghost_error(response, 413, "RequestEntityTooLargeError")
    stored = [p for p in media_root.rglob("*") if p.is_file()] if media_root.exists() else []
    assert stored == []


def test_a_contributor_integration_may_upload_but_a_revoked_one_not(client, db):
    integration, issued = create_integration(actor=None, name="C", role=Role.CONTRIBUTOR)
    assert upload(client, issued.admin_key, file=png_file()).status_code == 201
    revoke_integration(actor=None, integration=integration)
    ghost_error(upload(client, issued.admin_key, file=png_file()), 401, "UnauthorizedError")


# Bad input --------------------------------------------------------------------------------


def _send(client, keys, body: bytes | str, content_type: str = "application/json"):
    return client.post(
        "/ghost/api/admin/posts/",
        body,
        content_type=content_type,
        HTTP_AUTHORIZATION=f"Ghost {admin_token(keys[2])}",
    )


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe", b'{"posts": [', b"posts"])
def test_a_body_that_is_not_json_is_a_400(client, keys, owner, body):
    ghost_error(_send(client, keys, body), 400, "BadRequestError")
    assert not Post.objects.exists()


@pytest.mark.parametrize("body", [b'"posts"', b"null", b"42", b"[]"])
def test_json_that_is_no_object_is_a_422(client, keys, owner, body):
    ghost_error(_send(client, keys, body), 422, "ValidationError")


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_a_body_that_is_not_sent_as_json_is_a_415(client, keys, owner, content_type):
    response = _send(client, keys, '{"posts": [{"title": "T"}]}', content_type)
    ghost_error(response, 415, "UnsupportedMediaTypeError")
    assert not Post.objects.exists()


@pytest.mark.parametrize(
    "sent",
    [
        {"posts": {}},
        {"posts": {"title": "T"}},
        {"posts": []},
        {"posts": [{"title": "A"}, {"title": "B"}]},
        {"posts": ["T"]},
        {"post": [{"title": "T"}]},
        [{"title": "T"}],
        {"posts": [{"title": 123}]},
        {"posts": [{"title": None}]},
        {"posts": [{"title": "T", "featured": "yes"}]},
        {"posts": [{"title": "T", "tags": "x"}]},
        {"posts": [{"title": "T", "tags": [5]}]},
        {"posts": [{"title": "T", "status": "live"}]},
        {"posts": [{"title": "T", "markdown": ["a"]}]},
        {"posts": [{"title": "T", "feature_image": "https://elsewhere.example/x.png"}]},
        {"posts": [{"title": "T", "slug": "Not A Slug!"}]},
        {"posts": [{"title": "T", "published_at": "soon", "status": "scheduled"}]},
        {"posts": [{"title": "x" * 500}]},
        {"posts": [{"title": "T", "meta_title": "x" * 500}]},
        {"posts": [{"title": "T", "meta_description": "x" * 500}]},
        {"posts": [{"title": "T", "custom_excerpt": "x" * 5000}]},
        {"posts": [{"title": "T", "feature_image_alt": "x" * 5000}]},
        {"posts": [{"title": "T", "slug": "x" * 500}]},
    ],
)
def test_a_malformed_post_is_a_422(admin, owner, sent):
    ghost_error(admin("post", "posts/", json=sent), 422, "ValidationError")
    assert not Post.objects.exists()


def test_a_title_of_500_characters_is_a_422_on_edit_too(admin, post):
    read = one(admin("get", f"posts/{ids.encode(post.pk)}/"))
    response = admin(
        "put",
        f"posts/{read['id']}/",
        json={"posts": [{"title": "x" * 500, "updated_at": read["updated_at"]}]},
    )
    error = ghost_error(response, 422, "ValidationError")
    assert error["context"] == "title"


def test_a_huge_body_is_a_413_in_json(client, keys, owner, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"posts": [{"title": "Huge", "markdown": "x" * 5000}]})
    response = _send(client, keys, body)
    ghost_error(response, 413, "RequestEntityTooLargeError")
    assert b"<html" not in response.content.lower()
    assert not Post.objects.exists()


def test_a_wrong_method_is_a_405(admin, post):
    ghost_error(admin("patch", "posts/", json={}), 405, "MethodNotAllowedError")


def test_an_unknown_admin_path_is_a_json_404(admin, db):
    ghost_error(admin("get", "members/"), 404, "NotFoundError")


# Rate limits ------------------------------------------------------------------------------


def test_writes_past_the_rate_limit_are_a_429(admin, owner, settings):
    settings.BROADSHEET_API_WRITES_PER_MINUTE = 2
    for n in range(2):
        assert admin("post", "posts/", json={"posts": [{"title": f"P{n}"}]}).status_code == 201
    response = admin("post", "posts/", json={"posts": [{"title": "P3"}]})
    ghost_error(response, 429, "TooManyRequestsError")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert not Post.objects.filter(title="P3").exists()
    assert admin("get", "posts/").status_code == 200  # reads count apart


def test_reads_past_the_rate_limit_are_a_429(admin, post, settings):
    settings.BROADSHEET_API_READS_PER_MINUTE = 2
    assert admin("get", "posts/").status_code == 200
    assert admin("get", "tags/").status_code == 200
    response = admin("get", "posts/")
    ghost_error(response, 429, "TooManyRequestsError")
    assert int(response["Retry-After"]) >= 1


@pytest.mark.parametrize(
    "name",
    ["Poli\x00tics", "Poli\udaa2tics"],
    ids=["a NUL character", "half a surrogate pair"],
)
def test_text_no_column_can_store_is_a_422(admin, name):
    """Found by the OpenAPI fuzz test on PostgreSQL: a tag renamed to a name with a NUL
    reached a uniqueness query, which PostgreSQL refuses (a 500)."""
    tag = admin("post", "tags/", json={"tags": [{"name": "Politics"}]}).json()["tags"][0]
    for method, path in [("put", f"tags/{tag['id']}/"), ("post", "tags/"), ("post", "posts/")]:
        body = {"posts": [{"title": name}]} if path == "posts/" else {"tags": [{"name": name}]}
        response = admin(method, path, json=body)
        assert response.status_code == 422, (method, path)
    assert [t["name"] for t in admin("get", "tags/").json()["tags"]] == ["Politics"]
