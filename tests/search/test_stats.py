"""What readers search for: the daily counts `record_search` keeps, and the staff page
that reads them (`/stats/search/`)."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from broadsheet.search import stats
from broadsheet.search.models import SearchDay
from broadsheet.search.query import parse
from broadsheet.search.services import record_search
from broadsheet.search.stats import QueryCount


def searched(query: str, *, count: int = 1, days_ago: int = 0, found: bool = True) -> None:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    SearchDay.objects.create(day=day, query=query, found=found, count=count)


# --- Recording -----------------------------------------------------------------------------


def test_a_search_is_kept_as_parsed_and_nothing_else(db):
    record_search(parse('  Budget   CUTS!!  title:"Tax'), found=True)

    [row] = SearchDay.objects.all()
    assert (row.day, row.query, row.found, row.count) == (
        timezone.localdate(),
        "budget cuts title tax",
        True,
        1,
    )
    # Nothing about the reader: no address, no cookie, no time finer than the day.
    assert {field.name for field in SearchDay._meta.get_fields()} == {
        "id",
        "day",
        "query",
        "found",
        "count",
    }


def test_a_long_query_is_cut_to_100_characters(db):
    record_search(parse("word " * 60), found=False)  # one word, once: `word`
    record_search(parse(" ".join(f"w{n:03}" for n in range(12))), found=False)  # 59 chars
    record_search(parse(" ".join("abcdefghij" * 3 + str(n) for n in range(10))), found=False)

    queries = sorted(SearchDay.objects.values_list("query", flat=True), key=len)
    assert queries[0] == "word"
    assert queries[1] == " ".join(f"w{n:03}" for n in range(12))
    assert len(queries[2]) == 100 and queries[2].startswith("abcdefghij" * 3 + "0 ")


def test_one_row_a_day_a_query_and_an_outcome_whose_counts_add_up(db):
    for _ in range(3):
        record_search(parse("Elections"), found=True)
    record_search(parse("elections"), found=False)  # the same words, found nothing then
    record_search(parse("ELECTIONS  "), found=True)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    SearchDay.objects.create(day=yesterday, query="elections", found=True, count=7)
    record_search(parse("elections"), found=True)

    rows = SearchDay.objects.order_by("day", "-found").values_list("day", "found", "count")
    assert list(rows) == [
        (yesterday, True, 7),
        (timezone.localdate(), True, 5),
        (timezone.localdate(), False, 1),
    ]


@pytest.mark.parametrize("text", ["", "   ", '""', "\x00", "*", "!!"])
def test_a_query_with_nothing_to_look_for_is_not_counted(db, text):
    record_search(parse(text), found=False)

    assert not SearchDay.objects.exists()


def test_a_row_made_by_another_process_between_looking_and_creating_is_counted_on(db):
    """The path of two first searches at once: this one found no row to add to, another
    process then created it; the create fails on the constraint and adds one instead."""
    raced = []

    def other_process_creates_the_row(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not raced and sql.startswith("UPDATE") and SearchDay._meta.db_table in sql:
            raced.append(sql)
            searched("budget", count=1)
        return result

    with connection.execute_wrapper(other_process_creates_the_row):
        record_search(parse("budget"), found=True)

    assert raced
    assert SearchDay.objects.get().count == 2
    record_search(parse("budget"), found=True)  # the connection is still usable
    assert SearchDay.objects.get().count == 3


THREADS, EACH = 8, 5


def test_concurrent_searches_are_all_counted(transactional_db):
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def search_many() -> None:
        try:
            start.wait()
            for _ in range(EACH):
                record_search(parse("at once"), found=True)
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=search_many) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert SearchDay.objects.get(query="at once").count == THREADS * EACH


# --- Reading -------------------------------------------------------------------------------


def test_counts_are_summed_over_the_days_of_the_period(db):
    searched("budget", count=4, days_ago=0)
    searched("budget", count=3, days_ago=5)
    searched("budget", count=2, days_ago=29, found=False)
    searched("weather", count=6, days_ago=1)

    assert stats.top_queries() == [QueryCount("budget", 9), QueryCount("weather", 6)]
    assert stats.totals() == stats.Totals(searches=15, found_nothing=2)


def test_what_found_nothing_is_apart(db):
    searched("budget", count=4)
    searched("budget", count=1, found=False, days_ago=2)
    searched("zeppelins", count=3, found=False)

    assert stats.top_queries(found=False) == [QueryCount("zeppelins", 3), QueryCount("budget", 1)]
    assert stats.top_queries(found=True) == [QueryCount("budget", 4)]


def test_the_period_is_respected(db):
    searched("today", days_ago=0)
    searched("last day in", days_ago=29)
    searched("a day too old", count=50, days_ago=30)
    searched("last week", days_ago=6)
    searched("eight days ago", days_ago=7)

    assert {row.query for row in stats.top_queries()} == {
        "today",
        "last day in",
        "last week",
        "eight days ago",
    }
    assert {row.query for row in stats.top_queries(days=7)} == {"today", "last week"}
    assert stats.totals().searches == 4


def test_the_most_searched_first_and_no_more_than_the_top(db):
    for n in range(stats.TOP + 5):
        searched(f"query {n:02}", count=n + 1)

    top = stats.top_queries()

    assert len(top) == stats.TOP
    assert top[0] == QueryCount(f"query {stats.TOP + 4:02}", stats.TOP + 5)
    assert [row.count for row in top] == sorted((row.count for row in top), reverse=True)


# --- The page ------------------------------------------------------------------------------


@pytest.fixture
def author_client(client, make_staff):
    client.force_login(make_staff("author"))
    return client


def test_the_page_shows_both_tables_linking_to_the_search_page(author_client):
    searched("budget cuts", count=12)
    searched("budget cuts", count=2, found=False, days_ago=3)
    searched("zeppelins & blimps", count=5, found=False)

    response = author_client.get(reverse("search_stats:overview"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>19</strong> searches" in html and "<strong>7</strong> found nothing" in html
    top, not_found = html.split('id="not-found-title"')
    assert '<a href="/search/?q=budget%20cuts">budget cuts</a></th><td>14</td>' in top
    blimps = '<a href="/search/?q=zeppelins%20%26%20blimps">zeppelins &amp; blimps</a>'
    assert blimps + "</th><td>5</td>" in top
    assert '<a href="/search/?q=budget%20cuts">budget cuts</a></th><td>2</td>' in not_found
    assert (
        '<a href="/search/?q=zeppelins%20%26%20blimps">zeppelins &amp; blimps</a></th><td>5</td>'
        in not_found
    )
    assert html.count("<caption") == 2 and html.count('<th scope="col">') == 4
    assert html.count('<th scope="row">') == 4


def test_the_page_without_searches(author_client):
    html = author_client.get(reverse("search_stats:overview")).content.decode()

    assert "No searches yet." in html and "<strong>0</strong> searches" in html


def test_the_stats_home_links_to_the_page(author_client):
    html = author_client.get(reverse("analytics:overview")).content.decode()

    assert f'href="{reverse("search_stats:overview")}"' in html


def test_who_may_see_it(client, make_author, make_staff):
    url = reverse("search_stats:overview")
    assert url == "/stats/search/"

    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )
    for who, status in [
        (make_author("A member without a role"), 403),
        (make_staff("contributor"), 403),
        (make_staff("author"), 200),
        (make_staff("editor"), 200),
        (make_staff("administrator"), 200),
    ]:
        client.force_login(who)
        assert client.get(url).status_code == status, who.role or "member"


def test_the_page_costs_the_same_queries_however_many_searches(
    author_client, django_assert_num_queries
):
    searched("one", count=2)
    searched("two", found=False)
    author_client.get(reverse("search_stats:overview"))  # the session and settings warmed

    with django_assert_num_queries(5) as few:  # session, user, totals, two tables
        author_client.get(reverse("search_stats:overview"))
    for day in range(30):
        for n in range(40):
            searched(f"query {n}", days_ago=day, found=n % 2 == 0)
    with django_assert_num_queries(len(few.captured_queries)):
        author_client.get(reverse("search_stats:overview"))
