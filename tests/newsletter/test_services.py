"""The newsletter's send actions called directly: who may, and where the links point."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django_tasks_db.models import DBTaskResult

from broadsheet.newsletter import services
from broadsheet.newsletter.models import Delivery, Send, Subscriber
from broadsheet.newsletter.tasks import deliver

ORIGIN = "http://started-from.example"


def batches_queued() -> int:
    return DBTaskResult.objects.filter(task_path=deliver.module_path).count()


@pytest.fixture
def send(make_staff, post, django_capture_on_commit_callbacks) -> Send:
    Subscriber.objects.create(email="a@example.com", status=Subscriber.Status.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        return services.start_send(actor=make_staff("editor"), post=post, origin=ORIGIN)


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_only_editors_and_above_resume_a_send(make_staff, send, role):
    with pytest.raises(PermissionDenied):
        services.resume_send(actor=make_staff(role), send=send)
    assert batches_queued() == 1  # only the one the start queued


def test_resuming_queues_a_batch_once_it_commits(
    make_staff, send, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.resume_send(actor=make_staff("editor"), send=send)
        assert batches_queued() == 1

    assert batches_queued() == 2


def test_a_send_with_nothing_left_is_done_and_queues_nothing(
    make_staff, send, django_capture_on_commit_callbacks
):
    Delivery.objects.update(status=Delivery.Status.SENT)

    with django_capture_on_commit_callbacks(execute=True):
        assert not services.resume_send(actor=make_staff("editor"), send=send)

    send.refresh_from_db()
    assert send.status == Send.Status.DONE and batches_queued() == 1


def test_a_send_needs_an_address_for_its_links(make_staff, post, settings):
    settings.SITE_URL = ""

    with pytest.raises(ImproperlyConfigured):
        services.start_send(actor=make_staff("editor"), post=post)
    assert not Send.objects.exists()


@pytest.mark.parametrize(
    ("site_url", "links_at"), [("", ORIGIN), ("https://news.example", "https://news.example")]
)
def test_the_links_point_at_site_url_else_where_the_send_started(
    send, smtp_inbox, settings, site_url, links_at
):
    settings.SITE_URL = site_url

    services.deliver_batch(send_id=send.pk)

    [message] = smtp_inbox.wait_for(1)
    assert message["List-Unsubscribe"].startswith(f"<{links_at}/newsletter/unsubscribe/")
