"""`broadsheet export [--output FILE] [--format archive|wxr]`: the site in one file.

`archive` (the default) is Broadsheet's own zip, which `broadsheet import` restores;
`wxr` is a WordPress export, for moving to WordPress or any tool that reads its files.
The file appears complete or not at all: it is written beside its name and renamed.
"""

import contextlib
import os
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from broadsheet.exporters.archive import ExportSummary, default_file_name, write_archive
from broadsheet.exporters.wxr import write_wxr

EXTENSIONS = {"archive": "zip", "wxr": "xml"}


class Command(BaseCommand):
    help = "Export the site: Broadsheet's archive (site.json, Markdown, media) or a WXR file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help="the file to write (default: broadsheet-export-YYYY-MM-DD.zip, or .xml)",
        )
        parser.add_argument("--format", choices=list(EXTENSIONS), default="archive")
        parser.add_argument(
            "--site-url",
            default="",
            help="the site's address, for WXR's absolute links (default: BROADSHEET_SITE_URL)",
        )

    def handle(self, *args, output: str | None, format: str, site_url: str, **options) -> None:
        start = time.monotonic()
        origin = _origin(site_url) if format == "wxr" else ""
        target = Path(output or default_file_name(timezone.localdate(), EXTENSIONS[format]))
        if target.is_dir():
            raise CommandError(f"{target} is a folder; give the file to write.")
        if not target.parent.is_dir():
            raise CommandError(f"There is no folder {target.parent} to write {target.name} in.")
        summary = _write_whole(target, format=format, origin=origin)
        counts = ", ".join(f"{count} {kind}" for kind, count in summary.counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {target} in {time.monotonic() - start:.1f}s: {counts}.")
        )
        for name in summary.missing_files:
            self.stderr.write(f"Not in the export: the stored file {name} could not be read.")


def _origin(site_url: str) -> str:
    origin = (site_url or settings.SITE_URL).rstrip("/")
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CommandError(
            "A WXR file needs the site's address for its links: pass --site-url https://… "
            "or set BROADSHEET_SITE_URL."
        )
    return origin


def _write_whole(target: Path, *, format: str, origin: str) -> ExportSummary:
    """Write to a file beside `target`, then put it in place: never half a file. The file
    is readable by its owner only (it holds email addresses)."""
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        if format == "wxr":
            with os.fdopen(handle, "w", encoding="utf-8") as text:
                summary = write_wxr(text, origin=origin)
        else:
            with os.fdopen(handle, "wb") as file:
                summary = write_archive(file)
        os.replace(partial, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise
    return summary
