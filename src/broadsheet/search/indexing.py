"""Keeping the index: every write of a post's or page's text reaches it inside the
write's own transaction (by the content signals, `receivers.py`), so a search never
sees a post as it no longer is. Visibility is the database's business (`models.Entry`:
copies kept by triggers): publishing, unpublishing, trashing and a scheduled post's time
change nothing here.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from itertools import batched

from django.db import connection, connections, transaction
from django.db.models import QuerySet

from broadsheet.content.models import Page, Post
from broadsheet.core.db import keep_statistics_fresh
from broadsheet.search import text
from broadsheet.search.engines import engine
from broadsheet.search.models import Entry, Word
from broadsheet.search.text import Texts

BATCH = 500
INDEX_TABLES = (Entry._meta.db_table, Word._meta.db_table)  # what a rebuild rewrites
Pair = tuple[Entry, Texts]
Prepared = tuple[list[Pair], set[str]]  # the batch, with its digests, and its words


def index_post(post: Post) -> None:
    tag_names = list(post.tags.values_list("name", flat=True))
    _index({"post": post}, text.of_post(post, tag_names))


def index_page(page: Page) -> None:
    _index({"page": page}, text.of_page(page))


def _index(owner: dict, texts: Texts) -> None:
    entry = Entry.objects.filter(**owner).first()
    digest = texts.digest()
    if entry is not None and entry.digest == digest:
        return
    entry = entry or Entry(**owner)
    entry.digest = digest
    search_engine = engine()
    search_engine.prepare(entry, texts)
    entry.save()
    search_engine.write_many([(entry, texts)])
    search_engine.add_words(_unknown(_words_of([texts])))


def index_posts(posts: QuerySet[Post], *, progress: Callable[[int], None] = lambda n: None) -> int:
    """Index many posts at once (a generated site): in batches, for posts with no entry
    yet. Returns how many."""
    chunks = _chunks(posts.filter(search_entry__isnull=True))
    return _index_batches(chunks, _post_pairs, progress)


def index_pages(pages: QuerySet[Page]) -> int:
    chunks = batched(pages.filter(search_entry__isnull=True), BATCH)
    return _index_batches(chunks, _page_pairs, lambda n: None)


def _post_pairs(chunk: list[tuple[Post, list[str]]]) -> list[Pair]:
    return [(Entry(post=post), text.of_post(post, tag_names)) for post, tag_names in chunk]


def _page_pairs(chunk: Iterable[Page]) -> list[Pair]:
    return [(Entry(page=page), text.of_page(page)) for page in chunk]


def _index_batches[T](
    chunks: Iterable[T], pairs_of: Callable[[T], list[Pair]], progress: Callable[[int], None]
) -> int:
    done = 0
    for prepared in _made_ahead(chunks, partial(_prepared, pairs_of, engine().batch_preparer())):
        done += _write(prepared)
        progress(done)
    return done


def _made_ahead[T](chunks: Iterable[T], prepare: Callable[[T], Prepared]) -> Iterator[Prepared]:
    """The batches, each prepared (texts, words and what the engine makes of them) in a
    thread while the caller writes the one before, which is when this thread only waits
    on the database: a rebuild took the sum of the two. Only this thread reads and writes
    tables; the maker's own connection (a connection is its thread's) is closed at the
    end. The next batch is read before the last is written."""
    with ThreadPoolExecutor(max_workers=1) as maker:
        try:
            made: Future[Prepared] | None = None
            for chunk in chunks:
                following = maker.submit(prepare, chunk)
                if made is not None:
                    yield made.result()
                made = following
            if made is not None:
                yield made.result()
        finally:
            maker.submit(connections.close_all).result()


def _chunks(posts: QuerySet[Post]) -> Iterator[list[tuple[Post, list[str]]]]:
    """Posts in key order, a batch at a time, each with its tags' names in name order
    (as `post.tags` gives them): two queries a batch, and only the fields indexed, as
    rows rather than through the prefetch machinery (that was a third of a rebuild)."""
    ordered = posts.order_by("pk").values_list("pk", "title", "custom_excerpt", "body_html")
    tagged = Post.tags.through.objects.order_by("tag__name").values_list("post_id", "tag__name")
    last = 0
    while rows := list(ordered.filter(pk__gt=last)[:BATCH]):
        last = rows[-1][0]
        names: dict[int, list[str]] = defaultdict(list)
        for post_id, name in tagged.filter(post_id__in=[row[0] for row in rows]):
            names[post_id].append(name)
        yield [
            (Post(pk=pk, title=title, custom_excerpt=excerpt, body_html=body_html), names[pk])
            for pk, title, excerpt, body_html in rows
        ]


def _prepared[T](
    pairs_of: Callable[[T], list[Pair]], batch_preparer: Callable[[list[Pair]], None], chunk: T
) -> Prepared:
    pairs = pairs_of(chunk)
    for entry, texts in pairs:
        entry.digest = texts.digest()
    batch_preparer(pairs)
    return pairs, _words_of(texts for _, texts in pairs)


def _write(prepared: Prepared) -> int:
    pairs, words = prepared
    search_engine = engine()
    Entry.objects.bulk_create([entry for entry, _ in pairs])
    search_engine.write_many(pairs)
    search_engine.add_words(_unknown(words))
    return len(pairs)


def _words_of(many: Iterable[Texts]) -> set[str]:
    # One text for the batch: each word is then checked once, not once per entry.
    return text.words(" ".join(f"{t.title} {t.summary} {t.body}" for t in many))


def _unknown(found: set[str]) -> list[str]:
    known: set[str] = set()
    for chunk in batched(sorted(found), 1000):
        known.update(Word.objects.filter(word__in=chunk).values_list("word", flat=True))
    return sorted(found - known)


def rebuild(*, progress: Callable[[int], None] = lambda n: None) -> int:
    """The whole index again, in one transaction: searches see the old index until it
    commits. Returns the number of entries. Then the planner's statistics: without them,
    PostgreSQL took 13,000 matches for one and read a range of entries row by row."""
    with transaction.atomic():
        with connection.cursor() as cursor:  # not one by one
            cursor.execute(f"DELETE FROM {Entry._meta.db_table}")  # noqa: S608 (ours)
        engine().clear()  # after: what the entries' deletes left (SQLite's tombstones) goes
        # Every post, without asking which have no entry: asked of the deleted entries,
        # that was a tenth of a rebuild.
        count = _index_batches(_chunks(Post.objects.all()), _post_pairs, progress)
        count += index_pages(Page.objects.all())
    keep_statistics_fresh(bulk_load=True, tables=INDEX_TABLES)
    return count
