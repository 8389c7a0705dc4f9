"""Lighthouse scores for the reader's site, on the demo.

    .venv/bin/python bench/lighthouse.py                  # mobile (Lighthouse's default)
    .venv/bin/python bench/lighthouse.py --preset desktop

Starts `broadsheet serve` on a fresh data folder with the demo content, installs
Lighthouse (pinned below) into a cache folder outside the repository if it is not there
yet (needs Node 20 and the npm registry once), runs it with Debian's Chromium against the
post page with the most comments, the home page, that post's first tag and its author,
and prints the four category scores per page, with the failing audits' titles under any
score below 100. The full reports go to bench/results/lighthouse-*/.
"""

import argparse
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BROADSHEET, ROOT, shell_output, start_server, wait_for

LIGHTHOUSE_VERSION = "12.8.2"  # 13.x needs Node 22; 12.2.x fails some audits on new Chromium
CACHE = Path(
    os.environ.get("BROADSHEET_LIGHTHOUSE_DIR", Path.home() / ".cache" / "broadsheet-lighthouse")
)
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)
CATEGORIES = {
    "performance": "perf",
    "accessibility": "a11y",
    "best-practices": "best",
    "seo": "seo",
}
# The post with the most approved comments, its first tag and its author.
PICK_PAGES = """
from django.db.models import Count, Q
from broadsheet.content.models import Post
post = (
    Post.objects.published()
    .annotate(n=Count("comments", filter=Q(comments__status="approved")))
    .order_by("-n", "pk")
    .first()
)
print(post.get_absolute_url(), post.tags.order_by("pk").first().get_absolute_url(),
      post.author.get_absolute_url())
"""


def lighthouse() -> Path:
    """The pinned Lighthouse's command, installed into CACHE when missing."""
    binary = CACHE / "node_modules" / ".bin" / "lighthouse"
    package = CACHE / "node_modules" / "lighthouse" / "package.json"
    if not (binary.exists() and json.loads(package.read_text())["version"] == LIGHTHOUSE_VERSION):
        CACHE.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse {LIGHTHOUSE_VERSION} into {CACHE} ...", flush=True)
        subprocess.run(
            ["npm", "i", "-E", "--no-audit", "--no-fund", f"lighthouse@{LIGHTHOUSE_VERSION}"],
            cwd=CACHE,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return binary


def audit(binary: Path, url: str, out: Path, preset: str) -> dict:
    command = [
        str(binary),
        url,
        "--output=json",
        f"--output-path={out}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if preset != "mobile":
        command.append(f"--preset={preset}")
    subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}, check=True)
    return json.loads(out.read_text())


def failing(report: dict, category: str) -> list[str]:
    """Titles (and what was measured) of the audits that cost the category points."""
    audits = report["audits"]
    lines = []
    for ref in report["categories"][category]["auditRefs"]:
        result = audits[ref["id"]]
        if ref["weight"] and result["score"] is not None and result["score"] < 1:
            shown = f": {result['displayValue']}" if result.get("displayValue") else ""
            lines.append(f"{result['title']}{shown}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument(
        "--data-dir", type=Path, help="reuse a prepared site instead of a fresh demo"
    )
    args = parser.parse_args()
    binary = lighthouse()

    work = Path(tempfile.mkdtemp(prefix="broadsheet-lighthouse-"))
    data_dir = args.data_dir or work / "site"
    env = {**os.environ, "BROADSHEET_DATA_DIR": str(data_dir)}
    if not args.data_dir:
        subprocess.run([*BROADSHEET, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*BROADSHEET, "demo"], env=env, check=True, capture_output=True)
    post, tag, author = shell_output(env, PICK_PAGES).split()
    targets = {"post page": post, "home page": "/", "tag page": tag, "author page": author}

    out_dir = ROOT / "bench" / "results" / f"lighthouse-{datetime.datetime.now():%Y%m%d-%H%M%S}"
    out_dir.mkdir(parents=True)
    server, base = start_server(env)
    reports = {}
    try:
        wait_for(base + "/")
        for name, path in targets.items():
            print(f"lighthouse {base}{path} ...", flush=True)
            out = out_dir / f"{name.split()[0]}.json"
            reports[name] = (path, audit(binary, base + path, out, args.preset))
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)

    print(f"\nLighthouse {LIGHTHOUSE_VERSION}, {args.preset}")
    print(f"{'page':<14}{'path':<46}" + "".join(f"{short:>6}" for short in CATEGORIES.values()))
    below = []
    for name, (path, report) in reports.items():
        scores = {key: report["categories"][key]["score"] for key in CATEGORIES}
        print(
            f"{name:<14}{path:<46}"
            + "".join(
                f"{'-' if score is None else round(score * 100):>6}" for score in scores.values()
            )
        )
        for key, score in scores.items():
            if score is None or score < 1:
                below.append((name, report["categories"][key]["title"], failing(report, key)))
    for name, category, titles in below:
        print(f"\n{name}, {category}:")
        for title in titles or ["(no single weighted audit failed)"]:
            print(f"  - {title}")
    print(f"\nreports in {out_dir}")
    if not args.data_dir:
        shutil.rmtree(work, ignore_errors=True)
    if below:
        sys.exit(1)


if __name__ == "__main__":
    main()
