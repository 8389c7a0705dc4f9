"""The Content API through HTTP, as Ghost's client and static-site builders read it: the
envelope, the fields, what stays hidden, the parameters, keys, CORS and caching, the
number of queries, and the fast path's stored answers."""

import datetime
import re

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import Role
from broadsheet.api import ids
from broadsheet.comments.models import Comment
from broadsheet.content import services
from broadsheet.content.models import Page, Post
from broadsheet.core.board import board
from broadsheet.core.selectors import get_site_settings
from broadsheet.integrations.services import create_integration, revoke_integration

GHOST_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$")
HEX24 = re.compile(r"^[0-9a-f]{24}$")


def comment(post: Post, status: str = Comment.Status.APPROVED) -> Comment:
    return Comment.objects.create(
        post=post, name="Reader", body="Well said", body_html="<p>Well said</p>", status=status
    )


def ghost_error(response, status: int, type_: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert len(errors) == 1 and errors[0]["type"] == type_ and errors[0]["message"]
    return errors[0]


# The envelope -----------------------------------------------------------------------------


def test_browse_has_ghosts_envelope_and_pagination(content_get, make_post):
    for _ in range(5):
        make_post()

    first = content_get("posts/", limit="2").json()
    middle = content_get("posts/", limit="2", page="2").json()
    last = content_get("posts/", limit="2", page="3").json()

    assert set(first) == {"posts", "meta"}
    assert first["meta"]["pagination"] == {
        "page": 1,
        "limit": 2,
        "pages": 3,
        "total": 5,
        "next": 2,
        "prev": None,
    }
    assert middle["meta"]["pagination"] | {} == {
        "page": 2,
        "limit": 2,
        "pages": 3,
        "total": 5,
        "next": 3,
        "prev": 1,
    }
    assert last["meta"]["pagination"]["next"] is None
    assert last["meta"]["pagination"]["prev"] == 2
    assert len(first["posts"]) == len(middle["posts"]) == 2 and len(last["posts"]) == 1
    seen = [p["id"] for page in (first, middle, last) for p in page["posts"]]
    assert len(set(seen)) == 5


def test_an_empty_site_has_one_page_of_nothing(content_get, db):
    body = content_get("posts/").json()
    assert body["posts"] == []
    assert body["meta"]["pagination"] == {
        "page": 1,
        "limit": 15,
        "pages": 1,
        "total": 0,
        "next": None,
        "prev": None,
    }


def test_read_by_id_and_by_slug_is_a_list_of_one_without_meta(content_get, post):
    by_id = content_get(f"posts/{ids.encode(post.pk)}/")
    by_slug = content_get(f"posts/slug/{post.slug}/")

    for response in (by_id, by_slug):
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"posts"}
        assert [p["slug"] for p in body["posts"]] == [post.slug]


def test_settings_is_an_object(content_get, db):
    site = get_site_settings()
    body = content_get("settings/").json()
    assert isinstance(body["settings"], dict)
    assert body["settings"]["title"] == site.title
    assert body["settings"]["url"] == "http://testserver/"


@pytest.mark.parametrize(
    "path",
    [
        "posts/{missing}/",
        "posts/slug/no-such-post/",
        "posts/12/",  # not 24 hex
        "posts/ZZZZZZZZZZZZZZZZZZZZZZZZ/",
        "posts/000000000000000000000000/",
        "posts/ffffffffffffffffffffffff/",  # beyond any key
        "pages/slug/no-such-page/",
        "tags/slug/no-such-tag/",
        "authors/slug/nobody/",
        "tags/{missing}/",
    ],
)
def test_unknown_or_malformed_ids_are_ghosts_404(content_get, post, path):
    response = content_get(path.format(missing=ids.encode(post.pk + 1000)))
    error = ghost_error(response, 404, "NotFoundError")
    assert set(error) >= {"message", "type"}
    assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "path", ["/ghost/api/content/nothing/", "/ghost/api/v4/content/posts/", "/ghost/api/x"]
)
def test_an_unknown_path_under_the_api_is_a_json_404(client, keys, path):
    response = client.get(path, {"key": keys[1]})
    ghost_error(response, 404, "NotFoundError")


# The post's fields ------------------------------------------------------------------------


def test_a_post_has_ghosts_fields(content_get, make_post, make_tag, author):
    economics, small = make_tag("Economics"), make_tag("Small things")
    post = make_post(
        "Counting pennies",
        body="One two three four.\n\n[elsewhere](/about/)",
        custom_excerpt="A short summary",
        seo_title="Pennies, counted",
        seo_description="All about pennies",
        featured=True,
        tags=[economics, small],
    )
    Post.objects.filter(pk=post.pk).update(view_count=12, like_count=3)
    comment(post)
    comment(post)
    comment(post, Comment.Status.PENDING)
    comment(post, Comment.Status.SPAM)
    post.refresh_from_db()

    got = content_get(f"posts/slug/{post.slug}/", include="tags,authors").json()["posts"][0]

    assert got["id"] == ids.encode(post.pk) and HEX24.match(got["id"])
    assert got["uuid"] == str(post.uuid)
    assert got["title"] == "Counting pennies"
    assert got["slug"] == post.slug
    assert "<p>One two three four.</p>" in got["html"]
    assert "plaintext" not in got
    assert got["excerpt"] == "A short summary"
    assert got["custom_excerpt"] == "A short summary"
    assert got["feature_image"] is None and got["feature_image_alt"] is None
    assert got["featured"] is True
    for field in ("published_at", "updated_at", "created_at"):
        assert GHOST_DATE.match(got[field]), (field, got[field])
    published = datetime.datetime.fromisoformat(got["published_at"])
    assert abs(published - post.published_at) < datetime.timedelta(milliseconds=1)
    assert got["reading_time"] == 1
    assert got["url"] == f"http://testserver{post.get_absolute_url()}"
    assert got["canonical_url"] is None
    assert got["meta_title"] == "Pennies, counted"
    assert got["meta_description"] == "All about pennies"
    assert [t["slug"] for t in got["tags"]] == ["economics", "small-things"]
    assert got["primary_tag"]["slug"] == "economics"
    assert [a["slug"] for a in got["authors"]] == [author.slug]
    assert got["primary_author"]["name"] == author.public_name
    assert got["primary_author"]["url"].startswith("http://testserver/")
    assert got["views"] == 12 and got["likes"] == 3
    assert got["comment_count"] == 2  # approved only


def test_tags_and_authors_come_only_with_include(content_get, make_post, make_tag):
    make_post(tags=[make_tag("Economics")])
    got = content_get("posts/").json()["posts"][0]
    for key in ("tags", "authors", "primary_tag", "primary_author"):
        assert key not in got
    only_tags = content_get("posts/", include="tags").json()["posts"][0]
    assert "tags" in only_tags and "authors" not in only_tags


def test_a_post_without_tags_has_a_null_primary_tag(content_get, post):
    got = content_get("posts/", include="tags").json()["posts"][0]
    assert got["tags"] == [] and got["primary_tag"] is None


def test_plaintext_only_when_asked(content_get, post):
    both = content_get("posts/", formats="html,plaintext").json()["posts"][0]
    only_text = content_get("posts/", formats="plaintext").json()["posts"][0]
    assert "First paragraph." in both["plaintext"] and "<p>" not in both["plaintext"]
    assert "<p>First paragraph.</p>" in both["html"]
    assert "plaintext" in only_text and "html" not in only_text


def test_the_excerpt_is_made_from_the_body_without_a_custom_one(content_get, post):
    got = content_get("posts/").json()["posts"][0]
    assert got["custom_excerpt"] is None
    assert got["excerpt"].startswith("First paragraph.")


def test_fields_returns_just_those(content_get, post):
    got = content_get("posts/", fields="title,slug").json()["posts"]
    assert got == [{"title": post.title, "slug": post.slug}]


def test_local_addresses_in_the_html_are_made_absolute(content_get, make_post):
    post = make_post(body="![A chart](/media/chart.png)\n\n[Read more](/about/)")
    html = content_get(f"posts/{ids.encode(post.pk)}/").json()["posts"][0]["html"]
    assert 'src="http://testserver/media/chart.png"' in html
    assert 'href="http://testserver/about/"' in html
    assert 'src="/media' not in html and 'href="/about' not in html


def test_a_long_post_has_its_reading_time_in_minutes(content_get, make_post):
    make_post(body=" ".join(["word"] * 1000))  # 1000 / 275 words a minute
    assert content_get("posts/").json()["posts"][0]["reading_time"] == 4


# Tags and authors -------------------------------------------------------------------------


def test_counts_of_tags_and_authors_count_only_public_posts(
    content_get, make_post, make_tag, author
):
    economics = make_tag("Economics")
    make_post(tags=[economics])
    make_post(tags=[economics])
    make_post(tags=[economics], status=Post.Status.DRAFT)
    trashed = make_post(tags=[economics])
    Post.objects.filter(pk=trashed.pk).update(trashed_at=timezone.now())
    future = make_post(tags=[economics])
    Post.objects.filter(pk=future.pk).update(
        status=Post.Status.SCHEDULED, published_at=timezone.now() + datetime.timedelta(days=1)
    )

    tag = content_get("tags/", include="count.posts").json()["tags"][0]
    person = content_get("authors/", include="count.posts").json()["authors"][0]
    one_tag = content_get(f"tags/slug/{economics.slug}/", include="count.posts").json()
    one_author = content_get(f"authors/slug/{author.slug}/", include="count.posts").json()

    assert tag["count"] == {"posts": 2}
    assert person["count"] == {"posts": 2}
    assert one_tag["tags"][0]["count"] == {"posts": 2}
    assert one_author["authors"][0]["count"] == {"posts": 2}
    assert "count" not in content_get("tags/").json()["tags"][0]


def test_authors_lists_only_people_with_a_public_post(
    content_get, make_post, make_author, make_staff, author
):
    make_post()
    drafter = make_author("Only Drafts")
    make_post(author=drafter, status=Post.Status.DRAFT)
    make_author("No Posts At All")
    make_staff(Role.EDITOR)
    integration, _ = create_integration(actor=None, name="Robot Writer", role=Role.AUTHOR)
    make_post(author=integration.user)  # an author integration's own published post

    names = [a["name"] for a in content_get("authors/").json()["authors"]]

    assert author.public_name in names
    assert "Only Drafts" not in names and "No Posts At All" not in names
    assert "Robot Writer" in names and "Static site" not in names
    assert content_get(f"authors/slug/{drafter.slug}/").status_code == 404


# What stays hidden ------------------------------------------------------------------------


@pytest.fixture
def hidden(make_post, make_tag):
    """A post of each kind no reader may see, all tagged `secret`."""
    secret = make_tag("Secret")
    draft = make_post("A draft", status=Post.Status.DRAFT, tags=[secret])
    review = make_post("In review", status=Post.Status.REVIEW, tags=[secret])
    scheduled = make_post("Not yet", status=Post.Status.DRAFT, tags=[secret])
    Post.objects.filter(pk=scheduled.pk).update(
        status=Post.Status.SCHEDULED, published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    trashed = make_post("Thrown away", tags=[secret])
    Post.objects.filter(pk=trashed.pk).update(trashed_at=timezone.now())
    return [draft, review, scheduled, trashed]


def test_hidden_posts_never_appear(content_get, hidden, post):
    browsed = content_get("posts/", limit="all").json()
    assert [p["slug"] for p in browsed["posts"]] == [post.slug]
    assert browsed["meta"]["pagination"]["total"] == 1
    for secret in hidden:
        assert content_get(f"posts/slug/{secret.slug}/").status_code == 404
        assert content_get(f"posts/{ids.encode(secret.pk)}/").status_code == 404


@pytest.mark.parametrize(
    "expression",
    [
        "status:draft",
        "status:scheduled",
        "status:[draft,scheduled,published]",
        "tag:secret",
        "title:'A draft'",
        "title:~'draft'",
        "slug:a-draft",
        "published_at:>now",
        "published_at:>'2100-01-01'",
    ],
)
def test_no_filter_reveals_a_hidden_post(content_get, hidden, expression):
    response = content_get("posts/", filter=expression, limit="all")
    assert response.status_code == 200, response.content  # answered, and still hidden
    slugs = {p["slug"] for p in response.json()["posts"]}
    assert slugs.isdisjoint({secret.slug for secret in hidden})
    assert response.json()["meta"]["pagination"]["total"] == len(slugs)


def test_a_scheduled_post_appears_once_its_time_has_passed(content_get, make_post):
    post = make_post("Right on time", status=Post.Status.DRAFT)
    Post.objects.filter(pk=post.pk).update(
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + datetime.timedelta(minutes=5),
    )
    assert content_get("posts/").json()["posts"] == []

    Post.objects.filter(pk=post.pk).update(
        published_at=timezone.now() - datetime.timedelta(seconds=1)
    )  # its time came; no worker has marked it published yet

    assert [p["slug"] for p in content_get("posts/").json()["posts"]] == [post.slug]
    assert content_get(f"posts/slug/{post.slug}/").status_code == 200


def test_draft_pages_never_appear(content_get, db):
    Page.objects.create(title="About", slug="about", body="Us", status=Page.Status.PUBLISHED)
    Page.objects.create(title="Secret", slug="secret", body="Shh", status=Page.Status.DRAFT)
    assert [p["slug"] for p in content_get("pages/").json()["pages"]] == ["about"]
    assert content_get("pages/slug/secret/").status_code == 404
    assert content_get("pages/slug/about/").json()["pages"][0]["title"] == "About"


# Parameters -------------------------------------------------------------------------------


def test_limits(content_get, make_post):
    Post.objects.bulk_create(
        [
            Post(
                title=f"Bulk {n}",
                slug=f"bulk-{n}",
                author=make_post().author,
                status=Post.Status.PUBLISHED,
                published_at=timezone.now() - datetime.timedelta(minutes=n + 1),
            )
            for n in range(110)
        ]
    )

    def limit_of(**params):
        body = content_get("posts/", fields="id", **params).json()
        return body["meta"]["pagination"]["limit"], len(body["posts"])

    assert limit_of() == (15, 15)
    assert limit_of(limit="100") == (100, 100)
    assert limit_of(limit="101") == (100, 100)
    assert limit_of(limit="all") == (100, 100)
    assert limit_of(limit="3") == (3, 3)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "-5"}, "limit"),
        ({"limit": "lots"}, "limit"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"order": "colour desc"}, "order"),
        ({"order": "title sideways"}, "order"),
        ({"order": "title; drop table"}, "order"),
    ],
)
def test_bad_parameters_are_a_422_naming_the_parameter(content_get, post, params, named):
    error = ghost_error(content_get("posts/", **params), 422, "ValidationError")
    assert error["context"] == named or named in error["message"]


def test_order(content_get, make_post):
    make_post("Banana", days_ago=3)
    make_post("Apple", days_ago=1)
    make_post("Cherry", days_ago=2)

    def titles(order):
        return [p["title"] for p in content_get("posts/", order=order).json()["posts"]]

    assert titles("published_at desc") == ["Apple", "Cherry", "Banana"]
    assert titles("published_at asc") == ["Banana", "Cherry", "Apple"]
    assert titles("title asc") == ["Apple", "Banana", "Cherry"]
    assert titles("title desc") == ["Cherry", "Banana", "Apple"]
    assert titles("") == ["Apple", "Cherry", "Banana"]  # newest first


@pytest.mark.parametrize(
    "expression", ["tag:", "(featured:true", "featured:true+", "title:'open", "tag:[a,b"]
)
def test_a_malformed_filter_is_a_422(content_get, post, expression):
    error = ghost_error(content_get("posts/", filter=expression), 422, "ValidationError")
    assert "filter" in error["message"] or error["context"] == "filter"


def test_a_filter_selects(content_get, make_post, make_tag):
    economics = make_tag("Economics")
    tagged = make_post(tags=[economics])
    make_post()
    got = content_get("posts/", filter="tag:economics").json()
    assert [p["id"] for p in got["posts"]] == [ids.encode(tagged.pk)]
    assert got["meta"]["pagination"]["total"] == 1


# Keys -------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", [None, "", "0" * 26, "not-a-key", "x" * 5000])
def test_a_missing_or_wrong_key_is_a_401(client, keys, post, key):
    params = {} if key is None else {"key": key}
    response = client.get("/ghost/api/content/posts/", params)
    ghost_error(response, 401, "UnauthorizedError")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_revoked_key_stops_at_once(content_get, keys, post):
    assert content_get("posts/").status_code == 200
    revoke_integration(actor=None, integration=keys[0])
    ghost_error(content_get("posts/"), 401, "UnauthorizedError")


def test_the_admin_key_is_no_content_key(content_get, keys, post):
    ghost_error(content_get("posts/", key=keys[2]), 401, "UnauthorizedError")


# CORS and caching -------------------------------------------------------------------------


def test_cors_version_and_cache_headers_on_answers(content_get, post):
    response = content_get("posts/")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Version"] == "v6.0"
    assert response["Cache-Control"].startswith("public")
    assert response["ETag"]


def test_cors_on_errors(content_get, client, post):
    for response in (
        content_get("posts/", limit="lots"),
        content_get("posts/slug/nope/"),
        client.get("/ghost/api/content/posts/"),
    ):
        assert response.status_code >= 400
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Content-Version"] == "v6.0"


def test_a_preflight_is_a_204_with_cors(client, db):
    response = client.options(
        "/ghost/api/content/posts/",
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="accept-version",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "accept-version" in response["Access-Control-Allow-Headers"].lower()


def test_etag_and_304(content_get, client, keys, post):
    first = content_get("posts/")
    again = client.get(
        "/ghost/api/content/posts/",
        {"key": keys[1]},
        HTTP_IF_NONE_MATCH=first["ETag"],
    )
    assert again.status_code == 304 and again.content == b""

    post.title = "A new headline"
    services.save_post(post)
    changed = client.get(
        "/ghost/api/content/posts/", {"key": keys[1]}, HTTP_IF_NONE_MATCH=first["ETag"]
    )
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_read_past_the_rate_limit_is_a_429(content_get, post, settings):
    settings.BROADSHEET_API_READS_PER_MINUTE = 2
    assert content_get("posts/").status_code == 200
    assert content_get("tags/").status_code == 200
    response = content_get("posts/")
    ghost_error(response, 429, "TooManyRequestsError")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Access-Control-Allow-Origin"] == "*"


# Queries ----------------------------------------------------------------------------------


def _site_of(make_post, make_tag, make_author, n: int) -> None:
    tags = [make_tag(f"Tag {i}") for i in range(4)]
    writers = [make_author(f"Writer {i}") for i in range(3)]
    for i in range(n):
        post = make_post(author=writers[i % 3], tags=tags[: 1 + i % 4])
        for _ in range(i % 3 + 1):
            comment(post)


BROWSE_QUERIES = 5  # the key; the page of posts; covers, authors, tags; comment counts
# (`limit` < the rows: the page's total as well)


@pytest.mark.parametrize("n", [3, 30])
def test_a_browse_is_a_fixed_number_of_queries(
    content_get, make_post, make_tag, make_author, django_assert_num_queries, n
):
    _site_of(make_post, make_tag, make_author, n)
    content_get("settings/")  # the site's settings, read once a process
    with django_assert_num_queries(BROWSE_QUERIES + 1):  # + the total: 15 of 30, or of 3
        body = content_get("posts/", include="tags,authors", limit="2").json()
    assert len(body["posts"]) == 2 and all(p["tags"] and p["authors"] for p in body["posts"])
    with django_assert_num_queries(BROWSE_QUERIES):  # the total: kept for the generation
        body = content_get("posts/", include="tags,authors").json()
    assert len(body["posts"]) == min(n, 15)
    assert all(p["comment_count"] >= 1 for p in body["posts"])
    assert body["meta"]["pagination"]["total"] == n


def test_the_total_follows_what_is_published(
    content_get, make_post, make_staff, django_capture_on_commit_callbacks
):
    for _ in range(3):
        make_post()
    assert content_get("posts/", limit="1").json()["meta"]["pagination"]["total"] == 3

    with django_capture_on_commit_callbacks(execute=True):  # the generation moves on
        post = make_post()
    assert content_get("posts/", limit="1").json()["meta"]["pagination"]["total"] == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.trash_post(actor=make_staff("editor"), post=post)
    assert content_get("posts/", limit="1").json()["meta"]["pagination"]["total"] == 3


# The fast path ----------------------------------------------------------------------------


def test_the_fast_path_keeps_one_answer_per_query(
    fast, live_keys, make_post, make_tag, django_assert_num_queries
):
    economics = make_tag("Economics")
    tagged = make_post(tags=[economics])
    other = make_post()
    key = live_keys[1]

    by_tag = fast("/ghost/api/content/posts/", f"key={key}&filter=tag:economics")
    by_id = fast("/ghost/api/content/posts/", f"key={key}&filter=id:{ids.encode(other.pk)}")
    assert by_tag.status_code == by_id.status_code == 200
    assert ids.encode(tagged.pk).encode() in by_tag.body
    assert ids.encode(other.pk).encode() not in by_tag.body
    assert ids.encode(other.pk).encode() in by_id.body
    assert by_tag.headers["access-control-allow-origin"] == "*"

    # No render, no key lookup: Django runs no query (the live counts are read straight
    # through the driver, `fastpath.live.LiveBody.read_counts`, which Django cannot see).
    with django_assert_num_queries(0):
        reordered = fast("/ghost/api/content/posts/", f"filter=tag:economics&key={key}")
    assert reordered.body == by_tag.body
    assert reordered.headers["content-type"].startswith("application/json")
    assert not any(name.startswith("x-broadsheet") for name in reordered.headers)


def test_a_stored_answer_shows_new_counts_without_a_render(
    fast, live_keys, make_post, django_assert_num_queries
):
    post = make_post()
    query = f"key={live_keys[1]}&include=tags,authors"
    first = fast("/ghost/api/content/posts/", query)
    assert b'"views": 0, "likes": 0' in first.body

    with board().counts_write():
        Post.objects.filter(pk=post.pk).update(
            view_count=F("view_count") + 41, like_count=F("like_count") + 2
        )

    with django_assert_num_queries(0):  # no render (the counts: through the driver)
        second = fast("/ghost/api/content/posts/", query)
    got = second.body.decode()
    assert '"views": 41, "likes": 2' in got
    assert got.replace('"views": 41, "likes": 2', '"views": 0, "likes": 0') == first.body.decode()
    assert second.headers["etag"] != first.headers["etag"]


def test_a_stored_answer_is_not_served_after_the_key_is_revoked(
    fast, live_keys, post, django_assert_num_queries
):
    integration, key = live_keys
    path, query = "/ghost/api/content/posts/", f"key={key}"
    assert fast(path, query).status_code == 200
    with django_assert_num_queries(0):
        assert fast(path, query).status_code == 200  # served from the store

    revoke_integration(actor=None, integration=integration)

    answer = fast(path, query)
    assert answer.status_code == 401
    assert b"UnauthorizedError" in answer.body
    assert b"economics" not in answer.body.lower()


def test_a_stored_answer_follows_a_published_edit(fast, live_keys, post):
    path, query = f"/ghost/api/content/posts/slug/{post.slug}/", f"key={live_keys[1]}"
    assert b"The economics of small things" in fast(path, query).body

    post.title = "A corrected headline"
    services.save_post(post)

    assert b"A corrected headline" in fast(path, query).body


def test_a_post_under_an_integrations_account_reads_with_its_author(content_get, make_post):
    """A contributor integration's post goes out under its own account (it may not name
    anyone else); an editor may publish it. Its author has a page, as any author has."""
    integration, _ = create_integration(actor=None, name="Robot Writer", role=Role.CONTRIBUTOR)
    post = make_post(author=integration.user)
    response = content_get(f"posts/slug/{post.slug}/", include="authors")
    assert response.status_code == 200, response.content
    author = response.json()["posts"][0]["primary_author"]
    assert author["name"] == "Robot Writer" and author["url"].endswith("/authors/robot-writer/")
    assert Client().get(f"/posts/{post.slug}/").status_code == 200
    assert Client().get("/authors/robot-writer/").status_code == 200
