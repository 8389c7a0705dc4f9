"""PostgreSQL's full-text search: a weighted `tsvector` per entry with a GIN index, in the
text-search configuration of the site's language, accents folded by `unaccent` (`FOLD`),
ranked by `ts_rank_cd`; the vocabulary found by `pg_trgm` similarity.

The query is built from parsed terms as `to_tsquery` source (every word quoted; each
prefix also in `simple`, `_query_of`), not by `websearch_to_tsquery`, which has no prefix
search.
"""

import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, partial, reduce

from django.contrib.postgres.search import (
    CombinedSearchQuery,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
)
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from broadsheet.content.models import Page, Post
from broadsheet.core.selectors import get_site_settings
from broadsheet.search.engines import (
    PHRASE,
    RANKED,
    RANKED_NOW,
    SCORE,
    Matches,
    RankedWindow,
)
from broadsheet.search.models import Entry, TsVectorField, Word
from broadsheet.search.query import Query, Term
from broadsheet.search.text import Texts

# `document=<tsquery>` is `document @@ <tsquery>` (loaded only on PostgreSQL: see
# `models.TsVectorField`).
Entry._meta.get_field("document").register_lookup(SearchVectorExact)

# PostgreSQL's own stemmers (snowball), by the site's language; any other is `simple`.
CONFIGURATIONS = {
    "ar": "arabic",
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "eu": "basque",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "nb": "norwegian",
    "ne": "nepali",
    "nl": "dutch",
    "nn": "norwegian",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}
# ts_rank_cd's weights for D (body), C, B (summary), A (title).
WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# Divide the rank by 1 + log(length): a long post does not win by length alone.
NORMALIZATION = 1

# Matches newest first, by `id + 0`: an order the key's index cannot give, so PostgreSQL
# finds the matches through the GIN index and sorts their keys. Ordered by the key itself,
# with statistics that expected thousands of matches, it walked the key's index newest
# first and unpacked each row's vector to test it: 1.6 s for a phrase that matched once.
NEWEST_FIRST = (F("pk") + Value(0)).desc()

# A query of words and prefixes (no phrase) that the planner expects to match at least
# this share of the entries has its newest matches found by walking the key's index newest
# first and testing each row until there are `RANKED` (about `RANKED` / share rows), among
# the newest `WALKED` at most. Through the GIN index every match is found first: a prefix
# of two letters matched all 100,000 posts, and PostgreSQL then tested every row's vector
# (0.36 s; walked, 5 ms); a pair of common words matched 80,000 (27 ms; walked, 5.5). The
# share is read from the words' statistics; a phrase's is overestimated (a rare one,
# walked, tested every row: see `NEWEST_FIRST`).
WIDE = 1 / 3
WALKED = 5 * RANKED

TEXTS = ("title", "summary", "body")  # an entry's, as `Texts` holds them and as weighted
ENTRY, POST, PAGE = (model._meta.db_table for model in (Entry, Post, Page))
# An entry's copies of its post's or page's status and dates (`Entry.status`) follow
# every write of them, however it is made.
COPY_ON_INSERT = f"""CREATE FUNCTION broadsheet_search_entry_copies() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.post_id IS NOT NULL THEN
        SELECT status, published_at, trashed_at INTO NEW.status, NEW.published_at, NEW.trashed_at
        FROM {POST} WHERE id = NEW.post_id;
    ELSE
        SELECT status INTO NEW.status FROM {PAGE} WHERE id = NEW.page_id;
    END IF;
    RETURN NEW;
END $$"""
POST_CHANGED = f"""CREATE FUNCTION broadsheet_search_post_seen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {ENTRY} SET status = NEW.status, published_at = NEW.published_at,
        trashed_at = NEW.trashed_at
    WHERE post_id = NEW.id;
    RETURN NULL;
END $$"""
PAGE_CHANGED = f"""CREATE FUNCTION broadsheet_search_page_seen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {ENTRY} SET status = NEW.status WHERE page_id = NEW.id;
    RETURN NULL;
END $$"""
# `unaccent` is only STABLE (its rules file could change), so PostgreSQL evaluated
# `to_tsquery(config, unaccent(<query>))` again for every row it ranked, twice: half of the
# 33 ms that ranking 1,000 rows took. Declared IMMUTABLE (as its rules are, for a site), the
# query is made once, as the plan is. Schema-qualified: it must not follow `search_path`.
FOLD = """DO $$
DECLARE home text := (
    SELECT quote_ident(extnamespace::regnamespace::text) FROM pg_extension
    WHERE extname = 'unaccent');
BEGIN
    EXECUTE format(
        'CREATE OR REPLACE FUNCTION broadsheet_unaccent(text) RETURNS text '
        'LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L',
        format('SELECT %s.unaccent(%L::regdictionary, $1)', home, home || '.unaccent'));
END $$"""
CREATE = [
    COPY_ON_INSERT,
    POST_CHANGED,
    PAGE_CHANGED,
    f"CREATE TRIGGER broadsheet_search_entry_copies BEFORE INSERT ON {ENTRY} "
    "FOR EACH ROW EXECUTE FUNCTION broadsheet_search_entry_copies()",
    f"CREATE TRIGGER broadsheet_search_post_seen AFTER UPDATE OF status, published_at, "
    f"trashed_at ON {POST} FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status "
    "OR OLD.published_at IS DISTINCT FROM NEW.published_at "
    "OR OLD.trashed_at IS DISTINCT FROM NEW.trashed_at) "
    "EXECUTE FUNCTION broadsheet_search_post_seen()",
    f"CREATE TRIGGER broadsheet_search_page_seen AFTER UPDATE OF status ON {PAGE} "
    "FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) "
    "EXECUTE FUNCTION broadsheet_search_page_seen()",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    FOLD,
    f"CREATE INDEX search_entry_document_idx ON {Entry._meta.db_table} USING gin (document)",
    f"CREATE INDEX search_word_trigram_idx ON {Word._meta.db_table} USING gin (word gin_trgm_ops)",
]
DROP = [
    f"DROP TRIGGER IF EXISTS broadsheet_search_post_seen ON {POST}",
    f"DROP TRIGGER IF EXISTS broadsheet_search_page_seen ON {PAGE}",
    "DROP FUNCTION IF EXISTS broadsheet_search_entry_copies() CASCADE",
    "DROP FUNCTION IF EXISTS broadsheet_search_post_seen()",
    "DROP FUNCTION IF EXISTS broadsheet_search_page_seen()",
    "DROP FUNCTION IF EXISTS broadsheet_unaccent(text)",
    "DROP INDEX IF EXISTS search_entry_document_idx",
    "DROP INDEX IF EXISTS search_word_trigram_idx",
]


def configuration() -> str:
    return CONFIGURATIONS.get(get_site_settings().language.split("-")[0], "simple")


def _lexemes(term: Term) -> str:
    # Words are runs of letters and digits (`search.query`): quoting is all they need.
    if not term.is_phrase:
        return f"('{term.words[0]}'" + (":*)" if term.prefix else ")")
    # A phrase within one text: `||` joins the title's, summary's and body's positions end
    # to end, so unweighted, "harbour lights" would match a title's last word and the
    # body's first.
    within = [" <-> ".join(f"'{word}':{weight}" for word in term.words) for weight in "ABD"]
    return "(" + " | ".join(f"({phrase})" for phrase in within) + ")"


def _vector(title: str, summary: str, body: str) -> str:
    """SQL for an entry's vector, of three text expressions; `%s` before each is the
    text-search configuration."""
    return " || ".join(
        _weighted(weight, text) for weight, text in zip("ABD", (title, summary, body), strict=True)
    )


def _weighted(weight: str, text: str) -> str:
    # Hyphens become spaces: PostgreSQL's parser reads `brand-new` as three words
    # (`brand-new`, `brand`, `new`), so the phrase "brand new" would not match it, while
    # readers' queries (and FTS5) see two.
    folded = f"broadsheet_unaccent(replace({text}, '-', ' '))"
    return f"setweight(to_tsvector(%s::regconfig, {folded}), '{weight}')"


def _vectors_made(config: str, writes: list[tuple[Entry, Texts]]) -> None:
    """`PostgresEngine.batch_preparer`'s work: the batch's vectors made in one query on
    this thread's own connection (it reads no table, so it needs no transaction), then
    written by the entries' own insert as they came (a `tsvector`'s text is exact)."""
    titles, summaries, bodies = ([getattr(texts, name) for _, texts in writes] for name in TEXTS)
    vectors = f"SELECT {_vector(*TEXTS)} FROM unnest(%s::text[], %s::text[], %s::text[]) "
    with connection.cursor() as cursor:
        cursor.execute(
            vectors + "WITH ORDINALITY AS texts(title, summary, body, n) ORDER BY n",
            [config, config, config, titles, summaries, bodies],
        )
        for (entry, _), (vector,) in zip(writes, cursor.fetchall(), strict=True):
            entry.document = RawSQL("%s::tsvector", [vector], output_field=TsVectorField())  # type: ignore[assignment]


def _source(terms: Iterable[Term]) -> str:
    return " & ".join(("!" if term.excluded else "") + _lexemes(term) for term in terms)


def _tsquery(source: str, config: str) -> SearchQuery:
    return SearchQuery(
        Func(Value(source), function="broadsheet_unaccent"), search_type="raw", config=Value(config)
    )


class PostgresEngine:
    def prepare(self, entry: Entry, texts: Texts) -> None:
        config = configuration()
        entry.document = RawSQL(  # type: ignore[assignment]  # an expression, saved as its value
            _vector("%s", "%s", "%s"),
            [config, texts.title, config, texts.summary, config, texts.body],
            output_field=TsVectorField(),
        )

    def batch_preparer(self) -> Callable[[list[tuple[Entry, Texts]]], None]:
        """Stemming is most of a rebuild's time in the database: made by a second
        connection (in the batch maker's thread), it takes a second core while this
        thread's connection writes the batch before."""
        return partial(_vectors_made, configuration())

    def write_many(self, writes: list[tuple[Entry, Texts]]) -> None:
        """Each entry's words are in its own row (`prepare`)."""

    def clear(self) -> None:
        Word.objects.all().delete()

    def matching(self, queryset: QuerySet, query: Query, *, path: str = "") -> QuerySet:
        # The newest `RANKED` matches are those from this entry on; `ts_rank_cd` (which
        # reads each row's whole vector) only for rows it admits.
        matches = Entry.objects.filter(document=_query_of(query)).order_by(NEWEST_FIRST)
        floor = Coalesce(Subquery(matches.values("pk")[RANKED - 1 : RANKED]), Value(0))
        return _ranked(queryset, query, path=path, floor=floor)

    def public_matches(self, query: Query, *, hidden: Sequence[int]) -> Matches:
        # Each match's row is read anyway (a GIN index says only "maybe"): leaving out
        # the hidden ids costs what asking the rule of the row would.
        return PublicMatches(query, Entry.objects.exclude(pk__in=hidden))

    def add_words(self, words: Iterable[str]) -> None:
        # Two saves at once may both add a word: the second's is dropped.
        Word.objects.bulk_create((Word(word=word) for word in words), ignore_conflicts=True)

    def similar_words(self, word: str, *, limit: int) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word FROM {Word._meta.db_table} WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC LIMIT %s",
                [word, word, limit],
            )
            return [row[0] for row in cursor.fetchall()]


def _query_of(query: Query) -> SearchQuery | CombinedSearchQuery:
    """Words and phrases in one `to_tsquery` of the site's language; each prefix in that or
    as typed (`simple`): the language's dictionary drops a prefix that is a stop word, and
    `to*` found nothing."""
    config = configuration()
    parts: list[SearchQuery | CombinedSearchQuery] = []
    if words := [term for term in query.terms if not term.prefix]:
        parts.append(_tsquery(_source(words), config))
    for term in (term for term in query.terms if term.prefix):
        stemmed, typed = (_tsquery(_lexemes(term), name) for name in (config, "simple"))
        parts += [~stemmed, ~typed] if term.excluded else [stemmed | typed]
    return reduce(operator.and_, parts)


@dataclass
class PublicMatches(RankedWindow):
    """The reader's matches, in queries that each read only their part: the newest
    `RANKED` matches' keys, ranked as they are found (which count them too, when fewer),
    or the older ones. (As one query, ranking and sorting every match, a common pair of
    words took three times as long; as a subquery, the window's floor was evaluated three
    times.)"""

    query: Query
    visible: QuerySet[Entry]

    @cached_property
    def _tsquery(self) -> SearchQuery | CombinedSearchQuery:
        return _query_of(self.query)

    @cached_property
    def _matches(self) -> QuerySet[Entry]:
        return self.visible.filter(document=self._tsquery)

    def _find_newest(self) -> list[int]:
        """Best first: each found row's vector is ranked there and then. Ranked by their
        keys in a query of their own, the 1,000 rows were looked up again (12,000 pages
        read, their vectors unpacked again: 3.5 of the 15 ms that ranking took)."""
        if not any(term.is_phrase for term in self.query.terms):
            matches, entries = self._estimates()
            if matches >= WIDE * entries:
                walked = self._best_first(*self._walked_newest())
                # Fewer than `WALKED` entries (half, to be sure: the planner's count
                # follows the table's size, but is a count of its pages' rows) were all
                # walked: what matched among them is every match.
                if len(walked) == RANKED or entries <= WALKED / 2:
                    return walked
        with _through_the_index():
            newest = self._matches.order_by(NEWEST_FIRST).values_list("id", "document")
            return self._best_first(*newest[:RANKED].query.sql_with_params())

    def _estimates(self) -> tuple[float, float]:
        """How many entries the planner expects to match, and how many there are, in one
        plan."""
        sql, params = self._matches.values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql} UNION ALL SELECT id FROM {ENTRY}", params)
            plan = cursor.fetchone()[0][0]["Plan"]
        if plan["Node Type"] != "Append" or len(plan.get("Plans", [])) != 2:
            return 0.0, 1.0  # not as planned for (a parallel plan counts per worker): narrow
        matches, entries = (branch["Plan Rows"] for branch in plan["Plans"])
        return matches, entries

    def _walked_newest(self) -> tuple[str, tuple]:
        """SQL for the newest matches among the newest `WALKED` entries, each tested in
        turn: their keys and vectors."""
        matched = ExpressionWrapper(Q(document=self._tsquery), output_field=BooleanField())
        newest = self.visible.order_by("-id").annotate(matched=matched)
        walked = newest.values_list("id", "document", "matched")[:WALKED]
        sql, params = walked.query.sql_with_params()
        return (
            f"SELECT id, document FROM ({sql}) AS newest WHERE matched ORDER BY id DESC LIMIT %s",
            (*params, RANKED),
        )

    def _best_first(self, sql: str, params: tuple) -> list[int]:
        """The keys of the rows `sql` gives (`id` and `document`), best first. Each row's
        vector is read from its out-of-line storage once (`ts_delete` of no lexeme hands
        back the vector read, in a lateral subquery that `OFFSET 0` keeps from being
        folded into its uses); passed as it was stored, the phrase test and the rank read
        it each (a sixth of the query)."""
        order, order_params = _ranking_order(self.query)
        once = (
            f"SELECT newest.id, vector.document FROM ({sql}) AS newest CROSS JOIN LATERAL "
            "(SELECT ts_delete(newest.document, ''::text) AS document OFFSET 0) AS vector"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT id FROM ({once}) AS "{ENTRY}" ORDER BY {order}', [*params, *order_params]
            )
            return [row[0] for row in cursor.fetchall()]

    def _best(self, limit: int) -> list[int]:
        return self._newest[:limit]

    def _older(self, limit: int) -> list[int]:
        older = self._matches.filter(pk__lt=self._floor).order_by(NEWEST_FIRST)
        with _through_the_index():
            return list(older.values_list("pk", flat=True)[:limit])

    def _count(self, at_most: int) -> int:
        with _through_the_index():
            return self._matches[:at_most].count()


@contextmanager
def _through_the_index() -> Iterator[None]:
    """Matches found through the GIN index, never by reading every entry. An entry's row
    holds only a pointer to its vector (stored apart, as TOAST), so the planner priced a
    scan of all 100,000 at their rows' 3,000 pages, not at unpacking 100,000 vectors: a
    query it expected to match 1% or more was scanned (0.3 to 0.43 s, against 0.1 to 27 ms
    through the index). Scans are off for this statement only: `SET LOCAL`, in a
    transaction of its own (which ends the setting), or inside the caller's, set back."""
    nested = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        if nested:
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")


def _ranked(queryset: QuerySet, query: Query, *, path: str, floor: Expression) -> QuerySet:
    """`queryset` cut to what matches, the entries from `floor` on ranked first."""
    matches = queryset.filter(**{f"{path}document": _query_of(query)})
    return _with_rank(matches, query, path=path, floor=floor)


def _with_rank(queryset: QuerySet, query: Query, *, path: str, floor: Expression) -> QuerySet:
    """`queryset` (of matches) with the entries from `floor` on ranked first."""
    config = configuration()
    tsquery = _query_of(query)
    document = F(f"{path}document")
    ranked = Q(**{f"{path}pk__gte": floor})
    phrase = query.plain_words
    in_phrase: Expression = Value(False)
    if len(phrase) > 1:
        side_by_side = Q(**{f"{path}document": _tsquery(_lexemes(Term(phrase)), config)})
        in_phrase = Case(
            When(ranked, then=ExpressionWrapper(side_by_side, output_field=BooleanField())),
            default=Value(False),
        )
    rank = SearchRank(
        document, tsquery, weights=WEIGHTS, cover_density=True, normalization=NORMALIZATION
    )
    annotated = queryset.annotate(
        **{
            RANKED_NOW: ExpressionWrapper(ranked, output_field=BooleanField()),
            PHRASE: in_phrase,
            SCORE: Case(When(ranked, then=rank), default=Value(0.0), output_field=FloatField()),
        }
    )
    return annotated.order_by(f"-{RANKED_NOW}", f"-{PHRASE}", f"-{SCORE}", "-pk")


def _ranking_order(query: Query) -> tuple[str, list]:
    """`_with_rank`'s order as SQL, for rows from a subquery named as the entries' table."""
    ranked = _with_rank(Entry.objects.all(), query, path="", floor=Value(0)).values_list("pk")
    compiler = ranked.query.get_compiler(connection=connection)
    compiler.setup_query()
    clauses = [clause for _, clause in compiler.get_order_by()]
    return ", ".join(sql for sql, _, _ in clauses), [p for _, params, _ in clauses for p in params]
