"""A reader's journey through the site in a real browser, with axe checking each kind of page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from broadsheet.comments.services import post_comment
from broadsheet.content.services import save_post
from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.browser

TITLE = "The price of free parking"


@pytest.fixture
def site(transactional_db, make_post, make_author, make_tag):
    """Five published posts by two people, one edited after publication, one comment."""
    economics, cities = make_tag("Economics"), make_tag("Cities")
    bo = make_author("Bo Other", slug="bo")
    make_post("Rent control, revisited", days_ago=9, author=bo, tags=[economics])
    make_post("Bus lanes pay for themselves", days_ago=8, author=bo, tags=[cities])
    make_post("What a pothole costs", days_ago=7, tags=[cities])
    post = make_post(
        TITLE,
        days_ago=3,
        tags=[economics, cities],
        body="Parking is never free.\n\nSee [the study](https://example.org/parking).",
    )
    make_post("Why trams came back", days_ago=1, author=bo, tags=[cities])
    post_comment(post=post, name="Grace", body="Someone always pays for it.", approved=True)
    post.body += "\n\nA correction: the study covers 2019 to 2023."
    return save_post(post, now=post.published_at + datetime.timedelta(days=2))


def number_in(page: Page, selector: str) -> int:
    return int(re.fullmatch(r"([\d,]+) \w+", page.locator(selector).inner_text())[1])


def test_a_reader_reads_a_post_and_joins_the_conversation(page: Page, site, flush_views):
    # The home page lists every post; the reader picks one.
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest posts")
    expect(page.locator("article.entry")).to_have_count(5)
    assert_accessible(page)
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/posts/{site.slug}/$"))

    # The first Tab reaches the skip link, which takes focus and the view to the content.
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to content")
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("#main")).to_be_focused()
    assert page.evaluate("document.getElementById('main').getBoundingClientRect().top") <= 1

    # Who wrote it, what it is called, when it changed.
    byline = page.locator("article.post header .byline")
    expect(byline).to_have_text("Ada Writer")
    expect(byline).to_have_attribute("href", "/authors/ada/")
    avatar = byline.locator("img.avatar")
    expect(avatar).to_be_visible()
    assert avatar.evaluate("img => img.complete && img.naturalWidth > 0"), "avatar did not load"
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    updated = page.locator(".dates .updated")
    expect(updated).to_have_text(re.compile(r"^Updated: \w{3} \d{1,2}, \d{4}$"))
    expect(updated.locator("time")).to_have_attribute(
        "datetime", timezone.localtime(site.updated_at).isoformat()
    )

    # The text, its link, the numbers, the conversation so far.
    body = page.locator(".post-body")
    expect(body).to_contain_text("Parking is never free.")
    expect(body).to_contain_text("A correction: the study covers 2019 to 2023.")
    expect(body.get_by_role("link", name="the study")).to_have_attribute(
        "href", "https://example.org/parking"
    )
    expect(page.locator(".post-stats .views")).to_have_text("0 views")  # nothing written yet
    expect(page.locator(".post-stats .comment-count")).to_have_text("1 comment")
    expect(page.locator(".comment-list .comment")).to_have_count(1)
    expect(page.locator(".comment-list")).to_contain_text("Grace")
    expect(page.locator(".comment-list")).to_contain_text("Someone always pays for it.")

    # Three other recent posts, newest first, and a way to all of them.
    recent = page.get_by_role("complementary", name="Recent Posts")
    expect(recent.get_by_role("heading", level=2)).to_have_text("Recent Posts")
    expect(recent.locator(".card")).to_have_count(3)
    expect(recent.locator(".card h3")).to_have_text(
        ["Why trams came back", "What a pothole costs", "Bus lanes pay for themselves"]
    )
    see_all = recent.get_by_role("link", name="See All posts")
    expect(see_all).to_have_attribute("href", "/")
    assert_accessible(page)
    page.emulate_media(color_scheme="dark")
    assert_accessible(page)  # the dark palette has enough contrast too
    page.emulate_media(color_scheme="light")

    # Each reload is one more view (written as the server's flush thread would).
    for _ in range(2):
        before = number_in(page, ".post-stats .views")
        flush_views()
        page.reload()
        assert number_in(page, ".post-stats .views") == before + 1

    # An empty comment is refused, saying why, and keeps what was typed.
    form = page.locator("form.comment-form")
    form.get_by_label("Name", exact=True).fill("Ada Reader")
    with page.expect_response(lambda r: r.request.method == "POST") as refused:
        form.get_by_role("button", name="Post comment").click()
    assert refused.value.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Your comment was not posted")
    comment_box = form.get_by_label("Comment", exact=True)
    expect(comment_box).to_have_attribute("aria-invalid", "true")
    expect(comment_box).to_have_accessible_description("Please write something before posting.")
    expect(form.get_by_label("Name", exact=True)).to_have_value("Ada Reader")
    expect(page.locator(".post-stats .comment-count")).to_have_text("1 comment")
    assert_accessible(page)

    # A real comment appears at once, and the count follows.
    comment_box.fill("Parking minimums are the real subsidy.")
    page.wait_for_timeout(3100)  # a person takes a moment; software that posts at once is spam
    form.get_by_role("button", name="Post comment").click()
    expect(page).to_have_url(re.compile(rf"/posts/{site.slug}/#comment-\d+$"))
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.locator(".comment-list .comment")).to_have_count(2)
    new_comment = page.locator(".comment-list .comment").last
    expect(new_comment).to_contain_text("Ada Reader")
    expect(new_comment).to_contain_text("Parking minimums are the real subsidy.")
    expect(page.locator(".post-stats .comment-count")).to_have_text("2 comments")

    # "See All" leads to the full list.
    page.get_by_role("link", name="See All posts").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Latest posts")
    expect(page.locator("article.entry h2")).to_have_count(5)

    # Back on the post, the byline leads to the author's page ...
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.locator("article.post header .byline").click()
    expect(page).to_have_url(re.compile(r"/authors/ada/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ada Writer")
    expect(page.locator("article.entry")).to_have_count(2)  # only Ada's posts
    assert_accessible(page)

    # ... a tag there to everything tagged with it ...
    page.locator("article.entry").first.get_by_role("link", name="Economics").click()
    expect(page).to_have_url(re.compile(r"/tags/economics/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Posts tagged “Economics”")
    expect(page.locator("article.entry")).to_have_count(2)
    assert_accessible(page)

    # ... and the site navigation to the archive.
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Archive").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Archive")
    expect(page.locator(".archive li").first).to_be_visible()
    assert_accessible(page)

    # A mistyped address gets a helpful, accessible 404.
    response = page.goto("/posts/no-such-post/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("That page isn’t here")
    assert_accessible(page)


def test_without_javascript_a_reader_can_still_read_and_comment(
    browser, browser_context_args, site
):
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.get_absolute_url())
        expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
        expect(page.locator(".post-stats .comment-count")).to_have_text("1 comment")

        page.get_by_label("Name", exact=True).fill("No Script")
        page.get_by_label("Comment", exact=True).fill("Works without JavaScript.")
        page.get_by_role("button", name="Post comment").click()

        expect(page).to_have_url(re.compile(r"#comment-\d+$"))
        expect(page.locator(".comment-list .comment").last).to_contain_text(
            "Works without JavaScript."
        )
        expect(page.locator(".post-stats .comment-count")).to_have_text("2 comments")
    finally:
        context.close()
