"""Real image bytes, made by Pillow in the test, for every kind of upload the library meets."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, ImageCms
from PIL import Image as PILImage

RED, BLUE, WHITE = (220, 20, 20), (20, 20, 220), (255, 255, 255)
SECRET_XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">where-the-writer-lives</x:xmpmeta>'


def encode(image: PILImage.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def upload(data: bytes, name: str = "picture.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def marked(size: tuple[int, int], mode: str = "RGB") -> PILImage.Image:
    """A picture whose top-left corner is red, so turning it can be seen in the pixels."""
    image = PILImage.new(mode, size, BLUE)
    image.paste(RED, (0, 0, size[0] // 4, size[1] // 4))
    return image


def jpeg_with_gps(
    size=(2000, 1500), *, orientation: int | None = None, icc: bytes | None = None
) -> bytes:
    """A camera-like JPEG: GPS position, camera make, XMP, and optionally an orientation."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "Broadsheet Camera"
    exif[ExifTags.Base.Model] = "Serial 123456"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    options = {"exif": exif, "xmp": SECRET_XMP, "quality": 90}
    if icc:
        options["icc_profile"] = icc
    return encode(marked(size), "JPEG", **options)


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def png(size=(1200, 800)) -> bytes:
    return encode(marked(size, "RGBA"), "PNG")


def webp(size=(1000, 600), **options) -> bytes:
    return encode(marked(size), "WEBP", **options)


def animated(kind: str = "GIF", size=(600, 400), frames: int = 3) -> bytes:
    pictures = []
    for n in range(frames):
        picture = PILImage.new("RGB", size, WHITE)
        picture.paste(RED, (n * 20, 0, n * 20 + 20, 20))
        pictures.append(picture)
    return encode(
        pictures[0],
        kind,
        save_all=True,
        append_images=pictures[1:],
        duration=[100 + 50 * n for n in range(frames)],
        loop=0,
    )


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims huge dimensions: a decompression bomb in waiting."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )
