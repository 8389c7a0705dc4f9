"""An import from start to end: open the sources, pick their readers, write every record
in one transaction, and report. The command and the studio's background task both call
`run_import`; nothing else writes an import."""

import contextlib
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from broadsheet.accounts import permissions
from broadsheet.accounts.models import Role, User
from broadsheet.exporters.restore import is_archive, restore_archive
from broadsheet.fastpath.invalidation import batched_writes
from broadsheet.importers.base import BadSource, Source
from broadsheet.importers.media import MediaImporter
from broadsheet.importers.readers import READERS
from broadsheet.importers.records import Item
from broadsheet.importers.report import Report
from broadsheet.importers.sources import open_source, reader_for
from broadsheet.importers.writer import Writer
from broadsheet.media.services import delete_stored_files

Progress = Callable[[int, int | None], None]  # (items done, items expected or None)
ARCHIVE = "archive"  # the --format of Broadsheet's own export, which is restored


def formats() -> list[tuple[str, str]]:
    """Every format an import takes, as (name for --format, label for people)."""
    return [*((reader.name, reader.label) for reader in READERS), (ARCHIVE, "Broadsheet export")]


def run_import(
    sources: list[str],
    *,
    format: str | None = None,
    dry_run: bool = False,
    author_role: str = Role.CONTRIBUTOR,
    actor: User | None = None,
    progress: Progress | None = None,
) -> Report:
    """Import `sources` (paths or URLs) all or nothing.

    `actor` is the studio user who asked (checked here); None is the operator at the
    command line. A failure anywhere (`BadSource`, or any error) leaves the site exactly
    as it was: the transaction rolls back and the media files written are deleted. A dry
    run does the same on purpose, after counting, and fetches no media.
    """
    if actor is not None and not permissions.can(actor, permissions.Action.IMPORT_CONTENT):
        raise PermissionDenied("Your role does not allow importing.")
    if author_role not in Role.values or author_role == Role.OWNER:
        raise BadSource(f"“{author_role}” is not a role new authors can be given.")
    with contextlib.ExitStack() as stack:
        opened = [open_source(given, stack) for given in sources]
        archives = [s for s in opened if format == ARCHIVE or (not format and is_archive(s.path))]
        if archives:
            if len(opened) > 1:
                raise BadSource("Give a Broadsheet archive on its own: it is a whole site.")
            return _restore(archives[0], dry_run=dry_run, progress=progress)
        return _import(opened, format, dry_run, author_role, actor, progress)


def _restore(source: Source, *, dry_run: bool, progress: Progress | None) -> Report:
    """Broadsheet's own archive: restored as a whole site (`exporters.restore`)."""
    steps = 0

    def step(_: str) -> None:
        nonlocal steps
        steps += 1
        if progress is not None:
            progress(steps, None)

    restored = restore_archive(source.path, dry_run=dry_run, progress=step)
    report = Report(dry_run=dry_run, notes=list(restored.notes))
    for kind, tally in restored.tallies.items():
        for outcome, n in (("imported", tally.created), ("updated", tally.updated),
                           ("unchanged", tally.unchanged), ("skipped", tally.skipped)):  # fmt: skip
            if n:
                report.count(kind, outcome, n)
    if restored.notes_left_out:
        report.note(f"and {restored.notes_left_out} more notes")
    return report


def _import(
    opened: list[Source],
    format: str | None,
    dry_run: bool,
    author_role: str,
    actor: User | None,
    progress: Progress | None,
) -> Report:
    report = Report(dry_run=dry_run)
    media = MediaImporter(
        uploaded_by=actor,
        fetch_timeout=settings.BROADSHEET_IMPORT_FETCH_TIMEOUT,
        max_bytes=settings.BROADSHEET_IMPORT_MAX_MEDIA_BYTES,
        dry_run=dry_run,
    )
    writer = Writer(author_role=author_role, media=media, report=report)
    readers = [reader_for(source, format) for source in opened]
    estimates = [reader.estimate() for reader in readers]
    total = None if None in estimates else sum(e or 0 for e in estimates)
    done = 0
    try:
        with transaction.atomic(), batched_writes():
            for reader in readers:
                writer.root = reader.source.root
                for record in reader.records():
                    writer.add(record)
                    if progress is not None and isinstance(record, Item):
                        done += 1
                        progress(done, total)
            writer.finish()
            if dry_run:
                transaction.set_rollback(True)
    except BaseException:
        delete_stored_files(media.stored)
        raise
    if media.images_created:
        report.count("media", "imported", len(media.images_created))
    for url, reason in media.failures:
        for said in (f"could not fetch {url}: ", f"could not import {url}: "):
            reason = reason.removeprefix(said)
        report.skip("media", url, f"{reason}; the original address stays")
    if dry_run and media.would_fetch:
        report.note(f"{media.would_fetch} images would be fetched")
    return report
