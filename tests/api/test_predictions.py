"""A post's predictions in the APIs (Broadsheet's extension: Ghost has none): those in the
text, in its order, each as its card states it with its state now; their shape is the one
the OpenAPI description gives; one query for a page of posts, however many."""

import json

import jsonschema
import pytest

from broadsheet.api import ids, openapi
from broadsheet.content import services
from broadsheet.content.services import Edit
from broadsheet.predictions.models import Outcome, Prediction
from broadsheet.predictions.services import resolve
from tests.api.test_content_api import BROWSE_QUERIES, _site_of


def block(statement: str, probability: str = "15%", resolves: str = "2031-12-31", extra=""):
    fields = f"probability: {probability}\nresolves: {resolves}\n{extra}"
    return f"```prediction\n{statement}\n{fields}```\n"


def post_schema() -> dict:
    """The described Post, its references resolved within the description."""
    document = openapi.document()
    return {"$ref": "#/components/schemas/Post", "components": document["components"]}


@pytest.fixture
def forecasts(make_post, make_staff):
    """A post whose text holds, in order: one resolved, one open, one awaiting (its date
    has passed); a fourth taken out of the text after publication."""
    post = make_post(
        "Where the rates go",
        days_ago=3650,  # years ago: its past dates were forecasts then
        body="\n".join(
            [
                block("Rates will be cut by June.", "70%", "2025-06-30"),
                block(
                    "Inflation will be under 2%.",
                    "0.35",
                    "2031-12-31",
                    "criteria: The statistics office's December figure.\n"
                    "source: https://stats.example/cpi\n",
                ),
                block("The currency will fall.", "12.5%", "2020-01-31"),
                block("Rents will rise again.", "60%", "2030-01-01"),
            ]
        ),
    )
    editor = make_staff("editor")
    services.save_changes(
        actor=editor,
        post=post,
        edit=Edit(fields={"body": post.body.split("```prediction\nRents")[0]}),
    )
    cut = Prediction.objects.get(statement="Rates will be cut by June.")
    resolve(
        actor=editor,
        prediction=cut,
        outcome=Outcome.TRUE,
        note="Cut in May.",
        source="https://bank.example/may",
    )
    return post


def test_a_post_lists_the_predictions_in_its_text_in_order(content_get, forecasts):
    got = content_get(f"posts/slug/{forecasts.slug}/").json()["posts"][0]

    url = f"http://testserver{forecasts.get_absolute_url()}"
    cut, inflation, currency = got["predictions"]
    assert cut == {
        "number": 1,
        "url": f"{url}#prediction-1",
        "statement": "Rates will be cut by June.",
        "probability": 0.7,
        "first_probability": 0.7,
        "resolves_on": "2025-06-30",
        "criteria": None,
        "source": None,
        "state": "true",
        "outcome": "true",
        "resolved_at": cut["resolved_at"],
        "resolution_note": "Cut in May.",
        "resolution_source": "https://bank.example/may",
    }
    assert cut["resolved_at"].endswith("+00:00")
    assert (inflation["state"], inflation["outcome"], inflation["resolved_at"]) == (
        "open",
        None,
        None,
    )
    assert inflation["criteria"] == "The statistics office's December figure."
    assert inflation["source"] == "https://stats.example/cpi"
    assert (currency["probability"], currency["state"]) == (0.125, "awaiting")
    assert "Rents will rise again." not in json.dumps(got)  # out of the text, on the record
    jsonschema.validate(got, post_schema())


def test_a_post_without_predictions_has_none(content_get, post):
    got = content_get(f"posts/slug/{post.slug}/").json()["posts"][0]

    assert got["predictions"] == []
    jsonschema.validate(got, post_schema())


def test_a_broken_prediction_fails_the_described_shape(content_get, forecasts):
    got = content_get(f"posts/slug/{forecasts.slug}/").json()["posts"][0]
    got["predictions"][0]["probability"] = 1.5

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(got, post_schema())


def test_fields_can_ask_for_only_the_predictions(content_get, forecasts):
    got = content_get("posts/", fields="slug,predictions").json()["posts"][0]

    assert set(got) == {"slug", "predictions"} and len(got["predictions"]) == 3


def test_the_admin_api_shows_them_too(admin, forecasts):
    got = admin("get", f"posts/slug/{forecasts.slug}/").json()["posts"][0]

    assert [p["number"] for p in got["predictions"]] == [1, 2, 3]


@pytest.mark.parametrize("n", [3, 30])
def test_a_page_of_posts_reads_their_predictions_in_one_query(
    content_get, make_post, make_tag, make_author, django_assert_num_queries, n
):
    _site_of(make_post, make_tag, make_author, n)
    for i in range(n):
        make_post(body="\n".join(block(f"Forecast {i}.{k}", "40%") for k in range(1 + i % 3)))
    content_get("settings/")  # the site's settings, read once a process
    content_get("posts/", limit="2")  # the total, kept for the generation

    with django_assert_num_queries(BROWSE_QUERIES + 1):  # + the posts' predictions
        body = content_get("posts/", include="tags,authors").json()

    shown = {ids.decode(p["id"]): len(p["predictions"]) for p in body["posts"]}
    in_text = Prediction.objects.filter(post_id__in=shown, position__isnull=False)
    assert sum(shown.values()) == in_text.count() >= 6


def test_a_stored_answer_follows_a_resolution(fast, live_keys, make_post, make_staff):
    post = make_post(body=block("The bridge will reopen.", "80%", "2024-01-01"), days_ago=3650)
    path, query = f"/ghost/api/content/posts/slug/{post.slug}/", f"key={live_keys[1]}"
    assert json.loads(fast(path, query).body)["posts"][0]["predictions"][0]["state"] == "awaiting"

    resolve(
        actor=make_staff("editor"),
        prediction=Prediction.objects.get(),
        outcome=Outcome.FALSE,
        note="Still closed.",
    )

    [got] = json.loads(fast(path, query).body)["posts"][0]["predictions"]
    assert (got["state"], got["resolution_note"]) == ("false", "Still closed.")
