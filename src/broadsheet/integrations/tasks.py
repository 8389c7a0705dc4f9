"""Webhook deliveries, sent in the background by `broadsheet worker`, so no write waits
for someone else's server."""

from django.tasks import task

from broadsheet.integrations import webhooks


@task
def deliver_webhook(delivery_id: int) -> str:
    """One attempt; a failed one queues the next itself, later."""
    return webhooks.attempt_delivery(delivery_id)
