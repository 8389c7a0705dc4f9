"""The reminder: a writer hears by email when one of their predictions reaches its date
unresolved, once, with a link to resolve it.

`queue_reminders` is a periodic job of the worker (`BROADSHEET_PERIODIC_JOBS`): it marks
each due prediction `reminded_at` and queues its email in the same transaction (on commit),
so two workers never send one twice; `tasks.remind` sends it.
"""

import datetime
import functools

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts import permissions
from broadsheet.core.addresses import site_origin
from broadsheet.core.markup import truncate_words
from broadsheet.predictions.models import Outcome, Prediction
from broadsheet.predictions.selectors import site_today


def queue_reminders(*, now: datetime.datetime | None = None) -> int:
    """Queue the reminder of every open prediction whose date has passed (in the site's
    time zone) and whose author has not been told; returns how many."""
    from broadsheet.predictions import tasks

    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Prediction.objects.select_for_update()
            .filter(outcome=Outcome.OPEN, reminded_at__isnull=True, resolves_on__lt=site_today(now))
            .values_list("pk", flat=True)
        )
        if not due:
            return 0
        origin = site_origin()  # no address for the link: fail here, before marking any
        # An update sends no signal: a reminder changes nothing readers see.
        Prediction.objects.filter(pk__in=due).update(reminded_at=now)
        for pk in due:
            transaction.on_commit(functools.partial(tasks.remind.enqueue, pk, origin))
    return len(due)


def send_reminder(prediction: Prediction, *, origin: str) -> int:
    """Email the author of `prediction` (its author loaded) that it is due; nothing if it
    was resolved meanwhile, or its author may no longer resolve it (suspended, or off the
    staff) or has no address. Returns how many were sent."""
    author = prediction.author
    if prediction.is_resolved or not author.email:
        return 0
    if not permissions.can_resolve_prediction(author, prediction):
        return 0
    context = {
        "prediction": prediction,
        "name": author.public_name,
        "link": origin + reverse("predictions_studio:resolve", args=[prediction.pk]),
        "post_link": (
            origin + prediction.get_absolute_url()
            if prediction.post is not None and prediction.post.is_published
            else ""
        ),
    }
    subject = f"Time to resolve your prediction: “{truncate_words(prediction.statement, 60)}”"
    body = render_to_string("predictions/email/reminder.txt", context)
    return EmailMessage(subject, body, to=[author.email]).send()
