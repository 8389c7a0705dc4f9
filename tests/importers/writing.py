"""Running the writer on records, as `run_import` does, for tests below the readers."""

from collections.abc import Iterable

from django.db import transaction

from broadsheet.accounts.models import Role
from broadsheet.importers.media import MediaImporter
from broadsheet.importers.records import Record
from broadsheet.importers.report import Report
from broadsheet.importers.writer import Writer


def write(records: Iterable[Record], *, author_role: str = Role.CONTRIBUTOR) -> Report:
    report = Report()
    media = MediaImporter(uploaded_by=None, fetch_timeout=5, max_bytes=10_000_000, dry_run=False)
    writer = Writer(author_role=author_role, media=media, report=report)
    with transaction.atomic():
        for record in records:
            writer.add(record)
        writer.finish()
    return report
