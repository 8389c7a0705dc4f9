"""The reader's site on a 360 px phone: nothing scrolls sideways, and the comment form lines
up. With script off, because reading needs none."""

import pytest
from django.db.models import Count, Q
from django.urls import reverse
from playwright.sync_api import Browser, Page

from broadsheet.content.models import Page as StandalonePage
from broadsheet.content.models import Post
from broadsheet.demo.loader import load_demo

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
# What sticks out past the right edge of the screen, to say so when the page is too wide.
WIDER_THAN_SCREEN = """() => [...document.querySelectorAll("body *")]
    .filter(element => element.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5).map(element => element.outerHTML.slice(0, 100))"""


@pytest.fixture
def demo_post(transactional_db) -> Post:
    """The demo site; its post with the most comments."""
    load_demo()
    return (
        Post.objects.published()
        .annotate(n=Count("comments", filter=Q(comments__status="approved")))
        .order_by("-n", "pk")
        .first()
    )


@pytest.fixture
def phone(browser: Browser, browser_context_args):
    context = browser.new_context(**browser_context_args, viewport=PHONE, java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_no_reader_page_scrolls_sideways_on_a_phone(phone: Page, live_server, demo_post):
    month = demo_post.published_at
    pages = [
        reverse("content:home"),
        demo_post.get_absolute_url(),
        demo_post.tags.first().get_absolute_url(),
        demo_post.author.get_absolute_url(),
        reverse("content:archive"),
        reverse("search:results") + "?q=the+city",
        reverse("predictions:record"),  # the chart, the table and the lists
        reverse("content:archive_month", args=[month.year, month.month]),
        StandalonePage.objects.first().get_absolute_url(),
        reverse("newsletter:home"),
        reverse("members:start"),
        "/no-such-page/",
        reverse("accounts:login"),
    ]
    for path in pages:
        phone.goto(live_server.url + path)
        scroll_width, screen_width = phone.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert screen_width == PHONE["width"]
        assert scroll_width <= screen_width, (path, phone.evaluate(WIDER_THAN_SCREEN))


def test_the_comment_form_lines_up_on_a_phone(phone: Page, live_server, demo_post):
    phone.goto(live_server.url + demo_post.get_absolute_url())
    form = phone.locator("form.comment-form")

    # The reply checkbox is on its label's line, just before it.
    checkbox = form.get_by_role("checkbox", name="Email me when someone replies").bounding_box()
    label = form.locator("label", has_text="Email me when someone replies").bounding_box()
    assert checkbox["x"] + checkbox["width"] <= label["x"] <= checkbox["x"] + checkbox["width"] + 24
    middle = checkbox["y"] + checkbox["height"] / 2
    assert label["y"] <= middle <= label["y"] + label["height"]
    assert abs(middle - (label["y"] + label["height"] / 2)) <= 2

    # One-line fields are one height, whatever their type (text, email).
    fields = phone.locator("main input:visible:not([type=checkbox]):not([type=hidden])")
    heights = {
        field.get_attribute("name"): field.bounding_box()["height"] for field in fields.all()
    }
    assert {"name", "email"} <= heights.keys(), heights
    assert len(set(heights.values())) == 1, heights
