"""Time Django's render of each kind of page, as the fast path's first (uncached) answer.

    BROADSHEET_DATA_DIR=/path/to/site .venv/bin/python bench/cold_renders.py [--explain]

Renders in-process through Django's test client (no fast path, no network), five times
each; prints the first and the fastest time. Run it on a site made by `bench/run.py
--large --data-dir DIR` (or `broadsheet generate`) to see the large-site figures; set
BROADSHEET_DATABASE_URL to time PostgreSQL. The pages are chosen the same way on every
run (the middle post, the tags with the most and the fewest posts, the busiest author),
so two runs on the same site compare. Every section of the sitemap is timed: its first
page and, for a section in several pages, its last. The studio's post list is timed
signed in as the owner.

`--explain` prints, for every query a page makes, how long it took and the database's
plan for it (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN), with the parameters
the page used: what to read when a page is slow.
"""

import os
import re
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.conf.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402

from broadsheet.accounts.models import User  # noqa: E402
from broadsheet.content.models import Post, Tag  # noqa: E402

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
RUNS = 5


def sitemap_sections(client: Client) -> list[str]:
    """Each section the sitemap index lists, and the last page of a section in pages."""
    index = client.get("/sitemap.xml").content.decode()
    locations = [
        re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>(.*?)</loc>", index)
    ]
    sections: dict[str, list[str]] = {}
    for location in locations:
        sections.setdefault(location.split("?")[0], []).append(location)
    chosen = []
    for pages in sections.values():
        chosen.append(pages[0])
        if len(pages) > 1:
            chosen.append(pages[-1])
    return chosen


def pages(client: Client) -> list[str]:
    public = Post.objects.published()
    post = public.order_by("pk")[public.count() // 2]
    tags = Tag.objects.annotate(n=Count("posts", filter=Q(posts__in=public))).order_by("n", "slug")
    rarest_tag = tags.filter(n__gt=0).first()
    common_tag = tags.order_by("-n", "slug").first()
    author = (
        User.objects.annotate(n=Count("posts", filter=Q(posts__in=public)))
        .order_by("-n", "slug")
        .first()
    )
    month = post.published_month
    return [
        post.get_absolute_url(),
        "/",
        "/page/50/",
        common_tag.get_absolute_url(),
        rarest_tag.get_absolute_url(),
        author.get_absolute_url(),
        "/archive/",
        f"/archive/{month.year}/{month.month:02d}/",
        "/feed/atom/",
        f"{common_tag.get_absolute_url()}feed/",
        f"{author.get_absolute_url()}feed/",
        "/sitemap.xml",
        *sitemap_sections(client),
    ]


def explain(sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            return [row[3] for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def show_plans(client: Client, url: str) -> None:
    seen = []

    def record(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seen.append((sql, params, (time.perf_counter() - start) * 1000))

    with connection.execute_wrapper(record):
        client.get(url)
    for sql, params, ms in seen:
        if sql.lstrip().upper().startswith("SELECT"):
            print(f"    {ms:7.1f} ms  {sql[:160]}")
            for line in explain(sql, params):
                print(f"                {line}")


def main() -> None:
    settings.ALLOWED_HOSTS.append("testserver")
    client = Client(HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_PURPOSE="prefetch")  # count no views
    client.get("/")
    todo = [(client, url) for url in pages(client)]
    if owner := User.objects.filter(role="owner").first():
        studio = Client()
        studio.force_login(owner)
        studio.get("/studio/")
        todo.append((studio, "/studio/posts/"))
    print(f"{connection.vendor}, {Post.objects.count()} posts")
    print(f"{'page':<48}{'first ms':>10}{'best ms':>10}")
    for who, url in todo:
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            status = who.get(url).status_code
            times.append((time.perf_counter() - start) * 1000)
        print(f"{url:<48}{times[0]:>10.1f}{min(times):>10.1f}  {status}")
        if "--explain" in sys.argv:
            show_plans(who, url)


if __name__ == "__main__":
    main()
