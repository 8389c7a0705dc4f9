"""Spam defence and moderation: caught comments go to spam (never silently away), held
ones wait for a moderator, and only editors and above moderate."""

import http.server
import threading
import time

import pytest
from django.urls import reverse

from broadsheet.comments.models import BlockedSender, Comment
from broadsheet.comments.services import post_comment
from broadsheet.core.models import SiteSettings
from broadsheet.core.services import save_site_settings


def comment_url(post) -> str:
    return f"{post.get_absolute_url()}comments/"


def send(client, post, body="A considered reply.", **fields):
    return client.post(comment_url(post), {"name": "Ann", "body": body, **fields})


def test_too_many_links_go_to_spam_with_the_reason(client, post):
    send(client, post, body="http://a.example http://b.example http://c.example")

    comment = Comment.objects.get()
    assert comment.status == "spam" and comment.spam_reason == "More than 2 links."
    assert "http://a.example" not in client.get(post.get_absolute_url()).content.decode()


def test_blocked_words_send_a_comment_to_spam(client, post):
    save_site_settings(SiteSettings(blocked_words="cheap pills\ncasino"))

    send(client, post, body="Visit our CASINO today")

    assert Comment.objects.get().status == "spam"


def test_a_comment_written_in_a_second_is_spam(client, post):
    send(client, post, started=int(time.time() * 1000) - 500)

    assert Comment.objects.get().spam_reason == "Written faster than a person can."


def test_a_flood_from_one_address_is_refused_with_the_text_kept(client, post):
    for n in range(5):
        assert send(client, post, body=f"Comment {n}").status_code == 302

    response = send(client, post, body="One too many")

    assert response.status_code == 429
    assert "One too many" in response.content.decode()
    assert Comment.objects.count() == 5


@pytest.fixture
def fake_akismet(settings):
    """An Akismet-compatible service on this machine that calls "viagra" spam."""
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            seen.append(body)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"true" if "viagra" in body else b"false")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.BROADSHEET_AKISMET_KEY = "test-key"
    settings.BROADSHEET_AKISMET_URL = f"http://127.0.0.1:{server.server_port}/{{key}}/check"
    yield seen
    server.shutdown()


def test_the_akismet_compatible_check_catches_spam_and_sends_no_address(client, post, fake_akismet):
    send(client, post, body="Buy viagra")
    send(client, post, body="A fair point.")

    spam, ham = Comment.objects.order_by("pk")
    assert spam.status == "spam" and spam.spam_reason == "Akismet says spam."
    assert ham.status == "approved"
    assert "127.0.0.1" not in fake_akismet[0]


def test_an_unreachable_spam_service_does_not_eat_comments(client, post, settings):
    settings.BROADSHEET_AKISMET_KEY = "test-key"
    settings.BROADSHEET_AKISMET_URL = "http://127.0.0.1:9/{key}"

    send(client, post)

    assert Comment.objects.get().status == "approved"


@pytest.fixture
def moderator(client, make_staff):
    client.force_login(make_staff("editor"))
    return client


def moderate(client, comment, action):
    return client.post(reverse("studio:comment_moderate", args=[comment.pk]), {"action": action})


def test_a_held_comment_is_approved_in_the_studio_and_appears(client, moderator, post):
    save_site_settings(SiteSettings(comment_policy="hold_all"))
    held = post_comment(post=post, name="Ann", body="Waiting patiently.")
    assert held.status == "pending"

    queue = moderator.get(reverse("studio:comments")).content.decode()
    assert "Waiting patiently." in queue

    moderate(moderator, held, "approve")

    held.refresh_from_db()
    assert held.status == "approved"
    assert "Waiting patiently." in client.get(post.get_absolute_url()).content.decode()


def test_first_time_commenters_are_held_then_trusted(client, post):
    save_site_settings(SiteSettings(comment_policy="hold_first"))
    send(client, post, email="ann@example.com")
    first = Comment.objects.get()
    assert first.status == "pending"
    first.status = "approved"
    first.save()

    send(client, post, body="Again.", email="ann@example.com")

    assert Comment.objects.get(body="Again.").status == "approved"


def test_blocking_an_address_moves_its_comments_to_spam_and_catches_the_next(
    client, moderator, post
):
    send(client, post, body="First from here")
    comment = Comment.objects.get()

    moderate(moderator, comment, "block_address")

    comment.refresh_from_db()
    assert comment.status == "spam" and BlockedSender.objects.get().address_hash
    send(client, post, body="Second from here")
    assert Comment.objects.get(body="Second from here").spam_reason == "The sender is blocked."


def test_delete_removes_a_comment_and_its_replies(moderator, post):
    parent = post_comment(post=post, name="A", body="x", approved=True)
    post_comment(post=post, name="B", body="y", parent=parent, approved=True)

    moderate(moderator, parent, "delete")

    assert not Comment.objects.exists()


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_only_editors_and_above_moderate(client, make_staff, post, role):
    comment = post_comment(post=post, name="A", body="x", approved=False)
    client.force_login(make_staff(role))

    assert client.get(reverse("studio:comments")).status_code == 403
    assert moderate(client, comment, "approve").status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"
