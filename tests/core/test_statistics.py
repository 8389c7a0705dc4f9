"""The planner's statistics follow the site as it grows, with nobody running ANALYZE."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from broadsheet.content.models import Post, Tag
from broadsheet.core.db import keep_statistics_fresh, refresh_after_migrate

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite keeps no statistics by itself"
)


def make_tags(first: int, count: int) -> None:
    Tag.objects.bulk_create(Tag(name=f"Tag {n}", slug=f"tag-{n}") for n in range(first, count))


def analysed_rows(table: str) -> int | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
        rows = [int(stat.split()[0]) for (stat,) in cursor.fetchall()]
    return max(rows) if rows else None


@pytest.fixture
def no_statistics(db):
    """A site that never had ANALYZE (the test's transaction puts them back after)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS sqlite_stat1")


@sqlite_only
def test_a_table_with_rows_and_no_statistics_is_analysed(no_statistics):
    make_tags(0, 40)

    analysed = keep_statistics_fresh()

    assert "broadsheet_content_tag" in analysed
    assert analysed_rows("broadsheet_content_tag") == 40
    assert "broadsheet_content_post" not in analysed  # empty: nothing to learn yet


@sqlite_only
def test_statistics_are_refreshed_when_a_table_has_doubled_and_not_before(no_statistics):
    make_tags(0, 40)
    keep_statistics_fresh()

    make_tags(40, 70)
    assert "broadsheet_content_tag" not in keep_statistics_fresh()  # 70 rows: not yet
    make_tags(70, 80)
    assert "broadsheet_content_tag" in keep_statistics_fresh()
    assert analysed_rows("broadsheet_content_tag") == 80
    assert keep_statistics_fresh() == []  # and then nothing again


@sqlite_only
def test_deleted_rows_do_not_make_a_table_look_bigger(no_statistics):
    make_tags(0, 100)
    Tag.objects.filter(pk__in=Tag.objects.order_by("pk").values("pk")[1:80]).delete()
    keep_statistics_fresh()

    assert analysed_rows("broadsheet_content_tag") == 21
    # The first and last rows are still 100 apart; the count says nothing changed.
    assert "broadsheet_content_tag" not in keep_statistics_fresh()


@sqlite_only
def test_migrate_analyses_a_table_whose_new_index_has_no_statistics(no_statistics):
    make_tags(0, 40)
    keep_statistics_fresh()
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX tag_description_idx ON broadsheet_content_tag (description)")

    assert "broadsheet_content_tag" not in keep_statistics_fresh()  # the periodic look
    refresh_after_migrate(using="default", plan=[])  # after `migrate`

    assert analysed_rows("broadsheet_content_tag") == 40
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_stat1 WHERE idx = 'tag_description_idx'")
        assert cursor.fetchone()


@sqlite_only
def test_flush_sends_post_migrate_without_a_plan_and_is_left_alone(no_statistics):
    make_tags(0, 40)

    refresh_after_migrate(using="default", plan=None)

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        assert cursor.fetchone() is None


@sqlite_only
def test_the_connection_keeps_its_own_analysis_limit(no_statistics):
    make_tags(0, 40)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit = 0")
        keep_statistics_fresh()
        cursor.execute("PRAGMA analysis_limit")
        assert cursor.fetchone()[0] == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statistics")
def test_postgresql_leaves_it_to_autovacuum_except_after_a_bulk_load(db):
    make_tags(0, 40)

    assert keep_statistics_fresh() == []
    assert keep_statistics_fresh(bulk_load=True) == ["(all)"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'broadsheet_content_tag'")
        assert cursor.fetchone()[0] == 40
    make_tags(40, 60)  # a load of other tables (the search index's rebuild) leaves these
    assert keep_statistics_fresh(bulk_load=True, tables=["broadsheet_content_post"]) == [
        "broadsheet_content_post"
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'broadsheet_content_tag'")
        assert cursor.fetchone()[0] == 40


@sqlite_only
def test_a_table_with_a_partial_index_is_analysed_whole(no_statistics, author):
    """Sampled, the public index came out larger than the (then) date index it is a part
    of, and the API's count of public posts read every row through the latter."""
    now = timezone.now()
    Post.objects.bulk_create(
        Post(
            title=f"P{n}",
            slug=f"p-{n}",
            author=author,
            status="published" if n % 3 else "draft",
            published_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(3000)  # more rows than `analysis_limit` samples
    )

    keep_statistics_fresh()

    with connection.cursor() as cursor:
        cursor.execute("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'broadsheet_content_post'")
        rows = {index: int(stat.split()[0]) for index, stat in cursor.fetchall()}
    assert rows["post_public_idx"] == Post.objects.filter(status="published").count() == 2000
    assert rows["post_studio_idx"] == 3000  # of every post
