"""Background work for content, run by `broadsheet worker` (or by `broadsheet serve`)."""

from django.tasks import task

from broadsheet.content import services


@task
def publish_due() -> int:
    """Enqueued for a scheduled post's time; publishes every post that is due by then."""
    return services.publish_due_posts()
