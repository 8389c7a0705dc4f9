"""Time and peak memory of importing a large WordPress export, and of exporting the site.

    .venv/bin/python bench/import_export.py [--posts 10000] [--comments 50000] [--keep DIR]

Writes a WXR 1.2 file as WordPress 6 does (Gutenberg paragraphs, a code block, tags and
categories, threaded comments), then runs `broadsheet migrate`, `broadsheet import` (twice:
the second run must change nothing) and `broadsheet export` (both formats) on a fresh
SQLite site, each in its own process, and prints wall time and that process's peak RSS.
Targets (issue 12): the import under 2 minutes and 300 MB at 10,000 posts / 50,000 comments.
Set BROADSHEET_DATABASE_URL to measure PostgreSQL instead.

`--huge` instead measures reading a 2 GB WXR (about 410,000 posts) through the WXR
reader alone, streamed, and a 2 GB file that is no export at all through `broadsheet
import`: peak RSS must stay flat whatever the size.
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

BROADSHEET = [sys.executable, "-m", "broadsheet"]
WORDS = [
    "bridge", "congestion", "tunnel", "commuter", "rail", "freight", "harbour", "policy",
    "budget", "forecast", "election", "ministry", "kraków", "łódź", "zażółć", "gęślą", "jaźń",
    "data", "model", "analysis", "evidence", "trend", "estimate",
]  # fmt: skip
HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Bench blog</title><link>https://bench.example</link><language>en-US</language>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example</wp:base_site_url>
<wp:base_blog_url>https://bench.example</wp:base_blog_url>
"""


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def write_wxr(path: Path, *, posts: int, comments: int, seed: int = 12) -> None:
    rng = random.Random(seed)  # noqa: S311 (repeatable text, not secrets)
    per_post = [0] * posts
    for _ in range(comments):
        per_post[rng.randrange(posts)] += 1
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for n in range(1, 6):
            out.write(
                f"<wp:author><wp:author_id>{n}</wp:author_id><wp:author_login><![CDATA[writer{n}]]>"
                f"</wp:author_login><wp:author_email><![CDATA[writer{n}@bench.example]]>"
                f"</wp:author_email><wp:author_display_name><![CDATA[Writer {n}]]>"
                "</wp:author_display_name></wp:author>\n"
            )
        for n in range(40):
            out.write(
                f"<wp:tag><wp:term_id>{n + 1}</wp:term_id><wp:tag_slug><![CDATA[topic-{n}]]>"
                f"</wp:tag_slug><wp:tag_name><![CDATA[Topic {n} &amp; more]]></wp:tag_name>"
                "</wp:tag>\n"
            )
        comment_id = 0
        for n in range(1, posts + 1):
            day = f"20{10 + n % 15:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}"
            date = f"{day} {n % 24:02d}:{n % 60:02d}:00"
            body = "\n\n".join(
                f"<!-- wp:paragraph -->\n<p>{escape(words(rng, 60))}</p>\n<!-- /wp:paragraph -->"
                for _ in range(6)
            )
            body += (
                '\n\n<!-- wp:code -->\n<pre class="wp-block-code"><code>if a &lt; b &amp;&amp; c:'
                "\n    pass</code></pre>\n<!-- /wp:code -->"
            )
            tags = "".join(
                f'<category domain="post_tag" nicename="topic-{t}"><![CDATA[Topic {t} &amp; more]]>'
                "</category>"
                for t in rng.sample(range(40), 3)
            )
            out.write(
                f"<item><title><![CDATA[Post {n}: {words(rng, 5)}]]></title>"
                f"<link>https://bench.example/{day.replace('-', '/')}/post-{n}/</link>"
                f'<dc:creator><![CDATA[writer{1 + n % 5}]]></dc:creator><guid isPermaLink="false">'
                f"https://bench.example/?p={n}</guid><description></description>"
                f"<content:encoded><![CDATA[{body}]]></content:encoded>"
                "<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
                f"<wp:post_id>{n}</wp:post_id><wp:post_date><![CDATA[{date}]]></wp:post_date>"
                f"<wp:post_date_gmt><![CDATA[{date}]]></wp:post_date_gmt>"
                "<wp:comment_status><![CDATA[open]]></wp:comment_status>"
                f"<wp:post_name><![CDATA[post-{n}]]></wp:post_name>"
                "<wp:status><![CDATA[publish]]></wp:status><wp:post_parent>0</wp:post_parent>"
                "<wp:menu_order>0</wp:menu_order><wp:post_type><![CDATA[post]]></wp:post_type>"
                f"<wp:post_password><![CDATA[]]></wp:post_password><wp:is_sticky>0</wp:is_sticky>{tags}"
            )
            first = comment_id + 1
            for c in range(per_post[n - 1]):
                comment_id += 1
                parent = rng.randrange(first, comment_id) if c and rng.random() < 0.4 else 0
                out.write(
                    f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
                    f"<wp:comment_author><![CDATA[Reader {comment_id % 997}]]></wp:comment_author>"
                    f"<wp:comment_author_email><![CDATA[r{comment_id % 997}@mail.example]]>"
                    "</wp:comment_author_email><wp:comment_author_url>https://reader.example/"
                    "</wp:comment_author_url>"
                    f"<wp:comment_date><![CDATA[{date}]]></wp:comment_date>"
                    f"<wp:comment_date_gmt><![CDATA[{date}]]></wp:comment_date_gmt>"
                    f"<wp:comment_content><![CDATA[{words(rng, 25)}\n\n{words(rng, 10)}]]>"
                    "</wp:comment_content><wp:comment_approved><![CDATA[1]]></wp:comment_approved>"
                    "<wp:comment_type><![CDATA[comment]]></wp:comment_type>"
                    f"<wp:comment_parent>{parent}</wp:comment_parent></wp:comment>"
                )
            out.write("</item>\n")
        out.write("</channel>\n</rss>\n")


def measure(
    label: str, args: list[str], env: dict, *, python: bool = False, status: str = "0"
) -> None:
    """Run one command in a child of its own, so its peak RSS is its own."""
    code = (
        "import resource, subprocess, sys, time; t = time.monotonic(); "
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "print(r.returncode, time.monotonic() - t, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *([sys.executable] if python else [*BROADSHEET]), *args]
        + ([] if python else ["-v0"]),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    code_seen, seconds, rss_kb = result.stdout.split()[-3:]
    assert code_seen == status, f"{label}: exit status {code_seen}"
    print(f"| {label} | {float(seconds):.1f} s | {int(rss_kb) / 1024:.0f} MB |")


READ_ALL = (
    "import sys; from pathlib import Path; import django, os; "
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'broadsheet.conf.settings'); django.setup(); "
    "from broadsheet.importers.base import Source; "
    "from broadsheet.importers.readers.wordpress import WxrReader; "
    "p = Path(sys.argv[1]); n = sum(1 for _ in WxrReader(Source(str(p), p), None).records()); "
    "print(n, 'records')"
)


def huge(folder: Path, env: dict) -> None:
    wxr = folder / "huge.xml"
    write_wxr(wxr, posts=410_000, comments=410_000)
    print(f"WXR: {wxr.stat().st_size / 2**30:.2f} GB")
    zeros = folder / "zeros.xml"
    with zeros.open("wb") as file:
        file.truncate(2 * 2**30)
    subprocess.run([*BROADSHEET, "migrate", "-v0"], env=env, check=True)
    print("| step | time | peak RSS |\n|---|---|---|")
    measure("read a 2 GB WXR (reader only)", ["-c", READ_ALL, str(wxr)], env, python=True)
    measure("import a 2 GB file that is no export", ["import", str(zeros)], env, status="1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=50_000)
    parser.add_argument("--keep", type=Path, help="make the site in this folder and keep it")
    parser.add_argument("--huge", action="store_true", help="the 2 GB measurements instead")
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "BROADSHEET_DATA_DIR": str(folder / "site")}
    if options.huge:
        return huge(folder, env)
    wxr = folder / "export.xml"
    started = time.monotonic()
    write_wxr(wxr, posts=options.posts, comments=options.comments)
    size = wxr.stat().st_size / 2**20
    print(
        f"WXR of {options.posts} posts and {options.comments} comments: {size:.0f} MB, "
        f"written in {time.monotonic() - started:.0f} s"
    )
    subprocess.run([*BROADSHEET, "migrate", "-v0"], env=env, check=True)
    print("| step | time | peak RSS |\n|---|---|---|")
    measure("import", ["import", str(wxr)], env)
    measure("import again (nothing changes)", ["import", str(wxr)], env)
    measure("export archive", ["export", "--output", str(folder / "site.zip")], env)
    wxr_out = ["--format", "wxr", "--site-url", "https://bench.example", "--output"]
    measure("export wxr", ["export", *wxr_out, str(folder / "out.xml")], env)


if __name__ == "__main__":
    main()
