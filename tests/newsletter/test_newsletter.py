"""The newsletter: double opt-in, sending each post exactly once per person, unsubscribing."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from broadsheet.content.models import Post
from broadsheet.newsletter import services
from broadsheet.newsletter.models import Delivery, Send, Subscriber
from tests.backdated import BackdatedSigner

CONFIRM = re.compile(r"https?://\S+/newsletter/confirm/\S+/")
ORIGIN = "http://testserver"


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch, settings):
    # The worker closes idle connections between tasks; here that one holds the test's data.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.BROADSHEET_NEWSLETTER_RETRY_SECONDS = 0


def run_worker():
    call_command("worker", batch=True, verbosity=0)


def path_of(url):
    return "/" + url.split("/", 3)[3]


def subscribe(client, email):
    return client.post("/newsletter/subscribe/", {"email": email})


def active(*emails):
    return [Subscriber.objects.create(email=e, status="active") for e in emails]


def test_subscribe_confirm_by_email_then_active(client, db, smtp_inbox):
    response = subscribe(client, "Reader@Example.com")
    assert response.status_code == 200
    assert "Check your email" in response.content.decode()
    assert Subscriber.objects.get().status == "pending"

    message = smtp_inbox.wait_for(1)[0]
    assert message["To"] == "reader@example.com"
    url = path_of(CONFIRM.search(smtp_inbox.text_of(message))[0])

    page = client.get(url)  # link scanners only GET: still pending
    assert page.status_code == 200 and "Confirm subscription" in page.content.decode()
    assert Subscriber.objects.get().status == "pending"

    assert client.post(url).status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "active" and subscriber.confirmed_at


def test_the_answer_is_the_same_for_a_known_address(client, db, smtp_inbox):
    active("old@example.com")
    known = subscribe(client, "old@example.com").content.decode()
    new = subscribe(client, "new@example.com").content.decode()
    assert known == new
    smtp_inbox.wait_for(1)
    assert [m["To"] for m in smtp_inbox.messages] == ["new@example.com"]
    assert Subscriber.objects.get(email="old@example.com").status == "active"


def test_subscribing_is_rate_limited_and_keeps_the_input(client, db, smtp_inbox):
    for _ in range(services.REQUESTS_PER_HOUR):
        assert subscribe(client, "flood@example.com").status_code == 200
    response = subscribe(client, "flood@example.com")
    assert response.status_code == 429
    body = response.content.decode()
    assert 'role="alert"' in body and 'value="flood@example.com"' in body


def test_bad_input_shows_an_alert_and_keeps_what_was_typed(client, db):
    response = subscribe(client, "nope")
    assert response.status_code == 400
    body = response.content.decode()
    assert 'role="alert"' in body and 'value="nope"' in body


def test_the_subscribe_form_carries_no_csrf_token_and_refuses_other_sites(client, db):
    page = client.get("/newsletter/").content.decode()
    assert "csrfmiddlewaretoken" not in page
    assert 'action="/newsletter/subscribe/"' in page
    response = client.post(
        "/newsletter/subscribe/", {"email": "a@example.com"}, headers={"Origin": "https://evil"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("token", ["nonsense", "1:forged", "9999:abc", "%00", "x" * 500])
def test_forged_tokens_get_a_clear_400(client, db, token):
    for url in (f"/newsletter/confirm/{token}/", f"/newsletter/unsubscribe/{token}/"):
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 400
            assert "not valid" in response.content.decode()


def test_a_confirmation_link_expires(client, db):
    (subscriber,) = [Subscriber.objects.create(email="slow@example.com")]
    signer = BackdatedSigner(salt=services.CONFIRM_SALT, seconds_ago=services.CONFIRM_MAX_AGE + 60)
    token = signer.sign(str(subscriber.pk))
    response = client.post(f"/newsletter/confirm/{token}/")
    assert response.status_code == 400 and "expired" in response.content.decode()
    assert Subscriber.objects.get().status == "pending"


def send_post(editor, post, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.start_send(actor=editor, post=post, origin=ORIGIN)


def test_every_active_subscriber_gets_the_post_exactly_once(
    make_staff, make_post, smtp_inbox, django_capture_on_commit_callbacks
):
    editor = make_staff("editor")
    post = make_post(
        "Small things", body="See [the archive](/archive/).\n\n![A chart](/media/chart.png)"
    )
    active("a@example.com", "b@example.com", "c@example.com")
    Subscriber.objects.create(email="pending@example.com")  # not confirmed
    Subscriber.objects.create(email="gone@example.com", status="unsubscribed")

    send = send_post(editor, post, django_capture_on_commit_callbacks)
    assert send.total == 3
    run_worker()

    messages = smtp_inbox.wait_for(3)
    assert sorted(m["To"] for m in messages) == ["a@example.com", "b@example.com", "c@example.com"]
    for message in messages:
        assert message["Subject"] == "Small things"
        assert message.get_content_type() == "multipart/alternative"
        text = smtp_inbox.text_of(message)
        html = message.get_body(preferencelist=("html",)).get_content()
        post_url = f"{ORIGIN}{post.get_absolute_url()}"
        assert post_url in text and f'href="{post_url}"' in html
        assert f'href="{ORIGIN}/archive/"' in html and f'src="{ORIGIN}/media/chart.png"' in html
        unsubscribe = re.fullmatch(
            r"<(\S+/newsletter/unsubscribe/\S+/)>", message["List-Unsubscribe"]
        )
        assert unsubscribe and unsubscribe[1].startswith(ORIGIN)
        assert unsubscribe[1] in text
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    send.refresh_from_db()
    assert (send.status, send.sent, send.failed, send.total) == ("done", 3, 0, 3)

    # Running the tasks again, re-queueing a batch, or sending again: nothing more goes out.
    run_worker()
    services.deliver_batch(send_id=send.pk)
    services.enqueue_batch(send.pk)
    run_worker()
    with pytest.raises(ValidationError):
        send_post(editor, post, django_capture_on_commit_callbacks)
    assert len(smtp_inbox.messages) == 3
    assert Delivery.objects.filter(status="sent").count() == 3


def test_a_prediction_in_the_post_is_a_readable_card_in_the_email(
    make_staff, make_post, smtp_inbox, django_capture_on_commit_callbacks
):
    block = "```prediction\nThe bridge toll will be scrapped.\nprobability: 15%\n"
    post = make_post("Tolls", body=f"Why it matters.\n\n{block}resolves: 2031-12-31\n```\n")
    active("a@example.com")

    send_post(make_staff("editor"), post, django_capture_on_commit_callbacks)
    run_worker()

    html = smtp_inbox.wait_for(1)[0].get_body(preferencelist=("html",)).get_content()
    card = re.search(r'<figure class="prediction".*?</figure>', html, re.DOTALL)[0]
    text = " ".join(re.sub(r"<[^>]+>", " ", card).split())
    assert text == (
        "Prediction The bridge toll will be scrapped. 15% likely · resolves by Dec 31, 2031"
    )
    # Its anchor leads to the card on the post's page, not nowhere in the mail.
    assert f'href="{ORIGIN}{post.get_absolute_url()}#prediction-1"' in card
    assert 'href="#' not in html


def test_site_url_wins_over_the_request_origin(
    make_staff, post, smtp_inbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://news.example.com"
    active("a@example.com")
    send_post(make_staff("editor"), post, django_capture_on_commit_callbacks)
    run_worker()
    message = smtp_inbox.wait_for(1)[0]
    assert f"https://news.example.com{post.get_absolute_url()}" in smtp_inbox.text_of(message)
    assert message["List-Unsubscribe"].startswith("<https://news.example.com/newsletter/")


def test_a_crash_after_sending_part_never_repeats_it(
    make_staff, post, smtp_inbox, django_capture_on_commit_callbacks
):
    active(*(f"p{n}@example.com" for n in range(5)))
    send = send_post(make_staff("editor"), post, django_capture_on_commit_callbacks)
    services.deliver_batch(send_id=send.pk, batch_size=2)  # then the worker "dies"
    smtp_inbox.wait_for(2)
    DBTaskResult.objects.all().delete()  # the queued follow-up is lost too
    services.enqueue_batch(send.pk)  # restarting
    run_worker()
    smtp_inbox.wait_for(5)
    assert sorted(m["To"] for m in smtp_inbox.messages) == [f"p{n}@example.com" for n in range(5)]


def test_unconfirmed_subscribers_get_nothing(
    make_staff, post, smtp_inbox, django_capture_on_commit_callbacks
):
    Subscriber.objects.create(email="pending@example.com")
    send = send_post(make_staff("editor"), post, django_capture_on_commit_callbacks)
    run_worker()
    assert send.total == 0 and send.status == "done"
    assert smtp_inbox.messages == []


def closed_port_mailer(settings) -> None:
    """Point the site's mail at a port nothing listens on: delivery fails for real."""
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }


def test_a_failed_delivery_is_retried_and_then_succeeds(
    make_staff, post, smtp_inbox, settings, django_capture_on_commit_callbacks
):
    active("a@example.com", "b@example.com")
    send = send_post(make_staff("editor"), post, django_capture_on_commit_callbacks)
    working = settings.MAILERS
    services.deliver_batch(send_id=send.pk, batch_size=1)  # the first goes out
    closed_port_mailer(settings)
    services.deliver_batch(send_id=send.pk, batch_size=1)  # the second fails: no server
    failed = Delivery.objects.get(status="pending")
    assert failed.attempts == 1 and "refused" in failed.error
    settings.MAILERS = working
    run_worker()

    smtp_inbox.wait_for(2)
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["a@example.com", "b@example.com"]
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("sent", 2)
    send.refresh_from_db()
    assert (send.status, send.sent, send.failed) == ("done", 2, 0)


def test_a_delivery_gives_up_after_three_attempts(
    make_staff, post, smtp_inbox, settings, django_capture_on_commit_callbacks
):
    active("a@example.com")
    send = send_post(make_staff("editor"), post, django_capture_on_commit_callbacks)
    port = settings.MAILERS["default"]["OPTIONS"]["port"]
    closed_port_mailer(settings)
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", services.MAX_ATTEMPTS)
    assert delivery.error
    send.refresh_from_db()
    assert (send.status, send.sent, send.failed) == ("done", 0, 1)
    assert port and smtp_inbox.messages == []


def test_one_click_unsubscribe_without_origin(client, db):
    (subscriber,) = active("a@example.com")
    token = services.unsubscribe_token(subscriber)
    response = client.post(
        f"/newsletter/unsubscribe/{token}/",
        {"List-Unsubscribe": "One-Click"},
        enforce_csrf_checks=True,
    )
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed" and subscriber.unsubscribed_at


def test_one_click_unsubscribe_from_another_site_works_and_needs_the_token(client, db):
    """Exempt from the origin check on purpose (decisions: the token is the protection):
    a webmail's one-click POST comes from its own origin."""
    (subscriber,) = active("a@example.com")
    cross_site = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://mail.example"}
    token = services.unsubscribe_token(subscriber)
    forged_token = token[:-1] + ("A" if token[-1] != "A" else "B")

    forged = client.post(
        f"/newsletter/unsubscribe/{forged_token}/", {"List-Unsubscribe": "One-Click"}, **cross_site
    )
    assert forged.status_code == 400
    assert Subscriber.objects.get().status == "active"

    response = client.post(
        f"/newsletter/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}, **cross_site
    )
    assert response.status_code == 200
    assert Subscriber.objects.get().status == "unsubscribed"


def test_unsubscribe_page_shows_one_button(client, db):
    (subscriber,) = active("a@example.com")
    token = services.unsubscribe_token(subscriber)
    page = client.get(f"/newsletter/unsubscribe/{token}/").content.decode()
    assert "<button" in page and "a@example.com" in page
    assert Subscriber.objects.get().status == "active"


@pytest.mark.parametrize("role", ["author", "contributor", ""])
def test_only_editors_and_above_start_a_send(make_staff, make_author, post, role):
    actor = make_staff(role) if role else make_author("Reader")
    with pytest.raises(PermissionDenied):
        services.start_send(actor=actor, post=post, origin=ORIGIN)
    assert not Send.objects.exists()


@pytest.mark.parametrize("role", ["editor", "administrator"])
def test_editors_and_administrators_may_send(make_staff, post, role):
    assert services.start_send(actor=make_staff(role), post=post, origin=ORIGIN).pk


def test_only_published_posts_are_sent(make_staff, make_post):
    draft = make_post("Draft", status=Post.Status.DRAFT)
    with pytest.raises(ValidationError):
        services.start_send(actor=make_staff("editor"), post=draft, origin=ORIGIN)


def test_the_studio_page_and_its_send_button(
    client, make_staff, post, django_capture_on_commit_callbacks
):
    active("a@example.com", "b@example.com")
    client.force_login(make_staff("editor"))
    page = client.get("/studio/newsletter/").content.decode()
    assert "Send to 2 subscribers" in page
    confirm = client.get(f"/studio/newsletter/send/{post.pk}/").content.decode()
    assert "cannot be undone" in confirm

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/studio/newsletter/send/{post.pk}/")
    assert response.status_code == 302
    assert Send.objects.get(post=post).total == 2
    page = client.get("/studio/newsletter/").content.decode()
    assert "0 sent, 0 failed, of 2" in page

    again = client.post(f"/studio/newsletter/send/{post.pk}/")
    assert again.status_code == 400
    assert Send.objects.count() == 1


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_the_studio_page_refuses_authors_and_contributors(client, make_staff, post, role):
    client.force_login(make_staff(role))
    assert client.get("/studio/newsletter/").status_code == 403
    assert client.post(f"/studio/newsletter/send/{post.pk}/").status_code == 403
    assert not Send.objects.exists()


def test_after_a_crash_mid_send_the_row_in_flight_is_never_sent_again(
    make_staff, post, smtp_inbox, django_capture_on_commit_callbacks
):
    active("a@example.com", "b@example.com", "c@example.com")
    send = send_post(make_staff("editor"), post, django_capture_on_commit_callbacks)
    # A batch took every row, began sending to a@ and died before hearing back.
    long_ago = timezone.now() - services.CLAIM_LEASE - datetime.timedelta(minutes=1)
    Delivery.objects.update(claimed_by="dead", claimed_at=long_ago)
    Delivery.objects.filter(subscriber__email="a@example.com").update(started_at=long_ago)
    DBTaskResult.objects.all().delete()

    client_of_editor = make_staff("editor")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_send(actor=client_of_editor, send=send)
    run_worker()

    smtp_inbox.wait_for(2)
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["b@example.com", "c@example.com"]
    in_doubt = Delivery.objects.get(subscriber__email="a@example.com")
    assert in_doubt.status == "failed" and "twice" in in_doubt.error
    send.refresh_from_db()
    assert (send.status, send.sent, send.failed) == ("done", 2, 1)


def test_rows_held_by_a_live_batch_are_left_alone(
    make_staff, post, smtp_inbox, django_capture_on_commit_callbacks
):
    active("a@example.com")
    send = send_post(make_staff("editor"), post, django_capture_on_commit_callbacks)
    Delivery.objects.update(claimed_by="busy", claimed_at=timezone.now())
    DBTaskResult.objects.all().delete()
    assert services.deliver_batch(send_id=send.pk) == 0
    assert smtp_inbox.messages == []
    follow_up = DBTaskResult.objects.get()
    assert follow_up.run_after > timezone.now() + datetime.timedelta(minutes=10)


def test_the_studio_resumes_a_stalled_send(
    client, make_staff, post, smtp_inbox, django_capture_on_commit_callbacks
):
    active("a@example.com")
    send = send_post(make_staff("editor"), post, django_capture_on_commit_callbacks)
    DBTaskResult.objects.all().delete()  # the worker lost its queue
    client.force_login(make_staff("editor"))
    assert "Resume" in client.get("/studio/newsletter/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/studio/newsletter/resume/{send.pk}/").status_code == 302
    run_worker()
    assert [m["To"] for m in smtp_inbox.wait_for(1)] == ["a@example.com"]
    client.force_login(make_staff("author"))
    assert client.post(f"/studio/newsletter/resume/{send.pk}/").status_code == 403


def test_subscribing_while_the_mail_server_is_down_gives_a_clear_answer(client, db, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},  # nothing listens
        }
    }
    response = subscribe(client, "down@example.com")
    assert response.status_code == 503
    assert 'role="alert"' in response.content.decode()
