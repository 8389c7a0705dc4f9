"""A prediction's whole life in a real browser: an author writes it with the editor's
form, sees a malformed one refused, publishes; the date passes; an editor resolves it in
the studio; a reader sees the outcome on the post and the new score on the author's page.
axe checks every page on the way."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from broadsheet.predictions.models import Prediction
from tests.e2e.conftest import READER_UA, assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_an_author_predicts_an_editor_resolves_and_a_reader_sees_the_score(
    page: Page, browser: Browser, base_url: str, make_staff, transactional_db
):
    author = make_staff("author", "Rhea Forecaster")
    author.slug = "rhea"
    author.save()
    sign_in(page.context, base_url, author)

    # She writes a post and inserts a prediction with the editor's small form.
    page.goto("/studio/posts/new/")
    page.get_by_label("Title", exact=True).fill("Will the council price congestion?")
    body = page.get_by_label("Text (Markdown)")
    body.fill("The vote is close.\n\n")
    page.get_by_text("Add a prediction").click()
    page.get_by_label("What you expect to happen").fill("The council will adopt the charge.")
    page.get_by_label("How likely, in percent").fill("70")
    resolves = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    page.get_by_label("Resolves by").fill(resolves)
    page.get_by_role("button", name="Insert the prediction").click()
    expect(body).to_have_value(re.compile(r"```prediction\nThe council will adopt the charge\."))
    assert_accessible(page)

    # A malformed second block is refused, with its line, and the text is kept.
    typed = (
        body.input_value()
        + "\n```prediction\nIt will rain.\nprobability: lots\nresolves: 2040-01-01\n```\n"
    )
    body.fill(typed)
    page.get_by_role("button", name="Publish now").click()
    expect(
        page.get_by_text(re.compile(r"Prediction 2 \(line \d+\).*not a probability"))
    ).to_be_visible()
    expect(page.get_by_label("Text (Markdown)")).to_have_value(typed)

    # Without it, the post is published, and the card is on the page.
    page.get_by_label("Text (Markdown)").fill(typed.split("\n```prediction\nIt will rain.")[0])
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_role("status").first).to_contain_text("Published")
    made = Prediction.objects.get()
    assert made.first_probability == made.probability

    # The date passes.
    Prediction.objects.update(resolves_on=timezone.localdate() - datetime.timedelta(days=1))

    # An editor resolves it in the studio.
    editor_page = browser.new_context(base_url=base_url, user_agent=READER_UA).new_page()
    sign_in(editor_page.context, base_url, make_staff("editor", "Eda Editor"))
    editor_page.goto("/studio/predictions/")
    expect(
        editor_page.get_by_text("The council will adopt the charge.", exact=True)
    ).to_be_visible()
    assert_accessible(editor_page)
    editor_page.get_by_role("link", name=re.compile("^Resolve")).first.click()
    assert_accessible(editor_page)
    editor_page.get_by_label("Came true").check()
    editor_page.get_by_label("Note").fill("Adopted 7 votes to 4.")
    editor_page.get_by_role("button", name="Resolve").click()
    expect(editor_page.get_by_text("Came true").first).to_be_visible()
    editor_page.context.close()

    # A reader sees the outcome on the post and the score on the author's page.
    reader = browser.new_context(base_url=base_url, user_agent=READER_UA).new_page()
    reader.goto(made.get_absolute_url())
    card = reader.locator(f"#prediction-{made.number}")
    expect(card).to_contain_text("Came true")
    expect(card).to_contain_text("Adopted 7 votes to 4.")
    expect(card).to_contain_text("70% likely")
    assert_accessible(reader)
    reader.goto("/authors/rhea/")
    expect(reader.get_by_text("0.09").first).to_be_visible()  # (0.7 - 1)² = 0.09
    assert_accessible(reader)
    reader.goto("/predictions/")
    assert_accessible(reader)
    reader.context.close()
