"""Readers' conversation in a real browser: a reply, moderation, and a corpus of known XSS
payloads in every field, none of which may run."""

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from broadsheet.comments.models import Comment
from broadsheet.comments.services import post_comment
from broadsheet.content.models import Post
from broadsheet.content.services import save_post
from broadsheet.core.models import SiteSettings
from broadsheet.core.services import save_site_settings
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

XSS_PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '![x](x" onerror="alert(1))',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<style>*{background:url('javascript:alert(1)')}</style>",
    "<input autofocus onfocus=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "`<script>alert(1)</script>`",
    "> <img src=x onerror=alert(1)>",
]


# What the sanitizer must never let through, found in the live DOM (not in escaped text).
UNSAFE_ELEMENTS = """() => [...document.querySelectorAll("*")].filter(element =>
    [...element.attributes].some(a => a.name.startsWith("on") || (
        ["href", "src", "action", "data"].includes(a.name)
        && /^\\s*(javascript|data):/i.test(a.value)))
    || element.matches("script:not([src]):not([type='application/ld+json']), iframe, object, embed")
).map(element => element.outerHTML.slice(0, 120))"""


@pytest.fixture
def post(transactional_db, make_post) -> Post:
    return make_post("The arithmetic of bridges", body="Bridges last a long time.")


def test_a_reader_replies_to_a_comment(page: Page, post):
    first = post_comment(post=post, name="Ann", body="They do, if maintained.", approved=True)

    page.goto(post.get_absolute_url())
    page.get_by_role("link", name="Reply to Ann").click()
    expect(page.get_by_role("heading", name="Reply to Ann")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Bo")
    page.get_by_label("Comment", exact=True).fill("Maintenance is the whole *story*.")
    page.wait_for_timeout(3100)  # people take a moment; software posting at once is spam
    page.get_by_role("button", name="Post reply").click()

    reply = page.locator(f"#comment-{first.pk} .comment-replies .comment")
    expect(reply).to_contain_text("Maintenance is the whole story.")
    expect(reply.locator("em")).to_have_text("story")
    expect(page.get_by_role("status")).to_contain_text("change or withdraw it")
    assert_accessible(page)
    assert Comment.objects.get(name="Bo").parent == first


def test_a_held_comment_is_approved_in_the_studio_and_appears(
    page: Page, context: BrowserContext, browser, base_url, post, make_staff
):
    save_site_settings(SiteSettings(comment_policy="hold_all"))
    reader = browser.new_context(base_url=base_url).new_page()
    reader.goto(post.get_absolute_url())
    reader.get_by_label("Name", exact=True).fill("Cy")
    reader.get_by_label("Comment", exact=True).fill("Held for a while, I expect.")
    reader.wait_for_timeout(3100)
    reader.get_by_role("button", name="Post comment").click()
    expect(reader.get_by_role("status")).to_contain_text("once a moderator approves it")
    expect(reader.locator(".comment-list")).to_have_count(0)

    sign_in(context, base_url, make_staff("editor", "Eda Editor"))
    page.goto(reverse("studio:comments"))
    assert_accessible(page)
    expect(page.locator(".moderation")).to_contain_text("Held for a while, I expect.")
    page.get_by_role("button", name="Approve the comment by Cy").click()
    expect(page.get_by_role("status").first).to_contain_text("approved")

    reader.reload()
    expect(reader.locator(".comment-list")).to_contain_text("Held for a while, I expect.")
    reader.context.close()


def test_no_xss_payload_runs_anywhere(
    page: Page, context: BrowserContext, base_url, post, make_staff
):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    author = make_staff("author", "<img src=x onerror=alert(1)>")
    evil = save_post(
        Post(
            title="<script>alert(1)</script> title",
            body="\n\n".join(XSS_PAYLOADS),
            custom_excerpt="<img src=x onerror=alert(1)>",
            author=author,
            status="published",
        )
    )
    for payload in XSS_PAYLOADS:
        post_comment(post=post, name=payload[:100], body=payload, approved=True)
        post_comment(post=evil, name=payload[:100], body=payload, approved=True)

    urls = [post.get_absolute_url(), evil.get_absolute_url(), "/", author.get_absolute_url()]
    # A reader's own submission through the form, too.
    page.goto(post.get_absolute_url())
    page.get_by_label("Name", exact=True).fill(XSS_PAYLOADS[1][:100])
    page.get_by_label("Comment", exact=True).fill("\n".join(XSS_PAYLOADS))
    page.get_by_role("button", name="Post comment").click()
    sign_in(context, base_url, make_staff("editor"))
    urls += [reverse("studio:comments") + f"?status={status}" for status in ("approved", "spam")]
    urls.append(reverse("studio:posts"))
    urls += [
        reverse("studio:post_edit", args=[evil.pk]),
        reverse("studio:post_preview", args=[evil.pk]),
    ]

    for url in urls:
        page.goto(url)
        page.wait_for_timeout(150)
        assert page.evaluate("window.__xss") is None, url
        assert page.evaluate(UNSAFE_ELEMENTS) == [], url
    assert dialogs == []
