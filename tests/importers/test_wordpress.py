"""The WXR reader: a WordPress 6 export in, the records of `importers.records` out."""

import datetime
import shutil
import tracemalloc
from pathlib import Path

import pytest

from broadsheet.importers.base import BadSource, Source
from broadsheet.importers.readers.wordpress import WxrReader, nicename
from broadsheet.importers.records import (
    Author,
    Comment,
    CommentStatus,
    Item,
    Kind,
    Media,
    Skip,
    Status,
    Term,
)

FIXTURE = Path(__file__).parent / "fixtures" / "wordpress-6.xml"
SITE = "https://blog.example.com"


def no_fetch(url: str) -> Path:
    raise AssertionError(f"a WXR file needs nothing from the web, asked for {url}")


def read(path: Path) -> list:
    return list(WxrReader(Source(name=str(path), path=path), no_fetch).records())


def utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


def wxr(items: str = "", channel: str = "", namespace: str = "http://wordpress.org/export/1.2/"):
    """A small export, shaped as WordPress writes one."""
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="{namespace}excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{namespace}">
<channel>
	<title>Small</title>
	<link>https://small.example</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://small.example</wp:base_site_url>
	<wp:base_blog_url>https://small.example</wp:base_blog_url>
	{channel}
	{items}
</channel>
</rss>
"""


def post(post_id: int = 1, **fields: str) -> str:
    values = {
        "title": "A post",
        "link": f"https://small.example/?p={post_id}",
        "dc:creator": "admin",
        "content:encoded": "<p>Body</p>",
        "wp:post_date": "2024-01-02 10:00:00",
        "wp:post_date_gmt": "2024-01-02 09:00:00",
        "wp:post_name": "a-post",
        "wp:status": "publish",
        "wp:post_type": "post",
    } | {name.replace("__", ":"): value for name, value in fields.items()}
    elements = "".join(f"<{name}><![CDATA[{value}]]></{name}>" for name, value in values.items())
    return f"<item>{elements}<wp:post_id>{post_id}</wp:post_id></item>"


def write(tmp_path: Path, text: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the WordPress 6 export, record by record

ANNA = Author(
    key=f"{SITE}#author:anna",
    name="Anna & Jan Wróbel",
    email="anna@example.com",
    slug="anna",
    old_paths=["/author/anna/"],
)
IVAN = Author(
    key=f"{SITE}#author:ivan.petrov",
    name="Иван Петров",
    email="ivan@example.org",
    slug="ivan-petrov",
    old_paths=["/author/ivan-petrov/"],
)
NEWS = Term("News", "news", "Everything new & noteworthy", ["/category/news/"])
EUROPE = Term("Europe", "europe", "", ["/category/europe/", "/category/news/world/europe/"])
WIADOMOSCI = Term("Wiadomości", "wiadomości", "", ["/category/wiadomo%c5%9bci/"])
UNCATEGORIZED = Term("Uncategorized", "uncategorized", "", ["/category/uncategorized/"])
QA = Term("Q&A", "q-a", "Questions & answers", ["/tag/q-a/"])
NIHON = Term("日本", "日本", "", ["/tag/%e6%97%a5%e6%9c%ac/"])
ZAZOLC = "za%c5%bc%c3%b3%c5%82%c4%87-g%c4%99%c5%9bl%c4%85-ja%c5%ba%c5%84"
UPLOADS = f"{SITE}/wp-content/uploads"

GUTENBERG_BODY = (
    "<p>Port o świcie: 10\u00a0km spaceru, 日本語, Привет 👋 — “cudzysłów”.</p>\n\n"
    '<h2 class="wp-block-heading">Kod</h2>\n\n'
    '<pre class="wp-block-code"><code>if (a &lt; b &amp;&amp; b &gt; c) {\n'
    '    return "&lt;ok&gt;";\n}</code></pre>\n\n'
    f'<figure class="wp-block-image size-large"><img src="{UPLOADS}/2022/04/harbour-1024x683.jpg"'
    ' alt="Boats in the harbour at dawn" class="wp-image-12"/>'
    '<figcaption class="wp-element-caption">Port o świcie</figcaption></figure>\n\n'
    '<hr class="wp-block-separator has-alpha-channel-opacity"/>\n\n'
    '<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube">'
    '<div class="wp-block-embed__wrapper">\n'
    '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=42">'
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=42</a></p>\n</div></figure>\n\n"
    "<p>Subscribe!</p>\n\n"
    "<p>Line one<br>line two.</p>"
)
CLASSIC_BODY = (
    "<p>Witajcie! This post was written in the classic editor.\u00a0<br />\n"
    "A single line break stays a line break.</p>\n"
    f'<figure><a href="{UPLOADS}/2022/04/harbour.jpg"><img class="size-large wp-image-12" '
    f'src="{UPLOADS}/2022/04/harbour-1024x683.jpg" alt="Boats in the harbour at dawn" '
    'width="640" height="427" /></a>'
    "<figcaption>The harbour at dawn — “złota godzina”</figcaption></figure>\n"
    '<p><a href="https://vimeo.com/76979871">https://vimeo.com/76979871</a></p>\n'
    '<p><a href="https://twitter.com/WordPress/status/1234567890">'
    "https://twitter.com/WordPress/status/1234567890</a></p>\n"
    "<blockquote><p>To be, or not to be.</p></blockquote>\n"
    "<ul>\n<li>Первый</li>\n<li>第二</li>\n</ul>\n"
    '<pre><code>&lt;?php echo "a &amp; b"; ?&gt;\n\n[gallery ids="1"]</code></pre>\n'
    f'<figure class="gallery"><img src="{UPLOADS}/2022/04/harbour.jpg" '
    f'alt="Boats in the harbour at dawn"><img src="{UPLOADS}/2022/05/mountains.png" alt="">'
    "</figure>\n"
    f'<p><a href="{UPLOADS}/2022/05/fog-horn.mp3">{UPLOADS}/2022/05/fog-horn.mp3</a></p>\n'
    "<p>I wrote this [sic] on a train&nbsp;🚆.</p>"
)
GUTENBERG_TITLE = "Zażółć gęślą jaźń — “curly” quotes"

EXPECTED = [
    Item(
        key=f"{SITE}?p=10",
        title="About us — О нас",
        kind=Kind.PAGE,
        body="<p>We write about ports, ships and the people between them.</p>",
        slug="about",
        status=Status.PUBLISHED,
        published_at=utc(2022, 1, 1, 12),
        updated_at=utc(2023, 6, 1, 8),
        created_at=utc(2022, 1, 1, 12),
        authors=[ANNA],
        link=f"{SITE}/about/",
        old_paths=["/?page_id=10", "/about/"],
    ),
    Item(
        key=f"{SITE}?p=11",
        title=GUTENBERG_TITLE,
        body=GUTENBERG_BODY,
        slug="zażółć-gęślą-jaźń",
        status=Status.PUBLISHED,
        published_at=utc(2022, 4, 13, 8, 30),
        updated_at=utc(2022, 4, 14, 9),
        created_at=utc(2022, 4, 13, 8, 30),
        authors=[ANNA],
        terms=[EUROPE, QA, NIHON],
        cover_key=f"{SITE}#attachment:12",
        comments=[
            Comment(
                key=f"{SITE}#comment:101",
                body_html=(
                    "<p>Świetny tekst!<br />\nDruga linia.</p>\n"
                    "<p>Drugi akapit & <em>koniec</em>.</p>"
                ),
                name="Paweł Ząbek",
                email="pawel@example.pl",
                created_at=utc(2022, 4, 13, 10),
                status=CommentStatus.APPROVED,
            ),
            Comment(
                key=f"{SITE}#comment:102",
                body_html="<p>Согласен — “точно”.</p>",
                name="Tom & Jerry",
                email="tom@example.org",
                url="https://tom.example.org",
                created_at=utc(2022, 4, 13, 11, 15),
                parent_key=f"{SITE}#comment:101",
            ),
            Comment(
                key=f"{SITE}#comment:103",
                body_html="<p>ありがとう 🙏</p>",
                name="山田太郎",
                created_at=utc(2022, 4, 14, 9),  # no GMT date: the local one, as UTC
                parent_key=f"{SITE}#comment:102",
            ),
            Comment(
                key=f"{SITE}#comment:104",
                body_html="<p>Waiting for moderation.</p>",
                name="Anonymous",
                email="anon@example.net",
                created_at=utc(2022, 4, 15, 6),
                status=CommentStatus.HELD,
            ),
            Comment(
                key=f"{SITE}#comment:105",
                body_html="<p>Buy now</p>",
                name="Cheap pills",
                email="spam@example.com",
                url="https://spam.example.com",
                created_at=utc(2022, 4, 16, 1),
                status=CommentStatus.SPAM,
            ),
        ],
        link=f"{SITE}/2022/04/13/{ZAZOLC}/",
        old_paths=["/?p=11", f"/2022/04/13/{ZAZOLC}/"],
        featured=True,  # sticky
    ),
    Skip(f'pingback 106 on "{GUTENBERG_TITLE}"', "a pingback, not a reader's comment"),
    Media(
        url=f"{UPLOADS}/2022/04/harbour.jpg",
        key=f"{SITE}#attachment:12",
        alt="Boats in the harbour at dawn",
    ),
    Item(
        key=f"{SITE}?p=13",
        title="Klasyczny wpis: Q&A",
        body=CLASSIC_BODY,
        slug="classic",
        published_at=utc(2022, 5, 2, 7),
        updated_at=utc(2022, 5, 2, 7),
        created_at=utc(2022, 5, 2, 7),
        excerpt="A classic post & its shortcodes",
        authors=[IVAN],
        terms=[NEWS, WIADOMOSCI, QA],
        link=f"{SITE}/2022/05/02/classic/",
        old_paths=["/?p=13", "/2022/05/02/classic/"],
    ),
    Skip('comment 107 on "Klasyczny wpis: Q&A"', "in WordPress's trash"),
    Skip('gallery image 99 in "Klasyczny wpis: Q&A"', "not in the export"),
    Skip(
        '[contact-form-7] shortcode in "Klasyczny wpis: Q&A"',
        "a plugin's shortcode: what it showed is not in the export",
    ),
    Item(
        key=f"{SITE}?p=14",
        title="Szkic: привет мир",
        body="<p>Not ready yet.</p>",
        slug="",
        status=Status.DRAFT,
        published_at=None,
        updated_at=utc(2024, 5, 1, 7, 20),
        created_at=utc(2024, 5, 1, 9, 15),  # post_date_gmt 0000-00-00: the local date, as UTC
        authors=[ANNA],
        terms=[UNCATEGORIZED],
        link=f"{SITE}/?p=14",
        old_paths=["/?p=14"],
    ),
    Item(
        key=f"{SITE}?p=15",
        title="New year 2030",
        body="<p>Happy new year!</p>",
        slug="new-year-2030",
        status=Status.SCHEDULED,
        published_at=utc(2030, 1, 1, 8),
        updated_at=utc(2024, 5, 2, 7),
        created_at=utc(2030, 1, 1, 8),
        authors=[ANNA],
        terms=[NEWS],
        link=f"{SITE}/?p=15",
        old_paths=["/?p=15"],
    ),
    Media(url=f"{UPLOADS}/2022/05/mountains.png", key=f"{SITE}#attachment:16"),
    Item(
        key=f"{SITE}?p=17",
        title="Guest piece, for review",
        body="<p>Please review.</p>",
        slug="guest-piece",
        status=Status.REVIEW,
        published_at=None,
        updated_at=utc(2024, 5, 2, 8),
        created_at=utc(2024, 5, 2, 10),
        authors=[Author(key=f"{SITE}#author:ghostwriter", name="ghostwriter")],
        link=f"{SITE}/?p=17",
        old_paths=["/?p=17"],
    ),
    Item(
        key=f"{SITE}?p=18",
        title="Private notes",
        body="<p>For my eyes only.</p>",
        slug="private-notes",
        status=Status.PRIVATE,
        published_at=utc(2023, 2, 1, 9),
        updated_at=utc(2023, 2, 1, 9),
        created_at=utc(2023, 2, 1, 9),
        authors=[IVAN],
        link=f"{SITE}/2023/02/01/private-notes/",
        old_paths=["/?p=18", "/2023/02/01/private-notes/"],
    ),
    Item(
        key=f"{SITE}?p=19",
        title="Members only",
        body="<p>The password is on the newsletter.</p>",
        slug="members-only",
        status=Status.PRIVATE,  # published with a password: never public here
        published_at=utc(2023, 3, 1, 9),
        updated_at=utc(2023, 3, 1, 9),
        created_at=utc(2023, 3, 1, 9),
        authors=[ANNA],
        link=f"{SITE}/2023/03/01/members-only/",
        old_paths=["/?p=19", "/2023/03/01/members-only/"],
    ),
    Skip('nav_menu_item 20 "Home"', "a navigation menu entry: menus are not imported"),
    Skip('post 21 "Old idea"', "in WordPress's trash"),
    Skip(
        'wp_block 22 "Subscribe call-out"',
        "a synced pattern: the posts that use it get its content",
    ),
]


def test_a_wordpress_6_export_reads_as_its_records():
    assert read(FIXTURE) == EXPECTED


@pytest.mark.parametrize(
    "namespace",
    [
        "http://wordpress.org/export/1.0/",
        "http://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.2/",
    ],
)
def test_every_wxr_version_reads_the_same(tmp_path, namespace):
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "http://wordpress.org/export/1.2/", namespace
    )
    assert read(write(tmp_path, text)) == EXPECTED


def test_sniff_knows_an_export_by_its_head(tmp_path):
    assert WxrReader.sniff(Source(name="x", path=FIXTURE))
    feed = write(tmp_path, '<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>')
    assert not WxrReader.sniff(Source(name="feed", path=feed))
    folder = tmp_path / "unpacked"
    folder.mkdir()
    assert not WxrReader.sniff(Source(name="empty", path=folder))
    shutil.copy(FIXTURE, folder / "site.wordpress.2024-05-02.000.xml")
    assert WxrReader.sniff(Source(name="zip", path=folder))


def test_estimate_counts_posts_and_pages():
    assert WxrReader(Source(name="x", path=FIXTURE), no_fetch).estimate() == 9  # trash included


def test_estimate_counts_across_read_chunks(tmp_path):
    # Long enough to cross the 1 MiB chunks many times, with the type written both ways.
    items = "".join(
        f"<item>{'x' * (number % 977)}<wp:post_type>"
        f"{'<![CDATA[page]]>' if number % 2 else 'post'}</wp:post_type></item>"
        f"<item><wp:post_type><![CDATA[attachment]]></wp:post_type></item>"
        for number in range(6000)
    )
    path = write(tmp_path, wxr(items))
    assert path.stat().st_size > 3 << 20
    assert WxrReader(Source(name="big", path=path), no_fetch).estimate() == 6000


def test_a_folder_holds_the_files_of_one_export(tmp_path):
    shutil.copy(FIXTURE, tmp_path / "site.000.xml")
    write(tmp_path, wxr(post(30, title="From the second file")), "site.001.xml")
    write(tmp_path, "not an export", "notes.xml")
    records = read(tmp_path)
    assert records[: len(EXPECTED)] == EXPECTED
    assert [record.title for record in records[len(EXPECTED) :]] == ["From the second file"]


def test_a_blog_in_a_folder_of_a_multisite_keeps_its_own_address(tmp_path):
    text = wxr(
        post(7, link="https://network.example/blog/2024/01/02/a-post/"),
        channel="<wp:author><wp:author_login>Admin</wp:author_login>"
        "<wp:author_display_name></wp:author_display_name></wp:author>"
        "<wp:term><wp:term_taxonomy>category</wp:term_taxonomy><wp:term_slug>a</wp:term_slug>"
        "<wp:term_parent></wp:term_parent><wp:term_name>A</wp:term_name></wp:term>"
        "<wp:term><wp:term_taxonomy>category</wp:term_taxonomy><wp:term_slug>b</wp:term_slug>"
        "<wp:term_parent>a</wp:term_parent><wp:term_name>B &amp;amp; C</wp:term_name></wp:term>",
    )
    text = text.replace(
        "<wp:base_site_url>https://small.example", "<wp:base_site_url>https://network.example"
    ).replace(
        "<wp:base_blog_url>https://small.example", "<wp:base_blog_url>https://network.example/blog/"
    )
    text = text.replace(
        "</item>", '<category domain="category" nicename="b">B &amp;amp; C</category></item>'
    )
    text = text.replace("<![CDATA[admin]]>", "<![CDATA[Admin]]>")
    [item] = read(write(tmp_path, text))
    assert item.key == "https://network.example/blog?p=7"
    assert item.old_paths == ["/blog/?p=7", "/blog/2024/01/02/a-post/"]
    assert item.authors == [
        Author(
            key="https://network.example/blog#author:Admin",
            name="Admin",
            slug="admin",
            old_paths=["/blog/author/admin/"],
        )
    ]
    assert item.terms == [Term("B & C", "b", "", ["/blog/category/b/", "/blog/category/a/b/"])]


def test_odd_dates_and_statuses_never_crash(tmp_path):
    items = (
        post(1, wp__post_date="garbage", wp__post_date_gmt="0000-00-00 00:00:00")
        + post(2, wp__status="inherit")
        + post(3, wp__status="auto-draft")
        + post(4, wp__post_type="product", title="A mug")
        + post(5, wp__post_type="page", wp__status="draft", wp__post_password="secret")
    )
    records = read(write(tmp_path, wxr(items)))
    assert [(record.published_at, record.created_at) for record in records[:1]] == [(None, None)]
    assert records[1:4] == [
        Skip('post 2 "A post"', "its status 'inherit' is not a post's"),
        Skip('post 3 "A post"', "its status 'auto-draft' is not a post's"),
        Skip('product 4 "A mug"', "a 'product' (a theme's or plugin's type)"),
    ]
    assert (records[4].kind, records[4].status) == (Kind.PAGE, Status.DRAFT)


def test_a_sticky_post_is_featured_and_nothing_else_is(tmp_path):
    items = (
        post(1, wp__is_sticky="1")
        + post(2, wp__is_sticky="0")
        + post(3)
        + post(4, wp__is_sticky="yes")
        + post(5, wp__is_sticky="1", wp__post_type="page")  # WordPress sticks posts only
    )
    records = read(write(tmp_path, wxr(items)))
    assert [record.featured for record in records] == [True, False, False, False, False]


def test_a_login_becomes_the_nicename_wordpress_gives_it():
    assert nicename("Jan.Kowalski") == "jan-kowalski"
    assert nicename("anna.nowak@example.com") == "anna-nowakexample-com"
    assert nicename("a" * 60) == "a" * 50
    assert nicename("under_score--x") == "under_score-x"


def test_reading_a_large_export_keeps_memory_flat(tmp_path):
    body = "<!-- wp:paragraph --><p>" + "Ząb 🦷 " * 1500 + "</p><!-- /wp:paragraph -->"
    path = write(
        tmp_path, wxr("".join(post(number, content__encoded=body) for number in range(2500)))
    )
    assert path.stat().st_size > 25 << 20
    tracemalloc.start()
    try:
        count = sum(1 for _ in WxrReader(Source(name="big", path=path), no_fetch).records())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 2500
    assert peak < 4 << 20  # a few posts' worth: nothing is kept from one item to the next


# --- what is refused


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&lol4;</title>
<wp:wxr_version>1.2</wp:wxr_version></channel></rss>
"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&secret;</title>
<wp:wxr_version>1.2</wp:wxr_version></channel></rss>
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (BILLION_LAUGHS, "declares a DTD"),
        (EXTERNAL_ENTITY, "declares a DTD"),
        (wxr(post(1)).replace("</title>", "</titel>", 1), "not well-formed XML (line 6, column"),
        (FIXTURE.read_text(encoding="utf-8")[:20_000], "the export was cut short"),
        ("", "the export was cut short"),
        (wxr(post(1)).replace("<wp:wxr_version>1.2</wp:wxr_version>", ""), "no wp:wxr_version"),
        (wxr().replace("<wp:wxr_version>1.2</wp:wxr_version>", ""), "no wp:wxr_version"),
        (wxr().replace(">1.2</wp:wxr_version>", ">two</wp:wxr_version>"), "unknown WXR version"),
        (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"/>',
            "it is a <feed> document",
        ),
        ("\x00 binary", "not well-formed XML (line 1, column 1: syntax error)"),
    ],
)
def test_bad_input_is_a_bad_source(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(BadSource) as refused:
        read(path)
    assert message in str(refused.value)
    assert str(refused.value).startswith("export.xml ")


def test_a_folder_without_an_export_is_a_bad_source(tmp_path):
    write(tmp_path, "hello", "readme.xml")
    with pytest.raises(BadSource, match="holds no WordPress export"):
        read(tmp_path)
