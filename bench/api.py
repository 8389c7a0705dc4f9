"""Time the Content API: Django's uncached answer, and the fast path's stored one.

    BROADSHEET_DATA_DIR=/path/to/site .venv/bin/python bench/api.py [--runs 50]

Run it on a site made by `bench/run.py --large --data-dir DIR` (or `broadsheet generate`);
set BROADSHEET_DATABASE_URL to time PostgreSQL. Each request is made in-process through
the WSGI app (no network), `--runs` times; prints the median and p99 in milliseconds and
the queries one uncached answer makes (the fast path's own included: the board, and the
key's integration). The uncached figures render every time (a fresh
page store per request); the stored ones reuse one store, as a server process does.
It makes an integration named "bench" for its key (once; later runs reuse it).
"""

import argparse
import io
import os
import statistics
import sys
import time
from urllib.parse import urlencode

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.conf.settings")
os.environ.setdefault("BROADSHEET_API_READS_PER_MINUTE", "1000000")  # measured, not limited

import django

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from broadsheet.content.models import Post, Tag  # noqa: E402
from broadsheet.fastpath.app import FastPathApp  # noqa: E402
from broadsheet.integrations import services  # noqa: E402
from broadsheet.integrations.models import Integration  # noqa: E402

KEY_FILE = "bench-content-key"


def content_key() -> str:
    from django.conf import settings

    path = settings.DATA_DIR / KEY_FILE
    if path.exists() and Integration.objects.filter(name="bench", revoked_at=None).exists():
        return path.read_text().strip()
    _, keys = services.create_integration(actor=None, name="bench")
    path.write_text(keys.content_key)
    return keys.content_key


class QueryCount(list):
    """Every query an answer makes (Django forgets its own log at each request)."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def environ(path: str, query: dict[str, str]) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": urlencode(query),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "HTTP_ACCEPT_VERSION": "v6.0",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def call(app, path: str, query: dict[str, str]) -> int:
    status = []
    body = b"".join(app(environ(path, query), lambda s, h, e=None: status.append(s)))
    if not status[0].startswith("200"):
        raise SystemExit(f"{path}?{urlencode(query)}: {status[0]} {body[:300]!r}")
    return len(body)


def timed(make_app, path: str, query: dict[str, str], runs: int) -> tuple[float, float]:
    times = []
    app = make_app()
    for _ in range(runs):
        start = time.perf_counter()
        call(app, path, query)
        times.append((time.perf_counter() - start) * 1000)
        app = make_app()
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    key = content_key()
    django_app = get_wsgi_application()
    stored = FastPathApp(django_app)
    busiest = Tag.objects.annotate(n=Count("posts")).order_by("-n").first()
    middle = Post.objects.published().order_by("pk")[Post.objects.published().count() // 2]
    cases = [
        ("/ghost/api/content/posts/", {"include": "tags,authors"}),
        ("/ghost/api/content/posts/", {"include": "tags,authors", "page": "50"}),
        ("/ghost/api/content/posts/", {"include": "tags,authors", "limit": "100"}),
        (
            "/ghost/api/content/posts/",
            {"include": "tags,authors", "filter": f"tag:{busiest.slug}" if busiest else ""},
        ),
        ("/ghost/api/content/posts/", {"filter": "published_at:>now-30d+featured:false"}),
        (f"/ghost/api/content/posts/slug/{middle.slug}/", {"include": "tags,authors"}),
        ("/ghost/api/content/tags/", {"include": "count.posts", "limit": "all"}),
        ("/ghost/api/content/authors/", {"include": "count.posts"}),
        ("/ghost/api/content/settings/", {}),
    ]
    print(f"{Post.objects.count():,} posts on {connection.vendor}; {args.runs} runs each (ms)")
    print(f"{'request':<78} {'queries':>7} {'p50':>7} {'p99':>7} {'stored p50':>10}")
    for path, query in cases:
        query = {**query, "key": key}
        queries = QueryCount()
        with connection.execute_wrapper(queries):
            call(FastPathApp(django_app), path, query)
        p50, p99 = timed(lambda: FastPathApp(django_app), path, query, args.runs)
        call(stored, path, query)
        hit, _ = timed(lambda: stored, path, query, args.runs)
        shown = (
            path.removeprefix("/ghost/api/content/")
            + "?"
            + urlencode({k: v for k, v in query.items() if k != "key"})
        )
        print(f"{shown[:78]:<78} {len(queries):>7} {p50:>7.2f} {p99:>7.2f} {hit:>10.3f}")


if __name__ == "__main__":
    main()
