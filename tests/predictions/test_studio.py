"""The studio's Predictions pages: the three lists (whose predictions, in which order, in a
fixed number of queries), and resolving and correcting through the form."""

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from broadsheet.content import services as content
from broadsheet.content.models import Post
from broadsheet.predictions.models import Change, Outcome, Prediction
from broadsheet.predictions.selectors import WAITING_SHOWN
from broadsheet.predictions.services import LONGEST_NOTE, resolve
from tests.predictions.helpers import days_from_today, published
from tests.predictions.test_record import prediction

LIST = reverse("predictions_studio:list")


def resolve_url(made: Prediction) -> str:
    return reverse("predictions_studio:resolve", args=[made.pk])


@pytest.fixture
def writer(make_staff):
    return make_staff("author", name="Rhea Forecaster")


def sections(page: str) -> dict[str, str]:
    """The page's three lists by heading, each as its HTML."""
    parts = re.split(r'<h2 id="(\w+)-heading">', page)
    pairs = zip(parts[1::2], parts[2::2], strict=True)
    return {name: text.split("</section>")[0] for name, text in pairs}


def statements(section: str) -> list[str]:
    return re.findall(r'<p class="prediction-row-statement">([^<]*)</p>', section)


def test_the_three_lists_awaiting_first_then_open_then_resolved(writer, client):
    published(
        writer,
        prediction("Due long ago.", date=days_from_today(-30)),
        prediction("Due yesterday.", date=days_from_today(-1)),
        prediction("Due today.", date=days_from_today(0)),
        prediction("Due next year.", date=days_from_today(365)),
        prediction("Settled.", date=days_from_today(-5)),
    )
    resolve(
        actor=writer,
        prediction=Prediction.objects.get(statement="Settled."),
        outcome=Outcome.FALSE,
        note="It did not happen.",
    )
    client.force_login(writer)

    page = client.get(LIST).content.decode()

    lists = sections(page)
    assert list(lists) == ["awaiting", "open", "resolved"]
    assert statements(lists["awaiting"]) == ["Due long ago.", "Due yesterday."]
    assert statements(lists["open"]) == ["Due today.", "Due next year."]
    assert "Settled." in lists["resolved"] and "Did not come true" in lists["resolved"]
    assert "It did not happen." in lists["resolved"]
    made = Prediction.objects.get(statement="Due yesterday.")
    assert f'href="{made.get_absolute_url()}"' in lists["awaiting"]
    assert f'href="{resolve_url(made)}"' in lists["awaiting"]
    assert 'aria-current="page">Predictions</a>' in page


def test_writers_see_their_own_and_editors_everyone_s(writer, make_staff, client):
    other = make_staff("author", name="Otto Other")
    published(writer, prediction("Mine."))
    published(other, prediction("Theirs."))

    client.force_login(writer)
    own = client.get(LIST).content.decode()
    client.force_login(make_staff("editor"))
    everyone = client.get(LIST).content.decode()

    assert "Mine." in own and "Theirs." not in own
    assert "Mine." in everyone and "Theirs." in everyone and "Otto Other" in everyone


def test_a_withdrawn_post_is_named_not_linked(writer, client):
    post = published(writer, prediction("From a post gone."), title="An old piece")
    content.unpublish(actor=writer, post=Post.objects.get(pk=post.pk))
    client.force_login(writer)

    page = client.get(LIST).content.decode()
    Post.objects.filter(pk=post.pk).delete()
    after_delete = client.get(LIST).content.decode()

    for shown in (page, after_delete):
        assert "From a post gone." in shown and "An old piece (withdrawn post)" in shown
        assert post.get_absolute_url() not in shown


def test_the_list_s_queries_do_not_grow_with_the_predictions(writer, make_staff, client):
    editor = make_staff("editor")
    client.force_login(editor)

    def queries(count: int) -> int:
        for _ in range(count):
            author = make_staff("author")
            post = published(
                author,
                prediction("In the past.", date=days_from_today(-2)),
                prediction("In the future.", date=days_from_today(20)),
                prediction("Done with.", date=days_from_today(-3)),
            )
            done = post.predictions.get(statement="Done with.")
            resolve(actor=editor, prediction=done, outcome="true")
        client.get(LIST)  # warm: the site's settings and templates
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    assert queries(1) == queries(5)


def test_long_lists_are_capped_and_resolved_ones_paginated(writer, client):
    blocks = [
        prediction(f"Waiting {n}.", date=days_from_today(-1)) for n in range(WAITING_SHOWN + 1)
    ]
    published(writer, *blocks)
    client.force_login(writer)

    page = client.get(LIST).content.decode()

    assert len(statements(sections(page)["awaiting"])) == WAITING_SHOWN
    assert f"The {WAITING_SHOWN} whose date passed longest ago are shown" in page
    assert client.get(LIST, {"page": "2"}).status_code == 404  # no resolved page 2
    assert client.get(LIST, {"page": "nonsense"}).status_code == 200


def test_resolving_through_the_form_shows_on_the_card(writer, client):
    post = published(writer, prediction("It rains.", date=days_from_today(-1)))
    made = Prediction.objects.get()
    client.force_login(writer)

    form = client.get(resolve_url(made)).content.decode()
    assert "It rains." in form and "Awaiting resolution" in form
    assert 'type="radio" name="outcome" value="void"' in form
    assert "csrfmiddlewaretoken" in form

    response = client.post(
        resolve_url(made),
        {"outcome": "true", "note": "It poured.", "source": "https://weather.example/today"},
        follow=True,
    )

    assert "Resolved: “It rains.” came true." in response.content.decode()
    made.refresh_from_db()
    assert (made.outcome, made.resolution_note, made.resolved_by) == ("true", "It poured.", writer)
    assert made.resolution_source == "https://weather.example/today"
    card = Client().get(post.get_absolute_url()).content.decode()
    assert "Came true" in card and "It poured." in card


def test_a_correction_is_a_second_resolution_shown_in_the_history(writer, make_staff, client):
    post = published(writer, prediction("It rains.", date=days_from_today(-1)))
    made = Prediction.objects.get()
    resolve(actor=writer, prediction=made, outcome=Outcome.TRUE, note="It poured.")
    client.force_login(make_staff("editor"))

    form = client.get(resolve_url(made)).content.decode()
    assert "Correct a resolution" in form
    assert re.search(r'<input type="radio"[^>]* value="true"[^>]* checked', form)
    client.post(resolve_url(made), {"outcome": "void", "note": "The gauge was broken."})

    assert list(Change.objects.values_list("old", "new")) == [("", "true"), ("true", "void")]
    card = Client().get(post.get_absolute_url()).content.decode()
    assert "Voided" in card and "Resolution corrected: voided on" in card


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"note": "No choice made."}, "Choose how it came out."),
        ({"outcome": "maybe", "note": "A made-up one."}, "Choose how it came out."),
        ({"outcome": "true", "note": "Bad link.", "source": "not a link"}, "must be a web address"),
        ({"outcome": "true", "note": "x" * (LONGEST_NOTE + 1)}, f"at most {LONGEST_NOTE}"),
        ({"outcome": "true", "source": "javascript:alert(1)"}, "must be a web address"),
    ],
)
def test_bad_input_shows_the_form_again_with_a_message_and_what_was_typed(
    writer, client, data, message
):
    published(writer, prediction())
    made = Prediction.objects.get()
    client.force_login(writer)

    response = client.post(resolve_url(made), data)

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert message in page and "Nothing was saved yet" in page
    assert data.get("note", "")[:40] in page and data.get("source", "") in page  # kept
    assert Prediction.objects.get(pk=made.pk).outcome == Outcome.OPEN


def test_someone_else_s_prediction_is_refused_and_csrf_is_checked(writer, make_staff, client):
    published(writer, prediction())
    made = Prediction.objects.get()
    client.force_login(make_staff("author"))

    assert client.get(resolve_url(made)).status_code == 403
    assert client.post(resolve_url(made), {"outcome": "true"}).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(writer)
    assert strict.post(resolve_url(made), {"outcome": "true"}).status_code == 403
    assert client.get(reverse("predictions_studio:resolve", args=[made.pk + 99])).status_code == 404
    assert Prediction.objects.get(pk=made.pk).outcome == Outcome.OPEN


def test_readers_are_sent_to_sign_in(writer, client):
    published(writer, prediction())
    made = Prediction.objects.get()

    for url in (LIST, resolve_url(made)):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
