"""The fast path must stay correct: fresh after every change, never personal, never a draft."""

import datetime
import gzip
import io
import time
from wsgiref.util import setup_testing_defaults

import brotli
import pytest
from django.core.wsgi import get_wsgi_application
from django.utils import timezone

from broadsheet.comments.services import post_comment
from broadsheet.content.models import Post
from broadsheet.content.selectors import next_scheduled_timestamp
from broadsheet.content.services import Edit, publish, save_changes, save_post
from broadsheet.core.board import board
from broadsheet.core.models import SiteSettings
from broadsheet.core.selectors import get_site_settings
from broadsheet.core.services import save_site_settings
from broadsheet.fastpath.app import FastPathApp, next_change_timestamp, store_key
from broadsheet.predictions.models import Prediction
from broadsheet.predictions.selectors import deadline, site_today

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"


class Response:
    def __init__(self, status: str, headers: list, body: bytes) -> None:
        self.status_code = int(status.split()[0])
        self.headers = {name.lower(): value for name, value in headers}
        self.header_names = [name for name, _ in headers]
        self.body = body

    @property
    def text(self) -> str:
        encoding = self.headers.get("content-encoding")
        if encoding == "gzip":
            return gzip.decompress(self.body).decode()
        if encoding == "br":
            return brotli.decompress(self.body).decode()
        return self.body.decode()


@pytest.fixture
def app(transactional_db):
    get_site_settings()  # exists before the first page, as after `migrate`
    return FastPathApp(get_wsgi_application())


@pytest.fixture
def call(app):
    return caller(app)


def caller(app: FastPathApp):
    """Call `app` as a WSGI server would, for `path` with these request headers."""

    def call(path: str, method: str = "GET", body: bytes = b"", **headers) -> Response:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "HTTP_HOST": "testserver",
            "SERVER_NAME": "testserver",
            "HTTP_USER_AGENT": BROWSER_UA,
            "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)),
        }
        if body:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
        setup_testing_defaults(environ)
        captured = {}

        def start_response(status, response_headers, exc_info=None):
            captured.update(status=status, headers=response_headers)

        chunks = app(environ, start_response)
        return Response(captured["status"], captured["headers"], b"".join(chunks))

    return call


def test_a_page_is_served_from_memory_after_the_first_render(call, post, django_assert_num_queries):
    first = call(post.get_absolute_url())
    call("/feed/atom/")
    with django_assert_num_queries(0):
        second = call(post.get_absolute_url())
        call("/feed/atom/")

    assert first.status_code == second.status_code == 200
    assert second.text == first.text
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["cache-control"] == "public, no-cache"
    assert "Accept-Encoding" in second.headers["vary"]
    assert not any(name.startswith("X-Broadsheet") for name in second.header_names)


def test_compressed_and_conditional_answers(call, post):
    plain = call(post.get_absolute_url()).text

    brotli_response = call(post.get_absolute_url(), accept_encoding="gzip, deflate, br")
    gzip_response = call(post.get_absolute_url(), accept_encoding="gzip")
    not_modified = call(post.get_absolute_url(), if_none_match=brotli_response.headers["etag"])

    assert brotli_response.headers["content-encoding"] == "br" and brotli_response.text == plain
    assert gzip_response.headers["content-encoding"] == "gzip" and gzip_response.text == plain
    assert not_modified.status_code == 304 and not_modified.body == b""


def test_a_published_edit_shows_at_once_everywhere(call, post, make_tag):
    tag = make_tag("Economics")
    post.tags.set([tag])
    pages = [post.get_absolute_url(), "/", tag.get_absolute_url(), "/feed/atom/"]
    for url in pages:
        assert "The economics of small things" in call(url).text

    post.title = "A corrected headline"
    save_post(post)

    for url in pages:
        assert "A corrected headline" in call(url).text, url


def test_a_new_comment_and_a_new_post_show_at_once(call, post, make_post):
    assert "0 comments" in call(post.get_absolute_url()).text
    call("/")

    post_comment(post=post, name="Grace", body="First!")
    make_post("Brand new analysis", days_ago=0)

    page = call(post.get_absolute_url()).text
    assert "1 comment" in page and "First!" in page
    assert "Brand new analysis" in call("/").text


def test_site_settings_show_at_once(call, post):
    call("/")

    save_site_settings(SiteSettings(title="The Long View"))

    assert "The Long View" in call("/").text


def test_drafts_never_leak(call, make_post):
    draft = make_post("Secret draft", status=Post.Status.DRAFT)
    call("/")

    assert call(draft.get_absolute_url()).status_code == 404
    assert "Secret draft" not in call("/").text
    assert call(draft.get_absolute_url()).status_code == 404  # not stored either


def test_signed_in_people_never_get_or_leave_a_stored_page(app, call, post, client):
    client.force_login(post.author)
    session = client.cookies["sessionid"].value

    signed_in = call(post.get_absolute_url(), cookie=f"sessionid={session}")
    assert signed_in.status_code == 200
    assert len(app.store._pages) == 0  # a signed-in render is never kept

    call(post.get_absolute_url())  # an anonymous render is kept ...
    again = call(post.get_absolute_url(), cookie=f"sessionid={session}")
    assert "set-cookie" in again.headers or again.headers.get("etag") is None  # ... not served


def test_a_pending_message_bypasses_the_store(call, post):
    call("/")
    response = call("/", cookie="messages=abc")

    assert "etag" not in response.headers  # rendered by Django for this reader


def test_only_the_query_parameters_a_view_reads_make_pages_of_their_own(
    app, call, post, django_assert_num_queries
):
    comment = post_comment(post=post, name="Grace", body="First!")
    url = post.get_absolute_url()
    call(url)
    call(f"{url}?reply={comment.pk}")
    call("/?utm_source=newsletter")  # the first answer for a path says what it reads
    call("/admin/login/")

    with django_assert_num_queries(0):  # made up, or campaign tags: the page as it is
        for query in ("utm_source=feed", "x=123", "x=1&y=%C2%B2", "reply=%C2%B2", "reply="):
            assert call(f"{url}?{query}").status_code == 200
        call("/?page=2")  # the home page reads no parameter (its pages are /page/N/)
        reply = call(f"{url}?reply={comment.pk}&utm_medium=x")

    assert "Reply to Grace" in reply.text
    assert set(app.store._pages) == {
        f"http://testserver{url}",
        f"http://testserver{url}?reply={comment.pk}",
        "http://testserver/",
    }


def test_pages_are_kept_per_host_and_scheme(call, post):
    """Feeds, canonical links and JSON-LD carry absolute URLs from the request."""
    call("/feed/atom/")
    other = call("/feed/atom/", host="localhost")

    assert "http://localhost/" in other.text and "http://testserver/" not in other.text


def test_the_comment_form_on_a_stored_page_still_posts(call, post):
    call(post.get_absolute_url())
    call(post.get_absolute_url())

    response = call(
        f"{post.get_absolute_url()}comments/",
        method="POST",
        body=b"name=Grace&body=Still+works",
        origin="http://testserver",
    )

    assert response.status_code == 302
    assert "Still works" in call(post.get_absolute_url()).text


def test_views_served_from_memory_count_exactly(call, post, flush_views):
    for _ in range(5):
        call(post.get_absolute_url())
    call(post.get_absolute_url(), method="HEAD")
    call(post.get_absolute_url(), user_agent="Googlebot/2.1 (+http://www.google.com/bot.html)")
    call(post.get_absolute_url(), sec_purpose="prefetch;prerender")
    flush_views()

    assert Post.objects.get(pk=post.pk).view_count == 5
    assert "5 views" in call(post.get_absolute_url(), sec_purpose="prefetch").text


def test_a_stored_page_shows_the_counts_the_database_has_now(app, call, post, flush_views):
    """No re-render and no generation: every answer fills the counts in from the database,
    so a second process (a second app here), stored at another moment, shows the same."""
    from broadsheet.likes.services import toggle_like

    comment = post_comment(post=post, name="Grace", body="First!")
    other = caller(FastPathApp(app.django_app))
    other(post.get_absolute_url(), sec_purpose="prefetch")  # stored before any count moved
    call(post.get_absolute_url(), sec_purpose="prefetch")
    call("/", sec_purpose="prefetch")
    first = call(post.get_absolute_url(), sec_purpose="prefetch")
    for _ in range(3):
        call(post.get_absolute_url())
    flush_views()
    toggle_like(reader_id="a" * 32, address="192.0.2.1", post=post)
    toggle_like(reader_id="a" * 32, address="192.0.2.1", comment=comment)

    for server in (call, other):
        page = server(post.get_absolute_url(), sec_purpose="prefetch")
        assert "3 views" in page.text
        assert f'data-live="post {post.pk} likes">1 like</span>' in page.text
        assert f'data-live="comment {comment.pk} likes">1 like</span>' in page.text
        assert page.headers["etag"] != first.headers["etag"]
        assert f'data-live="post {post.pk} likes">1 like</span>' in server("/").text
    again = call(post.get_absolute_url(), if_none_match=page.headers["etag"])
    assert again.status_code == 304


def test_counts_are_read_again_only_after_a_count_write(call, post):
    """While no count was written, the last answer is still right: no read at all. A
    write that bypasses `board().counts_write()` is therefore not seen, which is why
    every count write goes through it."""
    call(post.get_absolute_url(), sec_purpose="prefetch")
    Post.objects.filter(pk=post.pk).update(view_count=41)  # not announced
    assert "0 views" in call(post.get_absolute_url(), sec_purpose="prefetch").text

    with board().counts_write():
        Post.objects.filter(pk=post.pk).update(view_count=42)

    assert "42 views" in call(post.get_absolute_url(), sec_purpose="prefetch").text


def test_no_count_is_kept_while_a_count_write_is_under_way(call, post):
    call(post.get_absolute_url(), sec_purpose="prefetch")
    with board().counts_write():
        Post.objects.filter(pk=post.pk).update(view_count=7)
        assert "7 views" in call(post.get_absolute_url(), sec_purpose="prefetch").text
        Post.objects.filter(pk=post.pk).update(view_count=8)
        assert "8 views" in call(post.get_absolute_url(), sec_purpose="prefetch").text


def test_a_stored_page_shows_a_scheduled_post_as_soon_as_it_is_due(call, author):
    call("/")  # stored before the post is due
    save_post(
        Post(
            title="Right on time",
            body="B",
            author=author,
            status=Post.Status.SCHEDULED,
            published_at=timezone.now() + datetime.timedelta(seconds=1.5),
        )
    )
    assert "Right on time" not in call("/").text

    time.sleep(1.6)  # no worker runs: the page must still move on by itself

    assert "Right on time" in call("/").text


def test_stored_pages_also_move_on_when_a_prediction_s_date_passes(call, app, make_staff):
    """A card turns from "Open" to "Awaiting resolution" at the start of the day after its
    date (in the site's time zone) with no write at all: the same moment moves the
    generation on as a scheduled post's time does (above), whichever comes first."""
    writer = make_staff("author")
    tomorrow = (site_today() + datetime.timedelta(days=1)).isoformat()
    body = f"```prediction\nIt will rain.\nprobability: 70%\nresolves: {tomorrow}\n```\n"
    post = save_changes(
        actor=writer, post=Post(), edit=Edit(fields={"title": "Rain", "body": body})
    )
    publish(actor=writer, post=post)
    the_deadline = deadline(site_today() + datetime.timedelta(days=1)).timestamp()
    assert the_deadline - time.time() > 86_400  # the start of the day after tomorrow

    assert "Open" in call(post.get_absolute_url()).text
    assert app._next_due == next_change_timestamp() == the_deadline

    save_post(
        Post(
            title="Sooner",
            body="B",
            author=writer,
            status=Post.Status.SCHEDULED,
            published_at=timezone.now() + datetime.timedelta(hours=1),
        )
    )
    call("/")
    assert app._next_due == next_change_timestamp() < the_deadline  # the scheduled post's

    Prediction.objects.update(outcome="true")  # resolved: no date to wait for
    assert next_change_timestamp() == next_scheduled_timestamp()
    Post.objects.filter(status=Post.Status.SCHEDULED).delete()
    assert next_change_timestamp() is None


def test_a_reader_page_sees_only_the_query_parameters_it_names(rf):
    """So it cannot make a page that the store, which ignores the others, would serve for
    another address."""
    from django.http import HttpResponse

    from broadsheet.fastpath.decorators import reader_page

    seen = {}

    @reader_page(reads=("p",))
    def view(request):
        seen.update(request.GET.lists())
        return HttpResponse("ok")

    view(rf.get("/", {"p": "2", "page": "3", "utm_source": "feed"}))

    assert seen == {"p": ["2"]}


def test_the_store_keys_numbers_as_the_view_reads_them_and_slugs_as_sent():
    base = "http://testserver/predictions/"  # reads slugs: `?author=ada`
    reads = ("author:slug", "tag:slug", "open")

    assert store_key(base, reads, {"author": "sam-skeptic", "open": "07"}) == (
        f"{base}?author=sam-skeptic&open=7"
    )
    for odd in ("", "two words", "é", "x\x00", "a" * 151, "²"):
        assert store_key(base, reads, {"author": odd}) == base
    # A number parameter's word is no value: random words cannot each make a page.
    for word in ("x1", "x2", "abc"):
        assert store_key(base, reads, {"open": word}) == base


def test_a_sitemap_page_is_kept_apart_from_the_first(app, call):
    call("/sitemap-posts.xml")
    call("/sitemap-posts.xml?p=1&utm_source=x")

    assert set(app.store._pages) == {
        "http://testserver/sitemap-posts.xml",
        "http://testserver/sitemap-posts.xml?p=1",
    }
