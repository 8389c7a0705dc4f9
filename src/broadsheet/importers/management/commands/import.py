"""`broadsheet import SOURCE... [--format F] [--dry-run] [--author-role R]`."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from broadsheet.accounts.models import Role
from broadsheet.importers.base import BadSource
from broadsheet.importers.run import formats, run_import


class Command(BaseCommand):
    help = (
        "Import posts, pages, comments, tags, authors and images from files, folders or "
        "URLs: WordPress (WXR), Ghost (JSON), RSS/Atom feeds, Wix (CSV), Markdown "
        "(Jekyll, Hugo) and Broadsheet's own export. All or nothing; safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("sources", nargs="+", metavar="SOURCE", help="a file, folder or URL")
        parser.add_argument(
            "--format",
            choices=[name for name, _ in formats()],
            help="the format of every SOURCE (default: found from the content)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="read everything and report; write nothing"
        )
        parser.add_argument(
            "--author-role",
            default=Role.CONTRIBUTOR,
            choices=[role for role in Role.values if role != Role.OWNER],
            help="the role of authors the site does not have yet (default: contributor)",
        )

    def handle(self, *args, **options) -> None:
        with Progress(
            TextColumn("Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=None,
            transient=True,
            disable=options["verbosity"] == 0,
        ) as bar:
            task = bar.add_task("import", total=None)
            try:
                report = run_import(
                    options["sources"],
                    format=options["format"],
                    dry_run=options["dry_run"],
                    author_role=options["author_role"],
                    progress=lambda done, total: bar.update(task, completed=done, total=total),
                )
            except BadSource as error:
                raise CommandError(f"{error} Nothing was imported.") from error
            except ValidationError as error:
                raise CommandError(f"{' '.join(error.messages)} Nothing was imported.") from error
        self.stdout.write("\n".join(report.lines()))
