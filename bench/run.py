"""Benchmark the reader's site against the static-file limit on the same machine.

    .venv/bin/python bench/run.py                  # the demo site
    .venv/bin/python bench/run.py --large          # 100,000 posts, 1,000,000 comments

Starts `broadsheet serve` on a fresh data folder, loads the reference article as the
post under test, runs wrk with fixed settings against the post page, home page, a tag
page, the Atom feed and the sitemap, and against nginx serving the post page's own bytes
as a static file; then the post page and nginx again at 256 connections (that row's
ratio is to nginx at 256). Prints a table and writes JSON to bench/results/.
"""

import argparse
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROADSHEET = [sys.executable, "-m", "broadsheet"]
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)
REFERENCE = ROOT.parent / "shared" / "reference" / "wix-post-page.txt"
MANY_CONNECTIONS = 256
NGINX_CONF = """
worker_processes auto;
daemon off;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    types {{ text/html html; }}
    client_body_temp_path {dir}/tmp; proxy_temp_path {dir}/tmp; fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp; scgi_temp_path {dir}/tmp;
    server {{ listen 127.0.0.1:{port}; root {dir}/www; index index.html; }}
}}
"""
LOAD_ARTICLE = """
from broadsheet.accounts.models import User
from broadsheet.content.models import Post, Tag
from broadsheet.content.services import save_post
import sys
text = open(sys.argv[1], encoding="utf-8").read()
title = "Will Belarus join the war now?"
body = text.split("Updated: Apr 13, 2022", 1)[1].split("22 views", 1)[0].strip()
author = User.objects.filter(is_superuser=False).order_by("pk").first()
post = Post(title=title, slug="bench-article", author=author, body=body, status="published")
save_post(post)
post.tags.set(Tag.objects.order_by("pk")[:2])
print(post.get_absolute_url(), post.tags.first().get_absolute_url())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[bytes, float]:
    request = urllib.request.Request(url, headers={"User-Agent": BROWSER_UA})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read()
    return body, (time.perf_counter() - start) * 1000


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            fetch(url)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer")


def shell_output(env: dict, code: str) -> str:
    """What Python code prints when run by `broadsheet shell` on the site in `env`."""
    return subprocess.run(
        [*BROADSHEET, "shell", "--no-imports", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def start_server(env: dict, *serve_args: str) -> tuple[subprocess.Popen, str]:
    """`broadsheet serve` on a free port, in a session of its own (stopped with killpg)."""
    port = free_port()
    server = subprocess.Popen(
        [*BROADSHEET, "serve", "--port", str(port), *serve_args],
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    return server, f"http://127.0.0.1:{port}"


def run_wrk(url: str, *, duration: int, connections: int, threads: int) -> dict:
    out = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}s",
            "--latency",
            "-H",
            f"User-Agent: {BROWSER_UA}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout

    def latency(label: str) -> float:
        value, unit = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": latency("50%"),
        "p99_ms": latency("99%"),
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
    }


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """(PSS, RSS) of a process and all its descendants, in MB.

    PSS counts memory shared by forked workers once; RSS counts it in every process.
    """
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    pss = rss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        pss += int(re.search(r"^Pss:\s+(\d+) kB", rollup, re.M).group(1))
        rss += int(re.search(r"^Rss:\s+(\d+) kB", rollup, re.M).group(1))
    return round(pss / 1024, 1), round(rss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--large", action="store_true", help="generate 100k posts / 1M comments")
    parser.add_argument(
        "--data-dir", type=Path, help="reuse a prepared site instead of a fresh one"
    )
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--article", type=Path, default=REFERENCE)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    work.chmod(0o755)  # nginx's workers run as an unprivileged user
    data_dir = args.data_dir or work / "site"
    env = {**os.environ, "BROADSHEET_DATA_DIR": str(data_dir)}
    prepared = (data_dir / "bench.json").exists()
    if not prepared:
        subprocess.run([*BROADSHEET, "migrate", "-v0"], env=env, check=True)
        subprocess.run([*BROADSHEET, "demo"], env=env, check=True, capture_output=True)
        if args.large:
            subprocess.run(
                [
                    *BROADSHEET,
                    "generate",
                    "--posts",
                    "100000",
                    "--comments",
                    "1000000",
                    "--tags",
                    "500",
                    "--authors",
                    "50",
                ],
                env=env,
                check=True,
            )
        article = LOAD_ARTICLE.replace("sys.argv[1]", repr(str(args.article)))
        post_path, tag_path = shell_output(env, article).split()
        (data_dir / "bench.json").write_text(json.dumps({"post": post_path, "tag": tag_path}))
    paths = json.loads((data_dir / "bench.json").read_text())

    server, base = start_server(env)
    nginx = None
    try:
        wait_for(base + "/")
        targets = {
            "post page": paths["post"],
            "home page": "/",
            "tag page": paths["tag"],
            "atom feed": "/feed/atom/",
            "sitemap": "/sitemap.xml",
        }
        # First renders of pages nothing has asked for yet (cold caches).
        cold = {url: fetch(f"{base}{url}")[1] for url in [*targets.values(), "/archive/"]}
        page_bytes, _ = fetch(base + paths["post"])

        www = work / "nginx" / "www"
        www.mkdir(parents=True)
        (work / "nginx" / "tmp").mkdir()
        (www / "index.html").write_bytes(page_bytes)
        nginx_port = free_port()
        conf = work / "nginx" / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=work / "nginx", port=nginx_port))
        nginx = subprocess.Popen(["nginx", "-c", str(conf)], start_new_session=True)
        wait_for(f"http://127.0.0.1:{nginx_port}/index.html")

        settings = {
            "duration": args.duration,
            "connections": args.connections,
            "threads": args.threads,
        }
        results = {
            "static limit (nginx)": run_wrk(f"http://127.0.0.1:{nginx_port}/index.html", **settings)
        }
        for name, path in targets.items():
            results[name] = run_wrk(base + path, **settings)
            results[name]["server_pss_mb"], results[name]["server_rss_mb"] = tree_memory_mb(
                server.pid
            )
        # Many readers at once: the post page against nginx, both at MANY_CONNECTIONS.
        crowd = {**settings, "connections": MANY_CONNECTIONS}
        crowd_limit = run_wrk(f"http://127.0.0.1:{nginx_port}/index.html", **crowd)
        results[f"post page @{MANY_CONNECTIONS}"] = run_wrk(base + paths["post"], **crowd)
        results[f"post page @{MANY_CONNECTIONS}"]["limit_rps"] = crowd_limit["rps"]
        limit = results["static limit (nginx)"]["rps"]
    finally:
        for process in (server, nginx):
            if process and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)

    print(
        f"\n{'target':<22}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'of limit':>10}{'PSS MB':>9}{'RSS MB':>9}"
    )
    for name, row in results.items():
        row["ratio_to_static"] = round(row["rps"] / row.get("limit_rps", limit), 4)
        print(
            f"{name:<22}{row['rps']:>10.0f}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}{row['errors']:>8}"
            f"{row['ratio_to_static']:>9.1%}{row.get('server_pss_mb', 0):>9.1f}"
            f"{row.get('server_rss_mb', 0):>9.1f}"
        )
    print(f"\nfirst renders (cold), post page {len(page_bytes)} bytes:")
    for url, ms in cold.items():
        print(f"  {url:<40}{ms:>8.1f} ms")

    report = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(),
        "site": "large" if args.large else "demo",
        "wrk": settings,
        "results": results,
        "cold_render_ms": cold,
        "post_page_bytes": len(page_bytes),
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(exist_ok=True)
    out = out_dir / f"{report['site']}-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"written to {out}")
    if not args.data_dir:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
