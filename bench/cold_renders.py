"""Time Django's render of each kind of page, as the fast path's first (uncached) answer.

    BROADSHEET_DATA_DIR=/path/to/site .venv/bin/python bench/cold_renders.py

Renders in-process through Django's test client (no fast path, no network), five times
each; prints the first and the fastest time. Run it on a site made by `bench/run.py
--large --data-dir DIR` to see the large-site figures.
"""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.conf.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

from broadsheet.accounts.models import User  # noqa: E402
from broadsheet.content.models import Post, Tag  # noqa: E402

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"


def pages() -> list[str]:
    post = Post.objects.published().order_by("?").first()
    common_tag = Tag.objects.order_by("?").first()
    rarest_tag = min(Tag.objects.all(), key=lambda tag: tag.posts.count())
    author = User.objects.filter(posts__isnull=False).order_by("?").first()
    month = post.published_month
    return [
        post.get_absolute_url(),
        "/",
        "/page/50/",
        common_tag.get_absolute_url(),
        rarest_tag.get_absolute_url(),
        author.get_absolute_url(),
        "/feed/atom/",
        f"{common_tag.get_absolute_url()}feed/",
        "/sitemap.xml",
        "/archive/",
        f"/archive/{month.year}/{month.month:02d}/",
    ]


def main() -> None:
    settings.ALLOWED_HOSTS.append("testserver")
    client = Client(HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_PURPOSE="prefetch")  # count no views
    client.get("/")
    print(f"{'page':<48}{'first ms':>10}{'best ms':>10}")
    for url in pages():
        times = []
        for _ in range(5):
            start = time.perf_counter()
            status = client.get(url).status_code
            times.append((time.perf_counter() - start) * 1000)
        print(f"{url:<48}{times[0]:>10.1f}{min(times):>10.1f}  {status}")


if __name__ == "__main__":
    main()
