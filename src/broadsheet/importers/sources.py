"""Turning what was given (a path, a folder, a zip, a URL) into `Source`s on disk, and
finding the reader for each."""

import contextlib
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from django.conf import settings

from broadsheet.importers.base import BadSource, Reader, Source
from broadsheet.importers.fetch import fetch_to_file
from broadsheet.importers.readers import READERS

# A zip may unpack to at most this many times its own size, and this many files.
MAX_UNPACK_RATIO = 200
MAX_UNPACK_FILES = 100_000


def fetch_source(url: str) -> Path:
    """The `Fetch` every reader gets: a whole source file, within the source limits."""
    return fetch_to_file(
        url,
        max_bytes=settings.BROADSHEET_IMPORT_MAX_SOURCE_BYTES,
        timeout=settings.BROADSHEET_IMPORT_FETCH_TIMEOUT,
    )


def open_source(given: str, stack: contextlib.ExitStack) -> Source:
    """`given` as a file or folder on disk; what is downloaded or unpacked is removed
    when `stack` closes."""
    if given.startswith(("http://", "https://")):
        path = fetch_source(given)
        stack.callback(path.unlink, missing_ok=True)
        source = Source(name=given, path=path, url=given)
    else:
        path = Path(given).expanduser()
        if not path.exists():
            raise BadSource(f"{given}: there is no such file or folder.")
        source = Source(name=given, path=path)
    if not source.is_folder and zipfile.is_zipfile(source.path):
        folder = Path(tempfile.mkdtemp(prefix="broadsheet-import-"))
        stack.callback(shutil.rmtree, folder, ignore_errors=True)
        _unpack(source.path, folder, name=given)
        source = Source(name=given, path=_single_folder(folder), url=source.url)
    return source


def _unpack(archive: Path, folder: Path, *, name: str) -> None:
    """Unpack safely: no member outside `folder`, no zip bomb."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = zipped.infolist()
            unpacked = sum(member.file_size for member in members)
            if len(members) > MAX_UNPACK_FILES or unpacked > MAX_UNPACK_RATIO * max(
                archive.stat().st_size, 1
            ):
                raise BadSource(f"{name}: this zip unpacks to far more than it holds; refused.")
            for member in members:
                parts = PurePosixPath(member.filename).parts
                if member.filename.startswith("/") or ".." in parts:
                    raise BadSource(
                        f"{name}: the zip has a file outside its folder: {member.filename}"
                    )
                if parts and parts[0] == "__MACOSX":
                    continue
                zipped.extract(member, folder)
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise BadSource(f"{name}: the zip file is damaged or incomplete ({error}).") from error


def _single_folder(folder: Path) -> Path:
    """A zip of one folder is that folder."""
    entries = [entry for entry in folder.iterdir() if entry.name != "__MACOSX"]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else folder


def reader_for(source: Source, format: str | None) -> Reader:
    """The reader `format` names, or the first whose sniff recognises the content."""
    if format:
        by_name = {reader.name: reader for reader in READERS}
        if format not in by_name:
            raise BadSource(f"Unknown format “{format}”; use one of: {', '.join(by_name)}.")
        return by_name[format](source, fetch_source)
    for reader in READERS:
        if reader.sniff(source):
            return reader(source, fetch_source)
    names = ", ".join(f"{reader.name} ({reader.label})" for reader in READERS)
    raise BadSource(
        f"{source.name}: not a format Broadsheet can import. It reads: {names}. If it is one "
        "of them, say which with --format."
    )
