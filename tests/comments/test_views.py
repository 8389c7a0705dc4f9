"""Posting a comment: CSRF, the honeypot, sanitizing, validation that keeps the form."""

import pytest

from broadsheet.comments.models import Comment
from broadsheet.core.models import SiteSettings
from broadsheet.core.services import save_site_settings


def comment_url(post) -> str:
    return f"{post.get_absolute_url()}comments/"


def test_a_comment_is_stored_shown_and_counted(client, post):
    response = client.post(comment_url(post), {"name": "Grace", "body": "Well argued."})

    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Well argued." in page and "1 comment" in page


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
    ids=["fetch-cross-site", "fetch-same-site", "origin", "null-origin", "referer"],
)
def test_forms_sent_from_another_site_are_refused(client, post, headers):
    response = client.post(comment_url(post), {"name": "Mallory", "body": "Forged."}, **headers)

    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"},
        {"HTTP_ORIGIN": "http://testserver"},
        {"HTTP_REFERER": "http://testserver/posts/x/"},
    ],
    ids=["fetch-same-origin", "origin", "referer"],
)
def test_forms_sent_from_this_site_are_accepted(client, post, headers):
    response = client.post(comment_url(post), {"name": "Grace", "body": "Real."}, **headers)

    assert response.status_code == 302 and Comment.objects.count() == 1


def test_the_comment_form_needs_no_per_reader_token(client, post):
    """So the page can be served from the cache to every reader."""
    response = client.get(post.get_absolute_url())

    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "Set-Cookie" not in str(response.headers)


def test_the_honeypot_quietly_refuses(client, post):
    response = client.post(
        comment_url(post), {"name": "Bot", "body": "Buy now", "website": "http://spam.example"}
    )

    assert response.status_code == 302
    assert not Comment.objects.exists()


XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    '"><svg onload=alert(1)>',
]


@pytest.mark.parametrize("payload", XSS)
def test_no_html_in_a_comment_ever_executes(client, post, payload):
    client.post(comment_url(post), {"name": payload, "body": f"Hi {payload} there"})

    stored = Comment.objects.get().body_html
    page = client.get(post.get_absolute_url()).content.decode()
    for markup in ["<script>alert(1)", "<img src=x", "<svg onload", '<a href="javascript:']:
        assert markup not in stored
        assert markup not in page  # shown as text, never as markup


def test_links_in_comments_are_marked_as_user_content(client, post):
    client.post(comment_url(post), {"name": "Lin", "body": "Source: https://example.org/x"})

    assert 'rel="nofollow ugc noopener noreferrer"' in Comment.objects.get().body_html


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "Grace", "body": "   "}, "Please write something before posting."),
        ({"name": "", "body": "Anonymous thoughts"}, "Please give a name to post under."),
        ({"name": "Grace", "body": "x" * 5001}, "at most 5000 characters (this one has 5001)"),
        ({"name": "Grace", "body": "null\x00byte"}, "Null characters are not allowed."),
        ({"name": "G" * 101, "body": "Long name"}, "at most 100 characters"),
    ],
    ids=["empty", "no-name", "too-long", "null-byte", "long-name"],
)
def test_bad_comments_get_a_clear_error_and_keep_the_form(client, post, data, message):
    response = client.post(comment_url(post), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Your comment was not posted" in html
    assert not Comment.objects.exists()
    if data["body"].strip() and "\x00" not in data["body"]:
        assert data["body"][:50] in html  # what they wrote is still there


def test_comments_can_be_held_for_approval(client, post):
    save_site_settings(SiteSettings(comment_policy="hold_all"))

    response = client.post(comment_url(post), {"name": "Grace", "body": "Held back."}, follow=True)

    html = response.content.decode()
    assert Comment.objects.get().approved is False
    assert "once a moderator approves it" in html
    assert "Held back." not in html and "0 comments" in html


def test_comments_on_drafts_are_refused(client, make_post):
    draft = make_post("Draft", status="draft")

    assert client.post(comment_url(draft), {"name": "A", "body": "B"}).status_code == 404
    assert not Comment.objects.exists()


def test_get_on_the_comment_url_is_not_allowed(client, post):
    assert client.get(comment_url(post)).status_code == 405


@pytest.mark.parametrize("value", ["²", "٣", "9" * 400, "9" * 5000, "-1", "0"])
@pytest.mark.parametrize("field", ["parent", "started"])
def test_odd_hidden_numbers_are_form_errors_not_server_errors(client, post, field, value):
    """`started` was divided by 1000 into a float: 400 digits overflowed it (a 500)."""
    response = client.post(comment_url(post), {"name": "Grace", "body": "Hm.", field: value})

    assert response.status_code == 400
    assert not Comment.objects.exists()
