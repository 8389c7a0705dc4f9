"""The feed reader: RSS and Atom files as WordPress, Blogger, Substack, Medium and Wix write
them, and feeds read from a real local web server (pages, comments feeds)."""

import datetime
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from broadsheet.importers.base import BadSource, Fetch, Source
from broadsheet.importers.readers import feeds
from broadsheet.importers.readers.feeds import FeedReader
from broadsheet.importers.records import Author, Comment, Item, Media, Skip, Term

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
# The sites the fixtures name; the local server answers for them.
ORIGINS = ("https://blog.example.com", "https://martanotes.blogspot.com", "https://www.blogger.com")
UTC = datetime.UTC


def at(*parts: int, hours: float = 0) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.timezone(datetime.timedelta(hours=hours)))


def never_fetch(url: str) -> Path:
    raise AssertionError(f"a file source fetched {url}")


def read_file(name: str) -> list:
    path = FIXTURES / name
    return list(FeedReader(Source(str(path), path), never_fetch).records())


@dataclass
class Site:
    """A local web server: `routes` maps a request path (with its query) to a fixture, whose
    site addresses are served as the server's own; `requests` lists what was asked."""

    base: str
    routes: dict[str, str] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def site() -> Iterator[Site]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.requests.append(self.path)
            name = served.routes.get(self.path)
            if name is None:
                self.send_error(404)
                return
            text = (FIXTURES / name).read_text()
            for origin in ORIGINS:
                text = text.replace(origin, served.base)
            body = text.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served = Site(base=f"http://127.0.0.1:{server.server_port}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield served
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def download(tmp_path: Path) -> Fetch:
    """What `sources` gives a reader: a URL downloaded to a file, failures as BadSource."""

    def fetch(url: str) -> Path:
        target = tmp_path / f"download-{len(list(tmp_path.iterdir()))}"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                target.write_bytes(response.read())
        except urllib.error.URLError as error:
            raise BadSource(f"{url} could not be downloaded: {error}") from None
        return target

    return fetch


def read_url(url: str, fetch: Fetch) -> list:
    return list(FeedReader(Source(url, fetch(url), url=url), fetch).records())


def kinds_and_keys(records: list) -> list[tuple[str, str]]:
    return [(type(r).__name__, r.what if isinstance(r, Skip) else r.key) for r in records]


def test_a_wordpress_feed_file_gives_its_posts_in_full_and_fetches_nothing():
    site = "feed:https://blog.example.com#author:"
    assert read_file("wordpress-rss.xml") == [
        Item(
            key="feed:https://blog.example.com/?p=42",
            title="Q&A: what the budget means",
            body=(
                "<p>The short version: spending rises, taxes do not.</p>\n"
                '<figure class="wp-block-image size-large"><img src="https://blog.example.com/'
                'wp-content/uploads/2024/03/chart.png" alt="Spending by year"/></figure>'
            ),
            slug="q-and-a-budget",
            published_at=at(2024, 3, 5, 9, 30),
            authors=[Author(key=f"{site}Ada Writer", name="Ada Writer")],
            terms=[Term(name="News"), Term(name="Budget 2024")],
            link="https://blog.example.com/2024/03/05/q-and-a-budget/",
            old_paths=["/2024/03/05/q-and-a-budget/"],
        ),
        Item(
            key="feed:https://blog.example.com/?p=37",
            title="Café culture",
            body="<p>Three cafés, one street.</p>",
            slug="café-culture",
            published_at=at(2024, 2, 20, 17, 5),
            authors=[Author(key=f"{site}Grace Editor", name="Grace Editor")],
            terms=[Term(name="Life")],
            link="https://blog.example.com/2024/02/20/caf%c3%a9-culture/",
            old_paths=["/2024/02/20/caf%c3%a9-culture/"],
        ),
    ]


def test_a_wordpress_comments_feed_gives_comments_naming_their_post_by_link():
    post = "https://blog.example.com/2024/03/05/q-and-a-budget/"
    assert read_file("wordpress-comments.xml") == [
        Comment(
            key=f"feed:{post}#comment-7",
            body_html="<p>Clear, thanks. What about pensions?</p>",
            name="Grace",
            created_at=at(2024, 3, 5, 10, 2),
            item_link=post,
        ),
        Comment(
            key=f"feed:{post}#comment-8",
            body_html=(
                f'<p>In reply to <a href="{post}#comment-7">Grace</a>.</p>\n<p>Next week.</p>'
            ),
            name="Ada Writer",
            created_at=at(2024, 3, 5, 11, 40),
            item_link=post,
        ),
    ]


def test_a_blogger_atom_file_keeps_zones_and_drops_the_kind_category():
    author = Author(
        key="feed:https://martanotes.blogspot.com#author:Marta",
        name="Marta",
        email="noreply@blogger.com",
    )
    assert read_file("atom.xml") == [
        Item(
            key="feed:tag:blogger.com,1999:blog-4815162342.post-1002",
            title="Lisbon in the rain",
            body=(
                '<p>The trams still run.</p><div class="separator"><a href="https://blogger.'
                'googleusercontent.com/img/b/R29v/s1600/rain.jpg"><img border="0" src="https://'
                'blogger.googleusercontent.com/img/b/R29v/s320/rain.jpg" /></a></div>'
            ),
            slug="lisbon-in-rain",
            published_at=datetime.datetime(
                2024, 3, 5, 10, 30, 0, 1000, tzinfo=datetime.timezone(datetime.timedelta(hours=1))
            ),
            updated_at=datetime.datetime(
                2024, 3, 6, 8, 15, 12, 345000, datetime.timezone(datetime.timedelta(hours=1))
            ),
            authors=[author],
            terms=[Term(name="Travel")],
            link="https://martanotes.blogspot.com/2024/03/lisbon-in-rain.html",
            old_paths=["/2024/03/lisbon-in-rain.html"],
        ),
        Item(
            key="feed:tag:blogger.com,1999:blog-4815162342.post-1001",
            title="Pastéis & coffee",
            body="<p>Six for the road.</p>",
            slug="pasteis-coffee",
            published_at=at(2024, 2, 11, 19, 5, hours=-8),
            updated_at=datetime.datetime(
                2024, 2, 11, 19, 5, 41, 220000, datetime.timezone(datetime.timedelta(hours=-8))
            ),
            authors=[author],
            terms=[Term(name="Food"), Term(name="Travel")],
            link="https://martanotes.blogspot.com/2024/02/pasteis-coffee.html",
            old_paths=["/2024/02/pasteis-coffee.html"],
        ),
    ]


def test_substack_gives_the_full_post_and_its_cover():
    [item] = read_file("substack.xml")
    assert item == Item(
        key="feed:https://theledger.substack.com/p/why-rates-matter",
        title="Why rates matter",
        body=item.body,
        slug="why-rates-matter",
        published_at=at(2024, 3, 4, 15, 0, 43),
        authors=[
            Author(key="feed:https://theledger.substack.com#author:Sam Ledger", name="Sam Ledger")
        ],
        cover=Media(
            url="https://substack-post-media.s3.amazonaws.com/public/images/1f2e3d4c-rates_1456x816.png"
        ),
        link="https://theledger.substack.com/p/why-rates-matter",
        old_paths=["/p/why-rates-matter"],
    )
    assert item.body.startswith("<p>Rates went up again.</p>")
    assert item.body.endswith("<span>Subscribe now</span></a></p>")


def test_medium_names_the_author_by_profile_not_by_tracking_query():
    assert read_file("medium.xml") == [
        Item(
            key="feed:https://medium.com/p/1a2b3c4d5e6f",
            title="Reading a balance sheet",
            body=(
                "<h3>Reading a balance sheet</h3><p>Assets on the left.</p>"
                '<img src="https://medium.com/_/stat?event=post.clientViewed&referrerSource='
                'full_rss&postId=1a2b3c4d5e6f" width="1" height="1" alt="">'
            ),
            slug="reading-a-balance-sheet-1a2b3c4d5e6f",
            published_at=at(2024, 3, 5, 10, 12, 54),
            updated_at=datetime.datetime(2024, 3, 5, 10, 15, 2, 118000, tzinfo=UTC),
            authors=[
                Author(key="feed:https://medium.com/@janedoe#author:Jane Doe", name="Jane Doe")
            ],
            terms=[Term(name="accounting"), Term(name="finance")],
            link=(
                "https://medium.com/@janedoe/reading-a-balance-sheet-1a2b3c4d5e6f"
                "?source=rss-5a6b7c8d9e0f------2"
            ),
            old_paths=["/@janedoe/reading-a-balance-sheet-1a2b3c4d5e6f"],
        )
    ]


def test_wix_gives_only_the_excerpt_as_body():
    assert read_file("wix-blog-feed.xml") == [
        Item(
            key="feed:65e7f0c2a1b2c3d4e5f60718",
            title="Our sourdough, step by step",
            body="It starts the night before, with a starter we have fed since 2016.",
            slug="our-sourdough-step-by-step",
            published_at=at(2024, 3, 5, 14, 20, 31),
            authors=[
                Author(
                    key="feed:https://www.harbourbakery.com/blog#author:Tom Baker", name="Tom Baker"
                )
            ],
            terms=[Term(name="Baking")],
            cover=Media(
                url="https://static.wixstatic.com/media/a1b2c3_4d5e6f7a8b9c4d0e~mv2.jpg/v1/fit/"
                "w_1000,h_667,al_c,q_80/file.png"
            ),
            link="https://www.harbourbakery.com/post/our-sourdough-step-by-step",
            old_paths=["/post/our-sourdough-step-by-step"],
        )
    ]


def test_a_wordpress_feed_url_brings_its_pages_and_each_posts_comments(site, download):
    site.routes.update(
        {
            "/feed/": "wordpress-rss.xml",
            "/feed/?paged=2": "wordpress-rss-page2.xml",
            "/2024/03/05/q-and-a-budget/feed/": "wordpress-comments.xml",
        }
    )
    records = read_url(f"{site.base}/feed/", download)

    post = f"{site.base}/2024/03/05/q-and-a-budget/"
    assert kinds_and_keys(records) == [
        ("Item", f"feed:{site.base}/?p=42"),
        ("Comment", f"feed:{post}#comment-7"),
        ("Comment", f"feed:{post}#comment-8"),
        ("Item", f"feed:{site.base}/?p=37"),
        ("Item", f"feed:{site.base}/?p=1"),
    ]
    assert {(c.item_key, c.item_link) for c in records[1:3]} == {(f"feed:{site.base}/?p=42", post)}
    assert records[4].title == "Hello world!"
    # Page 3 and the comments' page 2 answer 404: the end, not an error. The post with no
    # comments (slash:comments 0) is not asked for its comments feed.
    assert site.requests == [
        "/feed/",
        "/2024/03/05/q-and-a-budget/feed/",
        "/2024/03/05/q-and-a-budget/feed/?paged=2",
        "/feed/?paged=2",
        "/feed/?paged=3",
    ]


def test_paging_stops_at_a_page_that_brings_nothing_new(site, download):
    site.routes.update({"/feed/": "wordpress-rss.xml", "/feed/?paged=2": "wordpress-rss.xml"})
    records = read_url(f"{site.base}/feed/", download)

    assert kinds_and_keys(records) == [
        ("Item", f"feed:{site.base}/?p=42"),
        ("Skip", f"the comments on {site.base}/2024/03/05/q-and-a-budget/"),
        ("Item", f"feed:{site.base}/?p=37"),
    ]
    assert "404" in records[1].reason
    assert site.requests[-1] == "/feed/?paged=2"


def test_a_next_page_that_is_not_a_feed_is_reported_and_ends_the_paging(site, download):
    site.routes.update(
        {
            "/feeds/posts/default": "atom.xml",
            "/feeds/4815162342/posts/default?start-index=3&max-results=2": "not-a-feed.html",
        }
    )
    records = read_url(f"{site.base}/feeds/posts/default", download)

    next_page = f"{site.base}/feeds/4815162342/posts/default?start-index=3&max-results=2"
    assert kinds_and_keys(records)[2:] == [("Skip", next_page)]
    assert records[2].reason.startswith(f"{next_page} is a web page, not a feed")


def test_an_atom_feed_url_follows_rel_next(site, download):
    site.routes.update(
        {
            "/feeds/posts/default": "atom.xml",
            "/feeds/4815162342/posts/default?start-index=3&max-results=2": "atom-page2.xml",
        }
    )
    records = read_url(f"{site.base}/feeds/posts/default", download)

    assert [(r.title, r.link) for r in records] == [
        ("Lisbon in the rain", f"{site.base}/2024/03/lisbon-in-rain.html"),
        ("Pastéis & coffee", f"{site.base}/2024/02/pasteis-coffee.html"),
        ("A new blog", f"{site.base}/2023/12/a-new-blog.html"),
    ]
    assert records[2].published_at == datetime.datetime(2023, 12, 31, 23, 59, tzinfo=UTC)
    assert site.requests == [
        "/feeds/posts/default",
        "/feeds/4815162342/posts/default?start-index=3&max-results=2",
    ]


def test_paging_stops_at_the_page_cap(site, download, monkeypatch):
    monkeypatch.setattr(feeds, "MAX_PAGES", 1)
    site.routes.update(
        {
            "/feed/": "wordpress-rss.xml",
            "/feed/?paged=2": "wordpress-rss-page2.xml",
            "/2024/03/05/q-and-a-budget/feed/": "wordpress-comments.xml",
        }
    )
    records = read_url(f"{site.base}/feed/", download)

    assert records[-1] == Skip(f"{site.base}/feed/?paged=2", "past 1 pages: not read")
    assert "/feed/?paged=2" not in site.requests


def test_a_comments_feed_on_another_host_is_not_fetched(site, download):
    site.routes.update({"/feed/": "wordpress-rss.xml"})
    # The fixtures' addresses are served as 127.0.0.1; the feed is asked for as localhost.
    url = f"{site.base.replace('127.0.0.1', 'localhost')}/feed/"
    records = read_url(url, download)

    comments_feed = f"{site.base}/2024/03/05/q-and-a-budget/feed/"
    assert records[1] == Skip(
        f"the comments on {site.base}/2024/03/05/q-and-a-budget/",
        f"{comments_feed} is on another host: not read",
    )
    assert "/2024/03/05/q-and-a-budget/feed/" not in site.requests


BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss version="2.0"><channel><title>&c;</title></channel></rss>"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>&secret;</title></item></channel></rss>"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BOMB, "declares XML entities"),
        (EXTERNAL, "declares XML entities"),
        ("<rss version='2.0'><channel><item><title>cut", "not well-formed XML"),
        ("", "not well-formed XML"),
        ("<rss><channel><title>A &nbsp; B</title></channel></rss>", "not well-formed XML"),
        (
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>',
            "it is XML whose root is <urlset>",
        ),
        ('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>', "is a web page, not a feed"),
        ((FIXTURES / "not-a-feed.html").read_text(), "is a web page, not a feed"),
    ],
)
def test_what_is_not_a_feed_is_refused_with_a_reason(tmp_path, text, message):
    path = tmp_path / "given.xml"
    path.write_text(text)
    with pytest.raises(BadSource, match=message):
        list(FeedReader(Source("given.xml", path), never_fetch).records())


@pytest.mark.parametrize(
    ("name", "is_feed"),
    [
        ("wordpress-rss.xml", True),
        ("atom.xml", True),
        ("medium.xml", True),
        ("not-a-feed.html", False),
    ],
)
def test_sniff_knows_a_feed_by_its_first_bytes(name, is_feed):
    path = FIXTURES / name
    assert FeedReader.sniff(Source(name, path)) is is_feed


def test_sniff_leaves_a_wordpress_export_and_a_folder_to_others(tmp_path):
    export = tmp_path / "export.xml"
    export.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel></channel></rss>'
    )
    assert not FeedReader.sniff(Source("export.xml", export))
    assert not FeedReader.sniff(Source("folder", tmp_path))
