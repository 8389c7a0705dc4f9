"""Predictions on the record: made when their post is published, locked from then on
(changes kept as history), never lost with the post, refused when unreadable, resolved
only by those allowed, and shown on the post page as cards."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.content import services
from broadsheet.content.models import Post
from broadsheet.content.services import Edit
from broadsheet.predictions.models import Change, Outcome, Prediction
from broadsheet.predictions.services import resolve


def prediction(
    statement: str = "Turnout will pass 60%.", probability: str = "15%", date: str = "2031-12-31"
) -> str:
    return f"```prediction\n{statement}\nprobability: {probability}\nresolves: {date}\n```\n"


@pytest.fixture
def writer(make_staff):
    return make_staff("author", name="Rhea Forecaster")


def draft(writer, body: str) -> Post:
    return services.save_changes(
        actor=writer, post=Post(), edit=Edit(fields={"title": "What comes next", "body": body})
    )


def publish(writer, post: Post, body: str | None = None) -> Post:
    edit = Edit(fields={"body": body}) if body is not None else None
    return services.publish(actor=writer, post=Post.objects.get(pk=post.pk), edit=edit)


def test_a_draft_s_blocks_are_only_text_until_it_is_published(writer):
    post = draft(writer, "Intro.\n\n" + prediction())

    assert not Prediction.objects.exists()

    publish(writer, post)

    made = Prediction.objects.get()
    assert (made.post, made.author, made.number, made.position) == (post, writer, 1, 1)
    assert made.statement == "Turnout will pass 60%."
    assert made.probability == made.first_probability == Decimal("0.15")
    assert made.resolves_on == datetime.date(2031, 12, 31)
    assert made.post_title == "What comes next"


@pytest.mark.parametrize("action", ["publish", "schedule"])
def test_a_block_that_cannot_be_read_stops_publication_and_nothing_is_written(writer, action):
    post = draft(writer, "Intro.\n\n" + prediction(probability="150%"))
    later = timezone.now() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as refused:
        if action == "publish":
            publish(writer, post)
        else:
            services.schedule(actor=writer, post=post, publish_at=later)

    assert "Prediction 1 (line 3)" in refused.value.message_dict["body"][0]
    assert Post.objects.get(pk=post.pk).status == Post.Status.DRAFT
    assert not Prediction.objects.exists()


def test_a_published_post_cannot_be_saved_with_an_unreadable_block(writer):
    post = publish(writer, draft(writer, prediction()))

    with pytest.raises(ValidationError):
        services.save_changes(
            actor=writer, post=post, edit=Edit(fields={"body": prediction(date="soon")})
        )

    assert Post.objects.get(pk=post.pk).body == prediction()
    assert Prediction.objects.get().resolves_on == datetime.date(2031, 12, 31)


def test_a_changed_probability_is_an_update_and_the_first_one_is_scored(writer):
    post = publish(writer, draft(writer, prediction()))

    publish(writer, post, prediction(probability="30%"))

    kept = Prediction.objects.get()
    assert kept.probability == Decimal("0.30")
    assert kept.first_probability == Decimal("0.15")
    change = Change.objects.get()
    assert (change.field, change.old, change.new) == ("probability", "0.15", "0.3")


def test_a_new_block_above_gets_the_next_number_and_the_old_keeps_its_anchor(writer):
    post = publish(writer, draft(writer, prediction("First.")))

    publish(writer, post, prediction("Second.") + "\n" + prediction("First."))

    numbers = dict(Prediction.objects.values_list("statement", "number"))
    positions = dict(Prediction.objects.values_list("statement", "position"))
    assert numbers == {"First.": 1, "Second.": 2}
    assert positions == {"First.": 2, "Second.": 1}
    assert not Change.objects.exists()


def test_an_edited_statement_is_kept_in_the_history(writer):
    post = publish(writer, draft(writer, prediction("Turnout will pass 60%.")))

    publish(writer, post, prediction("Turnout will pass 65%."))

    change = Change.objects.get()
    assert (change.field, change.old, change.new) == (
        "statement",
        "Turnout will pass 60%.",
        "Turnout will pass 65%.",
    )


def test_a_block_taken_out_and_a_withdrawn_post_leave_the_record_as_it_was(writer, make_staff):
    post = publish(writer, draft(writer, prediction("Kept.") + "\n" + prediction("Dropped.")))

    publish(writer, post, prediction("Kept."))
    assert Prediction.objects.get(statement="Dropped.").position is None

    services.unpublish(actor=writer, post=Post.objects.get(pk=post.pk))
    services.trash_post(actor=writer, post=Post.objects.get(pk=post.pk))
    assert Prediction.objects.count() == 2

    Post.objects.filter(pk=post.pk).delete()
    assert list(Prediction.objects.values_list("post", "post_title")) == [
        (None, "What comes next"),
        (None, "What comes next"),
    ]


def test_who_may_resolve(writer, make_staff):
    post = publish(writer, draft(writer, prediction()))
    made = Prediction.objects.get()
    other_author, contributor = make_staff("author"), make_staff("contributor")

    for outsider in (other_author, contributor):
        with pytest.raises(PermissionDenied):
            resolve(actor=outsider, prediction=made, outcome=Outcome.TRUE)

    resolve(actor=writer, prediction=made, outcome=Outcome.TRUE, note="It did.")
    editor = make_staff("editor")
    resolve(actor=editor, prediction=made, outcome=Outcome.FALSE, note="Recount.")

    made.refresh_from_db()
    assert (made.outcome, made.resolution_note, made.resolved_by) == ("false", "Recount.", editor)
    assert list(Change.objects.filter(field="outcome").values_list("old", "new", "by", "note")) == [
        ("", "true", writer.pk, "It did."),
        ("true", "false", editor.pk, "Recount."),
    ]
    assert post.pk


def test_an_outcome_must_be_one_of_the_three(writer):
    publish(writer, draft(writer, prediction()))

    with pytest.raises(ValidationError):
        resolve(actor=writer, prediction=Prediction.objects.get(), outcome="maybe")


def test_the_post_page_shows_each_card_with_its_state_and_history(writer, client):
    post = publish(writer, draft(writer, "Intro.\n\n" + prediction() + "\n" + prediction("Two.")))
    publish(writer, post, "Intro.\n\n" + prediction(probability="30%") + "\n" + prediction("Two."))
    resolve(actor=writer, prediction=Prediction.objects.get(statement="Two."), outcome="void")

    page = client.get(post.get_absolute_url()).content.decode()

    assert 'id="prediction-1"' in page and 'id="prediction-2"' in page
    assert "30% likely" in page
    assert "Raised to 30% on" in page
    assert "Dec 31, 2031" in page
    assert "Open" in page and "Voided" in page


def test_a_prediction_whose_date_has_passed_awaits_resolution(writer, client):
    post = publish(writer, draft(writer, prediction()))
    Prediction.objects.update(resolves_on=timezone.localdate() - datetime.timedelta(days=1))

    page = client.get(post.get_absolute_url()).content.decode()

    assert "Awaiting resolution" in page


def test_a_prediction_about_a_date_already_past_is_no_forecast(writer):
    post = draft(writer, prediction(date="2020-01-31"))

    with pytest.raises(ValidationError, match="resolves before the post is published"):
        publish(writer, post)

    assert not Prediction.objects.exists()


def test_a_prediction_on_the_record_may_pass_its_date_and_the_post_still_be_edited(writer):
    post = publish(writer, draft(writer, prediction(date="2031-12-31")))
    Post.objects.filter(pk=post.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=4000)
    )
    Prediction.objects.update(resolves_on=datetime.date(2020, 1, 31))

    publish(writer, post, "A new first line.\n\n" + prediction(date="2020-01-31"))

    assert Prediction.objects.get().position == 1


def test_a_writer_cannot_forge_a_card(writer, client):
    forged = '<figure class="prediction" id="prediction-1" data-prediction="1">fake</figure>'
    post = publish(writer, draft(writer, prediction() + "\n" + forged))

    assert post.body_html.count('data-prediction="') == 1


def test_the_post_page_s_queries_do_not_grow_with_its_predictions(writer, client):
    def queries(count: int) -> int:
        body = "\n".join(prediction(f"Statement {n}.") for n in range(count))
        post = publish(writer, draft(writer, body))
        for made in Prediction.objects.filter(post=post):
            resolve(actor=writer, prediction=made, outcome="true")
        client.get(post.get_absolute_url())  # warm: the site's settings and templates
        with CaptureQueriesContext(connection) as captured:
            assert client.get(post.get_absolute_url()).status_code == 200
        return len(captured)

    assert queries(1) == queries(6)


def test_a_new_post_refused_for_its_block_comes_back_to_the_editor_unsaved(writer, client):
    # Its row was written, then the check inside the transaction refused it: the editor
    # must show the form again (with the text), not look for a row the rollback took.
    client.force_login(writer)
    body = prediction(probability="lots")

    response = client.post(
        "/studio/posts/new/", {"title": "A forecast", "body": body, "action": "publish"}
    )

    assert response.status_code == 400
    assert "Prediction 1 (line 1)" in response.content.decode()
    assert body.strip() in response.content.decode()
    assert not Post.objects.exists()


def test_a_block_added_after_one_was_taken_out_is_a_new_prediction(writer):
    post = publish(writer, draft(writer, prediction("Taken out later.", probability="80%")))
    publish(writer, post, "No forecast for now.")

    publish(writer, post, prediction("Something else entirely.", probability="20%"))

    old, new = Prediction.objects.order_by("number")
    assert (old.statement, old.position, old.first_probability) == (
        "Taken out later.",
        None,
        Decimal("0.8"),
    )
    assert (new.number, new.position, new.first_probability) == (2, 1, Decimal("0.2"))
    assert not Change.objects.exists()
