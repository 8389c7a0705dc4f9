"""The writer's whole journey in a real browser: invited by email, two-factor login, a post
with an image, previewed, scheduled, and public at its time. axe checks every page on the way."""

import datetime
import io
import re
import time

import pyotp
import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect

from broadsheet.content.models import Post
from tests.e2e.conftest import READER_UA, assert_accessible, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "a long and unusual passphrase"


def png_chart() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1400, 900), (30, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def other_browser(browser: Browser):
    """More people at their own browsers; closed after the test, so the live server's
    threads (and their database connections) end with it."""
    contexts: list[BrowserContext] = []

    def open_one(base_url: str) -> BrowserContext:
        contexts.append(browser.new_context(base_url=base_url, user_agent=READER_UA))
        return contexts[-1]

    yield open_one
    for context in contexts:
        context.close()


def test_a_new_author_joins_writes_and_schedules_a_post(
    page: Page,
    context: BrowserContext,
    other_browser,
    base_url: str,
    make_staff,
    smtp_inbox,
    transactional_db,
):
    # An owner invites a new author from the staff page.
    sign_in(context, base_url, make_staff("owner", "Olu Owner"))
    page.goto("/studio/staff/")
    assert_accessible(page)
    page.get_by_label("Email address").fill("nia@example.com")
    page.get_by_label("Role").last.select_option("author")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_role("status").first).to_contain_text("nia@example.com")

    # The invitation arrives by email (a real SMTP server) with a link that works once.
    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == "nia@example.com"
    link = re.search(r"https?://\S+/account/invitation/\S+/", smtp_inbox.text_of(message))[0]
    writer = other_browser(base_url).new_page()
    writer.goto(link)
    assert_accessible(writer)
    writer.get_by_label("Your name").fill("Nia Newcomer")
    writer.get_by_label("Choose a password").fill(PASSWORD)
    writer.get_by_label("The same password again").fill(PASSWORD)
    writer.get_by_role("button", name="Create my account").click()
    expect(writer).to_have_url(re.compile(r"/studio/posts/$"))

    # She turns on two-factor login with a real authenticator code.
    writer.get_by_role("link", name="Your account").click()
    writer.get_by_role("link", name="Set up two-factor login").click()
    assert_accessible(writer)
    totp = pyotp.TOTP(writer.locator(".qr ~ p code, code").first.inner_text().replace(" ", ""))
    writer.get_by_label("Six-digit code").fill(totp.now())
    writer.get_by_role("button", name="Turn on two-factor login").click()
    expect(writer.get_by_role("button", name="Turn off two-factor login")).to_be_visible()

    # Signing in again asks for the password, then a code (not the one just used).
    writer.get_by_role("button", name=re.compile("Log out")).click()
    writer.goto("/studio/")
    writer.get_by_label("Username or email").fill("nia@example.com")
    writer.get_by_label("Password").fill(PASSWORD)
    writer.get_by_role("button", name="Log in").click()
    expect(writer).to_have_url(re.compile(r"/account/login/code/"))
    assert_accessible(writer)
    writer.get_by_label("Six-digit code").fill(totp.at(time.time() + 30))
    writer.get_by_role("button", name="Log in").click()
    expect(writer.get_by_role("heading", name="Posts")).to_be_visible()

    # She writes a post with an image, inserted into the text by upload.
    writer.get_by_role("link", name="New post").click()
    writer.get_by_label("Title", exact=True).fill("Rents, charted")
    body = writer.get_by_label("Text (Markdown)")
    body.fill("Rents rose again this year.")
    writer.locator("#insert-image").set_input_files(
        files=[{"name": "chart.png", "mimeType": "image/png", "buffer": png_chart()}]
    )
    writer.get_by_label(re.compile("^Its alt text")).fill("Rents by year, rising")
    writer.get_by_role("button", name="Upload and insert").click()
    expect(body).to_have_value(re.compile(r"!\[Rents by year, rising\]\(/media/images/"))
    expect(writer.locator("#preview img")).to_have_attribute("alt", "Rents by year, rising")
    writer.get_by_label("Cover image", exact=True).select_option(label="Rents by year, rising")
    writer.get_by_label("Cover image alt text").fill("A rising line of rents")
    writer.get_by_role("button", name="Save", exact=True).click()
    expect(writer.get_by_role("status").first).to_contain_text("Saved.")
    assert_accessible(writer)

    # The preview shows the page as readers will see it, responsive image included.
    writer.get_by_role("link", name="Preview", exact=True).click()
    expect(writer.get_by_role("note")).to_contain_text("Preview")
    image = writer.locator(".post-body img")
    expect(image).to_have_attribute("srcset", re.compile(r"480w"))
    expect(image).to_have_attribute("loading", "lazy")
    expect(image).to_have_attribute("width", "1400")
    assert_accessible(writer)
    writer.go_back()

    # Scheduled a few seconds ahead, in the site's time zone.
    when = timezone.localtime() + datetime.timedelta(seconds=6)
    writer.get_by_label("Publish at").fill(when.strftime("%Y-%m-%dT%H:%M:%S"))
    writer.get_by_role("button", name="Schedule").click()
    expect(writer.get_by_role("status").first).to_contain_text("Scheduled.")
    post = Post.objects.get(title="Rents, charted")
    assert post.status == "scheduled"

    # Readers do not see it before its time, and do after, with no worker running.
    reader = other_browser(base_url).new_page()
    reader.goto("/")
    expect(reader.get_by_role("link", name="Rents, charted")).to_have_count(0)
    time.sleep(max(0, (post.published_at - timezone.now()).total_seconds()) + 0.5)
    reader.reload()
    reader.get_by_role("link", name="Rents, charted").click()
    expect(reader.locator(".post-body img")).to_have_attribute("alt", "Rents by year, rising")
    expect(reader.locator(".cover img")).to_have_attribute("alt", "A rising line of rents")

    # The worker catches up and marks it published.
    call_command("worker", batch=True, verbosity=0)
    post.refresh_from_db()
    assert post.status == "published"
