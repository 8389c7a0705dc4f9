"""The Markdown reader: Jekyll and Hugo folders as those generators lay them out."""

import datetime
import shutil
from pathlib import Path

import pytest

from broadsheet.importers.base import BadSource, Source
from broadsheet.importers.readers.markdown import MarkdownReader
from broadsheet.importers.records import (
    Author,
    Format,
    Item,
    Kind,
    Media,
    Skip,
    Status,
    Term,
)

FIXTURES = Path(__file__).parent / "fixtures"
UTC = datetime.UTC


def zone(hours: int) -> datetime.timezone:
    return datetime.timezone(datetime.timedelta(hours=hours))


def never_fetch(url: str) -> Path:
    raise AssertionError(f"the Markdown reader fetched {url}")


def read(folder: Path) -> list:
    return list(MarkdownReader(Source(str(folder), folder), never_fetch).records())


def markdown(**fields) -> Item:
    return Item(body_format=Format.MARKDOWN, **fields)


def test_a_jekyll_site_gives_posts_drafts_and_pages_and_says_what_it_left_out():
    assert read(FIXTURES / "jekyll") == [
        Skip("README.md", "no front matter: not a post or a page"),
        markdown(
            key="markdown:about.markdown",
            title="About",
            kind=Kind.PAGE,
            body="Field Notes is written by Ada Writer.",
            slug="about",
            old_paths=["/about/"],
        ),
        Skip("index.md", "its layout is 'home', not 'page': not a post or a page"),
        markdown(
            key="markdown:_drafts/half-finished.md",
            title="Half finished",
            body="To be continued.",
            slug="half-finished",
            status=Status.DRAFT,
        ),
        markdown(
            key="markdown:_posts/2023-12-24-winter-notes.markdown",
            title="Winter notes",
            body="Cold, and a missing photo: ![Snow](snow.jpg)",
            slug="winter-notes",
            status=Status.DRAFT,  # published: false
            published_at=datetime.datetime(2023, 12, 24, tzinfo=UTC),  # from the name
            terms=[Term(name="winter"), Term(name="notes")],
        ),
        Skip("snow.jpg in _posts/2023-12-24-winter-notes.markdown", "no such image in the folder"),
        markdown(
            key="markdown:_posts/2024-03-05-budget-explained.md",
            title="The budget, explained",
            body=(
                "Spending rises, taxes do not.\n\n"
                '![Spending by year](assets/images/chart.png "Spending")\n\n'
                "The Treasury's own chart: ![](https://www.example.gov/chart.png)"
            ),
            slug="budget-explained",
            published_at=datetime.datetime(2024, 3, 5, 10, 30, tzinfo=zone(1)),
            excerpt="Spending rises, taxes do not.",
            authors=[Author(key="markdown:author:Ada Writer", name="Ada Writer")],
            terms=[Term(name="budget"), Term(name="tax"), Term(name="news"), Term(name="politics")],
            cover=Media(url="assets/images/chart.png"),
            old_paths=["/news/politics/2024/03/05/budget-explained.html", "/budget/"],
        ),
        Skip(
            "_posts/notes-without-a-date.md",
            "in _posts/ but not named YYYY-MM-DD-title (Jekyll leaves it out too)",
        ),
        Skip(
            "_projects/budget-tracker.md",
            "in _projects/: a Jekyll collection or theme folder, not posts or pages",
        ),
    ]


def test_a_hugo_site_reads_yaml_and_toml_bundles_and_aliases():
    marta = Author(key="markdown:author:Marta", name="Marta")
    assert read(FIXTURES / "hugo") == [
        Skip("content/_index.md", "a Hugo section's list page, not a post or a page"),
        markdown(
            key="markdown:content/about.md",
            title="About",
            kind=Kind.PAGE,
            body="I walk by the sea.",
            slug="about",
            published_at=datetime.datetime(2023, 6, 1, tzinfo=UTC),
            excerpt="Who writes this.",
            old_paths=["/about/"],
        ),
        markdown(
            key="markdown:content/posts/first-light.md",
            title="First light",
            # The body's images are named from the folder's top, where the writer looks.
            body="![Dawn over the pier](static/images/dawn.jpg)\n\nThe first boats leave at six.",
            slug="first-light",
            published_at=datetime.datetime(2024, 1, 10, 7, 45, tzinfo=zone(-5)),
            updated_at=datetime.datetime(2024, 1, 12, 9, 0, tzinfo=zone(-5)),
            excerpt="Up before the boats.",
            authors=[marta],
            terms=[Term(name="dawn"), Term(name="photography"), Term(name="walks")],
            # Its own address, then its aliases (a relative one is beside it).
            old_paths=["/posts/first-light/", "/2024/01/first-light/", "/posts/old-first-light"],
        ),
        markdown(
            key="markdown:content/posts/notes.md",
            title="Notes on notes",
            body="Later.",
            slug="notes",
            status=Status.DRAFT,
            published_at=datetime.datetime(2024, 3, 1, 12, 0, tzinfo=UTC),  # no zone: UTC
            excerpt="Half an idea.",
            old_paths=["/notes-on-notes/"],  # url = ... replaces /posts/notes/
        ),
        markdown(
            key="markdown:walk-by-the-harbour",  # the front matter's slug, not the path
            title="A walk by the harbour",
            body="Boats, gulls, and a café.\n\n![Boats](content/posts/harbour-walk/boats.jpg)",
            slug="walk-by-the-harbour",
            published_at=datetime.datetime(2024, 2, 2, 9, 0, tzinfo=UTC),
            authors=[marta, Author(key="markdown:author:Tom", name="Tom")],
            terms=[Term(name="walks")],
            cover=Media(url="content/posts/harbour-walk/cover.jpg", alt="The harbour at noon"),
            old_paths=["/posts/walk-by-the-harbour/"],
        ),
    ]


def test_a_site_inside_one_folder_of_the_source_is_the_site(tmp_path):
    """A zip of a repository unpacks to its one folder (site-main/): keys stay the same,
    media paths are in the source."""
    shutil.copytree(FIXTURES / "jekyll", tmp_path / "site-main")
    records = read(tmp_path)

    items = [r for r in records if isinstance(r, Item)]
    assert [i.key for i in items] == [
        i.key for i in read(FIXTURES / "jekyll") if isinstance(i, Item)
    ]
    assert items[-1].cover == Media(url="site-main/assets/images/chart.png")
    assert "](site-main/assets/images/chart.png" in items[-1].body


def test_a_plain_folder_of_markdown_files_gives_posts(tmp_path):
    (tmp_path / "2022-05-01-spring.md").write_text(
        "---\ntitle: Spring\ncategories: [Seasons, Notes]\ntags: ''\n---\nBuds.\n"
    )
    (tmp_path / "garden_diary.md").write_text("---\ndate: 2022-06-01 08:00\n---\nRoses.\n")
    assert read(tmp_path) == [
        markdown(
            key="markdown:2022-05-01-spring.md",
            title="Spring",
            body="Buds.",
            slug="spring",
            published_at=datetime.datetime(2022, 5, 1, tzinfo=UTC),
            terms=[Term(name="Seasons"), Term(name="Notes")],
        ),
        markdown(
            key="markdown:garden_diary.md",
            title="Garden diary",  # from the file's name
            body="Roses.",
            slug="garden_diary",
            published_at=datetime.datetime(2022, 6, 1, 8, 0, tzinfo=UTC),
        ),
    ]


def test_featured_in_front_matter_yaml_or_toml_marks_the_post(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: A\nfeatured: true\n---\nA.\n")
    (tmp_path / "b.md").write_text("+++\ntitle = 'B'\nFeatured = true\n+++\nB.\n")
    (tmp_path / "c.md").write_text("---\ntitle: C\nfeatured: false\n---\nC.\n")
    (tmp_path / "d.md").write_text("---\ntitle: D\nfeatured: maybe\n---\nD.\n")
    (tmp_path / "e.md").write_text("---\ntitle: E\n---\nE.\n")

    featured = {record.title: record.featured for record in read(tmp_path)}
    assert featured == {"A": True, "B": True, "C": False, "D": False, "E": False}


def test_an_image_outside_the_folder_is_not_taken(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "secret.png").write_bytes(b"\x89PNG")
    (site / "post.md").write_text("---\ntitle: Peek\n---\n![x](../secret.png)\n")
    assert read(site)[1:] == [Skip("../secret.png in post.md", "no such image in the folder")]


def test_front_matter_that_cannot_be_read_skips_its_file_only(tmp_path):
    (tmp_path / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    (tmp_path / "broken-toml.md").write_text("+++\ntitle = \n+++\nBody.\n")
    (tmp_path / "latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    (tmp_path / "fine.md").write_text("---\ntitle: Fine\n---\nBody.\n")

    records = read(tmp_path)
    assert [(r.what, r.reason.split(":")[0]) for r in records if isinstance(r, Skip)] == [
        ("broken-toml.md", "its front matter cannot be read"),
        ("broken.md", "its front matter cannot be read"),
        ("latin1.md", "not UTF-8 text"),
    ]
    assert [r.title for r in records if isinstance(r, Item)] == ["Fine"]


def test_what_is_not_a_markdown_site_is_refused(tmp_path):
    (tmp_path / "README.md").write_text("# Notes\n")
    with pytest.raises(BadSource, match="holds no Markdown posts or pages with front matter"):
        read(tmp_path)
    with pytest.raises(BadSource, match="is a file: a Jekyll or Hugo site is read from its folder"):
        read(tmp_path / "README.md")


def test_the_estimate_counts_every_markdown_file_skipped_ones_too():
    assert MarkdownReader(Source("jekyll", FIXTURES / "jekyll"), never_fetch).estimate() == 8


def test_sniff_knows_a_folder_of_markdown_with_front_matter(tmp_path):
    assert MarkdownReader.sniff(Source("jekyll", FIXTURES / "jekyll"))
    assert MarkdownReader.sniff(Source("hugo", FIXTURES / "hugo"))
    (tmp_path / "README.md").write_text("# Notes\n")
    assert not MarkdownReader.sniff(Source("notes", tmp_path))
    assert not MarkdownReader.sniff(Source("README.md", tmp_path / "README.md"))
