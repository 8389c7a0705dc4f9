"""The track record where readers see it: `/predictions/` (filtered by author and tag),
each author's page, and the Atom feed of resolutions. Predictions are made by publishing
posts and resolved through `resolve`, as the studio does."""

import re

import feedparser
import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.content import services
from broadsheet.content.models import Post
from broadsheet.content.services import Edit
from broadsheet.fastpath.app import FastPathApp
from broadsheet.predictions.models import Prediction
from broadsheet.predictions.services import resolve
from tests.fastpath.test_app import caller
from tests.predictions.helpers import published

RECORD = "/predictions/"
FEED = "/predictions/feed/"


def block(statement: str, probability: str = "70%", date: str = "2031-12-31") -> str:
    return f"```prediction\n{statement}\nprobability: {probability}\nresolves: {date}\n```\n"


@pytest.fixture
def rhea(make_staff):
    return make_staff("author", name="Rhea Forecaster")


@pytest.fixture
def sam(make_staff):
    return make_staff("author", name="Sam Skeptic")


@pytest.fixture
def publish(db):
    """Publish a post holding these blocks, by `writer`, with tags (made if need be)."""

    return published


def made(statement: str) -> Prediction:
    return Prediction.objects.get(statement=statement)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def site(rhea, sam, publish):
    """Rhea: two came true, one did not, one voided, one open; Sam: one did not, one open."""
    publish(
        rhea,
        block("Turnout will pass 60%.", "80%"),
        block("The bill will pass.", "70%"),
        block("Rates will be cut.", "15%"),
        block("The summit will happen.", "50%"),
        block("The strike will end.", "30%", date="2020-01-31"),  # date passed: awaiting
        title="The year ahead",
        tags=["Politics"],
    )
    publish(sam, block("The merger will close.", "60%"), block("It will snow.", "10%"))
    for statement, outcome in [
        ("Turnout will pass 60%.", "true"),
        ("The bill will pass.", "true"),
        ("Rates will be cut.", "false"),
        ("The summit will happen.", "void"),
    ]:
        resolve(actor=rhea, prediction=made(statement), outcome=outcome, note=f"Note on {outcome}.")
    resolve(actor=sam, prediction=made("The merger will close."), outcome="false")
    return rhea, sam


# Rhea's scored: 0.8 true, 0.7 true, 0.15 false: (0.04 + 0.09 + 0.0225) / 3 = 0.0508…
# Everyone's adds Sam's 0.6 false: (0.04 + 0.09 + 0.0225 + 0.36) / 4 = 0.128125


def test_the_record_page_shows_counts_score_chart_table_and_lists(client, site):
    response = client.get(RECORD)
    html, text = response.content.decode(), text_of(response)

    assert response.status_code == 200
    assert "7 predictions made: 4 resolved (2 came true, 2 did not), 1 voided, 2 open." in text
    assert "Brier score 0.128 against a baseline of 0.25: better than always saying 50%" in text
    assert "0 is perfect, and 0.25 is what always saying 50% earns" in text
    # The chart: an image with a name and a description, a point per filled bin.
    svg = re.search(r"<svg [^>]*>.*?</svg>", html, re.DOTALL)[0]
    assert 'role="img"' in svg and 'aria-labelledby="calibration-title calibration-desc"' in svg
    assert svg.count('<circle class="point"') == 4  # bins 1, 6, 7 and 8
    assert 'class="diagonal"' in svg and "style=" not in svg
    # The same numbers in a table, with headers.
    table = re.search(r"<table .*?</table>", html, re.DOTALL)[0]
    assert "<caption>" in table and table.count('<th scope="col">') == 4
    cells = r"<td>(.*?)</td>" * 3
    rows = re.findall(rf'<tr><th scope="row">(.*?)</th>{cells}', table)
    assert rows == [
        ("10–20%", "1", "15%", "0 (0%)"),
        ("60–70%", "1", "60%", "0 (0%)"),
        ("70–80%", "1", "70%", "1 (100%)"),
        ("80–90%", "1", "80%", "1 (100%)"),
    ]
    # The lists, each line linked to its card.
    open_part = text.split("Open predictions")[1].split("Resolved predictions")[0]
    assert "The strike will end." in open_part and "Awaiting resolution" in open_part
    assert "It will snow." in open_part and "Open" in open_part
    resolved_part = text.split("Resolved predictions")[1]
    assert "Turnout will pass 60%." in resolved_part and "Came true" in resolved_part
    assert "Note on void." in resolved_part and "Voided" in resolved_part
    turnout = made("Turnout will pass 60%.")
    assert f'<a href="{turnout.get_absolute_url()}">Turnout will pass 60%.</a>' in html
    assert turnout.get_absolute_url().endswith("#prediction-1")


def test_a_site_with_no_predictions_has_an_empty_record_and_feed(client, db):
    response = client.get(RECORD)

    assert response.status_code == 200
    text = text_of(response)
    assert "No predictions on the record yet." in text and "Brier" not in text
    assert "None open." in text and "None resolved yet." in text
    assert read_feed(client, FEED).entries == []


def test_the_page_is_reachable_as_the_site_s_own_address(client, site):
    assert reverse("predictions:record") == RECORD
    assert reverse("predictions:feed") == FEED


def test_filtered_by_author_and_tag_with_a_plain_form(client, site, rhea, sam):
    by_sam = client.get(RECORD, {"author": sam.slug})
    text = text_of(by_sam)

    assert "Predictions by Sam Skeptic" in text
    assert "2 predictions made: 1 resolved (0 came true, 1 did not), 0 voided, 1 open." in text
    assert "Brier score 0.360" in text and "worse than always saying 50%" in text
    assert "Turnout" not in text
    html = by_sam.content.decode()
    assert '<form class="record-filters" method="get"' in html and "<script" not in html
    assert f'<option value="{sam.slug}" selected>Sam Skeptic</option>' in html
    assert '<label for="record-author">' in html and '<label for="record-tag">' in html

    on_politics = text_of(client.get(RECORD, {"tag": "politics"}))
    assert "Predictions on Politics" in on_politics
    assert "5 predictions made" in on_politics and "merger" not in on_politics

    both = text_of(client.get(RECORD, {"author": sam.slug, "tag": "politics"}))
    assert "0 predictions made" not in both and "No predictions on the record here yet." in both

    everyone = text_of(client.get(RECORD, {"author": "", "tag": ""}))  # the form's "any"
    assert "7 predictions made" in everyone


@pytest.mark.parametrize(
    "query",
    [
        {"author": "nobody"},
        {"tag": "no-such-tag"},
        {"author": "rhea forecaster"},
        {"author": "x\x00y"},
        {"author": "é"},
        {"tag": "a" * 5000},
        {"open": "abc"},
        {"open": "0"},
        {"open": "99"},  # past the end of the list
        {"resolved": "-1"},
        {"resolved": "²"},
    ],
)
def test_bad_filter_values_are_no_page_never_an_error(client, site, query):
    assert client.get(RECORD, query).status_code == 404


def test_an_author_with_no_predictions_has_no_record_to_filter_by(client, site, make_staff):
    quiet = make_staff("author", name="Quiet Writer")

    assert client.get(RECORD, {"author": quiet.slug}).status_code == 404
    assert client.get(quiet.get_absolute_url()).status_code == 200
    assert "Track record" not in text_of(client.get(quiet.get_absolute_url()))


def test_a_tag_on_no_prediction_is_no_filter_either(client, site, make_tag):
    make_tag("Gardening")

    assert client.get(RECORD, {"tag": "gardening"}).status_code == 404


@pytest.mark.parametrize("withdrawal", ["unpublish", "trash", "delete"])
def test_a_withdrawn_post_s_predictions_stay_on_the_record_unlinked(
    client, rhea, publish, withdrawal
):
    kept = publish(rhea, block("Kept in public.", "80%"), title="Still up")
    gone = publish(rhea, block("From a post taken down.", "80%"), title="Taken down")
    resolve(actor=rhea, prediction=made("From a post taken down."), outcome="true")
    if withdrawal == "unpublish":
        services.unpublish(actor=rhea, post=Post.objects.get(pk=gone.pk))
    elif withdrawal == "trash":
        services.trash_post(actor=rhea, post=Post.objects.get(pk=gone.pk))
    else:
        Post.objects.filter(pk=gone.pk).delete()

    for url in (RECORD, RECORD + f"?author={rhea.slug}"):
        response = client.get(url)
        html, text = response.content.decode(), text_of(response)
        assert "2 predictions made: 1 resolved (1 came true, 0 did not)" in text
        line = html.split("From a post taken down.")[1].split("</li>")[0]
        assert "from a withdrawn post" in line and "Taken down" not in line
        assert "From a post taken down.</p>" in html  # the statement is not a link
        assert f'href="{gone.get_absolute_url()}' not in html
        assert f'<a href="{kept.get_absolute_url()}#prediction-1">Kept in public.</a>' in html


def test_a_prediction_taken_out_of_its_post_is_listed_without_its_card(client, rhea, publish):
    post = publish(rhea, block("Stays.") + "\n" + block("Taken out."))
    services.publish(
        actor=rhea, post=Post.objects.get(pk=post.pk), edit=Edit(fields={"body": block("Stays.")})
    )

    html = client.get(RECORD).content.decode()

    assert "Taken out.</p>" in html and "(since taken out of its text)" in html
    assert f'<a href="{post.get_absolute_url()}#prediction-1">Stays.</a>' in html


def test_the_lists_are_paged_and_each_keeps_the_other_s_page_and_the_filters(client, rhea, publish):
    publish(rhea, *(block(f"Open number {n}.", date=f"2031-01-{n + 1:02}") for n in range(21)))

    first = client.get(RECORD, {"author": rhea.slug}).content.decode()
    assert first.count("Open number") == 20 and "Open number 20." not in first
    assert f'href="?author={rhea.slug}&amp;open=2#open"' in first

    second = client.get(RECORD, {"author": rhea.slug, "open": "2"})
    assert "Open number 20." in second.content.decode()
    assert f'href="?author={rhea.slug}#open"' in second.content.decode()


def test_the_author_page_shows_the_track_record_and_links_to_the_full_one(client, site, rhea):
    response = client.get(rhea.get_absolute_url())
    text, html = text_of(response), response.content.decode()

    assert "Track record" in text
    assert "5 predictions made: 3 resolved (2 came true, 1 did not), 1 voided, 1 open." in text
    assert "Brier score 0.051 against a baseline of 0.25" in text
    assert 'role="img"' in html and '<th scope="row">80–90%</th>' in html
    assert f'href="/predictions/?author={rhea.slug}"' in html
    assert text.index("Track record") < text.index("Posts by Rhea Forecaster")


def test_an_author_with_only_open_predictions_has_counts_and_no_score_yet(client, rhea, publish):
    publish(rhea, block("Not known yet."))

    text = text_of(client.get(rhea.get_absolute_url()))
    html = client.get(rhea.get_absolute_url()).content.decode()

    assert "1 prediction made: 0 resolved (0 came true, 0 did not), 0 voided, 1 open." in text
    assert "No Brier score yet" in text and "<svg" not in html and "<table" not in html


def _queries(client, url: str) -> int:
    client.get(url)  # warm: the site's settings, templates
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _record_of(count: int, writer, publish) -> None:
    """`count` predictions over several posts and tags, resolved in every way, one post
    withdrawn: everything the pages look up."""
    for n in range(count):
        post = publish(
            writer, block(f"Claim {n}.", f"{5 + 11 * n}%"), title=f"Post {n}", tags=[f"Tag {n}"]
        )
        outcome = ["true", "false", "void", ""][n % 4]
        if outcome:
            prediction = Prediction.objects.get(post=post)
            resolve(actor=writer, prediction=prediction, outcome=outcome, note="Why.")
        if n == 1:
            services.unpublish(actor=writer, post=Post.objects.get(pk=post.pk))


@pytest.mark.parametrize(
    "page", ["record", "record by author", "record by tag", "author page", "feed", "feed by author"]
)
def test_the_pages_cost_the_same_queries_for_one_prediction_or_eight(
    client, make_staff, publish, page
):
    def queries(count: int) -> int:
        writer = make_staff("author", name=f"Writer of {count}")
        _record_of(count, writer, publish)
        url = {
            "record": RECORD,
            "record by author": f"{RECORD}?author={writer.slug}",
            "record by tag": f"{RECORD}?tag=tag-0",
            "author page": writer.get_absolute_url(),
            "feed": FEED,
            "feed by author": f"{FEED}?author={writer.slug}",
        }[page]
        return _queries(client, url)

    assert queries(1) == queries(8)


def test_the_author_page_s_queries_with_and_without_predictions(client, rhea, sam, publish):
    publish(rhea, *(block(f"Claim {n}.") for n in range(3)))
    services.publish(
        actor=sam,
        post=services.save_changes(
            actor=sam, post=Post(), edit=Edit(fields={"title": "Plain", "body": "No claims."})
        ),
    )

    # author, posts, their authors, their tags, and the record's one query
    assert _queries(client, rhea.get_absolute_url()) == 5
    assert _queries(client, sam.get_absolute_url()) == 5
    # later pages of posts carry no record
    for n in range(10):
        services.publish(
            actor=sam,
            post=services.save_changes(
                actor=sam, post=Post(), edit=Edit(fields={"title": f"P{n}", "body": "x"})
            ),
        )
    assert _queries(client, sam.get_absolute_url() + "page/2/") == 4


def read_feed(client, url: str) -> feedparser.FeedParserDict:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def test_the_feed_of_resolutions_is_atom_a_reader_can_read(client, site, rhea):
    feed = read_feed(client, FEED)

    assert feed.version == "atom10"
    assert feed.feed.title.startswith("Resolved predictions")
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 5  # the open two are not resolutions
    assert titles[0] == "Did not come true: The merger will close."  # newest first
    assert "Came true: Turnout will pass 60%." in titles
    turnout = next(e for e in feed.entries if e.title.startswith("Came true: Turnout"))
    assert turnout.link == "http://testserver" + made("Turnout will pass 60%.").get_absolute_url()
    assert turnout.summary == "Note on true."
    assert "80% likely" in turnout.content[0].value
    assert turnout.author == "Rhea Forecaster"
    assert turnout.updated_parsed is not None
    assert turnout.id.startswith("tag:testserver,") and turnout.id.endswith(
        f":prediction-{made('Turnout will pass 60%.').pk}"
    )
    assert len({entry.id for entry in feed.entries}) == 5


def test_the_feed_by_author_and_its_link_from_the_record_page(client, site, rhea, sam):
    feed = read_feed(client, f"{FEED}?author={sam.slug}")

    assert [entry.title for entry in feed.entries] == ["Did not come true: The merger will close."]
    assert "Sam Skeptic" in feed.feed.title
    assert feed.feed.link == f"http://testserver/predictions/?author={sam.slug}"
    assert any(
        link.rel == "self" and link.href.endswith(f"/predictions/feed/?author={sam.slug}")
        for link in feed.feed.links
    )
    page = client.get(RECORD, {"author": sam.slug}).content.decode()
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Resolved predictions (Atom)"'
        f' href="/predictions/feed/?author={sam.slug}">' in page
    )
    assert client.get(FEED, {"author": "nobody"}).status_code == 404


def test_a_corrected_resolution_is_the_same_entry_updated(client, site, rhea):
    before = read_feed(client, FEED)
    turnout = made("Turnout will pass 60%.")
    resolve(actor=rhea, prediction=turnout, outcome="false", note="Recounted.")

    after = read_feed(client, FEED)

    assert after.entries[0].title == "Did not come true: Turnout will pass 60%."
    assert after.entries[0].id in {entry.id for entry in before.entries}
    assert len(after.entries) == 5


def test_a_withdrawn_post_s_resolution_links_to_the_record_not_the_post(client, rhea, publish):
    post = publish(rhea, block("Withdrawn claim."))
    resolve(actor=rhea, prediction=made("Withdrawn claim."), outcome="true")
    services.trash_post(actor=rhea, post=Post.objects.get(pk=post.pk))

    entry = read_feed(client, FEED).entries[0]

    assert entry.link == "http://testserver/predictions/"
    assert "from a withdrawn post" in entry.content[0].value


def test_the_fast_path_keeps_a_page_per_author_and_tag(transactional_db, site, rhea, sam):
    app = FastPathApp(get_wsgi_application())
    call = caller(app)

    everyone = call(RECORD)
    by_sam = call(f"{RECORD}?author={sam.slug}&utm_source=x")
    assert call(f"{RECORD}?author=nobody").status_code == 404

    assert "7 predictions made" in everyone.text and "2 predictions made" in by_sam.text
    assert "7 predictions made" in call(RECORD).text  # not Sam's page, served for everyone's
    assert set(app.store._pages) == {
        f"http://testserver{RECORD}",
        f"http://testserver{RECORD}?author={sam.slug}",
    }
