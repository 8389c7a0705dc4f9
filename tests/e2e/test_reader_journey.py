"""A reader's journey through the site, in a real browser, with axe checking every page."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from broadsheet.comments.services import post_comment
from broadsheet.content.services import save_post

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db, make_post, make_author, make_tag):
    economics = make_tag("Economics")
    other = make_author("Bo Other", slug="bo")
    for n in range(3):
        make_post(f"Earlier thoughts {n}", days_ago=5 + n, author=other, tags=[economics])
    post = make_post(
        "The price of free parking",
        days_ago=2,
        tags=[economics],
        body="Parking is never free.\n\nSee the study (https://example.org/parking).",
    )
    post_comment(post=post, name="Grace", body="Good point.")
    post.body += "\n\nA late correction."
    save_post(post, now=post.published_at + datetime.timedelta(days=1))
    return post


def assert_accessible(page: Page) -> None:
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def count_of(page: Page, selector: str) -> int:
    return int(re.sub(r"\D", "", page.locator(selector).inner_text()))


def test_a_reader_follows_a_post_reads_it_and_comments(page: Page, live_server, site):
    from broadsheet.analytics.recorder import recorder

    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="The price of free parking").click()
    expect(page).to_have_url(re.compile(r"/posts/the-price-of-free-parking/$"))

    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))

    expect(page.get_by_role("heading", level=1)).to_have_text("The price of free parking")
    expect(page.locator(".byline img.avatar")).to_be_visible()
    expect(page.locator(".updated")).to_contain_text("Updated:")
    expect(page.locator(".updated time")).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
    expect(page.get_by_role("link", name="https://example.org/parking")).to_be_visible()
    expect(page.locator(".comment-count")).to_have_text("1 comment")
    expect(page.locator(".recent .card")).to_have_count(3)
    assert_accessible(page)

    views = count_of(page, ".views")
    recorder.flush_now()
    page.reload()
    assert count_of(page, ".views") == views + 1  # this reader's earlier view, now written

    page.get_by_role("textbox", name="Name").fill("Ada")
    page.get_by_role("textbox", name="Comment").fill("")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("alert").first).to_contain_text("Your comment was not posted")
    expect(page.get_by_role("textbox", name="Name")).to_have_value("Ada")  # nothing typed is lost
    assert_accessible(page)

    page.get_by_role("textbox", name="Comment").fill("I changed my mind <script>alert(1)</script>")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".comment-list")).to_contain_text(
        "I changed my mind <script>alert(1)</script>"
    )
    expect(page.locator(".comment-count")).to_have_text("2 comments")

    page.get_by_role("link", name=re.compile("See All")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest posts")

    page.get_by_role("link", name="Ada Writer").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Writer")
    assert_accessible(page)


@pytest.mark.parametrize("path", ["/tags/economics/", "/archive/", "/no-such-page/"])
def test_other_pages_are_accessible(page: Page, live_server, site, path):
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_reading_and_commenting_work_without_javascript(browser, live_server, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + site.get_absolute_url())

    page.get_by_role("textbox", name="Name").fill("No Script")
    page.get_by_role("textbox", name="Comment").fill("Works without JavaScript.")
    page.get_by_role("button", name="Post comment").click()

    expect(page.locator(".comment-list")).to_contain_text("Works without JavaScript.")
    context.close()


def test_dark_mode_is_accessible_too(browser, live_server, site):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(live_server.url + site.get_absolute_url())
    assert_accessible(page)
    context.close()
