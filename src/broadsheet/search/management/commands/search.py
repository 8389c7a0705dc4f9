"""`broadsheet search rebuild`: the whole search index again, from the posts and pages."""

from django.core.management.base import BaseCommand, CommandParser
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from broadsheet.content.models import Post
from broadsheet.search import indexing


class Command(BaseCommand):
    help = (
        "Rebuild the search index from every post and page (in one transaction: searches "
        "see the old index until it is done). Needed only after restoring a database copy."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        commands.add_parser("rebuild", help="index every post and page again")

    def handle(self, *args, **options) -> None:
        with Progress(
            TextColumn("Indexing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
            disable=options["verbosity"] == 0,
        ) as bar:
            task = bar.add_task("index", total=Post.objects.count())
            count = indexing.rebuild(progress=lambda done: bar.update(task, completed=done))
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} posts and pages."))
