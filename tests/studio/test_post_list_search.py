"""The studio's post list searched through the search engine: titles and text, drafts
included for whoever may see them in the studio, best first; any input answered."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.content.models import Post
from broadsheet.content.services import trash_post


def listed(client, **params) -> list[str]:
    """The titles of the posts the list shows, in its order."""
    response = client.get(reverse("studio:posts"), params)
    assert response.status_code == 200
    html = response.content.decode()
    return re.findall(r'<td><a href="/studio/posts/\d+/">([^<]*)</a>', html)


@pytest.fixture
def writers(make_staff, make_post):
    """Two authors with a draft each, and an editor; only one draft has the word."""
    people = {
        "author": make_staff("author", "Ann Author"),
        "other": make_staff("author", "Otto Other"),
        "contributor": make_staff("contributor", "Cora Contributor"),
        "editor": make_staff("editor", "Ed Editor"),
    }
    make_post(
        "Notes for later",
        body="The zeppelin rose over the harbour at dawn.",
        status=Post.Status.DRAFT,
        author=people["author"],
    )
    make_post(
        "Something else", body="Nothing to see.", status=Post.Status.DRAFT, author=people["other"]
    )
    return people


def test_a_drafts_body_word_finds_it_for_its_author(client, writers):
    client.force_login(writers["author"])

    assert listed(client, q="zeppelin") == ["Notes for later"]
    assert listed(client, q="ZEPPELIN harbour") == ["Notes for later"]


def test_an_editor_finds_anyones_draft_by_its_text(client, writers):
    client.force_login(writers["editor"])

    assert listed(client, q="zeppelin") == ["Notes for later"]
    assert listed(client, q="zeppelin", status="draft") == ["Notes for later"]
    assert listed(client, q="zeppelin", author=writers["author"].slug) == ["Notes for later"]
    assert listed(client, q="zeppelin", author=writers["other"].slug) == []


@pytest.mark.parametrize("who", ["other", "contributor"])
def test_a_writer_who_cannot_see_a_draft_does_not_find_it(client, writers, make_post, who):
    client.force_login(writers[who])
    make_post("My zeppelin", status=Post.Status.DRAFT, author=writers[who])

    assert listed(client, q="zeppelin") == ["My zeppelin"]
    assert listed(client, q="harbour") == []


def test_results_are_best_first_not_newest_first(client, writers, make_post):
    author = writers["author"]
    client.force_login(author)
    make_post("Gardening in winter", body="Leeks and kale.", author=author, days_ago=1)
    make_post("Kale, a defence", body="It is good.", author=author, days_ago=30)

    newest_first = ["Gardening in winter", "Kale, a defence"]
    assert listed(client, status="published") == newest_first
    assert listed(client, q="kale") == ["Kale, a defence", "Gardening in winter"]  # title first


def test_the_words_leave_out_and_match_phrases(client, writers, make_post):
    author = writers["author"]
    client.force_login(author)
    make_post("Harbour lights", body="Boats at night.", author=author)

    assert listed(client, q="harbour -zeppelin") == ["Harbour lights"]
    assert listed(client, q='"zeppelin rose"') == ["Notes for later"]
    assert listed(client, q='"rose zeppelin"') == []
    assert listed(client, q="zepp*") == ["Notes for later"]


@pytest.mark.parametrize("q", ["", "   ", "-zeppelin", "*", '""'])
def test_a_query_with_nothing_to_look_for_lists_everything(client, writers, q):
    client.force_login(writers["editor"])

    assert listed(client, q=q) == listed(client)
    assert sorted(listed(client)) == ["Notes for later", "Something else"]


def test_search_keeps_the_trash_apart(client, writers):
    author = writers["author"]
    client.force_login(author)
    trash_post(actor=author, post=Post.objects.get(title="Notes for later"))

    assert listed(client, q="zeppelin") == []
    assert listed(client, q="zeppelin", status="trash") == ["Notes for later"]


@pytest.mark.parametrize(
    "q",
    [
        'zeppelin" OR title:*',
        "NEAR(zeppelin harbour, 2)",
        "zeppelin AND NOT ^dawn",
        "' OR 1=1 --",
        "(((",
        "-",
        "\\",
        "zeppelin\x00harbour",
        "\x00",
        "é" * 5000,
        "zeppelin " * 700,  # cut to what the query language reads
        "x" * 5000,
        "🦜" * 200,
    ],
    ids=lambda q: repr(q[:20]),
)
def test_any_input_is_answered(client, writers, q):
    client.force_login(writers["editor"])

    response = client.get(reverse("studio:posts"), {"q": q})

    assert response.status_code == 200


def test_searching_costs_the_same_queries_as_listing(client, writers, make_post):
    author = writers["author"]
    client.force_login(author)
    for n in range(30):
        make_post(f"Zeppelin log {n}", author=author)

    with CaptureQueriesContext(connection) as listing:
        listed(client)
    with CaptureQueriesContext(connection) as searching:
        assert len(listed(client, q="zeppelin")) == 25

    assert len(searching.captured_queries) == len(listing.captured_queries)
