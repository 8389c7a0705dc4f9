"""Uploading, describing and deleting images: the rules, whatever door the file came through.

An upload is never trusted: its size is checked first, then Pillow decides what it is from
its bytes (never its name or the browser's word), and what is stored is a fresh encoding
of the pixels, without the camera's metadata (GPS position, serial numbers, XMP). Image
processing happens before any database write, so a large upload never holds the write
lock, and files already stored are removed again if anything after them fails.

Importers bring images through the same checks and cleaning (`import_image`); only where
the row is saved differs.
"""

import io
import logging
import posixpath
import secrets
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify
from PIL import Image as PILImage
from PIL import ImageCms, ImageSequence

from broadsheet.accounts import permissions
from broadsheet.accounts.models import User
from broadsheet.accounts.permissions import Action
from broadsheet.media.models import ALT_MAX_LENGTH, Image

logger = logging.getLogger(__name__)

# Pillow's format name -> (content type, file extension). Nothing else is accepted.
FORMATS = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
# Widths of the smaller copies made for `srcset`; only those narrower than the original.
RENDITION_WIDTHS = (480, 960, 1600)

_ACCEPTED = "Upload a JPEG, PNG, GIF or WebP image."
NOT_AN_IMAGE = f"This file is not an image, or a damaged one. {_ACCEPTED}"
_EXIF_ORIENTATION = 0x0112
_TRANSPOSE = {
    2: PILImage.Transpose.FLIP_LEFT_RIGHT,
    3: PILImage.Transpose.ROTATE_180,
    4: PILImage.Transpose.FLIP_TOP_BOTTOM,
    5: PILImage.Transpose.TRANSPOSE,
    6: PILImage.Transpose.ROTATE_270,
    7: PILImage.Transpose.TRANSVERSE,
    8: PILImage.Transpose.ROTATE_90,
}
_NAME_STEM_LENGTH = 50  # the stored name must fit the field's 100 characters


@dataclass
class _Picture:
    """Decoded, upright pixels with nothing of the original file's metadata but its colours."""

    format: str
    frames: list[PILImage.Image]
    icc_profile: bytes | None = None
    durations: list[int] = field(default_factory=list)
    loop: int | None = None
    lossless: bool = False

    @property
    def animated(self) -> bool:
        return len(self.frames) > 1

    @property
    def size(self) -> tuple[int, int]:
        return self.frames[0].size


# --- Writes ----------------------------------------------------------------------------


def too_large_message() -> str:
    return f"This file is too large: an upload may be at most {max_upload_mb()} MB."


def upload_image(*, file: UploadedFile, alt: str, uploaded_by: User) -> Image:
    """Check, clean and store an uploaded image with its renditions; refuse with a reason.

    `uploaded_by` is the actor. The files are written first (the slow part, outside any
    write lock), then the row in a transaction of its own (`durable`: no caller's
    transaction can roll the row back after its files are kept). If anything fails up to
    and including the commit, the files written are deleted again.
    """
    _check_may_upload(uploaded_by)
    prepared = _prepare(
        file,
        name=file.name or "",
        alt=_clean_alt(alt),
        uploaded_by=uploaded_by,
        max_bytes=settings.BROADSHEET_MAX_UPLOAD_BYTES,
        too_large=too_large_message(),
    )
    _store(prepared, [], durable=True)
    return prepared.image


def import_image(
    *,
    file: Path | File,
    name: str,
    alt: str,
    uploaded_by: User | None,
    stored: list[str],
    max_bytes: int | None = None,
) -> Image:
    """An upload's checks and cleaning for an importer, whose one transaction holds the row.

    `uploaded_by` None is the operator at the command line (no permission to check). The
    row is saved in the caller's transaction (in a savepoint, so a refused row leaves that
    transaction usable); the names of the files written are added to `stored`, for the
    caller to delete (`delete_stored_files`) if its transaction does not commit. Files of
    an image that fails here are deleted here. An alt text longer than the field is cut:
    the source took it, and refusing the picture for its description would lose both.
    """
    if uploaded_by is not None:
        _check_may_upload(uploaded_by)
    limit = settings.BROADSHEET_IMPORT_MAX_MEDIA_BYTES if max_bytes is None else max_bytes
    with _opened(file) as data:
        prepared = _prepare(
            data,
            name=name,
            alt=_collapse_spaces(alt)[:ALT_MAX_LENGTH],
            uploaded_by=uploaded_by,
            max_bytes=limit,
            too_large=f"This image is too large: an import takes images of at most "
            f"{megabytes(limit)} MB.",
        )
    _store(prepared, stored, durable=False)
    return prepared.image


def delete_stored_files(names: Iterable[str]) -> None:
    """Remove files `import_image` wrote, once the transaction holding their rows failed."""
    _delete_files(Image._meta.get_field("file").storage, names)


@dataclass
class _Prepared:
    """A checked, cleaned image ready to store: its row (unsaved) and the bytes of its files."""

    image: Image
    name: str
    extension: str
    original: bytes
    renditions: list[tuple[int, int, bytes]]


def _check_may_upload(user: User) -> None:
    if not permissions.can(user, Action.UPLOAD_MEDIA):
        raise PermissionDenied("Your role does not allow uploading images.")


@contextmanager
def _opened(file: Path | File) -> Iterator[File]:
    if isinstance(file, Path):
        with file.open("rb") as handle:
            yield File(handle)
    else:
        yield file


def _prepare(
    file: File,
    *,
    name: str,
    alt: str,
    uploaded_by: User | None,
    max_bytes: int,
    too_large: str,
) -> _Prepared:
    """Every check and all the image work, before anything is written anywhere."""
    if file.size is None or file.size > max_bytes:
        raise ValidationError(too_large, code="file_too_large")
    picture = _decode(file)
    try:
        original = _encode(picture, picture.frames[0], quality=88)
        renditions = [] if picture.animated else _renditions(picture)
    except Exception as error:  # an odd corner of a format Pillow reads but cannot write back
        logger.warning("Could not re-encode an uploaded %s image.", picture.format, exc_info=True)
        raise ValidationError(
            "This image could not be processed: open it in an image editor, save it again "
            "and upload that copy.",
            code="unprocessable_image",
        ) from error

    content_type, extension = FORMATS[picture.format]
    width, height = picture.size
    image = Image(
        alt=alt,
        original_name=PurePath(name).name[:255],
        content_type=content_type,
        size=len(original),
        width=width,
        height=height,
        uploaded_by=uploaded_by,
    )
    return _Prepared(image, name, extension, original, renditions)


def _store(prepared: _Prepared, stored: list[str], *, durable: bool) -> None:
    """Write the files, then save the row; if either fails, delete the files again."""
    written: list[str] = []
    try:
        _store_files(prepared, written)
        with transaction.atomic(durable=durable):
            prepared.image.save()
    except BaseException:
        delete_stored_files(written)
        raise
    stored.extend(written)


def _store_files(prepared: _Prepared, stored: list[str]) -> None:
    """Write the original and its renditions, adding each name to `stored` once written."""
    image, extension = prepared.image, prepared.extension
    field = Image._meta.get_field("file")
    # The field's `upload_to` folder and the storage's own rules for names and clashes.
    image.file.name = field.storage.save(
        field.generate_filename(image, f"{_safe_stem(prepared.name)}.{extension}"),
        ContentFile(prepared.original),
        max_length=field.max_length,
    )
    stored.append(image.file.name)
    _store_renditions(image, extension, prepared.renditions, stored)


def _store_renditions(
    image: Image, extension: str, renditions: list[tuple[int, int, bytes]], stored: list[str]
) -> None:
    """Write the smaller copies beside the stored original, adding each name to `stored`."""
    storage = Image._meta.get_field("file").storage
    folder, base = posixpath.split(image.file.name or "")
    stem = base.rsplit(".", 1)[0]
    for rendition_width, rendition_height, data in renditions:
        rendition = storage.save(
            posixpath.join(folder, f"{stem}-{rendition_width}.{extension}"), ContentFile(data)
        )
        stored.append(rendition)
        image.renditions.append(
            {"width": rendition_width, "height": rendition_height, "name": rendition}
        )


def make_renditions(image: Image, stored: list[str]) -> None:
    """The smaller copies of an image whose original is stored already (a restored archive
    brings originals only), made as an upload makes them; their names go to `stored`."""
    with image.file.open("rb") as handle:
        picture = _decode(File(handle))
    if not picture.animated:
        _store_renditions(image, FORMATS[picture.format][1], _renditions(picture), stored)


def update_alt(*, actor: User, image: Image, alt: str) -> Image:
    """Describe an image again (what screen readers say and what shows when it cannot load)."""
    if not permissions.can_manage_image(actor, image):
        raise PermissionDenied(
            "Only the person who uploaded this image, or an editor, may edit it."
        )
    with transaction.atomic():
        image.alt = _clean_alt(alt)
        image.save(update_fields=["alt"])
    return image


def delete_image(*, actor: User, image: Image) -> None:
    """Remove an image and every file of it; the files go once the row is surely gone."""
    if not permissions.can_manage_image(actor, image):
        raise PermissionDenied(
            "Only the person who uploaded this image, or an editor, may delete it."
        )
    storage = image.file.storage
    names = [image.file.name, *(r["name"] for r in image.renditions)]
    with transaction.atomic():
        image.delete()
        transaction.on_commit(lambda: _delete_files(storage, names), robust=True)


def max_upload_mb() -> str:
    """The upload limit as people read it: "10", "2.5", or "0.001" for a test's tiny limit."""
    return megabytes(settings.BROADSHEET_MAX_UPLOAD_BYTES)


def megabytes(size: int) -> str:
    """A size limit in megabytes, as people read it: "10", "2.5", "0.001"."""
    value = size / 1_048_576
    return f"{value:.3g}" if value < 1 else f"{value:.1f}".removesuffix(".0")


# --- Checking and decoding -------------------------------------------------------------


def _collapse_spaces(alt: str) -> str:
    return " ".join((alt or "").split())


def _clean_alt(alt: str) -> str:
    alt = _collapse_spaces(alt)
    if len(alt) > ALT_MAX_LENGTH:
        raise ValidationError(
            f"Keep the alt text to {ALT_MAX_LENGTH} characters (it has {len(alt)}).",
            code="alt_too_long",
        )
    return alt


def _too_many_pixels() -> ValidationError:
    limit = PILImage.MAX_IMAGE_PIXELS
    most = f" (at most {limit / 1_000_000:.3g} million pixels)" if limit else ""
    return ValidationError(
        f"This image is too large in pixels{most}. Make it smaller and upload it again.",
        code="too_many_pixels",
    )


def _check_pixels(picture: PILImage.Image) -> None:
    """Refuse pixel counts that would take more memory to decode than any photo needs."""
    limit = PILImage.MAX_IMAGE_PIXELS
    width, height = picture.size
    frames = getattr(picture, "n_frames", 1) if picture.format != "MPO" else 1
    if limit and width * height * frames > limit:
        raise _too_many_pixels()


def _decode(file: File) -> _Picture:
    """Open with Pillow, checking the content, and return clean, upright frames."""
    with warnings.catch_warnings():
        # A decompression bomb is refused, not merely warned about.
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            file.seek(0)
            with PILImage.open(file, formats=list(FORMATS)) as probe:
                _check_pixels(probe)
                probe.verify()
            file.seek(0)
            with PILImage.open(file, formats=list(FORMATS)) as opened:
                opened.load()
                return _clean(opened, lossless=_is_lossless_webp(file, opened.format))
        except ValidationError:
            raise
        except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as error:
            raise _too_many_pixels() from error
        except PILImage.UnidentifiedImageError as error:
            raise _unsupported(file) from error
        except Exception as error:  # Pillow has many ways to say "damaged": all mean the same here
            raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from error


def _unsupported(file: File) -> ValidationError:
    """Name the format of an image we do not take, or say it is no image at all."""
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with PILImage.open(file) as other:
                kind = other.format
    except Exception:
        return ValidationError(NOT_AN_IMAGE, code="invalid_image")
    return ValidationError(
        f"{kind} images are not accepted. {_ACCEPTED}", code="unsupported_format"
    )


def _orientation(picture: PILImage.Image) -> int:
    try:
        return int(picture.getexif().get(_EXIF_ORIENTATION, 1))
    except Exception:  # unreadable EXIF: show the pixels as stored
        return 1


def _clean(opened: PILImage.Image, *, lossless: bool) -> _Picture:
    """Upright copies of the frames that carry no metadata (only transparency and colours)."""
    kind = "JPEG" if opened.format == "MPO" else str(opened.format)  # phones' JPEGs, extra views
    transpose = _TRANSPOSE.get(_orientation(opened))
    icc_profile = opened.info.get("icc_profile") or None
    animated = kind != "JPEG" and getattr(opened, "n_frames", 1) > 1
    sources = ImageSequence.Iterator(opened) if animated else [opened]
    frames, durations = [], []
    for source in sources:
        frame = source.copy()
        frame.info = (
            {"transparency": source.info["transparency"]} if "transparency" in source.info else {}
        )
        if transpose is not None:
            frame = frame.transpose(transpose)
        frames.append(frame)
        durations.append(int(source.info.get("duration") or 100))
    if kind == "JPEG" and frames[0].mode not in ("L", "RGB"):
        frames[0], icc_profile = _to_srgb(frames[0], icc_profile), None
    return _Picture(
        format=kind,
        frames=frames,
        icc_profile=icc_profile,
        durations=durations,
        loop=opened.info.get("loop"),
        lossless=lossless,
    )


def _to_srgb(frame: PILImage.Image, icc_profile: bytes | None) -> PILImage.Image:
    """CMYK (print) JPEGs become RGB, through their colour profile when they have one."""
    if icc_profile:
        try:
            converted = ImageCms.profileToProfile(
                frame,
                ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
                ImageCms.createProfile("sRGB"),
                outputMode="RGB",
            )
            if converted is not None:
                return converted
        except Exception:  # a broken profile: a plain conversion is still a usable picture
            logger.info("Could not convert an image through its colour profile.", exc_info=True)
    return frame.convert("RGB")


def _is_lossless_webp(file: File, kind: str | None) -> bool:
    """Whether a WebP's first image is lossless ("VP8L"): re-encoding it lossy would blur it."""
    if kind != "WEBP":
        return False
    file.seek(0)
    data = file.read(64 * 1024)
    position = 12  # after "RIFF", the size and "WEBP"
    while position + 8 <= len(data):
        chunk, size = (
            data[position : position + 4],
            int.from_bytes(data[position + 4 : position + 8], "little"),
        )
        if chunk == b"VP8L":
            return True
        if chunk == b"VP8 ":
            return False
        if chunk == b"ANMF":  # an animation frame: 16 bytes of placement, then its own chunks
            position += 8 + 16
            continue
        position += 8 + size + (size & 1)
    return False


# --- Encoding --------------------------------------------------------------------------


def _encode(picture: _Picture, frame: PILImage.Image, *, quality: int) -> bytes:
    """The frame (or, for the original of an animation, all frames) in the original format."""
    options: dict = {}
    if picture.icc_profile:
        options["icc_profile"] = picture.icc_profile
    if "transparency" in frame.info and not picture.animated:  # frames carry their own
        options["transparency"] = frame.info["transparency"]
    if picture.animated:
        options |= {"save_all": True, "append_images": picture.frames[1:]}
        options["duration"] = picture.durations
        if picture.loop is not None or picture.format != "GIF":
            options["loop"] = picture.loop or 0
        if picture.format == "GIF":
            options["disposal"] = 2  # frames are whole pictures: clear before the next one
        elif picture.format == "PNG":
            options |= {"disposal": 0, "blend": 0}
    if picture.format == "JPEG":
        options |= {"quality": quality, "optimize": True, "progressive": True}
    elif picture.format == "WEBP":
        options |= {"lossless": picture.lossless, "quality": quality, "method": 4}
    buffer = io.BytesIO()
    frame.save(buffer, picture.format, **options)
    return buffer.getvalue()


def _renditions(picture: _Picture) -> list[tuple[int, int, bytes]]:
    """Smaller copies, narrowest first, for browsers to pick from with `srcset`."""
    base = picture.frames[0]
    width, height = base.size
    if base.mode in ("1", "P"):  # palette images resize badly: resample in full colour
        base = base.convert("RGBA" if "transparency" in base.info else "RGB")
    results = []
    for target in RENDITION_WIDTHS:
        if target >= width:
            break
        target_height = max(1, round(height * target / width))
        smaller = base.resize(
            (target, target_height), PILImage.Resampling.LANCZOS, reducing_gap=3.0
        )
        still = _Picture(
            format=picture.format,
            frames=[smaller],
            icc_profile=picture.icc_profile,
            lossless=picture.lossless,
        )
        results.append((target, target_height, _encode(still, smaller, quality=82)))
    return results


# --- Files -----------------------------------------------------------------------------


def _safe_stem(name: str | None) -> str:
    """A readable, unguessable file name: the original's words, then random characters."""
    words = slugify(PurePath(name or "").stem)[:_NAME_STEM_LENGTH].strip("-_") or "image"
    return f"{words}-{secrets.token_hex(4)}"


def _delete_files(storage: Storage, names: Iterable[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # one stubborn file must not keep the others
            logger.warning("Could not delete the stored file %s.", name, exc_info=True)
