"""A reader subscribes, confirms by email, receives a post an editor sends, and unsubscribes."""

import re

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker
from playwright.sync_api import Page, expect

from broadsheet.newsletter.models import Subscriber
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

CONFIRM = re.compile(r"https?://\S+/newsletter/confirm/\S+/")
UNSUBSCRIBE = re.compile(r"https?://\S+/newsletter/unsubscribe/\S+/")


def test_a_reader_gets_the_newsletter_and_leaves_it(
    page: Page, base_url, transactional_db, make_staff, make_post, smtp_inbox, monkeypatch
):
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    make_post("An older post", days_ago=5)
    post = make_post("Fresh news", body="The [archive](/archive/) has the rest.", days_ago=0.1)
    editor = make_staff("editor", "Eve Editor")

    # The reader subscribes on the newsletter page.
    page.goto("/newsletter/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Newsletter")
    assert_accessible(page)
    page.get_by_label("Get new posts by email").fill("reader@example.com")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    # The confirmation link arrives; opening it shows a button, pressing it confirms.
    confirm_url = CONFIRM.search(smtp_inbox.text_of(smtp_inbox.wait_for(1)[0]))[0]
    page.goto(confirm_url)
    assert_accessible(page)
    assert Subscriber.objects.get().status == "pending"
    page.get_by_role("button", name="Confirm subscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are subscribed")
    assert_accessible(page)
    assert Subscriber.objects.get().status == "active"

    # An editor sends the newest post from the studio.
    context = page.context
    sign_in(context, base_url, editor)
    page.goto("/studio/newsletter/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"Send to 1 subscriber\W+Fresh news")).click()
    assert_accessible(page)
    page.get_by_role("button", name="Send to 1 subscriber").click()
    expect(page.get_by_text("0 sent, 0 failed, of 1")).to_be_visible()
    assert_accessible(page)

    call_command("worker", batch=True, verbosity=0)
    page.reload()
    expect(page.get_by_text("1 sent, 0 failed, of 1")).to_be_visible()

    # The reader (signed out) receives it, follows the unsubscribe link and leaves with one click.
    message = smtp_inbox.wait_for(2)[1]
    assert message["Subject"] == "Fresh news"
    assert post.get_absolute_url() in smtp_inbox.text_of(message)
    context.clear_cookies()
    unsubscribe_url = UNSUBSCRIBE.search(smtp_inbox.text_of(message))[0]
    assert message["List-Unsubscribe"] == f"<{unsubscribe_url}>"
    page.goto(unsubscribe_url)
    assert_accessible(page)
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert_accessible(page)
    assert Subscriber.objects.get().status == "unsubscribed"


MEMBER_LINK = re.compile(r"https?://\S+/members/login/\S+/")


def test_a_reader_signs_up_by_email_then_leaves(page: Page, transactional_db, smtp_inbox):
    page.goto("/members/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("nina@example.com")
    page.get_by_label("Your name").fill("Nina Reader")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    assert_accessible(page)

    page.goto(MEMBER_LINK.search(smtp_inbox.text_of(smtp_inbox.wait_for(1)[0]))[0])
    assert_accessible(page)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page)

    page.get_by_role("button", name="Get new posts by email").click()
    expect(page.get_by_role("button", name="Stop the newsletter")).to_be_visible()
    assert Subscriber.objects.get(email="nina@example.com").status == "active"

    page.get_by_role("textbox", name="Name").fill("")
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Delete your account and its data").click()
    assert_accessible(page)
    page.get_by_role("button", name="Delete my account for good").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is deleted")
    assert not Subscriber.objects.exists()
