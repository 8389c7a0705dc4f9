"""Reminders go out in the background, so no page waits for a mail server."""

from django.tasks import task

from broadsheet.predictions import notifications
from broadsheet.predictions.models import Prediction


@task
def remind(prediction_id: int, origin: str) -> int:
    prediction = (
        Prediction.objects.select_related("author", "post").filter(pk=prediction_id).first()
    )
    if prediction is None:  # deleted meanwhile
        return 0
    return notifications.send_reminder(prediction, origin=origin)
