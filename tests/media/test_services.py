"""Uploads are checked from their bytes, cleaned of metadata, stored with renditions, or refused."""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import ExifTags
from PIL import Image as PILImage

from broadsheet.accounts import permissions
from broadsheet.accounts.models import Role, User
from broadsheet.media import services
from broadsheet.media.models import Image
from tests.media import images
from tests.media.images import RED, upload


def opened(name: str) -> PILImage.Image:
    with default_storage.open(name) as stored:
        picture = PILImage.open(io.BytesIO(stored.read()))
        picture.load()
    return picture


def raw(name: str) -> bytes:
    with default_storage.open(name) as stored:
        return stored.read()


def all_names(image: Image) -> list[str]:
    return [image.file.name, *(r["name"] for r in image.renditions)]


def refusal(**kwargs) -> str:
    with pytest.raises(ValidationError) as caught:
        services.upload_image(**kwargs)
    return " ".join(caught.value.messages)


# --- What is stored ------------------------------------------------------------------------


def test_a_camera_jpeg_loses_its_gps_camera_and_xmp_data_everywhere(contributor):
    image = services.upload_image(
        file=upload(images.jpeg_with_gps(), "Holiday.JPG"), alt="A beach", uploaded_by=contributor
    )

    assert len(image.renditions) == 3
    for name in all_names(image):
        picture = opened(name)
        assert picture.format == "JPEG"
        assert not picture.getexif()
        assert not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in picture.info and "xmp" not in picture.info
        data = raw(name)
        assert b"Exif" not in data
        assert b"where-the-writer-lives" not in data
        assert b"Broadsheet Camera" not in data


def test_the_record_describes_the_cleaned_original(contributor):
    image = services.upload_image(
        file=upload(images.jpeg_with_gps((2000, 1500)), "Holiday.JPG"),
        alt="  A   beach ",
        uploaded_by=contributor,
    )
    image.refresh_from_db()

    assert (image.width, image.height) == (2000, 1500)
    assert image.content_type == "image/jpeg"
    assert image.original_name == "Holiday.JPG"
    assert image.alt == "A beach"
    assert image.uploaded_by == contributor
    assert image.size == default_storage.size(image.file.name) == len(raw(image.file.name))


def test_the_exif_orientation_is_applied_to_the_pixels(contributor):
    # Orientation 6: the camera was turned; the picture is shown turned 90° clockwise.
    image = services.upload_image(
        file=upload(images.jpeg_with_gps((1200, 800), orientation=6)),
        alt="Portrait",
        uploaded_by=contributor,
    )

    assert (image.width, image.height) == (800, 1200)
    picture = opened(image.file.name)
    assert picture.size == (800, 1200)
    assert ExifTags.Base.Orientation not in picture.getexif()
    # The red top-left corner of the stored pixels is now at the top right.
    assert _near(picture.getpixel((790, 10)), RED)
    assert not _near(picture.getpixel((10, 10)), RED)
    assert [(r["width"], r["height"]) for r in image.renditions] == [(480, 720)]


def test_a_colour_profile_is_kept(contributor):
    profile = images.srgb_profile()
    image = services.upload_image(
        file=upload(images.jpeg_with_gps(icc=profile)), alt="x", uploaded_by=contributor
    )

    assert opened(image.file.name).info.get("icc_profile") == profile
    assert opened(image.renditions[0]["name"]).info.get("icc_profile") == profile


@pytest.mark.parametrize(
    ("width", "widths"),
    [(2000, [480, 960, 1600]), (1600, [480, 960]), (1000, [480, 960]), (480, []), (300, [])],
)
def test_renditions_are_only_the_narrower_widths_narrowest_first(contributor, width, widths):
    image = services.upload_image(
        file=upload(images.png((width, width // 2)), "chart.png"), alt="x", uploaded_by=contributor
    )

    assert [r["width"] for r in image.renditions] == widths
    for rendition in image.renditions:
        picture = opened(rendition["name"])
        assert picture.format == "PNG"
        assert picture.size == (rendition["width"], rendition["height"])
        assert rendition["height"] == round(rendition["width"] / 2)
    assert image.srcset.endswith(f"{image.url} {width}w")


def test_a_png_named_gif_is_stored_as_the_png_it_is(contributor):
    image = services.upload_image(
        file=upload(images.png((600, 400)), "sneaky.gif", "image/gif"),
        alt="x",
        uploaded_by=contributor,
    )

    assert image.content_type == "image/png"
    assert image.file.name.endswith(".png")
    assert opened(image.file.name).format == "PNG"
    assert image.renditions[0]["name"].endswith("-480.png")


@pytest.mark.parametrize("kind", ["GIF", "WEBP"])
def test_animations_keep_their_frames_and_get_no_renditions(contributor, kind):
    image = services.upload_image(
        file=upload(images.animated(kind, (800, 400)), f"moving.{kind.lower()}"),
        alt="x",
        uploaded_by=contributor,
    )

    assert image.renditions == []
    assert image.content_type == f"image/{kind.lower()}"
    picture = PILImage.open(default_storage.open(image.file.name))
    assert picture.format == kind
    assert picture.n_frames == 3
    assert (image.width, image.height) == (800, 400)


def test_a_phone_jpeg_with_extra_views_is_stored_as_one_plain_jpeg(contributor):
    # Many phones write MPO: a JPEG followed by more pictures (depth maps, previews).
    views = [images.marked((1000, 750)), images.marked((1000, 750)).rotate(180)]
    data = images.encode(views[0], "MPO", save_all=True, append_images=views[1:])
    assert PILImage.open(io.BytesIO(data)).format == "MPO"

    image = services.upload_image(
        file=upload(data, "IMG_0001.JPG"), alt="x", uploaded_by=contributor
    )

    picture = opened(image.file.name)
    assert (picture.format, getattr(picture, "n_frames", 1)) == ("JPEG", 1)
    assert image.content_type == "image/jpeg"
    assert [r["width"] for r in image.renditions] == [480, 960]


def test_a_webp_gets_webp_renditions(contributor):
    image = services.upload_image(
        file=upload(images.webp((1000, 600)), "photo.webp"), alt="x", uploaded_by=contributor
    )

    assert image.content_type == "image/webp"
    assert [opened(r["name"]).format for r in image.renditions] == ["WEBP", "WEBP"]


def test_the_stored_name_is_safe_readable_and_unguessable(contributor):
    first = services.upload_image(
        file=upload(images.png((100, 100)), "../../Ünïcode Photo (final)!!.PNG"),
        alt="x",
        uploaded_by=contributor,
    )
    second = services.upload_image(
        file=upload(images.png((100, 100)), "你好.png"), alt="x", uploaded_by=contributor
    )

    assert re.fullmatch(r"images/\d{4}/\d{2}/unicode-photo-final-[0-9a-f]{8}\.png", first.file.name)
    assert re.fullmatch(r"images/\d{4}/\d{2}/image-[0-9a-f]{8}\.png", second.file.name)
    assert first.original_name == "Ünïcode Photo (final)!!.PNG"


# --- What is refused -----------------------------------------------------------------------


def test_a_text_file_named_jpg_is_not_an_image(contributor, stored_files):
    message = refusal(
        file=upload(b"Just some words.\n" * 20, "photo.jpg"), alt="x", uploaded_by=contributor
    )

    assert "not an image, or a damaged one" in message
    assert stored_files() == set()
    assert not Image.objects.exists()


def test_a_truncated_jpeg_is_damaged(contributor, stored_files):
    whole = images.jpeg_with_gps((800, 600))
    message = refusal(
        file=upload(whole[: len(whole) // 2], "cut.jpg"), alt="x", uploaded_by=contributor
    )

    assert "not an image, or a damaged one" in message
    assert stored_files() == set()


def test_other_image_formats_are_named_and_refused(contributor):
    bmp = images.encode(PILImage.new("RGB", (50, 50)), "BMP")
    message = refusal(
        file=upload(bmp, "picture.png", "image/png"), alt="x", uploaded_by=contributor
    )

    assert "BMP images are not accepted" in message
    assert "JPEG, PNG, GIF or WebP" in message


def test_a_file_over_the_limit_is_refused_with_the_limit(contributor, settings, stored_files):
    settings.BROADSHEET_MAX_UPLOAD_BYTES = 5 * 1_048_576
    data = images.png((100, 100)) + b"\x00" * (5 * 1_048_576)

    message = refusal(file=upload(data, "big.png"), alt="x", uploaded_by=contributor)

    assert "too large" in message and "5 MB" in message
    assert stored_files() == set()


def test_a_header_claiming_billions_of_pixels_is_refused(contributor, stored_files):
    message = refusal(
        file=upload(images.png_claiming(100_000, 100_000), "bomb.png"),
        alt="x",
        uploaded_by=contributor,
    )

    assert "too large in pixels" in message
    assert stored_files() == set()


def test_the_pixel_limit_is_pillows_and_its_warning_refuses_too(contributor, monkeypatch):
    # Between the limit and twice it, Pillow only warns: that warning must refuse as well.
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 10_000)

    message = refusal(
        file=upload(images.png((120, 100)), "warned.png"), alt="x", uploaded_by=contributor
    )

    assert "too large in pixels" in message


def test_an_animation_is_counted_by_all_its_frames(contributor, monkeypatch):
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 10_000)

    message = refusal(
        file=upload(images.animated("GIF", (80, 50), frames=3), "long.gif"),
        alt="x",
        uploaded_by=contributor,
    )

    assert "too large in pixels" in message


def test_an_image_that_cannot_be_encoded_again_is_refused(contributor, monkeypatch, stored_files):
    def broken_encoder(*args, **kwargs):
        raise OSError("encoder error -2")

    monkeypatch.setattr(services, "_encode", broken_encoder)

    message = refusal(file=upload(images.png((50, 50))), alt="x", uploaded_by=contributor)

    assert "could not be processed" in message
    assert stored_files() == set()


def test_alt_text_has_a_limit(contributor):
    message = refusal(file=upload(images.png((50, 50))), alt="x" * 301, uploaded_by=contributor)

    assert "300 characters" in message


def test_a_reader_may_not_upload(make_author):
    with pytest.raises(PermissionDenied):
        services.upload_image(
            file=upload(images.png((50, 50))), alt="x", uploaded_by=make_author("Reader")
        )


@pytest.mark.django_db(transaction=True)
def test_a_failed_commit_leaves_no_file_and_no_row(contributor, stored_files):
    # A real refusal by the database, at commit: the uploader's account was deleted while
    # the image was being processed, so the row's foreign key points at nobody.
    User.objects.filter(pk=contributor.pk).delete()

    with pytest.raises(IntegrityError):
        services.upload_image(
            file=upload(images.png((2000, 1000)), "lost.png"), alt="x", uploaded_by=contributor
        )

    assert stored_files() == set()
    assert not Image.objects.exists()


def test_an_upload_is_its_own_transaction(contributor, stored_files):
    # Were it part of a caller's transaction, a later rollback would keep files with no row.
    with transaction.atomic(), pytest.raises(RuntimeError, match="durable"):
        services.upload_image(
            file=upload(images.png((50, 50)), "nested.png"), alt="x", uploaded_by=contributor
        )

    assert stored_files() == set()


def test_a_failure_while_storing_renditions_removes_what_was_stored(
    contributor, monkeypatch, stored_files
):
    real_save = default_storage.save
    calls = []

    def failing_second_save(name, content, *args, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_save(name, content, *args, **kwargs)

    monkeypatch.setattr(default_storage, "save", failing_second_save)

    with pytest.raises(OSError, match="disk full"):
        services.upload_image(
            file=upload(images.png((2000, 1000)), "half.png"), alt="x", uploaded_by=contributor
        )

    assert len(calls) == 2
    assert stored_files() == set()
    assert not Image.objects.exists()


# --- Alt text and deleting -----------------------------------------------------------------


@pytest.fixture
def uploaded(contributor):
    return services.upload_image(
        file=upload(images.png((1200, 600)), "chart.png"), alt="A chart", uploaded_by=contributor
    )


def test_deleting_removes_the_row_and_every_file(
    uploaded, contributor, stored_files, django_capture_on_commit_callbacks
):
    assert len(stored_files()) == 3

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_image(actor=contributor, image=uploaded)

    assert not Image.objects.exists()
    assert stored_files() == set()


def test_files_stay_until_the_deletion_is_committed(uploaded, contributor, stored_files):
    # Inside the test's transaction nothing commits: were it rolled back, the files must exist.
    services.delete_image(actor=contributor, image=uploaded)

    assert len(stored_files()) == 3


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.CONTRIBUTOR, False),
        (Role.AUTHOR, False),
        (Role.EDITOR, True),
        (Role.ADMINISTRATOR, True),
    ],
)
def test_only_the_uploader_or_an_editor_may_delete_or_edit(uploaded, make_staff, role, allowed):
    someone = make_staff(role)

    assert permissions.can_manage_image(someone, uploaded) is allowed
    if allowed:
        services.update_alt(actor=someone, image=uploaded, alt="Edited")
        services.delete_image(actor=someone, image=uploaded)
        assert not Image.objects.exists()
    else:
        with pytest.raises(PermissionDenied):
            services.update_alt(actor=someone, image=uploaded, alt="Edited")
        with pytest.raises(PermissionDenied):
            services.delete_image(actor=someone, image=uploaded)
        assert Image.objects.get().alt == "A chart"


def test_a_reader_or_former_uploader_may_not_manage(uploaded, contributor, make_author):
    assert not permissions.can_manage_image(make_author("Reader"), uploaded)
    assert not permissions.can_manage_image(None, uploaded)
    contributor.role = ""
    contributor.save()
    assert not permissions.can_manage_image(contributor, uploaded)


def test_update_alt(uploaded, contributor):
    services.update_alt(actor=contributor, image=uploaded, alt=" Rainfall by month ")

    assert Image.objects.get().alt == "Rainfall by month"
    with pytest.raises(ValidationError):
        services.update_alt(actor=contributor, image=uploaded, alt="y" * 301)


def test_max_upload_mb_reads_naturally(settings):
    settings.BROADSHEET_MAX_UPLOAD_BYTES = 10 * 1_048_576
    assert services.max_upload_mb() == "10"
    settings.BROADSHEET_MAX_UPLOAD_BYTES = 2_621_440
    assert services.max_upload_mb() == "2.5"


def _near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], colour, strict=True))
