"""The Ghost reader on a hand-made Ghost 5 export: every record exactly, and bad input."""

import datetime
import json
import re
import shutil
import tracemalloc
from pathlib import Path

import pytest

from broadsheet.importers.base import BadSource, Source
from broadsheet.importers.readers.ghost import GhostReader
from broadsheet.importers.records import Author, Item, Kind, Media, Skip, Status, Term

FIXTURE = Path(__file__).parent / "fixtures" / "ghost-5.json"
WIX_CSV = Path(__file__).parent / "fixtures" / "wix-posts.csv"


def utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


def records(path: Path) -> list:
    return list(GhostReader(Source(str(path), path), fetch=_no_fetch).records())


def _no_fetch(url: str) -> Path:
    raise AssertionError(f"a Ghost export needs nothing from the web, but {url} was asked for")


def written(tmp_path: Path, export: object, name: str = "export.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(export, ensure_ascii=False), encoding="utf-8")
    return path


def fixture() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def anna(site: str = "ghost") -> Author:
    return Author(
        key=f"ghost:{site}#user:6650a1f2c3d4e5f6a7b8cc01",
        name="Anna Kowalska",
        email="anna@example.com",
        slug="anna",
        bio="Redaktorka naczelna. Pisze o łączności.",
        old_paths=["/author/anna/"],
    )


BEN = Author(
    key="ghost:ghost#user:6650a1f2c3d4e5f6a7b8cc02",
    name="Ben Øde",
    email="ben@example.com",
    slug="ben",
    old_paths=["/author/ben/"],
)
NEWS = Term(
    name="Wiadomości",
    slug="wiadomosci",
    description="Najnowsze wiadomości",
    old_paths=["/tag/wiadomosci/"],
)
BANNER = Term(name="#baner", slug="hash-baner", old_paths=["/tag/hash-baner/"], internal=True)

LEXICAL_BODY = (
    "<h2>Jak to działa</h2>"
    "<p>Zwykły <strong>gruby</strong> i <em>kursywa</em> oraz <code>kod</code> <s>skreślone</s> "
    '<strong><em>oba</em></strong><br><a href="/witaj-swiecie/">poprzedni wpis</a></p>'
    "<blockquote>Cytat 🎉</blockquote>"
    "<ul><li>jeden</li><li>dwa<ol><li>a</li></ol></li></ul>"
    '<figure><img src="/content/images/2024/06/wykres.png" alt="Wykres">'
    '<figcaption><span style="white-space: pre-wrap;">Wykres 1</span></figcaption></figure>'
    '<pre><code class="language-html">&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</code></pre>'
    "<p><strong>Markdown</strong> w karcie: <code>x &lt; y</code></p>\n"
    '<div class="uwaga">Surowy HTML</div>'
    '<p><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">Film</a></p>'
    '<p><a href="https://example.org/artykul">Artykuł &amp; więcej</a></p>'
    "<hr>"
)
MOBILEDOC_BODY = (
    "<h2>Nagłówek</h2>"
    '<p>Tekst z <a href="https://ghost.org/">linkiem</a> i <strong><em>mocnym</em></strong>'
    "<br>druga linia 😀</p>"
    "<p>Lista:</p>\n<ul>\n<li>raz</li>\n<li>dwa</li>\n</ul>\n"
    '<figure><img src="/content/images/2021/03/stare.jpg" alt="Stare zdjęcie"></figure>'
    "<ul><li>punkt</li><li><strong>ważny</strong></li></ul>"
    '<pre><code class="language-go">if a &lt; b &amp;&amp; c &gt; d {}</code></pre>'
    "<hr><blockquote>Cytat</blockquote>"
)


def expected() -> list:
    """The fixture's records, with the site's address unknown (Ghost does not export it)."""
    return [
        Item(
            key="ghost:ghost#post:6650a1f2c3d4e5f6a7b8c901",
            title="Zażółć gęślą jaźń 🚀",
            body=(
                "<p>Pierwszy wpis, z kodem 👩\u200d💻.</p><p>Przykład:</p>"
                '<pre><code class="language-python">if a &lt; b and c &gt; d:\n'
                '    print("Tom &amp; Jerry")</code></pre>'
                '<p>Zobacz <a href="/drugi-wpis/">drugi wpis</a>.</p>'
            ),
            slug="zazolc-gesla-jazn",
            published_at=utc(2024, 5, 2, 10, 15),
            updated_at=utc(2024, 5, 3, 9, 30),
            created_at=utc(2024, 5, 1, 8),
            excerpt="Krótko: o kodzie & znakach.",
            seo_title="Zażółć — tytuł SEO",
            seo_description="Opis dla wyszukiwarek.",
            authors=[anna(), BEN],
            terms=[NEWS, BANNER],
            cover=Media(url="content/images/2024/05/okladka.jpg"),
            cover_alt="Okładka: klawiatura",
            old_paths=["/zazolc-gesla-jazn/"],
            featured=True,  # 1, as Ghost on SQLite writes it
            uuid="8f0b1c2d-0001-4a5b-9c8d-000000000001",
        ),
        Item(
            key="ghost:ghost#post:6650a1f2c3d4e5f6a7b8c902",
            title="Drugi wpis",
            body=(
                '<p>Ilustracja:</p><figure class="kg-card kg-image-card">'
                '<img src="/content/images/2024/05/rysunek.png" class="kg-image" alt="Rysunek" '
                'loading="lazy" width="800" height="600"></figure>'
            ),
            slug="drugi-wpis",
            published_at=utc(2024, 5, 10, 12, 5),
            updated_at=utc(2024, 5, 10, 12),
            created_at=utc(2024, 5, 10, 12),
            authors=[anna()],
            cover=Media(url="https://images.unsplash.com/photo-1500000000000-abc?w=2000"),
            old_paths=["/drugi-wpis/"],
            uuid="8f0b1c2d-0002-4a5b-9c8d-000000000002",
        ),
        Skip(
            what='audio in Ghost post "Tylko Lexical" (6650a1f2c3d4e5f6a7b8c903)',
            reason="not a kind of content Broadsheet imports: left out, any text inside kept",
        ),
        Item(
            key="ghost:ghost#post:6650a1f2c3d4e5f6a7b8c903",
            title="Tylko Lexical",
            body=LEXICAL_BODY,
            slug="tylko-lexical",
            published_at=utc(2024, 6, 1, 7, 30),
            updated_at=utc(2024, 6, 1, 7),
            created_at=utc(2024, 6, 1, 7),
            authors=[anna()],
            terms=[NEWS],
            old_paths=["/tylko-lexical/"],
            uuid="8f0b1c2d-0003-4a5b-9c8d-000000000003",
        ),
        Item(
            key="ghost:ghost#post:5f2b3c4d5e6f708192a3b404",
            title="Stary wpis (Mobiledoc)",
            body=MOBILEDOC_BODY,
            slug="stary-wpis",
            published_at=utc(2021, 3, 20, 11),
            updated_at=utc(2021, 3, 21, 10),
            created_at=utc(2021, 3, 20, 10),
            authors=[anna()],
            old_paths=["/stary-wpis/"],
            uuid="8f0b1c2d-0004-4a5b-9c8d-000000000004",
        ),
        Item(
            key="ghost:ghost#post:6650a1f2c3d4e5f6a7b8c905",
            title="O nas",
            kind=Kind.PAGE,
            body="<p>Strona o redakcji.</p>",
            slug="o-nas",
            published_at=utc(2024, 1, 1),
            updated_at=utc(2024, 2, 1),
            created_at=utc(2024, 1, 1),
            authors=[anna()],
            old_paths=["/o-nas/"],
            uuid="8f0b1c2d-0005-4a5b-9c8d-000000000005",
        ),
        Item(
            key="ghost:ghost#post:6650a1f2c3d4e5f6a7b8c906",
            title="Szkic",
            body="<p>Jeszcze nie gotowe.</p>",
            slug="szkic",
            status=Status.DRAFT,
            updated_at=utc(2024, 7, 2, 9),
            created_at=utc(2024, 7, 1, 9),
            authors=[anna()],
            old_paths=["/szkic/"],
            uuid="8f0b1c2d-0006-4a5b-9c8d-000000000006",
        ),
        Item(
            key="ghost:ghost#post:6650a1f2c3d4e5f6a7b8c907",
            title="Zaplanowany",
            body="<p>Wyjdzie później.</p>",
            slug="zaplanowany",
            status=Status.SCHEDULED,
            published_at=utc(2030, 1, 1, 6),
            updated_at=utc(2024, 7, 5, 9),
            created_at=utc(2024, 7, 5, 9),
            authors=[anna()],
            old_paths=["/zaplanowany/"],
            uuid="8f0b1c2d-0007-4a5b-9c8d-000000000007",
        ),
    ]


def test_every_record_of_a_ghost_5_export():
    assert records(FIXTURE) == expected()


def test_the_estimate_counts_posts_and_pages():
    assert GhostReader(Source("export", FIXTURE), _no_fetch).estimate() == 7


def test_the_older_shape_without_db_reads_the_same(tmp_path):
    export = fixture()["db"][0]
    assert records(written(tmp_path, export)) == expected()


def test_a_known_site_address_makes_keys_links_and_absolute_images(tmp_path):
    export = fixture()
    export["db"][0]["data"]["settings"].append(
        {"id": "1", "group": "core", "key": "url", "value": "https://gazeta.example/"}
    )
    first, second = records(written(tmp_path, export))[:2]
    assert first.key == "ghost:https://gazeta.example#post:6650a1f2c3d4e5f6a7b8c901"
    assert first.authors[0] == anna("https://gazeta.example")
    assert first.link == "https://gazeta.example/zazolc-gesla-jazn/"
    assert first.cover == Media(url="https://gazeta.example/content/images/2024/05/okladka.jpg")
    assert '<a href="https://gazeta.example/drugi-wpis/">' in first.body
    assert 'src="https://gazeta.example/content/images/2024/05/rysunek.png"' in second.body


def test_an_unpacked_ghost_zip_is_a_folder_with_the_export_at_its_top(tmp_path):
    shutil.copy(FIXTURE, tmp_path / "gazeta.ghost.2024-07-05.json")
    images = tmp_path / "content" / "images" / "2024" / "05"
    images.mkdir(parents=True)
    (images / "okladka.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    source = Source("gazeta.zip", tmp_path)

    assert GhostReader.sniff(source)
    found = list(GhostReader(source, _no_fetch).records())
    assert found == expected()
    assert (source.root / found[0].cover.url).is_file()


def test_sniff():
    assert GhostReader.sniff(Source("export", FIXTURE))
    assert not GhostReader.sniff(Source("posts", WIX_CSV))


def test_sniff_refuses_folders_without_exactly_one_export(tmp_path):
    (tmp_path / "notes.json").write_text('{"notes": []}')
    assert not GhostReader.sniff(Source("folder", tmp_path))
    shutil.copy(FIXTURE, tmp_path / "one.json")
    assert GhostReader.sniff(Source("folder", tmp_path))
    shutil.copy(FIXTURE, tmp_path / "two.json")
    assert not GhostReader.sniff(Source("folder", tmp_path))
    with pytest.raises(BadSource, match=r"exactly one export JSON.*one\.json, two\.json"):
        list(GhostReader(Source("folder", tmp_path), _no_fetch).records())


def test_an_old_export_page_flag_epoch_dates_and_single_author(tmp_path):
    export = {
        "meta": {"exported_on": 1388318400000, "version": "000"},
        "data": {
            "posts": [
                {
                    "id": 2,
                    "title": "About",
                    "slug": "about",
                    "markdown": "Hi",
                    "html": "<p>Hi</p>",
                    "page": True,
                    "status": "published",
                    "meta_title": "About us",
                    "author_id": 1,
                    "created_at": 1388318400000,
                    "updated_at": 1388318400000,
                    "published_at": 1388318460000,
                }
            ],
            "users": [{"id": 1, "name": "Jo", "slug": "jo", "email": "jo@example.com"}],
            "tags": [],
            "posts_tags": [],
        },
    }
    jo = Author(key="ghost:ghost#user:1", name="Jo", email="jo@example.com", slug="jo")
    jo.old_paths = ["/author/jo/"]
    assert records(written(tmp_path, export)) == [
        Item(
            key="ghost:ghost#post:2",
            title="About",
            kind=Kind.PAGE,
            body="<p>Hi</p>",
            slug="about",
            published_at=utc(2013, 12, 29, 12, 1),
            updated_at=utc(2013, 12, 29, 12),
            created_at=utc(2013, 12, 29, 12),
            seo_title="About us",
            authors=[jo],
            old_paths=["/about/"],
        )
    ]


def test_a_post_whose_only_content_is_unreadable_is_skipped(tmp_path):
    export = fixture()
    posts = export["db"][0]["data"]["posts"]
    posts[2]["lexical"] = '{"root": {"children": ['
    posts[3]["mobiledoc"] = json.dumps({"version": "0.3.1", "sections": [[7, "p"]]})
    found = records(written(tmp_path, export))
    assert found[2] == Skip(
        what='Ghost post "Tylko Lexical" (6650a1f2c3d4e5f6a7b8c903)',
        reason="its lexical is not valid JSON (Expecting value: line 1 column 24 (char 23)), "
        "and it has no html",
    )
    assert found[3] == Skip(
        what='Ghost post "Stary wpis (Mobiledoc)" (5f2b3c4d5e6f708192a3b404)',
        reason="its mobiledoc has a section it cannot read: [7, 'p'], and it has no html",
    )
    assert [record.title for record in found[4:]] == ["O nas", "Szkic", "Zaplanowany"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is not valid JSON, or is cut short (parse error: premature EOF)"),
        (b"<html>Not found</html>", "is not valid JSON, or is cut short (lexical error"),
        (
            FIXTURE.read_bytes()[:9000],
            "is not valid JSON, or is cut short (parse error: premature EOF)",
        ),
        (b'{"db": [{"meta": {}, "data": {"pages": []}}]}', "is JSON but not a Ghost export"),
        (b'[{"posts": []}]', "is JSON but not a Ghost export"),
        (b'{"data": {"posts": ["hello"]}}', "a row of the posts table is not an object"),
        (
            b'{"data": {"posts": [{"id": "1", "status": "draft", "created_at": "yesterday"}]}}',
            "Ghost post \"\" (1) has a created_at that is not a date: 'yesterday'",
        ),
        (
            b'{"data": {"posts": [{"title": "\xff\xfe"}]}}',
            "cut short (lexical error: invalid bytes in UTF8 string)",
        ),
    ],
)
def test_bad_input_is_a_bad_source(tmp_path, content, message):
    path = tmp_path / "export.json"
    path.write_bytes(content)
    with pytest.raises(BadSource, match=re.escape(message)):
        records(path)


@pytest.mark.parametrize(
    ("value", "featured"),
    [(True, True), (1, True), (False, False), (0, False), ("true", False), (None, False)],
)
def test_featured_is_true_or_1_and_the_uuid_is_kept_as_written(tmp_path, value, featured):
    row = {"id": "9", "uuid": "not checked here", "title": "T", "status": "draft"}
    export = {"data": {"posts": [row | {"featured": value}]}}
    [item] = records(written(tmp_path, export))
    assert (item.featured, item.uuid) == (featured, "not checked here")


def test_an_unknown_status_is_skipped(tmp_path):
    export = {"data": {"posts": [{"id": "9", "title": "Odd", "status": "archived"}]}}
    assert records(written(tmp_path, export)) == [
        Skip(what='Ghost post "Odd" (9)', reason="its status 'archived' is not one Ghost writes")
    ]


def test_a_lexical_document_nested_too_deeply_is_skipped(tmp_path):
    export = {"data": {"posts": [{"id": "1", "title": "Deep", "status": "draft"}]}}
    export["data"]["posts"][0]["lexical"] = '{"root": ' + "[" * 100_000
    assert records(written(tmp_path, export)) == [
        Skip(
            what='Ghost post "Deep" (1)',
            reason="its lexical is nested too deeply to read, and it has no html",
        )
    ]


def test_memory_holds_one_post_at_a_time_not_the_export(tmp_path):
    body = "<p>" + "Zażółć gęślą jaźń, a potem kod: a &lt; b. " * 1500 + "</p>"  # 70 kB
    path = tmp_path / "large.json"
    with path.open("w", encoding="utf-8") as file:
        file.write('{"db": [{"meta": {"version": "5.87.1"}, "data": {"posts": [')
        for number in range(300):
            post = {"id": str(number), "title": f"Post {number}", "status": "published"}
            file.write(("," if number else "") + json.dumps({**post, "html": body}))
        file.write('], "users": [], "tags": []}}]}')
    assert path.stat().st_size > 20_000_000

    tracemalloc.start()
    try:
        count = sum(1 for _ in GhostReader(Source("large", path), _no_fetch).records())
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 300
    assert peak < 2_000_000
