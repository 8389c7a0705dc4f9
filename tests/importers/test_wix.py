"""The Wix reader on a hand-made export of a blog's Posts collection: every record exactly,
and files it refuses."""

import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest

from broadsheet.importers.base import BadSource, Source
from broadsheet.importers.readers.wix import WixCsvReader
from broadsheet.importers.records import Author, Item, Media, Skip, Status, Term

FIXTURE = Path(__file__).parent / "fixtures" / "wix-posts.csv"
GHOST_EXPORT = Path(__file__).parent / "fixtures" / "ghost-5.json"
HEADER = "Title,Slug,Rich Content,Published Date,ID\r\n"


def records(path: Path) -> list:
    return list(WixCsvReader(Source(str(path), path), fetch=_no_fetch).records())


def _no_fetch(url: str) -> Path:
    raise AssertionError(f"a Wix CSV needs nothing from the web, but {url} was asked for")


def utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


def anna() -> Author:
    return Author(key="wix:author:Anna Kowalska", name="Anna Kowalska")


def written(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "posts.csv"
    path.write_bytes(content)
    return path


EXPECTED = [
    Skip(
        what='VIDEO in Wix post "Lato w mieście" (line 2)',
        reason="not a kind of content Broadsheet imports: left out, any text inside kept",
    ),
    Skip(
        what='tag or category 68504d7f15587afbbe9179de of Wix post "Lato w mieście" (line 2)',
        reason="the CSV names it by Wix id only",
    ),
    Item(
        key="wix:d7b1c0a2-1111-4c2e-9f00-000000000001",
        title="Lato w mieście",
        body=(
            "<h2>Lato w mieście ☀️</h2>"
            "<p>Zwykły tekst, <strong>gruby</strong> i <em>kursywa</em>, a tu "
            '<a href="https://example.org/?a=1&amp;b=2">link</a>.<br>Nowa linia.</p>'
            "<ul><li><p>raz</p></li><li><p>dwa</p></li></ul>"
            '<figure><img src="https://static.wixstatic.com/media/'
            '11062b_0a1b2c3d4e5f4a5b8c9d0e1f2a3b4c5d~mv2.jpg" alt="Rynek o zmierzchu"></figure>'
            "<pre><code>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</code></pre>"
            "<hr>"
        ),
        slug="lato-w-miescie",
        published_at=utc(2025, 6, 1, 10),
        updated_at=utc(2025, 6, 2, 8, 30),
        excerpt="Krótko o lecie & upałach.",
        authors=[anna()],
        terms=[Term(name="Wiadomości"), Term(name="Kultura"), Term(name="lato")],
        cover=Media(
            url="https://static.wixstatic.com/media/11062b_9f8e7d6c5b4a49388271605f4e3d2c1b~mv2.jpg"
        ),
        link="https://www.example-wix.com/post/lato-w-miescie",
        old_paths=["/post/lato-w-miescie"],
    ),
    Item(
        key="wix:d7b1c0a2-2222-4c2e-9f00-000000000002",
        title="Jesień",
        body=(
            '<p>Tekst z obrazkiem:</p><img src="https://static.wixstatic.com/media/'
            '11062b_ffeeddccbbaa49988776655443322110~mv2.png" alt="Rysunek"><p>Koniec.</p>'
        ),
        slug="jesien",
        published_at=datetime.datetime(
            2025, 10, 5, 7, tzinfo=datetime.timezone(datetime.timedelta(hours=2))
        ),
        authors=[Author(key="wix:author:Ben Øde", name="Ben Øde")],
        terms=[Term(name="jesień"), Term(name="pogoda")],
        cover=Media(
            url="https://static.wixstatic.com/media/11062b_ffeeddccbbaa49988776655443322110~mv2.png"
        ),
        old_paths=["/post/jesien"],
    ),
    Item(
        key="wix:d7b1c0a2-3333-4c2e-9f00-000000000003",
        title="Tylko tekst",
        body=(
            "<p>Pierwszy akapit<br>z drugą linią.</p>"
            "<p>Drugi akapit &lt;b&gt;&amp; znaki&lt;/b&gt;. 🎉</p>"
        ),
        slug="tylko-tekst",
        published_at=utc(2025, 11, 1, 12),
        old_paths=["/post/tylko-tekst"],
    ),
    Item(
        key="wix:d7b1c0a2-4444-4c2e-9f00-000000000004",
        title="Szkic",
        body="<p>Jeszcze nie gotowe.</p>",
        slug="szkic",
        status=Status.DRAFT,
        authors=[anna()],
    ),
    Skip(
        what='Wix post "Bez adresu" (line 11)',
        reason="it has neither an ID nor a Post Page URL to know it by",
    ),
    Skip(
        what='Rich Content of Wix post "Zepsuty" (line 12)',
        reason="it is neither HTML nor Wix's rich-content JSON: its Plain Content was imported",
    ),
    Item(
        key="wix:d7b1c0a2-5555-4c2e-9f00-000000000005",
        title="Zepsuty",
        body="<p>Zapasowy tekst.</p>",
        slug="zepsuty",
        published_at=utc(2025, 2, 1),
        old_paths=["/post/zepsuty"],
    ),
]


def test_every_record_of_a_wix_posts_export():
    assert records(FIXTURE) == EXPECTED


def test_without_a_byte_order_mark_the_same(tmp_path):
    content = FIXTURE.read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert records(written(tmp_path, content[3:])) == EXPECTED


def test_columns_in_another_order_with_others_beside_them(tmp_path):
    with FIXTURE.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    columns = ["Hashtags", *reversed(list(rows[0])), "Minutes to read"]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, restval="3")
    writer.writeheader()
    writer.writerows(rows)
    assert records(written(tmp_path, out.getvalue().encode())) == EXPECTED


def test_a_rich_content_longer_than_csvs_default_field_limit(tmp_path):
    words = "Bardzo długi tekst. " * 10_000  # 200 kB: csv's default limit is 128 kB
    ricos = {
        "nodes": [{"type": "PARAGRAPH", "nodes": [{"type": "TEXT", "textData": {"text": words}}]}]
    }
    content = HEADER + f'Długi,dlugi,"{json.dumps(ricos).replace('"', '""')}",,long-1\r\n'
    [item] = records(written(tmp_path, content.encode()))
    assert item.body == f"<p>{words}</p>"


def test_sniff(tmp_path):
    assert WixCsvReader.sniff(Source("posts", FIXTURE))
    assert WixCsvReader.sniff(Source("posts", written(tmp_path, HEADER.encode())))
    assert not WixCsvReader.sniff(Source("export", GHOST_EXPORT))
    assert not WixCsvReader.sniff(Source("folder", tmp_path))
    members = tmp_path / "members.csv"
    members.write_text("Email,Name,Title\r\nanna@example.com,Anna,Dr\r\n")
    assert not WixCsvReader.sniff(Source("members", members))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            (HEADER + "Pierwszy,a,<p>ok</p>,,1\r\nZa\xbf\xf3\xb3\xe6,b,<p>ok</p>,,2\r\n").encode(
                "latin-1"
            ),
            "posts.csv, line 3: not UTF-8 text",
        ),
        (b"Email,Name\r\nanna@example.com,Anna\r\n", "posts.csv is not a Wix posts CSV"),
        (b"", "posts.csv is not a Wix posts CSV"),
        (
            (HEADER + "Pierwszy,a,<p>ok</p>,,1\r\nDrugi,b,<p>ok</p>,1 maja 2025,2\r\n").encode(),
            "posts.csv, line 3: Published Date '1 maja 2025' is not an ISO date",
        ),
        (
            (HEADER + 'Pierwszy,a,"<p>unclosed\r\n').encode(),
            "posts.csv, line 2: unexpected end of data",
        ),
    ],
)
def test_bad_input_is_a_bad_source(tmp_path, content, message):
    with pytest.raises(BadSource, match=re.escape(message)):
        records(written(tmp_path, content))
