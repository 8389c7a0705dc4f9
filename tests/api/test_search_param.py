"""`search`, Broadsheet's own parameter of the posts and pages lists: the site's search
engine behind Ghost's envelope. What it finds and in which order, how it combines with
Ghost's parameters, what each API may find, input that must never fail, what it costs in
queries, and the stored answers and totals it must not share with another search.
(Runs on SQLite by default and on PostgreSQL with BROADSHEET_DATABASE_URL: both engines.)"""

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from broadsheet.api import ids, openapi
from broadsheet.content import services
from broadsheet.content.models import Page, Post
from broadsheet.search.query import LONGEST_QUERY

BROWSE_QUERIES = 5  # as tests/api/test_content_api.py: key, posts, covers/authors/tags, counts


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [post["title"] for post in response.json()["posts"]]


def _page(title: str, *, body: str = "", status: str = Page.Status.PUBLISHED) -> Page:
    slug = title.lower().replace(" ", "-")
    return services.store_page(Page(title=title, slug=slug, body=body, status=status))


# What it finds, in which order -------------------------------------------------------------


def test_a_post_with_the_words_in_its_title_comes_before_one_with_them_in_its_body(
    content_get, make_post
):
    make_post("Lighthouse keepers of the north", body="A life on the rocks.", days_ago=5)
    make_post("Notes from the coast", body="We met the lighthouse keepers at dawn.", days_ago=1)
    make_post("Unrelated", body="Bread and butter.", days_ago=0.5)

    # Newest first would put the body's match first: relevance does not.
    assert _titles(content_get("posts/"))[:2] == ["Unrelated", "Notes from the coast"]
    assert _titles(content_get("posts/", search="lighthouse keepers")) == [
        "Lighthouse keepers of the north",
        "Notes from the coast",
    ]


def test_an_explicit_order_wins_over_relevance(content_get, make_post):
    make_post("Lighthouse keepers", body="In the title.", days_ago=5)
    make_post("Coast notes", body="A lighthouse in the body.", days_ago=1)
    make_post("Other", body="Nothing here.", days_ago=3)

    assert _titles(content_get("posts/", search="lighthouse", order="published_at desc")) == [
        "Coast notes",
        "Lighthouse keepers",
    ]
    assert _titles(content_get("posts/", search="lighthouse", order="title asc")) == [
        "Coast notes",
        "Lighthouse keepers",
    ]


def test_the_query_language_phrases_exclusions_and_prefixes(content_get, make_post):
    make_post("Harbour lights", body="The old harbour at night.")
    # Not a title ending "harbour" over a body starting "lights": PostgreSQL's engine
    # concatenates the weighted texts with no gap, so a phrase matches across the two.
    make_post("Harbour at night", body="Lights of a harbour town.")
    make_post("Harbourmaster", body="A job at sea.")

    assert set(_titles(content_get("posts/", search='"harbour lights"'))) == {"Harbour lights"}
    assert set(_titles(content_get("posts/", search="harbour -night"))) == set()
    assert set(_titles(content_get("posts/", search="harbourm*"))) == {"Harbourmaster"}
    assert set(_titles(content_get("posts/", search="harbour*"))) == {
        "Harbour lights",
        "Harbour at night",
        "Harbourmaster",
    }


def test_pages_are_searched_too(content_get, make_post):
    _page("Contact", body="Write to the editors at the harbour office.")
    _page("About", body="Who we are.")
    _page("Harbour office hours", body="Monday to Friday.")
    _page("Harbour secrets", body="Not yet.", status=Page.Status.DRAFT)
    make_post("Harbour news")  # a post is not a page

    found = content_get("pages/", search="harbour office")
    assert _titles_of(found, "pages") == ["Harbour office hours", "Contact"]
    assert found.json()["meta"]["pagination"]["total"] == 2


def _titles_of(response, resource: str) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [thing["title"] for thing in response.json()[resource]]


@pytest.mark.parametrize("text", ["", "   ", "-harbour", '""', '"', "*", "-", "- * ''", "!?."])
def test_a_query_with_nothing_to_look_for_lists_everything_as_without_it(
    content_get, make_post, text
):
    make_post("Harbour lights")
    make_post("Bread")
    assert content_get("posts/", search=text).json() == content_get("posts/").json()


# With Ghost's parameters ------------------------------------------------------------------


def test_search_combines_with_filter_include_and_fields(content_get, make_post, make_tag):
    news = make_tag("News")
    make_post("Harbour news", tags=[news], featured=True)
    make_post("Harbour gossip", tags=[news])
    make_post("Harbour weather")
    make_post("Town news", tags=[news], featured=True)

    tagged = content_get("posts/", search="harbour", filter="tag:news")
    assert set(_titles(tagged)) == {"Harbour news", "Harbour gossip"}
    assert tagged.json()["meta"]["pagination"]["total"] == 2

    both = content_get(
        "posts/",
        search="harbour",
        filter="tag:news+featured:true",
        include="tags,authors",
        fields="title,slug,tags",
    )
    posts = both.json()["posts"]
    assert [post["title"] for post in posts] == ["Harbour news"]
    assert set(posts[0]) == {"title", "slug", "tags"}
    assert [tag["slug"] for tag in posts[0]["tags"]] == ["news"]

    assert _titles(content_get("posts/", search="harbour", filter="tag:nothing")) == []


def test_pages_of_results_add_up_and_the_total_is_the_matches(content_get, make_post):
    for i in range(7):
        make_post(f"Harbour story {i}", days_ago=i + 1)
    for i in range(4):
        make_post(f"Inland story {i}")

    seen = []
    for number in (1, 2, 3, 4):
        body = content_get("posts/", search="harbour", limit="2", page=str(number)).json()
        assert body["meta"]["pagination"] | {"next": None, "prev": None} == {
            "page": number,
            "limit": 2,
            "pages": 4,
            "total": 7,
            "next": None,
            "prev": None,
        }
        seen += [post["title"] for post in body["posts"]]
    assert sorted(seen) == sorted(f"Harbour story {i}" for i in range(7))  # none twice


def test_the_kept_total_is_the_searchs_own(content_get, make_post):
    """The list's total is kept per content generation and filter: two searches (and no
    search) with the same filter each have their own."""
    for i in range(5):
        make_post(f"Harbour tale {i}")
    for i in range(3):
        make_post(f"Mountain tale {i}")

    def total(**params) -> int:
        return content_get("posts/", limit="1", page="2", **params).json()["meta"]["pagination"][
            "total"
        ]

    assert total(search="harbour") == 5
    assert total(search="mountain") == 3
    assert total(search="tale") == 8
    assert total() == 8
    assert total(search="harbour") == 5  # from the cache, still its own


# Who may find what ------------------------------------------------------------------------


@pytest.fixture
def hidden(make_post, make_staff):
    """One public post and every kind of post the public may not see, all about harbours."""
    make_post("Harbour public")
    make_post("Harbour draft", status=Post.Status.DRAFT)
    scheduled = make_post("Harbour scheduled", status=Post.Status.DRAFT)
    scheduled.status = Post.Status.SCHEDULED
    scheduled.published_at = timezone.now() + datetime.timedelta(days=3)
    services.save_post(scheduled)
    trashed = make_post("Harbour trashed")
    services.trash_post(actor=make_staff("editor"), post=trashed)
    _page("Harbour page draft", status=Page.Status.DRAFT)


def test_the_content_api_never_finds_what_the_public_may_not_see(content_get, hidden):
    found = content_get("posts/", search="harbour")
    assert _titles(found) == ["Harbour public"]
    assert found.json()["meta"]["pagination"]["total"] == 1
    for text in ("draft", "scheduled", "trashed", "harbour draft", "dra*"):
        assert _titles(content_get("posts/", search=text)) == [], text
    assert _titles_of(content_get("pages/", search="harbour"), "pages") == []


def test_the_admin_api_finds_drafts_but_not_the_trash(admin, hidden):
    found = admin("get", "posts/?" + urlencode({"search": "harbour", "limit": 1, "page": 2}))
    assert found.status_code == 200, found.content
    assert found.json()["meta"]["pagination"]["total"] == 3
    titles = {p["title"] for p in admin("get", "posts/?search=harbour").json()["posts"]}
    assert titles == {"Harbour public", "Harbour draft", "Harbour scheduled"}
    pages = admin("get", "pages/?search=harbour").json()["pages"]
    assert [page["title"] for page in pages] == ["Harbour page draft"]


# Input that must never fail ---------------------------------------------------------------

BAD = [
    "x" * 10_000,
    "harbour " * 2_000,
    "\x00",
    "harbour\x00lights",
    "NEAR(harbour lights)",
    "NEAR(",
    '"',
    '"harbour',
    '""""',
    "*",
    "**harbour",
    "harbour*",
    "h*",
    "title:harbour",
    "{title body}:harbour",
    "harbour AND OR NOT lights",
    "^harbour",
    "harbour + lights",
    "'; DROP TABLE broadsheet_search_fts; --",
    "harbour:* & !lights | (x",
    "\\",
    "%_%",
    "Ħárbøür",
    "港口",
    "🚢 harbour",
    "a" * 65,
    "-" * 50,
    " ".join(f"w{i}" for i in range(200)),
]


@pytest.mark.parametrize("text", BAD, ids=range(len(BAD)))
def test_no_input_fails(content_get, admin, make_post, text):
    make_post("Harbour lights", body="title body near harbour lights")
    for resource in ("posts", "pages"):
        for response in (
            content_get(f"{resource}/", search=text),
            content_get(f"{resource}/", search=text, filter="slug:-nothing", page="2"),
            content_get(f"{resource}/", search=text, order="title asc", limit="1"),
            admin("get", f"{resource}/?" + urlencode({"search": text})),
        ):
            assert response.status_code == 200, (text[:40], response.content[:300])
            body = response.json()
            assert isinstance(body[resource], list)
            assert body["meta"]["pagination"]["total"] >= 0


def test_a_long_query_is_read_as_its_first_part(content_get, make_post):
    make_post("Harbour lights")
    text = "harbour " + "x" * (LONGEST_QUERY * 3)
    assert _titles(content_get("posts/", search=text)) == ["Harbour lights"]


# Cost -------------------------------------------------------------------------------------


def test_a_search_costs_no_query_of_its_own(
    content_get, make_post, make_tag, django_assert_num_queries
):
    tag = make_tag("News")
    for i in range(20):
        make_post(f"Harbour story {i}", tags=[tag])
    content_get("settings/")  # the site's settings, read once a process (the language too)

    with django_assert_num_queries(BROWSE_QUERIES + 1):  # + the total: 15 of 20
        body = content_get("posts/", search="harbour", include="tags,authors").json()
    assert len(body["posts"]) == 15 and body["meta"]["pagination"]["total"] == 20
    with django_assert_num_queries(BROWSE_QUERIES):  # the total: kept for the generation
        content_get("posts/", search="harbour", include="tags,authors", page="2")
    with django_assert_num_queries(BROWSE_QUERIES + 1):  # another search: its own total
        content_get("posts/", search="story", include="tags,authors")


# The fast path ----------------------------------------------------------------------------


def test_the_fast_path_keeps_one_answer_per_search(
    fast, live_keys, make_post, django_assert_num_queries
):
    harbour = make_post("Harbour lights")
    mountain = make_post("Mountain air")
    key = live_keys[1]
    path = "/ghost/api/content/posts/"

    by_harbour = fast(path, f"key={key}&search=harbour")
    by_mountain = fast(path, f"key={key}&search=mountain")
    assert by_harbour.status_code == by_mountain.status_code == 200
    assert ids.encode(harbour.pk).encode() in by_harbour.body
    assert ids.encode(mountain.pk).encode() not in by_harbour.body
    assert ids.encode(mountain.pk).encode() in by_mountain.body

    with django_assert_num_queries(0):  # both served from the store, each its own
        assert fast(path, f"search=harbour&key={key}").body == by_harbour.body
        assert fast(path, f"key={key}&search=mountain").body == by_mountain.body


# The description --------------------------------------------------------------------------


def test_the_description_says_search_is_broadsheets_own_on_posts_and_pages_lists():
    document = openapi.document()
    with_search = sorted(
        path
        for path, operations in document["paths"].items()
        for operation in operations.values()
        if any(p["name"] == "search" for p in operation["parameters"])
    )
    assert with_search == [
        "/ghost/api/admin/pages/",
        "/ghost/api/admin/posts/",
        "/ghost/api/content/pages/",
        "/ghost/api/content/posts/",
    ]
    parameter = next(
        p
        for p in document["paths"]["/ghost/api/content/posts/"]["get"]["parameters"]
        if p["name"] == "search"
    )
    assert parameter["x-broadsheet-extension"] is True
    assert "not in Ghost" in parameter["description"]
