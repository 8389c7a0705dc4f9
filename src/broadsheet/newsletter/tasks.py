"""Background sending of the newsletter, run by `broadsheet worker`."""

from django.tasks import task

from broadsheet.newsletter import services


@task
def deliver(send_id: int) -> int:
    """Mail one batch of a send; the batch queues the next one itself."""
    return services.deliver_batch(send_id=send_id)
