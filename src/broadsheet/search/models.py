"""The search index. An `Entry` is one post or page as it was indexed; the engine's own
structures (an FTS5 table on SQLite, a `tsvector` with a GIN index on PostgreSQL) are
made by the migrations and kept by `search.indexing`. Who may see an entry is asked of
`published_filter` at every search, on copies of the post's status and dates that the
database keeps by triggers: no write, however it is made, can leave them behind."""

from django.db import models

from broadsheet.content.models import PUBLIC_INDEX_CONDITION, LiteralIn


class TsVectorField(models.Field):
    """PostgreSQL's `tsvector` (an unused column of that name on SQLite). Not
    `django.contrib.postgres`'s field: that app would load psycopg into every server
    process of a SQLite site (25 MB each); the PostgreSQL engine adds the `@@` lookup."""

    def db_type(self, connection) -> str:
        return "tsvector"


class Entry(models.Model):
    post = models.OneToOneField(
        "broadsheet_content.Post",
        null=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    page = models.OneToOneField(
        "broadsheet_content.Page",
        null=True,
        on_delete=models.CASCADE,
        related_name="search_entry",
    )
    # PostgreSQL's weighted words (A title, B excerpt and tags, D body); null on SQLite.
    document = TsVectorField(null=True)
    # Copies of what decides who may see the post or page, kept by the database itself
    # (triggers on the posts, pages and entries, made by the migrations), so that a search
    # asks `published_filter` of these narrow rows instead of reading every matching post.
    status = models.CharField(max_length=10, editable=False, default="")
    published_at = models.DateTimeField(null=True, editable=False)
    trashed_at = models.DateTimeField(null=True, editable=False)
    digest = models.CharField(max_length=32, help_text="Of the texts: unchanged ones are skipped.")

    class Meta:
        verbose_name_plural = "entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(post__isnull=False, page__isnull=True)
                | models.Q(post__isnull=True, page__isnull=False),
                name="search_entry_one_thing",
            )
        ]
        # Where `selectors.hidden_entries` finds the few entries the public may not see:
        # those never public in their state, and those not (or not yet) dated.
        indexes = [
            models.Index(
                fields=["id"], condition=~PUBLIC_INDEX_CONDITION, name="search_entry_hidden_idx"
            ),
            models.Index(fields=["published_at"], name="search_entry_published_idx"),
        ]

    def __str__(self) -> str:
        return f"post {self.post_id}" if self.post_id else f"page {self.page_id}"


Entry._meta.get_field("status").register_lookup(LiteralIn)


class Word(models.Model):
    """A word seen in indexed text (folded, unstemmed): where "did you mean" looks.

    Words are not removed when text changes (a rebuild starts afresh); a suggestion is
    only made when searching for it finds something public, so a draft's words never
    show."""

    word = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.word


class SearchDay(models.Model):
    """How often readers searched for a query on a day, and whether it found anything.

    Nothing about the reader is kept: no address, no cookie, no time finer than the day."""

    day = models.DateField()
    query = models.CharField(max_length=100)
    found = models.BooleanField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "query", "found"], name="search_day_query")
        ]
        indexes = [models.Index(fields=["-day"], name="search_day_idx")]

    def __str__(self) -> str:
        return f"{self.day}: {self.query} ×{self.count}"


class MatchField(models.TextField):
    """FTS5's hidden column, named as its table: `… MATCH` is a lookup on it."""


@MatchField.register_lookup
class Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):  # type: ignore[override]
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class IndexedText(models.Model):
    """SQLite's FTS5 table of the entries' texts, keyed by the entry's id (no copy of the
    text: `content=''`). Made by the migrations on SQLite only; nothing reads it on
    PostgreSQL."""

    entry = models.OneToOneField(
        Entry,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="fts",
    )
    broadsheet_search_fts = MatchField(db_column="broadsheet_search_fts")

    class Meta:
        managed = False
        db_table = "broadsheet_search_fts"

    def __str__(self) -> str:
        return f"indexed text of entry {self.pk}"
