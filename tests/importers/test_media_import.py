"""An import's images: stored once through the media pipeline, from a real local server or
the source folder; bodies pointed at them; what cannot be had is recorded, not raised."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction

from broadsheet.accounts.models import Role
from broadsheet.importers.media import MediaImporter, normalise_image_url
from broadsheet.importers.records import Media
from broadsheet.media import services
from broadsheet.media.models import Image
from tests.media import images

pytestmark = pytest.mark.usefixtures("db")


def importer(**options) -> MediaImporter:
    defaults = {"uploaded_by": None, "fetch_timeout": 5, "max_bytes": 1_000_000, "dry_run": False}
    return MediaImporter(**(defaults | options))


@pytest.fixture
def folder(tmp_path) -> Path:
    """A source folder (an unpacked site) with one image, and a secret beside it."""
    root = tmp_path / "site"
    (root / "images").mkdir(parents=True)
    (root / "images" / "chart.png").write_bytes(images.png((1200, 800)))
    (tmp_path / "secret.png").write_bytes(images.png((10, 10)))
    return root


# --- One image -------------------------------------------------------------------------------


def test_a_web_image_is_cleaned_and_stored_under_its_name_without_the_query(web, stored_files):
    url = web.serve("/wp-content/uploads/photo.jpg", images.jpeg_with_gps((2000, 1500)))
    media = importer()

    image = media.image_for(Media(url=f"{url}?fit=1024%2C768&ssl=1", alt="A beach"), root=None)

    assert image is not None
    assert web.paths_asked() == ["/wp-content/uploads/photo.jpg?fit=1024%2C768&ssl=1"]
    assert image.original_name == "photo.jpg"
    assert re.fullmatch(r"images/\d{4}/\d{2}/photo-[0-9a-f]{8}\.jpg", image.file.name)
    assert (image.width, image.height, image.alt) == (2000, 1500, "A beach")
    assert image.uploaded_by is None
    assert len(image.renditions) == 3
    names = [image.file.name, *(r["name"] for r in image.renditions)]
    assert media.stored == names
    assert stored_files() == set(names)
    for name in names:
        with default_storage.open(name) as stored:
            assert b"Broadsheet Camera" not in stored.read()  # the camera's metadata is gone
    assert media.images_created == [image]
    assert media.failures == []


def test_a_file_that_is_not_an_image_is_a_failure_and_stores_nothing(web, stored_files):
    url = web.serve("/fake.jpg", b"<html>Not found, but said politely</html>", "image/jpeg")
    media = importer()

    assert media.image_for(Media(url=url), root=None) is None

    assert media.failures == [
        (url, f"could not import {url}: {services.NOT_AN_IMAGE}"),
    ]
    assert stored_files() == set()
    assert media.stored == []
    assert not Image.objects.exists()


def test_a_missing_image_is_a_failure(web):
    url = web.url("/gone.png")
    media = importer()

    assert media.image_for(Media(url=url), root=None) is None
    assert media.image_for(Media(url=url), root=None) is None

    assert media.failures == [(url, f"could not fetch {url}: the server answered 404")]
    assert web.paths_asked() == ["/gone.png"]  # asked once, recorded once


def test_an_image_over_the_limit_is_a_failure(folder):
    media = importer(max_bytes=1000)

    assert media.image_for(Media(url="images/chart.png"), root=folder) is None

    [(url, reason)] = media.failures
    assert url == "images/chart.png"
    assert "too large" in reason and "0.000954 MB" in reason


def test_a_long_alt_text_is_cut_rather_than_the_image_refused(folder):
    image = importer().image_for(Media(url="images/chart.png", alt="word " * 100), root=folder)

    assert image is not None and len(image.alt) == 300


def test_an_operator_needs_no_role_but_a_user_does(folder, make_staff, make_author):
    contributor = make_staff(Role.CONTRIBUTOR)
    chart = Media(url="images/chart.png")

    assert (
        importer(uploaded_by=contributor).image_for(chart, root=folder).uploaded_by == contributor
    )
    with pytest.raises(PermissionDenied):  # another address: not the image stored above
        importer(uploaded_by=make_author("Reader")).image_for(
            Media(url="./images/chart.png"), root=folder
        )


# --- Files of the source folder ----------------------------------------------------------------


def test_a_relative_path_is_the_file_in_the_folder_stored_once_however_spelled(folder):
    media = importer()

    found = [
        media.image_for(Media(url=path), root=folder)
        for path in [
            "images/chart.png",
            "./images/chart.png",
            "/images/chart.png",
            "images//x/../chart.png",
        ]
    ]

    assert found[0] is not None and all(image == found[0] for image in found)
    assert found[0].original_name == "chart.png"
    assert Image.objects.count() == 1
    assert media.failures == []


@pytest.mark.parametrize(
    "path",
    [
        "../secret.png",
        "images/../../secret.png",
        "images/%2E%2E/%2E%2E/secret.png",
        "images/link.png",
    ],
)
def test_a_path_out_of_the_folder_is_refused(folder, path, stored_files):
    (folder / "images" / "link.png").symlink_to(folder.parent / "secret.png")
    media = importer()

    assert media.image_for(Media(url=path), root=folder) is None

    assert media.failures == [
        (path, f"could not import {path}: it points outside the source folder")
    ]
    assert stored_files() == set()


def test_an_absolute_path_is_read_inside_the_folder_only(folder, stored_files):
    secret = str(folder.parent / "secret.png")  # exists, but outside the folder
    media = importer()

    assert media.image_for(Media(url=secret), root=folder) is None

    assert media.failures == [
        (secret, f"could not import {secret}: there is no such file in the source")
    ]
    assert stored_files() == set()


def test_a_relative_path_needs_a_folder():
    media = importer()

    assert media.image_for(Media(url="images/chart.png"), root=None) is None
    assert "the source is no folder" in media.failures[0][1]


# --- Dry runs and rolled-back runs -------------------------------------------------------------


def test_a_dry_run_fetches_and_stores_nothing_but_counts(web, folder, stored_files):
    url = web.serve("/a.png", images.png((50, 50)))
    media = importer(dry_run=True)

    for _ in range(2):
        assert media.image_for(Media(url=url), root=folder) is None
        assert media.image_for(Media(url="images/chart.png"), root=folder) is None
    assert media.image_for(Media(url="images/missing.png"), root=folder) is None

    assert media.would_fetch == 2
    assert web.requests == []
    assert stored_files() == set()
    assert [url for url, _ in media.failures] == ["images/missing.png"]


def test_files_of_a_rolled_back_import_are_deleted_by_delete_stored_files(folder, stored_files):
    media = importer()

    with pytest.raises(RuntimeError), transaction.atomic():  # the importer's one transaction
        assert media.image_for(Media(url="images/chart.png"), root=folder) is not None
        raise RuntimeError("a later record failed")

    assert not Image.objects.exists()
    assert stored_files() == set(media.stored) and len(media.stored) == 3

    services.delete_stored_files(media.stored)

    assert stored_files() == set()


# --- Rewriting bodies --------------------------------------------------------------------------


def test_rewrite_points_img_tags_at_the_stored_images_and_keeps_everything_else(web):
    cover = web.serve("/uploads/cover-300x200.jpg", images.png((600, 400)))
    missing = web.url("/uploads/missing.png")
    body = (
        "<p>Fish &amp; chips&nbsp;— “quoted” <b>bold</b></p>\n"
        f'<figure class="wp-block-image"><IMG class=x SRC="{cover}?resize=300%2C200&amp;ssl=1" '
        f'alt="A &quot;cover&quot;" srcset="{cover} 300w, {cover}?w=600 600w" '
        'sizes="(max-width: 300px) 100vw" width=300 height="200"/></figure>\n'
        f"<!-- <img src='{cover}'> -->\n"
        f"<img src='{missing}' srcset='{missing} 2x'>\n"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">\n'
        '<img src="/media/images/2026/01/ours.jpg">\n'
        f"<p>And again: <img src={cover}?resize=300%2C200&ssl=1 alt=again></p>"
    )
    media = importer()

    result = media.rewrite(body, root=None)

    [image] = media.images_created
    assert result == (
        "<p>Fish &amp; chips&nbsp;— “quoted” <b>bold</b></p>\n"
        f'<figure class="wp-block-image"><img class="x" src="{image.url}" '
        'alt="A &quot;cover&quot;" width="300" height="200" /></figure>\n'
        f"<!-- <img src='{cover}'> -->\n"
        f"<img src='{missing}' srcset='{missing} 2x'>\n"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">\n'
        '<img src="/media/images/2026/01/ours.jpg">\n'
        f'<p>And again: <img src="{image.url}" alt="again"></p>'
    )
    assert image.original_name == "cover-300x200.jpg"
    assert image.alt == 'A "cover"'
    assert web.paths_asked() == [
        "/uploads/cover-300x200.jpg?resize=300%2C200&ssl=1",
        "/uploads/missing.png",
    ]
    assert [url for url, _ in media.failures] == [missing]


def test_the_same_image_in_two_posts_is_fetched_and_stored_once(web, stored_files):
    url = web.serve("/a.png", images.png((100, 100)))
    media = importer()

    first = media.rewrite(f'<p><img src="{url}"></p>', root=None)
    second = media.rewrite(f'<img alt="" src="{url}">', root=None)

    [image] = Image.objects.all()
    assert first == f'<p><img src="{image.url}"></p>'
    assert second == f'<img alt="" src="{image.url}">'
    assert web.paths_asked() == ["/a.png"]
    assert len(stored_files()) == 1


def test_rewrite_markdown_points_images_at_the_stored_ones_and_leaves_code_alone(folder):
    text = (
        "# Rain\n\n"
        'See ![A *bar* chart [2024]](images/chart.png "Rainfall (mm)") and\n'
        "![again](<./images/chart.png>), [![linked](images/chart.png)](https://example.com).\n\n"
        "Not images: \\![escaped](images/chart.png), `![code](images/chart.png)`,\n"
        "![missing](images/nope.png).\n\n"
        "An unclosed ``tick ![open](images/chart.png) is an image.\n\n"
        '```markdown\n![fenced](images/chart.png)\n<img src="images/chart.png">\n```\n\n'
        "    ![indented](images/chart.png)\n\n"
        '<p><img src="images/chart.png" alt="html in markdown"></p>\n'
    )
    media = importer()

    result = media.rewrite_markdown(text, root=folder)

    [image] = media.images_created
    url = image.url
    assert result == (
        "# Rain\n\n"
        f'See ![A *bar* chart [2024]]({url} "Rainfall (mm)") and\n'
        f"![again]({url}), [![linked]({url})](https://example.com).\n\n"
        "Not images: \\![escaped](images/chart.png), `![code](images/chart.png)`,\n"
        "![missing](images/nope.png).\n\n"
        f"An unclosed ``tick ![open]({url}) is an image.\n\n"
        '```markdown\n![fenced](images/chart.png)\n<img src="images/chart.png">\n```\n\n'
        "    ![indented](images/chart.png)\n\n"
        f'<p><img src="{url}" alt="html in markdown"></p>\n'
    )
    assert image.alt == "A *bar* chart [2024]"
    assert [path for path, _ in media.failures] == ["images/nope.png"]


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        (
            "wix:image://v1/11062b_3c5a~mv2.jpg/Harbour%20at%20dawn.jpg#originWidth=1920&originHeight=1080",
            "https://static.wixstatic.com/media/11062b_3c5a~mv2.jpg",
        ),
        (
            "https://static.wixstatic.com/media/11062b_3c5a~mv2.jpg/v1/fill/w_740,h_416,al_c,q_80/Harbour.jpg",
            "https://static.wixstatic.com/media/11062b_3c5a~mv2.jpg",
        ),
        (
            "https://static.wixstatic.com/media/11062b_3c5a~mv2.jpg",
            "https://static.wixstatic.com/media/11062b_3c5a~mv2.jpg",
        ),
        ("//i0.wp.com/example.com/a.png?w=300", "https://i0.wp.com/example.com/a.png?w=300"),
        (" https://example.com/a.jpg?fit=1024%2C768 ", "https://example.com/a.jpg?fit=1024%2C768"),
        ("images/a.png", "images/a.png"),
    ],
)
def test_normalise_image_url(url, normalised):
    assert normalise_image_url(url) == normalised
