"""When a prediction's date has passed: from the start of the next day in the site's time
zone, the moment the fast path waits for (`next_deadline_timestamp`)."""

import datetime
import zoneinfo

from broadsheet.core.selectors import editable_site_settings
from broadsheet.core.services import save_site_settings
from broadsheet.predictions.models import Outcome, Prediction
from broadsheet.predictions.selectors import next_deadline_timestamp, site_today
from broadsheet.predictions.services import resolve
from tests.predictions.helpers import days_from_today, published
from tests.predictions.test_record import prediction


def test_the_next_deadline_is_the_earliest_open_date_s_next_midnight_in_the_site_s_zone(
    make_staff,
):
    site = editable_site_settings()
    site.timezone = "America/New_York"
    save_site_settings(site)
    writer = make_staff("author")
    assert next_deadline_timestamp() is None

    published(
        writer,
        prediction("Already awaiting.", date=days_from_today(-1)),
        prediction("Resolved early.", date=days_from_today(2)),
        prediction("The next one.", date=days_from_today(5)),
        prediction("A later one.", date=days_from_today(9)),
    )
    resolve(
        actor=writer,
        prediction=Prediction.objects.get(statement="Resolved early."),
        outcome=Outcome.TRUE,
    )

    day_after = site_today() + datetime.timedelta(days=6)
    zone = zoneinfo.ZoneInfo("America/New_York")
    assert (
        next_deadline_timestamp()
        == datetime.datetime(
            day_after.year, day_after.month, day_after.day, tzinfo=zone
        ).timestamp()
    )


def test_a_prediction_due_today_turns_at_the_end_of_today(make_staff):
    published(make_staff("author"), prediction(date=days_from_today(0)))

    tonight = datetime.datetime.combine(
        site_today() + datetime.timedelta(days=1), datetime.time(), datetime.UTC
    )
    assert next_deadline_timestamp() == tonight.timestamp()
