"""Writers in the studio, in a real browser: restoring a revision, and a contributor's limits."""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from broadsheet.content.models import Post
from broadsheet.content.services import Edit, publish, save_changes
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def revised_post(transactional_db, make_staff) -> Post:
    """A published post whose author rewrote its second paragraph, for the worse."""
    author = make_staff("author", "Ana Author")
    post = publish(
        actor=author,
        post=Post(),
        edit=Edit(
            fields={"title": "On bridges", "body": "Bridges last.\n\nThe good version."},
            tag_names=[],
        ),
    )
    return save_changes(
        actor=author,
        post=post,
        edit=Edit(fields={"body": "Bridges last.\n\nThe worse version."}, tag_names=[]),
    )


def test_an_editor_restores_an_older_revision(
    page: Page, context: BrowserContext, base_url: str, revised_post, make_staff
):
    sign_in(context, base_url, make_staff("editor", "Eda Editor"))

    page.goto(reverse("studio:posts"))
    assert_accessible(page)
    page.get_by_role("link", name="On bridges").click()
    expect(page.get_by_label("Title", exact=True)).to_have_value("On bridges")
    assert_accessible(page)
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("row")).to_have_count(3)  # header + two saves
    assert_accessible(page)
    page.get_by_role("row").nth(2).get_by_role("link").click()  # the older save

    diff = page.locator(".diff")
    expect(diff.locator("del")).to_contain_text("The good version.")
    expect(diff.locator("ins")).to_contain_text("The worse version.")
    assert_accessible(page)
    page.get_by_role("button", name="Restore the older version").click()

    expect(page.get_by_role("status").first).to_contain_text("Restored the version of")
    expect(page.get_by_label("Text (Markdown)")).to_have_value(re.compile("The good version."))
    page.goto(revised_post.get_absolute_url())
    expect(page.locator(".post-body")).to_contain_text("The good version.")
    assert revised_post.revisions.count() == 3


def test_a_contributor_writes_with_a_live_preview_but_cannot_publish(
    page: Page, context: BrowserContext, base_url: str, make_staff
):
    contributor = make_staff("contributor", "Cy Contributor")
    sign_in(context, base_url, contributor)

    page.goto(reverse("studio:post_new"))
    expect(page.get_by_role("button", name="Publish now")).to_have_count(0)
    page.get_by_label("Title", exact=True).fill("Small print")
    page.get_by_label("Text (Markdown)").fill("Read the **small** print.")
    expect(page.locator("#preview strong")).to_have_text("small")  # the live preview
    expect(page.locator("#save-state")).to_contain_text("Saved at")  # autosaved
    expect(page).to_have_url(re.compile(r"/studio/posts/\d+/$"))
    assert_accessible(page)

    # The server refuses a forged "publish", whatever the page shows.
    post = Post.objects.get(title="Small print")
    forged = page.request.post(
        reverse("studio:post_edit", args=[post.pk]),
        form={
            "title": "Small print",
            "body": "x",
            "action": "publish",
            "csrfmiddlewaretoken": page.locator("[name=csrfmiddlewaretoken]").first.input_value(),
        },
        headers={"Referer": page.url},
    )
    assert forged.status == 403
    post.refresh_from_db()
    assert not post.is_published

    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_role("status").first).to_contain_text("Submitted for review")
    post.refresh_from_db()
    assert post.status == "review" and post.body == "Read the **small** print."


def test_closing_the_tab_keeps_what_was_typed(
    page: Page, context: BrowserContext, base_url: str, make_staff
):
    writer = make_staff("author", "Ty Typist")
    sign_in(context, base_url, writer)
    page.goto(reverse("studio:post_new"))
    page.get_by_label("Title", exact=True).fill("Draft one")
    expect(page.locator("#save-state")).to_contain_text("Saved at")

    page.get_by_label("Text (Markdown)").fill("The last words before the tab closed.")
    page.close(run_before_unload=True)  # before the next autosave would have run

    post = Post.objects.get(title="Draft one")
    for _ in range(50):  # the beacon arrives on its own time
        post.refresh_from_db()
        if post.body:
            break
        time.sleep(0.1)
    assert post.body == "The last words before the tab closed."


def test_every_studio_page_passes_axe(
    page: Page, context: BrowserContext, base_url: str, revised_post, make_staff
):
    from broadsheet.integrations import services as integrations
    from broadsheet.integrations.webhooks import queue_event
    from broadsheet.media.services import upload_image
    from tests.media.images import encode, marked, upload

    owner = make_staff("owner", "Olu Owner")
    upload_image(file=upload(encode(marked((900, 600)), "JPEG")), alt="A map", uploaded_by=owner)
    first = revised_post.revisions.order_by("created_at").first()
    integration, _ = integrations.create_integration(actor=owner, name="Static site")
    integrations.add_webhook(
        actor=owner,
        integration=integration,
        event="post.published",
        target_url="https://example.org/h",
    )
    queue_event("post.published", {"post": {"current": {}, "previous": {}}})  # one in the log
    urls = [
        reverse("studio:posts"),
        reverse("studio:post_new"),
        reverse("studio:post_history", args=[revised_post.pk]),
        reverse("studio:revision", args=[revised_post.pk, first.pk]),
        reverse("studio:post_preview", args=[revised_post.pk]),
        reverse("studio:tags"),
        reverse("studio:comments"),
        reverse("newsletter_studio:overview"),
        reverse("studio:pages"),
        reverse("studio:page_new"),
        reverse("studio:settings"),
        reverse("media:library"),
        reverse("media:upload"),
        reverse("staff:list"),
        reverse("analytics:overview"),
        reverse("accounts:security"),
        reverse("accounts:two_factor_setup"),
        reverse("accounts:password_change"),
        reverse("integrations:list"),
        reverse("integrations:detail", args=[integration.pk]),
        reverse("api_studio:reference"),
    ]
    for dark in (False, True):
        page.emulate_media(color_scheme="dark" if dark else "light")
        page.goto(reverse("accounts:login"))
        assert_accessible(page)
        for public in ("accounts:password_reset", "members:start", "newsletter:home"):
            page.goto(reverse(public))
            assert_accessible(page)
    sign_in(context, base_url, owner)
    for url in urls:
        page.goto(url)
        assert_accessible(page)
    page.emulate_media(color_scheme="dark")
    for url in urls[:3]:
        page.goto(url)
        assert_accessible(page)
