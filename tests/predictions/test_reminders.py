"""The reminder: once a prediction's date has passed (in the site's time zone) unresolved,
its author hears once by email, through the real worker and a real SMTP server."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from broadsheet.accounts.models import User
from broadsheet.core.selectors import editable_site_settings
from broadsheet.core.services import save_site_settings
from broadsheet.predictions.models import Outcome, Prediction
from broadsheet.predictions.notifications import queue_reminders
from broadsheet.predictions.selectors import deadline, site_today
from broadsheet.predictions.services import resolve
from tests.predictions.helpers import days_from_today, published
from tests.predictions.test_record import prediction

ORIGIN = "https://news.example"


@pytest.fixture
def writer(make_staff, settings):
    settings.SITE_URL = ORIGIN
    return make_staff("author", name="Rhea Forecaster", email="rhea@example.com")


@pytest.fixture
def remind(django_capture_on_commit_callbacks, run_tasks):
    """What `broadsheet worker` does: its periodic job queues the reminders, its queue
    runs them."""

    def run(now: datetime.datetime | None = None) -> int:
        with django_capture_on_commit_callbacks(execute=True):
            queued = queue_reminders(now=now)
        run_tasks()
        return queued

    return run


def test_the_worker_runs_the_reminders_job():
    assert "broadsheet.predictions.notifications.queue_reminders" in (
        django_settings.BROADSHEET_PERIODIC_JOBS
    )
    assert import_string("broadsheet.predictions.notifications.queue_reminders") is queue_reminders


def test_the_author_hears_once_when_the_date_has_passed(writer, smtp_inbox, remind):
    published(
        writer,
        prediction("Turnout will pass 60%.", probability="15%", date=days_from_today(-1)),
        title="The election",
    )
    made = Prediction.objects.get()

    assert remind() == 1

    [message] = smtp_inbox.wait_for(1)
    text = smtp_inbox.text_of(message)
    assert message["To"] == "rhea@example.com" and "Turnout will pass 60%." in message["Subject"]
    assert "“Turnout will pass 60%.”" in text and "15% likely" in text
    assert f"{made.resolves_on:%b} {made.resolves_on.day}, {made.resolves_on.year}" in text
    assert ORIGIN + reverse("predictions_studio:resolve", args=[made.pk]) in text
    assert ORIGIN + made.get_absolute_url() in text and "The election" in text
    assert Prediction.objects.get().reminded_at is not None

    assert remind() == 0  # the next run of the job, and the one after

    assert remind() == 0
    assert len(smtp_inbox.messages) == 1


def test_nothing_is_sent_before_the_next_day_begins_in_the_site_s_time_zone(
    writer, smtp_inbox, remind
):
    site = editable_site_settings()
    site.timezone = "Pacific/Auckland"
    save_site_settings(site)
    published(writer, prediction(date=days_from_today(0)))
    due = deadline(site_today())

    assert remind() == 0  # today is its date
    assert remind(now=due - datetime.timedelta(seconds=1)) == 0
    assert due.utcoffset() in (datetime.timedelta(hours=12), datetime.timedelta(hours=13))

    assert remind(now=due) == 1
    smtp_inbox.wait_for(1)


def test_nothing_is_sent_for_a_resolved_prediction(writer, smtp_inbox, remind):
    published(writer, prediction(date=days_from_today(-3)))
    resolve(actor=writer, prediction=Prediction.objects.get(), outcome=Outcome.VOID)

    assert remind() == 0
    assert smtp_inbox.messages == []


def test_one_resolved_after_it_was_queued_is_not_sent(
    writer, smtp_inbox, django_capture_on_commit_callbacks, run_tasks
):
    published(writer, prediction(date=days_from_today(-1)))
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_reminders() == 1
    resolve(actor=writer, prediction=Prediction.objects.get(), outcome=Outcome.TRUE)

    run_tasks()

    assert smtp_inbox.messages == []


def test_without_the_site_s_address_nothing_is_marked(writer, settings, smtp_inbox, remind):
    published(writer, prediction(date=days_from_today(-1)))
    settings.SITE_URL = ""

    with pytest.raises(ImproperlyConfigured):
        remind()

    assert Prediction.objects.get().reminded_at is None
    settings.SITE_URL = ORIGIN
    assert remind() == 1  # told once the address is set
    smtp_inbox.wait_for(1)


@pytest.mark.parametrize("change", [{"is_active": False}, {"role": ""}])
def test_an_author_who_may_no_longer_resolve_it_is_not_written_to(
    writer, smtp_inbox, remind, change
):
    published(writer, prediction(date=days_from_today(-1)))
    User.objects.filter(pk=writer.pk).update(**change)  # suspended, or off the staff

    assert remind() == 1  # marked: it will not be sent later either
    assert smtp_inbox.messages == []
    assert Prediction.objects.get().reminded_at <= timezone.now()
