"""An owner moves a WordPress blog in: uploads its export on the Import page, watches the
import finish, and finds the posts, the comment threads and the old addresses working."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from broadsheet.accounts.models import Role
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser
WXR = Path(__file__).parent.parent / "importers" / "fixtures" / "wordpress-6.xml"


def test_an_owner_brings_a_wordpress_blog_in(
    page: Page, base_url, transactional_db, make_staff, run_tasks
):
    sign_in(page.context, base_url, make_staff(Role.OWNER, "Olga Owner"))

    page.goto("/studio/import/")
    assert_accessible(page)
    page.get_by_label("Export file").set_input_files(WXR)
    page.get_by_role("button", name="Start the import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import of wordpress-6.xml")
    expect(page.get_by_text("Waiting for the background worker")).to_be_visible()
    assert_accessible(page)

    run_tasks()  # the worker `broadsheet serve` runs beside the site
    page.reload()
    expect(page.get_by_role("heading", name="What was imported")).to_be_visible()
    expect(page.get_by_role("row", name="Posts 7")).to_be_visible()
    assert_accessible(page)

    # A reader, signed out, follows an old WordPress link and finds the thread.
    page.context.clear_cookies()
    page.goto("/?p=11")
    assert "/posts/" in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Zażółć gęślą jaźń — “curly” quotes")
    # A reply to a reply sits inside the thread of the comment it answers.
    thread = page.locator("li.comment", has_text="Świetny tekst!").first
    expect(thread.locator("li.comment li.comment", has_text="ありがとう 🙏")).to_be_visible()
    expect(page.get_by_role("link", name="Tom & Jerry", exact=True)).to_have_attribute(
        "href", "https://tom.example.org"
    )
    expect(page.get_by_text("pawel@example.pl")).to_have_count(0)  # emails stay private
    assert_accessible(page)

    page.goto("/2022/05/02/classic/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Klasyczny wpis: Q&A")
    page.goto("/category/news/")
    assert "/tags/" in page.url
