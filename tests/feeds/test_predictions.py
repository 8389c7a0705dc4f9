"""Predictions in the feeds: each card as plain HTML a feed reader shows, with where the
prediction stands now (open, awaiting, resolved, its history), its anchor an absolute link
to the card on the post's page; the same number of queries however many there are."""

import re

import pytest
from django.urls import reverse

from broadsheet.content.services import Edit, save_changes
from broadsheet.core.selectors import get_site_settings
from broadsheet.predictions.models import Outcome, Prediction
from broadsheet.predictions.services import resolve


def block(statement: str, probability: str, resolves: str) -> str:
    return f"```prediction\n{statement}\nprobability: {probability}\nresolves: {resolves}\n```\n"


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def forecast_post(publish, make_staff):
    """A post with three predictions: one resolved after its probability was raised, one
    open, one awaiting resolution (its date has passed)."""
    post = publish(
        "The harbour plan",
        days_ago=3650,  # years ago: its past dates were forecasts then
        body="\n".join(
            [
                block("The harbour will be dredged by spring.", "15%", "2025-04-30"),
                block("The ferry will run all winter.", "60%", "2031-03-31"),
                block("The council will approve the budget.", "80%", "2020-02-01"),
            ]
        ),
    )
    editor = make_staff("editor")
    save_changes(
        actor=editor, post=post, edit=Edit(fields={"body": post.body.replace("15%", "25%")})
    )
    resolve(
        actor=editor,
        prediction=Prediction.objects.get(number=1),
        outcome=Outcome.TRUE,
        note="Finished in March.",
    )
    return post


@pytest.mark.parametrize("name", ["rss", "atom"])
def test_each_card_reads_plainly_with_where_it_stands_now(read_feed, forecast_post, name):
    content = read_feed(reverse(f"feeds:{name}")).entries[0].content[0].value

    text = text_of(content)
    assert (
        "Prediction · Came true The harbour will be dredged by spring. 25% likely · resolves by "
        "Apr 30, 2025 Came true (resolved "
    ) in text
    assert ": Finished in March." in text and "Raised to 25% on " in text
    assert (
        "Prediction · Open The ferry will run all winter. 60% likely · resolves by Mar 31, 2031"
    ) in text
    assert "Prediction · Awaiting resolution The council will approve the budget." in text
    post_url = f"http://testserver{forecast_post.get_absolute_url()}"
    for number in (1, 2, 3):
        assert f'href="{post_url}#prediction-{number}"' in content
    assert 'href="#' not in content


def test_a_card_follows_its_prediction_once_resolved(read_feed, forecast_post, make_staff):
    resolve(
        actor=make_staff("editor"),
        prediction=Prediction.objects.get(number=3),
        outcome=Outcome.VOID,
        note="The vote was postponed.",
    )

    text = text_of(read_feed(reverse("feeds:atom")).entries[0].content[0].value)

    assert "Prediction · Voided The council will approve the budget." in text
    assert "Voided (resolved " in text and ": The vote was postponed." in text


# The posts, their authors and tags (as without predictions), the predictions in their
# texts and those predictions' histories.
QUERIES = 5


@pytest.mark.parametrize("posts", [2, 8])
@pytest.mark.parametrize("name", ["rss", "atom"])
def test_the_predictions_cost_two_queries_however_many(
    client, publish, make_staff, django_assert_num_queries, posts, name
):
    editor = make_staff("editor")
    for n in range(posts):
        publish(
            f"Post {n}",
            body="".join(block(f"Forecast {n}.{k}", "40%", "2031-01-01") for k in range(3)),
        )
    for prediction in Prediction.objects.all()[: posts * 2]:
        resolve(actor=editor, prediction=prediction, outcome=Outcome.FALSE)
    get_site_settings()  # warm, as on a live site

    with django_assert_num_queries(QUERIES):
        response = client.get(reverse(f"feeds:{name}"))

    cards = response.content.decode().count('class="prediction prediction-')
    resolved = response.content.decode().count('prediction-false"')
    assert (cards, resolved) == (posts * 3, posts * 2)
