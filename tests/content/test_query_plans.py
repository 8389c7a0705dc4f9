"""The lists read the posts through an index, in their order, and stop after a page.

Asserted on the plans of the queries the pages really run (captured with their own
parameters): no sort of the posts and no scan of every post, and the public lists read
the posts through the public indexes (`post_public_*`), which only match when a query
repeats their WHERE terms; a count of public posts reads the index alone (SQLite 3.50,
with a sample of the dates saying that most posts are public, read every row instead).
The database decides which plan it takes, so each list is checked where it could go
wrong:

* SQLite without any statistics: a site that grew and was never analysed. This is what
  regressed (the `(status, published_at)` index and a sort of all 100,000 posts).
* SQLite with the statistics `keep_statistics_fresh` gathers on a large site, as
  recorded on one of 100,000 posts, and the same with three authors (the planner
  turned a posts-authors join around then).
* PostgreSQL, analysed, with sequential scans and sorts priced out (`SET LOCAL
  enable_seqscan = off`, `enable_sort = off`): a test-sized table would excuse a
  sequential scan, and this asks whether an index serves the filter and the order.
  If a Sort or a Seq Scan is still there, none does.

A tag on few posts (`SMALL_TAG`, made small here so the other way is checked too) is
read from its own rows: its posts by key, then sorted: bounded by the tag, not the
site. The studio's list sorts only posts published at the same moment (its order puts
unscheduled drafts first).
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from broadsheet.content.models import Page, Post, Tag
from broadsheet.integrations.services import create_integration

SQLITE = connection.vendor == "sqlite"
POSTS = "broadsheet_content_post"

# sqlite_stat1 as `keep_statistics_fresh` left it on a site generated with
# `broadsheet generate --posts 100000 --comments 1000000 --tags 500 --authors 50`.
LARGE_SITE = {
    "broadsheet_accounts_user": {
        "broadsheet_accounts_user_role_d6ea15f1": "55 11",
        "exactly_one_owner": "1 1",
        "sqlite_autoindex_broadsheet_accounts_user_1": "55 1",
        "sqlite_autoindex_broadsheet_accounts_user_2": "55 1",
    },
    "broadsheet_content_post": {
        "broadsheet_content_post_author_id_b927739d": "108800 201",
        "broadsheet_content_post_cover_image_id_6f0061f3": "111824 1001",
        "post_public_author_idx": "93840 201 1 1",
        "post_public_idx": "91584 1 1 1 1",
        "post_public_month_idx": "94874 501 1",
        "post_scheduled_idx": "1 1",
        "post_studio_idx": "108800 54400 1 1 1",
        "sqlite_autoindex_broadsheet_content_post_1": "87580 1",
    },
    "broadsheet_content_post_tags": {
        "broadsheet_content_post_tags_post_id_773bd328": "294000 3",
        "broadsheet_content_post_tags_post_id_tag_id_2ff4d1ef_uniq": "264176 3 1",
        "broadsheet_content_post_tags_tag_id_e1a3bac1": "231288 101",
    },
    "broadsheet_content_tag": {
        "sqlite_autoindex_broadsheet_content_tag_1": "507 1",
        "sqlite_autoindex_broadsheet_content_tag_2": "507 1",
    },
    "broadsheet_content_page": {"sqlite_autoindex_broadsheet_content_page_1": "2 1"},
}
FEW_AUTHORS = {
    **LARGE_SITE,
    "broadsheet_accounts_user": {
        name: "3 1" for name in LARGE_SITE["broadsheet_accounts_user"] if "autoindex" in name
    },
    "broadsheet_content_post": {
        **LARGE_SITE["broadsheet_content_post"],
        "broadsheet_content_post_author_id_b927739d": "100000 33000",
        "post_public_author_idx": "100000 33000 1 1",
    },
}
# The same site analysed whole, as `keep_statistics_fresh` now does a table with a partial
# index: sampled, the public index once came out larger than the full date index, and
# counting the public posts (the API's total) read every row through the latter.
EXACT = {
    **LARGE_SITE,
    "broadsheet_content_post": {
        "broadsheet_content_post_author_id_b927739d": "100011 1853",
        "broadsheet_content_post_cover_image_id_6f0061f3": "100011 100011",
        "post_public_author_idx": "100009 1853 1 1",
        "post_public_idx": "100009 1 1 1 1",
        "post_public_month_idx": "100009 1032 1",
        "post_scheduled_idx": "1 1",
        "post_studio_idx": "100012 50006 1 1 1",
        "sqlite_autoindex_broadsheet_content_post_1": "100011 1",
        "sqlite_autoindex_broadsheet_content_post_2": "100011 1",
    },
}
STATISTICS = {
    "none": None,
    "large site": LARGE_SITE,
    "three authors": FEW_AUTHORS,
    "large site, analysed whole": EXACT,
}


@dataclass
class Site:
    common: Tag
    rare: Tag
    author_slug: str
    post: Post
    month: datetime.date


@pytest.fixture
def site(make_author, db, monkeypatch) -> Site:
    """Published posts over months by three authors, one tag on all and one on one, and
    what the public must not see: a draft, a post scheduled for later, a trashed one."""
    authors = [make_author(f"Writer {n}", slug=f"writer-{n}") for n in range(3)]
    now = timezone.now()
    posts = []
    for n in range(60):
        published_at = now - datetime.timedelta(days=5 * n + 1)
        posts.append(
            Post(
                title=f"Post {n}",
                slug=f"post-{n}",
                author=authors[n % 3],
                status=Post.Status.PUBLISHED,
                published_at=published_at,
                published_month=Post.month_of(published_at),
                excerpt="An excerpt.",
            )
        )
    later = now + datetime.timedelta(days=3)
    posts += [
        Post(title="Draft", slug="draft", author=authors[0]),
        Post(
            title="Later",
            slug="later",
            author=authors[0],
            status=Post.Status.SCHEDULED,
            published_at=later,
            published_month=Post.month_of(later),
        ),
        Post(
            title="Trashed",
            slug="trashed",
            author=authors[1],
            status=Post.Status.PUBLISHED,
            published_at=now - datetime.timedelta(days=2),
            trashed_at=now,
        ),
    ]
    posts = Post.objects.bulk_create(posts)
    common, rare = (
        Tag.objects.create(name="Common", slug="common"),
        Tag.objects.create(name="Rare", slug="rare"),
    )
    Post.tags.through.objects.bulk_create(
        [Post.tags.through(post=post, tag=common) for post in posts]
        + [Post.tags.through(post=posts[30], tag=rare)]
    )
    Page.objects.create(title="About", slug="about", status=Page.Status.PUBLISHED)
    monkeypatch.setattr("broadsheet.content.models.SMALL_TAG", 10)  # "common" is not small
    return Site(common, rare, authors[0].slug, posts[10], posts[10].published_month)


def pages(site: Site) -> dict[str, str]:
    tag, author, month = site.common.get_absolute_url(), f"/authors/{site.author_slug}/", site.month
    sitemap = "/sitemap-{}.xml".format
    return {
        "home": "/",
        "home, page 3": "/page/3/",
        "post (recent posts)": site.post.get_absolute_url(),
        "common tag": tag,
        "common tag, page 2": f"{tag}page/2/",
        "rarest tag": site.rare.get_absolute_url(),
        "author": author,
        "author, page 2": f"{author}page/2/",
        "archive": "/archive/",
        "month": f"/archive/{month.year}/{month.month:02d}/",
        "site feed": "/feed/",
        "site Atom feed": "/feed/atom/",
        "tag feed": f"{tag}feed/",
        "author feed": f"{author}feed/",
        "sitemap index": reverse("feeds:sitemap"),
        "sitemap: pages": sitemap("pages"),
        "sitemap: posts": sitemap("posts"),
        "sitemap: tags": sitemap("tags"),
        "sitemap: authors": sitemap("authors"),
        "studio post list": reverse("studio:posts"),
        # Page 2 of 5: the total is counted, as Ghost's pagination needs it.
        "content API posts": "/ghost/api/content/posts/?include=tags,authors&limit=5&page=2",
        "content API posts of a tag": f"/ghost/api/content/posts/?filter=tag:{site.common.slug}"
        "&limit=5&page=2",
    }


@pytest.fixture(params=list(STATISTICS) if SQLITE else ["analysed"])
def planner(request, db):
    """The statistics the planner works from, for this test's transaction only."""
    with connection.cursor() as cursor:
        if SQLITE:
            cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")
            if stats := STATISTICS[request.param]:
                cursor.execute("ANALYZE sqlite_master")  # makes an (empty) sqlite_stat1
                cursor.execute("DELETE FROM sqlite_stat1")
                for table, indexes in stats.items():
                    for index, stat in indexes.items():
                        cursor.execute(
                            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)",
                            [table, index, stat],
                        )
            cursor.execute("ANALYZE sqlite_master")  # the planner reads them again
    return request.param


def captured_selects(client, url: str) -> list[tuple[str, list]]:
    seen = []

    def record(execute, sql, params, many, context):
        seen.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        response = client.get(url)
    assert response.status_code == 200, url
    return [(sql, params) for sql, params in seen if sql.lstrip().upper().startswith("SELECT")]


def sqlite_problems(sql: str, params, *, public: bool) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = [row[3] for row in cursor.fetchall()]
    aliases = {POSTS, *re.findall(rf'"{POSTS}" "?(U\d+)"?', sql)}
    reads = [line for line in plan if re.match(r"(SCAN|SEARCH) (\S+)", line)]
    of_posts = [line for line in reads if line.split()[1] in aliases]
    if not of_posts:
        return []  # not a query on the posts (their tags, authors, comments)
    problems = [f"scans every post: {line}" for line in of_posts if " USING " not in line]
    if public:
        problems += [
            f"not through a public index: {line}"
            for line in of_posts
            if not re.search(r"INDEX post_public_|INTEGER PRIMARY KEY|post_1 \(slug=", line)
        ]
        if re.match(rf'\s*SELECT COUNT\(\*\) AS "__count" FROM "{POSTS}" ', sql):  # from the index
            problems += [
                f"counts through the rows: {line}"
                for line in of_posts
                if not re.search(r"COVERING INDEX|INTEGER PRIMARY KEY", line)
            ]
    by_key = all("INTEGER PRIMARY KEY" in line for line in of_posts)  # a small tag's
    for line in plan:
        if "USE TEMP B-TREE" in line and "RIGHT PART" not in line and not by_key:
            problems.append(f"sorts the posts: {line}")
    return [f"{problem}\n    plan: {plan}" for problem in problems]


def postgresql_problems(sql: str, params, *, public: bool) -> list[str]:
    with connection.cursor() as cursor:
        # Priced out, not forbidden: if the plan still has one, nothing else serves. The
        # studio's order (drafts first) has no index: it may sort within a moment.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"SET LOCAL enable_incremental_sort = {'off' if public else 'on'}")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0][0]["Plan"]

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    def tables(node) -> set[str]:
        return {n["Relation Name"] for n in nodes(node) if "Relation Name" in n}

    def by_key(node) -> bool:  # a small tag's posts
        reads = [n for n in nodes(node) if n.get("Relation Name") == POSTS]
        return all(n.get("Index Name", "").endswith("_pkey") for n in reads)

    problems = []
    for node in nodes(plan):
        kind = node["Node Type"]
        if kind == "Seq Scan" and node.get("Relation Name") == POSTS:
            problems.append("scans every post")
        sorts = ("Sort", "Incremental Sort") if public else ("Sort",)
        if kind in sorts and POSTS in tables(node) and not by_key(node):
            problems.append(f"sorts the posts: {kind} by {node.get('Sort Key')}")
    return [f"{problem}\n    plan: {plan}" for problem in problems]


PAGE_NAMES = [
    "home",
    "home, page 3",
    "post (recent posts)",
    "common tag",
    "common tag, page 2",
    "rarest tag",
    "author",
    "author, page 2",
    "archive",
    "month",
    "site feed",
    "site Atom feed",
    "tag feed",
    "author feed",
    "sitemap index",
    "sitemap: pages",
    "sitemap: posts",
    "sitemap: tags",
    "sitemap: authors",
    "studio post list",
    "content API posts",
    "content API posts of a tag",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_lists_read_the_posts_in_index_order(client, site, planner, make_staff, name):
    url = pages(site)[name]
    if name.startswith("studio"):
        client.force_login(make_staff("editor"))
    if name.startswith("content API"):
        url += "&key=" + create_integration(actor=None, name="Site")[1].content_key
    if not SQLITE:  # as autovacuum would have
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {POSTS}, {POSTS}_tags, broadsheet_accounts_user")

    problems = []
    for sql, params in captured_selects(client, url):
        check = sqlite_problems if SQLITE else postgresql_problems
        problems += check(sql, params, public=not name.startswith("studio"))

    assert not problems, f"{name} ({url}), statistics: {planner}:\n" + "\n".join(problems)


def test_every_page_is_checked(site):
    assert sorted(pages(site)) == sorted(PAGE_NAMES)
