"""A reader searches from the header box, without script, and lands on the passage."""

import re

import pytest
from playwright.sync_api import Page, expect

from broadsheet.content.models import Post
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.fixture
def site(transactional_db, make_post, make_tag):
    cities = make_tag("Cities")
    make_post("Bus lanes pay for themselves", body="Buses carry more people per lane.")
    make_post(
        "Congestion pricing, five years on",
        body="Opening remarks. " * 60
        + "The charge cut traffic by a fifth within a year.\n\n"
        + "Closing remarks. " * 60,
        tags=[cities],
    )
    make_post("Draft on tolls", body="Unreleased toll findings.", status=Post.Status.DRAFT)


def test_a_reader_finds_a_passage_from_the_header(page: Page, site):
    page.goto("/")
    header_box = page.get_by_role("search", name="Site").get_by_role("searchbox", name="Search")
    header_box.fill("traffic fifth")
    header_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=traffic\+fifth$"))
    expect(page.get_by_role("status")).to_contain_text("1 result")
    results = page.get_by_role("list").filter(has=page.locator("article"))
    expect(results.get_by_role("listitem")).to_have_count(1)
    expect(results.locator("mark")).to_have_text(["traffic", "fifth"])
    assert_accessible(page)

    results.get_by_role("link", name="Congestion pricing, five years on").click()
    expect(page).to_have_url(re.compile(r"/posts/congestion-pricing-five-years-on/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Congestion pricing, five years on")

    # A misspelt word still finds it; a draft's words find nothing.
    page.goto("/search/?q=congestoin")
    expect(page.get_by_role("status")).to_contain_text("Showing results for “congestion”")
    assert_accessible(page)
    page.goto("/search/?q=unreleased+toll")
    expect(page.get_by_role("status")).to_contain_text("Nothing matches")
    assert_accessible(page)


def test_the_search_works_without_script(browser, browser_context_args, live_server, site):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/search/")
    page.get_by_role("searchbox", name="Words to find").fill("buses")
    page.get_by_role("combobox", name="tagged").select_option("cities")
    page.get_by_role("button", name="Search").last.click()
    expect(page.get_by_role("status")).to_contain_text("Nothing matches “buses” with these filters")
    context.close()
