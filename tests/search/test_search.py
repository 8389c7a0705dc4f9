"""Searching as readers do, on whichever database the suite runs on (CI runs both)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.accounts.models import Role
from broadsheet.content import services as content
from broadsheet.content.models import Page, Post
from broadsheet.search.models import Entry, SearchDay, Word
from broadsheet.search.selectors import (
    Filters,
    hidden_entries,
    matching_posts,
    public_entries,
    search,
)

pytestmark = pytest.mark.django_db(transaction=False)


def titles(text: str, **kwargs) -> list[str]:
    return [hit.title for hit in search(text, **kwargs).hits]


def scheduled(author, title: str, body: str, when: datetime.datetime) -> Post:
    return content.save_post(
        Post(title=title, body=body, author=author, status=Post.Status.SCHEDULED, published_at=when)
    )


@pytest.fixture
def owner(make_staff):
    return make_staff(Role.OWNER)


def test_a_title_match_ranks_before_a_body_match(make_post):
    make_post("Notes from the week", body="The harbour bridge was closed for repairs.")
    make_post("The harbour at dawn", body="Fishing boats came in early.")
    assert titles("harbour") == ["The harbour at dawn", "Notes from the week"]


def test_a_phrase_ranks_before_scattered_words(make_post):
    make_post("Scattered", body="Pricing matters. " + "filler words here. " * 5 + "Congestion too.")
    make_post("Together", body="We looked at congestion pricing in three cities.")
    assert titles("congestion pricing") == ["Together", "Scattered"]


def test_every_word_must_match(make_post):
    make_post("Both", body="Rail freight and road haulage.")
    make_post("One", body="Rail travel only.")
    assert titles("rail haulage") == ["Both"]


def test_stemming_finds_other_forms(make_post):
    make_post("Prices", body="Regulators are pricing carbon at last.")
    assert titles("priced") == ["Prices"]
    assert titles("regulator") == ["Prices"]


def test_accents_are_folded_both_ways(make_post):
    make_post("Kraków in winter", body="A city of cafés.")
    assert titles("krakow") == ["Kraków in winter"]
    assert titles("Kraków") == ["Kraków in winter"]
    assert titles("cafe") == ["Kraków in winter"]


def test_phrases_exclusions_and_prefixes(make_post):
    make_post("A", body="The central bank raised interest rates.")
    make_post("B", body="Interest in the central library is high; the bank was shut.")
    assert titles('"central bank"') == ["A"]
    assert sorted(titles("interest -library")) == ["A"]
    assert sorted(titles("interes*")) == ["A", "B"]


def test_prefixes_of_accented_words_of_numbers_and_left_out(make_post):
    make_post("A", body="Kraków's cafés opened in 2024.")
    make_post("B", body="Krakatoa erupted in 1883.")
    assert sorted(titles("krak*")) == ["A", "B"]
    assert titles("Kraków*") == ["A"]
    assert titles("202*") == ["A"]
    assert titles("krak* -caf*") == ["B"]


def test_a_prefix_that_is_a_stop_word_still_finds_its_words(make_post):
    """PostgreSQL's English dictionary drops `to` from `to:*`: `to*` found nothing."""
    make_post("Today", body="Tomorrow's harbour.")
    make_post("Fields", body="The harbour at dusk.")
    assert titles("to*") == ["Today"]
    assert titles("harbour -to*") == ["Fields"]
    assert titles("studies*") == [] and titles("tomorrow*") == ["Today"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's engine expands prefixes")
def test_a_vague_prefix_is_searched_as_its_shortest_known_words(make_post, monkeypatch):
    """FTS5 reads a prefix as every token that begins so (0.4 s for two letters at
    100,000 posts); the engine asks for the vocabulary's shortest words instead."""
    monkeypatch.setattr("broadsheet.search.engines.sqlite.PREFIX_WORDS", 2)
    make_post("Short", body="A road.")
    make_post("Shorter", body="A roam.")
    make_post("Long", body="Roadworks.")
    assert sorted(titles("roa*")) == ["Short", "Shorter"]
    monkeypatch.setattr("broadsheet.search.engines.sqlite.PREFIX_WORDS", 50)
    assert sorted(titles("roa*")) == ["Long", "Short", "Shorter"]


def test_a_misspelt_word_finds_its_post_with_the_correction_said(make_post):
    make_post("Roads", body="Spending on infrastructure and congestion.")
    for typo, right in [("infrastucture", "infrastructure"), ("congestoin", "congestion")]:
        results = search(typo)
        assert [hit.title for hit in results.hits] == ["Roads"]
        assert str(results.corrected) == right


def test_a_known_word_is_not_corrected(make_post):
    make_post("Roads", body="Congestion.")
    results = search("congestions")  # stems as congestion: found as typed
    assert results.count == 1 and results.corrected is None


def test_the_snippet_is_the_matching_passage_marked_and_escaped(make_post):
    make_post(
        "Long",
        body="Opening words. " * 40 + "Here <b>bold</b> & the rail freight story. " + "More. " * 40,
    )
    hit = search("freight")
    snippet = str(hit.hits[0].snippet)
    assert "<mark>freight</mark>" in snippet
    assert "Opening words. Opening" not in snippet[:20]  # not the start of the post
    assert "<b>" not in snippet and "&lt;b&gt;" not in snippet  # Markdown rendered, tags gone
    assert snippet.startswith("…") and snippet.endswith("…")
    assert hit.hits[0].snippet_words.startswith("freight")


def test_a_query_is_never_reflected_unescaped(client, make_post):
    make_post("Safe", body="Rail.")
    response = client.get("/search/", {"q": '<script>alert(1)</script> rail "><img src=x>'})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content
    assert b"<img src=x>" not in response.content


def test_filters_by_tag_author_and_year(make_post, make_tag, make_author):
    economics, other = make_tag("Economics"), make_tag("Other")
    bea = make_author("Bea Writer")
    make_post("Tagged", body="Rail.", tags=[economics])
    make_post("Untagged", body="Rail.", tags=[other], author=bea)
    make_post("Old", body="Rail.", days_ago=800)
    assert titles("rail", filters=Filters(tag=economics)) == ["Tagged"]
    assert titles("rail", filters=Filters(author=bea)) == ["Untagged"]
    old_year = (timezone.localdate() - datetime.timedelta(days=800)).year
    assert "Old" in titles("rail", filters=Filters(year=old_year))
    assert "Tagged" not in titles("rail", filters=Filters(year=old_year))


def test_drafts_trash_and_future_posts_are_never_found(make_post, owner, author):
    make_post("Draft", body="Secretword one.", status=Post.Status.DRAFT)
    make_post("Review", body="Secretword two.", status=Post.Status.REVIEW)
    trashed = make_post("Trashed", body="Secretword three.")
    content.trash_post(actor=owner, post=trashed)
    scheduled(author, "Later", "Secretword four.", timezone.now() + datetime.timedelta(days=1))
    assert search("secretword").count == 0
    assert search("secretwrd").corrected is None  # nor suggested: nothing public has it


def test_a_scheduled_post_is_found_from_its_time(author):
    post = scheduled(author, "Soon", "Timely words.", timezone.now() + datetime.timedelta(hours=1))
    assert titles("timely") == []
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now() - datetime.timedelta(1))
    assert titles("timely") == ["Soon"]


def test_the_index_follows_every_change(make_post, author, owner, make_tag):
    post = make_post("First title", body="Original words.")
    assert titles("original") == ["First title"]

    post.body = "Revised words."
    content.save_post(post)
    assert titles("original") == [] and titles("revised") == ["First title"]

    post.status = Post.Status.DRAFT
    content.save_post(post)
    assert titles("revised") == []
    post.status = Post.Status.PUBLISHED
    content.save_post(post)
    content.trash_post(actor=owner, post=post)
    assert titles("revised") == []
    content.restore_from_trash(actor=owner, post=post)
    assert titles("revised") == ["First title"]

    tag = make_tag("Maritime")
    content.save_post(post, tags=[tag])
    assert titles("maritime") == ["First title"]
    tag.name = "Nautical"
    content.save_tag(actor=owner, tag=tag)
    assert titles("maritime") == [] and titles("nautical") == ["First title"]
    content.delete_tag(actor=owner, tag=tag)
    assert titles("nautical") == []

    post.delete()
    assert titles("revised") == []
    assert not Entry.objects.exists()
    make_post("Another", body="Revised words.")  # the old row's words are gone for good
    assert titles("revised") == ["Another"]


def test_an_entry_deleted_in_sql_alone_leaves_the_index(make_post):
    """The reader's search counts from the index alone: an entry that goes, however it
    goes, takes its words with it (on SQLite, a trigger)."""
    post = make_post("Lighthouses", body="Keepers of the lighthouse.")
    assert search("lighthouse").count == 1
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Entry._meta.db_table} WHERE post_id = %s", [post.pk])
    assert search("lighthouse").count == 0


def test_pages_are_searchable_while_published(owner):
    page = content.save_page(
        actor=owner, page=Page(title="About us", body="We write about lighthouses.")
    )
    assert titles("lighthouses") == []
    page.status = Page.Status.PUBLISHED
    content.save_page(actor=owner, page=page)
    assert titles("lighthouses") == ["About us"]
    content.delete_page(actor=owner, page=page)
    assert titles("lighthouses") == []


def test_filters_leave_pages_out(owner, make_post, make_tag):
    content.save_page(
        actor=owner, page=Page(title="About", body="Rail.", status=Page.Status.PUBLISHED)
    )
    make_post("Post", body="Rail.")
    assert sorted(titles("rail")) == ["About", "Post"]
    assert titles("rail", filters=Filters(year=timezone.localdate().year)) == ["Post"]


def test_rebuild_gives_the_same_answers(make_post):
    make_post("One", body="Harbour lights.")
    make_post("Two", body="Harbour walls and harbour lights.")
    before = titles("harbour lights")
    call_command("search", "rebuild", verbosity=0)
    assert titles("harbour lights") == before
    assert Entry.objects.count() == 2


def test_the_studio_search_finds_drafts_by_their_body(make_post):
    draft = make_post("Working title", body="Unpublished musings.", status=Post.Status.DRAFT)
    assert list(matching_posts(Post.objects.all(), "musings")) == [draft]
    assert list(matching_posts(Post.objects.all(), "   ")) == [draft]


@pytest.mark.parametrize("posts", [1, 12])
def test_the_search_page_reads_a_fixed_number_of_queries(client, make_post, make_tag, posts):
    tags = [make_tag(f"Tag {n}") for n in range(3)]
    for n in range(posts):
        make_post(f"Rail {n}", body="Rail freight.", tags=tags)
    client.get("/search/", {"q": "rail freight"})  # choices kept per generation; today's row
    if connection.vendor == "postgresql":  # the planner's statistics, as a site has them
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE broadsheet_search_entry")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "rail freight"})
    assert response.status_code == 200
    # the hidden entries, the newest matches (which count them too: fewer than `RANKED`),
    # the page's keys, the entries with posts, authors and pages, their tags, today's count;
    # on PostgreSQL, the planner's estimate first (the pair is in every post: they are
    # found by walking the newest), and the page's keys are ranked as they are found
    assert len(queries) == 6, [q["sql"] for q in queries]


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "x" * 10_000},
        {"q": "!!! ??? ..."},
        {"q": 'NEAR(a b) OR "title: ^x * AND'},
        {"q": "'; DROP TABLE broadsheet_search_entry; --"},
        {"q": "rail\x00freight"},
        {"q": "rail", "page": "99999"},
        {"q": "rail", "page": "-1"},
        {"q": "rail", "tag": "no-such-tag", "author": "\x00", "year": "abc"},
        {"q": "rail", "year": "99999999999999999999"},
    ],
)
def test_bad_input_gives_a_sensible_page(client, make_post, params):
    make_post("Rail", body="Rail freight.")
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert b'role="search"' in response.content


def test_invalid_utf8_in_the_address(client):
    assert client.get("/search/?q=%ff%fe%00").status_code == 200


def test_a_page_past_the_end_shows_the_last(client, make_post):
    for n in range(12):
        make_post(f"Rail {n}", body="Rail.")
    response = client.get("/search/", {"q": "rail", "page": "99999"})
    assert response.context["results"].number == 2
    assert b"Page 2 of 2" in response.content


def test_searches_are_counted_per_day_without_the_reader(client, make_post):
    make_post("Rail", body="Rail.")
    client.get("/search/", {"q": "Rail"})
    client.get("/search/", {"q": "rail", "page": "2"})  # paging is not another search
    client.get("/search/", {"q": "  rail "})
    client.get("/search/", {"q": "zeppelin"})
    counted = {(row.query, row.found): row.count for row in SearchDay.objects.all()}
    assert counted == {("rail", True): 2, ("zeppelin", False): 1}


def test_a_flood_of_searches_is_refused(client, settings, make_post):
    settings.BROADSHEET_SEARCHES_PER_MINUTE = 3
    make_post("Rail", body="Rail.")
    statuses = [client.get("/search/", {"q": f"rail {n}"}).status_code for n in range(5)]
    assert statuses[:3] == [200, 200, 200]
    assert statuses[3] == 429
    refused = client.get("/search/", {"q": "rail"})
    assert int(refused["Retry-After"]) >= 1
    assert b"Too many requests" in refused.content


def test_every_page_has_the_search_box_and_opensearch(client, post):
    page = client.get(post.get_absolute_url()).content.decode()
    assert 'role="search"' in page and 'action="/search/"' in page
    assert 'rel="search" type="application/opensearchdescription+xml"' in page
    description = client.get("/opensearch.xml")
    assert description["Content-Type"] == "application/opensearchdescription+xml"
    assert b'template="http://testserver/search/?q={searchTerms}"' in description.content


def test_the_search_page_offers_a_correction_link(client, make_post):
    make_post("Roads", body="Spending on infrastructure.")
    page = client.get("/search/", {"q": "infrastucture"}).content.decode()
    assert 'Showing results for “<a href="?q=infrastructure">infrastructure</a>”' in page
    assert "<mark>infrastructure</mark>" in page


def test_a_phrase_does_not_run_from_the_title_into_the_body(make_post):
    make_post("Night harbour", body="Lights came on along the quay.")
    make_post("Elsewhere", body="The harbour lights came on.")
    assert titles('"harbour lights"') == ["Elsewhere"]
    assert titles("harbour lights") == ["Elsewhere", "Night harbour"]


def test_who_may_see_follows_every_write_however_made(make_post, owner):
    """The entries' copies of status and dates are the database's (triggers): a write
    past the actions (an admin's bulk action, a restore, a hand-written UPDATE) moves them
    too. A migration that rebuilt the posts' table without the triggers would fail this."""
    post = make_post("Bulk", body="Quayside words.")
    page = content.save_page(
        actor=owner, page=Page(title="About", body="Quayside.", status=Page.Status.PUBLISHED)
    )
    assert sorted(titles("quayside")) == ["About", "Bulk"]
    Post.objects.filter(pk=post.pk).update(trashed_at=timezone.now())
    Page.objects.filter(pk=page.pk).update(status=Page.Status.DRAFT)
    assert titles("quayside") == []
    Post.objects.filter(pk=post.pk).update(trashed_at=None, status=Post.Status.DRAFT)
    assert titles("quayside") == []
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
    assert titles("quayside") == ["Bulk"]
    entry = Entry.objects.get(post=post)
    stored = Post.objects.get(pk=post.pk)
    assert (entry.status, entry.published_at, entry.trashed_at) == (
        stored.status,
        stored.published_at,
        stored.trashed_at,
    )


def _rank_only(monkeypatch, newest: int) -> None:
    """`engines.RANKED`, as every module that reads it sees it."""
    from broadsheet.search import engines

    for module in (engines.__name__, type(engines.engine()).__module__):
        monkeypatch.setattr(module + ".RANKED", newest)


def test_only_the_newest_matches_are_ranked_and_the_rest_follow(make_post, monkeypatch):
    """Ranking is most of a search's cost: of a query matching more than `RANKED` posts,
    the newest that many entries (the last indexed: new posts) are ranked, then the older
    ones follow, newest first."""

    _rank_only(monkeypatch, 2)
    make_post("Harbour harbour harbour", body="Harbour.")  # the best match, but the oldest
    make_post("Middle", body="A harbour.")
    make_post("Newest", body="The harbour.")
    make_post("Imported last", body="A harbour wall.", days_ago=30)
    ranked, rest = ["Newest", "Imported last"], ["Middle", "Harbour harbour harbour"]
    assert titles("harbour") == ranked + rest
    _rank_only(monkeypatch, 1000)
    assert titles("harbour")[0] == "Harbour harbour harbour"
    assert search("harbour").count == 4


def test_a_vague_query_is_counted_only_so_far(client, make_post, monkeypatch):
    """Past `COUNTED` matches, "that many or more": counting 78,000 matches of a common pair
    of words was a third of its search, and no reader pages that far."""
    from broadsheet.search import selectors

    _rank_only(monkeypatch, 3)
    monkeypatch.setattr(selectors, "COUNTED", 3)
    for n in range(5):
        make_post(f"Harbour {n}", body="The harbour.")
    results = search("harbour")
    assert results.count == 3 and not results.counted_all and len(results.hits) == 3
    assert "3 or more results." in client.get("/search/", {"q": "harbour"}).text
    monkeypatch.setattr(selectors, "COUNTED", 1000)
    assert search("harbour").count == 5 and search("harbour").counted_all
    assert "5 results." in client.get("/search/", {"q": "harbour", "page": "1"}).text


def test_the_speller_survives_words_deleted_behind_its_back(make_post):
    """A test database's flush (or a hand-made DELETE) empties the vocabulary without
    telling the trigram index: the speller must find nothing, not fail. (With the index
    reading its words from the vocabulary, SQLite said "database disk image is malformed"
    and the search page was a 500.)"""
    make_post("Roads", body="Spending on infrastructure.")
    Word.objects.all().delete()
    results = search("infrastucture")
    assert results.count == 0 and results.corrected is None
    make_post("More roads", body="Infrastructure again.")
    assert str(search("infrastucture").corrected) == "infrastructure"


def test_the_hidden_entries_are_exactly_those_the_public_may_not_see(make_post, owner, author):
    """The reader's search leaves out `hidden_entries()` instead of asking the rule of
    every match: the two must name the same entries, whatever the state."""
    now = timezone.now()
    make_post("Live", body="Words.")
    make_post("Draft", body="Words.", status=Post.Status.DRAFT)
    make_post("Binned", body="Words.")
    Post.objects.filter(title="Binned").update(trashed_at=now)
    scheduled(author, "Tomorrow", "Words.", now + datetime.timedelta(days=1))
    due = scheduled(author, "Due", "Words.", now + datetime.timedelta(days=1))
    Post.objects.filter(pk=due.pk).update(published_at=now - datetime.timedelta(minutes=1))
    for status in (Page.Status.PUBLISHED, Page.Status.DRAFT):
        content.save_page(actor=owner, page=Page(title=f"Page {status}", body="W.", status=status))
    public = set(public_entries().values_list("pk", flat=True))
    everything = set(Entry.objects.values_list("pk", flat=True))
    assert set(hidden_entries()) == everything - public
    assert {str(entry) for entry in Entry.objects.filter(pk__in=hidden_entries())} == {
        f"post {pk}"
        for pk in Post.objects.filter(title__in=["Draft", "Binned", "Tomorrow"]).values_list(
            "pk", flat=True
        )
    } | {f"page {Page.objects.get(status=Page.Status.DRAFT).pk}"}


@pytest.mark.parametrize("few_hidden", [0, 30])
def test_every_slice_of_the_readers_matches_is_in_one_order(make_post, monkeypatch, few_hidden):
    """The reader's search without filters reads the index alone (`public_matches`): the
    newest `RANKED` of what the public may see ranked, the rest newest first, on every
    slice across the window's edge, with hidden entries among the matches; and in the
    order the entries themselves give (`matching`, as with a filter)."""
    from broadsheet.search.engines import QueryMatches, engine
    from broadsheet.search.query import parse

    module = type(engine()).__module__
    _rank_only(monkeypatch, 3)
    monkeypatch.setattr(module + ".FEW_HIDDEN", few_hidden, raising=False)
    for n in range(9):
        status = Post.Status.DRAFT if n in (2, 7) else Post.Status.PUBLISHED
        make_post(f"Harbour {n}", body="Harbour " * (n % 4 + 1), status=status)
    query = parse("harbour")
    fast = engine().public_matches(query, hidden=hidden_entries())
    newest = sorted(public_entries().values_list("pk", flat=True), reverse=True)
    assert len(newest) == 7
    for at_most in range(1, 10):  # counted up to `at_most`, whichever way
        assert fast.count(at_most) == min(7, at_most), at_most
    order = fast.keys(0, 7)
    assert sorted(order[:3], reverse=True) == newest[:3] and order[3:] == newest[3:]
    for start in range(8):
        for stop in range(start, 9):
            assert fast.keys(start, stop) == order[start:stop], (start, stop)
    _rank_only(monkeypatch, 1000)
    asked = QueryMatches(engine().matching(public_entries(), query))
    assert engine().public_matches(query, hidden=hidden_entries()).keys(0, 7) == asked.keys(0, 7)


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_index_with_the_entries(make_post, make_author):
    """`flush` empties the entries but knows nothing of the engine's own tables: left
    there, their rows would be counted by the reader's search, which reads the index
    alone."""
    make_post("Before", body="Lighthouse.")
    call_command("flush", interactive=False, verbosity=0)
    make_post("After", body="Lighthouse.", author=make_author())
    results = search("lighthouse")
    assert results.count == 1 and [hit.title for hit in results.hits] == ["After"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_newest_matches_are_found_through_the_text_index(make_post):
    """Ordered by the key, PostgreSQL could walk the key's index newest first and unpack
    every row's vector to test it (1.6 s for a rare phrase at 100,000 posts, once it had
    statistics). Priced out of sorting, it still sorts: no index gives that order, and the
    matches come from the GIN index."""
    from broadsheet.search.engines import engine
    from broadsheet.search.query import parse

    make_post("Harbour lights", body="The harbour lights.")
    matches = engine().public_matches(parse('"harbour lights"'), hidden=hidden_entries())
    with CaptureQueriesContext(connection) as queries:
        assert matches.count(at_most=1000) == 1
    (newest,) = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")  # and a test-sized table's scan
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {newest}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Sort" in plan and "search_entry_document_idx" in plan, plan
    assert "Index Scan Backward" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_the_query_is_made_once_not_for_every_row_it_ranks(make_post):
    """`unaccent` is only STABLE, so `to_tsquery(config, unaccent(<query>))` was made
    again for each row ranked, twice (half of ranking's 33 ms at 100,000 posts). Folded
    by an IMMUTABLE function, the plan holds the query as a constant."""
    from broadsheet.search.engines import engine
    from broadsheet.search.query import parse

    make_post("Harbour lights in Kraków", body="The harbour lights.")
    matches = engine().public_matches(parse("harbour krakow"), hidden=hidden_entries())
    with CaptureQueriesContext(connection) as queries:
        assert matches.keys(0, 10)
    (ranking,) = [q["sql"] for q in queries if "ts_rank_cd" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN VERBOSE {ranking}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "'krakow'" in plan and "unaccent(" not in plan and "to_tsquery(" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
def test_matches_are_never_found_by_reading_every_entry(make_post):
    """An entry's row holds only a pointer to its vector, so the planner priced reading
    all 100,000 entries at a few thousand pages and chose it for any query it expected to
    match 1% or more: 0.3 to 0.43 s, each vector unpacked. Here, on a table of a few rows,
    it would always choose it; the newest matches must come from the GIN index all the
    same, and the setting must not outlive the search."""
    from broadsheet.search.engines import engine
    from broadsheet.search.query import parse

    make_post("Harbour lights", body="The harbour lights.")
    matches = engine().public_matches(parse('"harbour lights"'), hidden=hidden_entries())
    plans: list[str] = []

    def explained(execute, sql, params, many, context):
        if "@@" in sql and not sql.startswith("EXPLAIN"):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {sql}", params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explained):
        assert matches.count(at_most=1000) == 1
    (plan,) = plans
    assert "search_entry_document_idx" in plan and "Seq Scan" not in plan, plan
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone() == ("on",)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's engine")
@pytest.mark.parametrize("text", ["harb*", "harbour"])
def test_a_query_of_most_entries_finds_the_newest_by_walking_the_key(make_post, monkeypatch, text):
    """Through the GIN index every match is found first: a two-letter prefix matched all
    100,000 posts, and PostgreSQL then tested every row (0.36 s); a pair of common words,
    80,000 (27 ms). Walked newest first, the first `RANKED` that match are enough (5 ms).
    (Whether the planner expects "most" needs a large table's statistics: here every
    query counts as wide.)"""
    monkeypatch.setattr("broadsheet.search.engines.postgres.WIDE", 0.0)
    for module in ("broadsheet.search.engines", "broadsheet.search.engines.postgres"):
        monkeypatch.setattr(f"{module}.RANKED", 3)
    for n in range(12):
        make_post(f"Harbour {n}", body="Harbour lights." if n % 3 else "Fields.")
    make_post("Harbour draft", body="Harbour lights.", status=Post.Status.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        results = search(text)
    assert any(" AS newest " in query["sql"] for query in queries)
    shown = [hit.title for hit in results.hits]  # the newest 3 ranked, then the older
    assert results.count == 12 and "Harbour draft" not in shown
    assert sorted(shown[:3]) == ["Harbour 10", "Harbour 11", "Harbour 9"]
    assert shown[3:] == [f"Harbour {n}" for n in range(8, 1, -1)]


def test_a_rebuild_in_many_batches_indexes_every_post_and_its_words(make_post, monkeypatch):
    """Each batch's texts are made in a thread while the one before is written: every
    batch, the last too, must reach the index and the vocabulary, in order."""
    from broadsheet.search import indexing

    monkeypatch.setattr(indexing, "BATCH", 2)
    for n, word in enumerate(["alpha", "beta", "gamma", "delta", "epsilon"]):
        make_post(f"Post {n}", body=f"Harbour {word}.")
    Word.objects.all().delete()
    seen: list[int] = []
    assert indexing.rebuild(progress=seen.append) == 5
    assert seen == [2, 4, 5]
    assert len(titles("harbour")) == 5 and titles("epsilon") == ["Post 4"]
    assert {"alpha", "epsilon", "harbour"} <= set(Word.objects.values_list("word", flat=True))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's engine")
def test_a_rebuild_makes_the_vectors_a_save_makes(make_post, make_tag):
    """A rebuild's vectors are made on a second connection and come back as text: they
    must be what a save makes in its own insert, accents, quotes and hyphens too."""
    from broadsheet.search import indexing

    tag = make_tag("Économie d'été")
    post = make_post('Kraków\'s brand-new "harbour"', body="O'Brien\\said: naïve café.")
    content.save_post(post, tags=[tag])
    saved = list(Entry.objects.values_list("document", flat=True))
    indexing.rebuild()
    assert list(Entry.objects.values_list("document", flat=True)) == saved
    assert "'krakow':1A" in saved[0] and "'economi':6B" in saved[0]
