import time

from django.core.management.base import BaseCommand, CommandParser

from broadsheet.core import schema
from broadsheet.core.db import keep_statistics_fresh
from broadsheet.demo.generator import generate_site


class Command(BaseCommand):
    help = "Add a large synthetic site (authors, tags, posts, comments) for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--posts", type=int, default=1000)
        parser.add_argument("--comments", type=int, default=10000)
        parser.add_argument("--tags", type=int, default=50)
        parser.add_argument("--authors", type=int, default=10)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, posts, comments, tags, authors, seed, **options) -> None:
        start = time.monotonic()
        schema.migrate()  # a new data folder is the usual place for a benchmark's site
        counts = generate_site(
            posts=posts,
            comments=comments,
            tags=max(tags, 1),
            authors=max(authors, 1),
            seed=seed,
            progress=lambda message: self.stdout.write(f"  {message}"),
        )
        # A site that just grew a hundredfold: the planner must not plan for the old one.
        keep_statistics_fresh(bulk_load=True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {counts.posts} posts, {counts.comments} comments, {counts.tags} tags "
                f"and {counts.authors} authors in {time.monotonic() - start:.1f}s."
            )
        )
