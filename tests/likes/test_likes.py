"""Likes: once per browser, right under concurrency, public things only, nothing personal."""

import threading
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.http import Http404
from django.test import Client
from django.urls import reverse

from broadsheet.comments.models import Comment
from broadsheet.comments.services import post_comment
from broadsheet.content.models import Post
from broadsheet.content.services import save_post
from broadsheet.core.ratelimit import RateLimited
from broadsheet.fastpath.app import CACHEABLE_HEADER, FastPathApp
from broadsheet.likes import ratelimit
from broadsheet.likes.models import Like
from broadsheet.likes.readers import READER_COOKIE, new_reader_id, reader_key
from broadsheet.likes.services import toggle_like

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
ADDRESS = "192.0.2.1"  # the client's address, as the view passes it on


def reader_client(**defaults) -> Client:
    """A browser: it sends a User-Agent (an empty one is a script) and same-origin headers."""
    return Client(HTTP_USER_AGENT=BROWSER_UA, **SAME_ORIGIN, **defaults)


def like_post_url(post: Post) -> str:
    return reverse("likes:post", args=[post.pk])


def like_comment_url(comment: Comment) -> str:
    return reverse("likes:comment", args=[comment.pk])


def count_of(post: Post) -> int:
    return Post.objects.values_list("like_count", flat=True).get(pk=post.pk)


@pytest.fixture
def reader() -> Client:
    return reader_client()


@pytest.fixture
def comment(post) -> Comment:
    return post_comment(post=post, name="Grace", body="Well argued.", approved=True)


def test_a_like_counts_once_per_browser_and_a_second_one_takes_it_back(reader, post):
    first = reader.post(like_post_url(post))

    assert first.status_code == 302
    assert first["Location"] == f"{post.get_absolute_url()}#likes"
    assert count_of(post) == 1 and Like.objects.count() == 1

    reader.post(like_post_url(post))

    assert count_of(post) == 0 and not Like.objects.exists()


def test_two_browsers_make_two_likes(post):
    reader_client().post(like_post_url(post))
    reader_client().post(like_post_url(post))

    assert count_of(post) == 2 and Like.objects.filter(post=post).count() == 2


def test_the_reader_is_told_what_happened(reader, post):
    liked = reader.post(like_post_url(post), follow=True).content.decode()
    taken_back = reader.post(like_post_url(post), follow=True).content.decode()

    assert "You liked this." in liked
    assert "Like taken back." in taken_back


def test_a_comment_can_be_liked_once_per_browser(reader, post, comment):
    response = reader.post(like_comment_url(comment))

    assert response["Location"] == f"{post.get_absolute_url()}#comment-{comment.pk}"
    assert Comment.objects.get(pk=comment.pk).like_count == 1
    assert count_of(post) == 0  # the post's own count is separate

    reader.post(like_comment_url(comment))

    assert Comment.objects.get(pk=comment.pk).like_count == 0


def test_the_reader_cookie_is_random_long_lived_http_only_and_lax(reader, post):
    response = reader.post(like_post_url(post))

    cookie = response.cookies[READER_COOKIE]
    assert len(cookie.value) == 32
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert not cookie["secure"]  # plain http here; see the next test
    assert reader_client().post(like_post_url(post)).cookies[READER_COOKIE].value != cookie.value


def test_the_reader_cookie_is_secure_over_https(post):
    response = reader_client().post(like_post_url(post), secure=True)

    assert response.cookies[READER_COOKIE]["secure"] is True


def test_the_cookie_is_set_only_when_the_browser_has_none(reader, post):
    reader.post(like_post_url(post))

    again = reader.post(like_post_url(post))

    assert READER_COOKIE not in again.cookies


def test_a_forged_cookie_value_is_replaced(post):
    browser = reader_client()
    browser.cookies[READER_COOKIE] = "x' OR 1=1 --"

    response = browser.post(like_post_url(post))

    assert len(response.cookies[READER_COOKIE].value) == 32
    assert count_of(post) == 1


def test_no_address_or_cookie_value_is_stored(reader, post):
    reader.post(like_post_url(post), REMOTE_ADDR="203.0.113.7")

    row = Like.objects.values().get()
    reader_id = reader.cookies[READER_COOKIE].value
    assert set(row) == {"id", "post_id", "comment_id", "reader_key", "created_at"}
    assert row["reader_key"] == reader_key(reader_id) and len(row["reader_key"]) == 64
    assert reader_id not in row["reader_key"]
    assert "203.0.113.7" not in str(row)


@pytest.mark.parametrize(
    "make",
    [
        lambda make_post: make_post(status=Post.Status.DRAFT),
        lambda make_post: make_post(status=Post.Status.REVIEW),
        lambda make_post: make_post(days_ago=-1),  # "published" with a date still to come
    ],
    ids=["draft", "review", "future"],
)
def test_posts_the_public_cannot_see_cannot_be_liked(reader, make_post, make):
    hidden = make(make_post)

    assert reader.post(like_post_url(hidden)).status_code == 404
    assert not Like.objects.exists() and READER_COOKIE not in reader.cookies


def test_held_comments_and_comments_on_drafts_cannot_be_liked(reader, post, make_post):
    held = post_comment(post=post, name="Held", body="Not yet", approved=False)
    unpublished = make_post("Back to draft")
    on_draft = post_comment(post=unpublished, name="Early", body="Hm", approved=True)
    unpublished.status = Post.Status.DRAFT
    save_post(unpublished)

    assert reader.post(like_comment_url(held)).status_code == 404
    assert reader.post(like_comment_url(on_draft)).status_code == 404
    assert reader.post(reverse("likes:comment", args=[999_999])).status_code == 404
    assert not Like.objects.exists()


def test_the_service_refuses_what_is_not_public(post, make_post):
    draft = make_post(status=Post.Status.DRAFT)

    with pytest.raises(Http404):
        toggle_like(reader_id=new_reader_id(), address=ADDRESS, post=draft)
    with pytest.raises(ValueError):
        toggle_like(reader_id=new_reader_id(), address=ADDRESS, post=post, comment=object())
    assert count_of(draft) == 0 and not Like.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_REFERER": "https://evil.example/page"},
    ],
    ids=["fetch-cross-site", "origin", "referer"],
)
def test_likes_sent_from_another_site_are_refused(post, headers):
    browser = Client(HTTP_USER_AGENT=BROWSER_UA)

    response = browser.post(like_post_url(post), **headers)

    assert response.status_code == 403
    assert not Like.objects.exists() and count_of(post) == 0


def test_only_post_is_allowed(reader, post):
    assert reader.get(like_post_url(post)).status_code == 405


@pytest.mark.parametrize(
    "user_agent", ["", "Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0"]
)
def test_crawlers_and_scripts_are_quietly_refused(post, user_agent):
    robot = Client(HTTP_USER_AGENT=user_agent, **SAME_ORIGIN)

    response = robot.post(like_post_url(post))

    assert response.status_code == 302
    assert not Like.objects.exists() and READER_COOKIE not in response.cookies


def test_a_browser_that_toggles_too_often_is_quietly_refused(reader, post, monkeypatch):
    monkeypatch.setattr(ratelimit, "READER_LIMIT", 3)
    for _ in range(3):
        reader.post(like_post_url(post))
    assert count_of(post) == 1  # like, take back, like

    response = reader.post(like_post_url(post), follow=True)

    assert "try again in a minute" in response.content.decode()
    assert count_of(post) == 1
    assert reader_client().post(like_post_url(post)).status_code == 302  # others still can
    assert count_of(post) == 2


def test_one_address_that_toggles_too_often_is_quietly_refused(post, monkeypatch):
    monkeypatch.setattr(ratelimit, "ADDRESS_LIMIT", 2)
    for _ in range(2):
        reader_client().post(like_post_url(post), REMOTE_ADDR="198.51.100.9")

    refused = reader_client().post(like_post_url(post), REMOTE_ADDR="198.51.100.9")

    assert refused.status_code == 302 and READER_COOKIE not in refused.cookies
    assert count_of(post) == 2
    reader_client().post(like_post_url(post), REMOTE_ADDR="198.51.100.10")
    assert count_of(post) == 3


def test_the_service_itself_applies_the_rate_limits(post, monkeypatch):
    # The bug: only the view counted toggles, so an importer or the API would skip the limits.
    monkeypatch.setattr(ratelimit, "READER_LIMIT", 2)
    monkeypatch.setattr(ratelimit, "ADDRESS_LIMIT", 3)
    ada, grace = new_reader_id(), new_reader_id()
    toggle_like(reader_id=ada, address=ADDRESS, post=post)
    toggle_like(reader_id=ada, address=ADDRESS, post=post)

    with pytest.raises(RateLimited):
        toggle_like(reader_id=ada, address="192.0.2.2", post=post)  # this reader's third
    toggle_like(reader_id=grace, address=ADDRESS, post=post)  # the address's third
    with pytest.raises(RateLimited):
        toggle_like(reader_id=new_reader_id(), address=ADDRESS, post=post)  # its fourth

    assert count_of(post) == Like.objects.count() == 1  # Ada's like and take-back, Grace's


def test_interleaved_toggles_from_two_tabs_and_two_readers_keep_the_count(post):
    """Counts move in the database, so stale objects in memory never overwrite them."""
    stale = Post.objects.get(pk=post.pk)
    ada, grace = new_reader_id(), new_reader_id()

    assert toggle_like(reader_id=ada, address=ADDRESS, post=stale) == (True, 1)
    assert toggle_like(reader_id=grace, address=ADDRESS, post=stale) == (True, 2)
    assert toggle_like(reader_id=ada, address=ADDRESS, post=post) == (False, 1)
    assert toggle_like(reader_id=ada, address=ADDRESS, post=stale) == (True, 2)
    assert count_of(post) == Like.objects.filter(post=post).count() == 2


def test_a_double_insert_from_two_tabs_counts_as_already_liked(post):
    """The other tab's like lands after this tab looked for one to take back (none yet) and
    before its insert: the unique constraint refuses the second row, and nothing of it is
    half-written (the count moved once, for the other tab)."""
    reader_id = new_reader_id()
    other_tab: dict[str, tuple[bool, int] | None] = {}

    def other_tab_lands_after_the_look(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if Like._meta.db_table in sql and "toggle" not in other_tab:
            other_tab["toggle"] = None  # its own statements pass here too
            other_tab["toggle"] = toggle_like(reader_id=reader_id, address=ADDRESS, post=post)
        return result

    with connection.execute_wrapper(other_tab_lands_after_the_look):
        assert toggle_like(reader_id=reader_id, address=ADDRESS, post=post) == (True, 1)

    assert other_tab == {"toggle": (True, 1)}
    assert count_of(post) == Like.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_from_many_browsers_all_count(make_post):
    post = make_post("Popular")
    readers = 8
    start = threading.Barrier(readers)
    failures: list[BaseException] = []

    def like() -> None:
        try:
            browser = reader_client()
            start.wait()
            assert browser.post(like_post_url(post)).status_code == 302
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=like) for _ in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not failures
    assert count_of(post) == Like.objects.filter(post=post).count() == readers


def test_the_post_page_sets_no_cookie_and_stays_cacheable(reader, post):
    reader.post(like_post_url(post))  # even for a browser that has liked something
    reader.cookies.pop("messages", None)

    response = reader.get(post.get_absolute_url())

    assert response.status_code == 200
    assert "Set-Cookie" not in str(response.headers)
    assert response.headers.get(CACHEABLE_HEADER) == "1"


@pytest.mark.django_db(transaction=True)
def test_a_browser_with_the_reader_cookie_still_gets_stored_pages(
    post, reader, django_assert_num_queries
):
    """The cookie is not a session: the fast path serves such readers from memory."""
    reader.post(like_post_url(post))
    cookie = f"{READER_COOKIE}={reader.cookies[READER_COOKIE].value}"
    app = FastPathApp(get_wsgi_application())

    def get() -> tuple[str, dict]:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": post.get_absolute_url(),
            "QUERY_STRING": "",
            "HTTP_HOST": "testserver",
            "HTTP_USER_AGENT": BROWSER_UA,
            "HTTP_COOKIE": cookie,
        }
        setup_testing_defaults(environ)
        captured: dict = {}
        body = b"".join(
            app(
                environ,
                lambda status, headers, exc_info=None: captured.update(
                    status=status, headers=dict(headers)
                ),
            )
        )
        return captured["status"], captured["headers"] | {"body": body}

    first_status, first = get()
    with django_assert_num_queries(0):
        second_status, second = get()

    assert first_status.startswith("200") and second_status.startswith("200")
    assert second["body"] == first["body"] and "Set-Cookie" not in second


def test_the_buttons_need_no_token_and_describe_themselves(rf, post, comment):
    from django.template.loader import render_to_string

    Post.objects.filter(pk=post.pk).update(like_count=12)
    Comment.objects.filter(pk=comment.pk).update(like_count=1)
    post.refresh_from_db()
    comment.refresh_from_db()

    post_button = render_to_string("likes/_post_button.html", {"post": post})
    comment_button = render_to_string("likes/_comment_button.html", {"comment": comment})
    count = render_to_string("likes/_count.html", {"post": post})

    assert f'action="{like_post_url(post)}"' in post_button and 'method="post"' in post_button
    assert "csrfmiddlewaretoken" not in post_button + comment_button
    assert 'id="likes"' in post_button
    # What is seen is what is spoken: "♥ Like (12 likes)".
    assert ' Like <span class="like-count">(<span data-live=' in post_button
    assert f'"post {post.pk} likes">12 likes</span>)' in post_button
    assert f'action="{like_comment_url(comment)}"' in comment_button
    assert f'"comment {comment.pk} likes">1 like</span>)' in comment_button
    assert count.strip() == (
        f'<span class="like-total"><span data-live="post {post.pk} likes">12 likes</span></span>'
    )


def test_the_buttons_add_no_query(post, comment, django_assert_num_queries):
    from django.template.loader import render_to_string

    with django_assert_num_queries(0):
        render_to_string("likes/_post_button.html", {"post": post})
        render_to_string("likes/_comment_button.html", {"comment": comment})
        render_to_string("likes/_count.html", {"post": post})
