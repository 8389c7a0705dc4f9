"""Background work for content, run by `broadsheet worker` (or by `broadsheet serve`)."""

from django.tasks import task

from broadsheet.content import services


@task
def publish_due() -> int:
    """Enqueued for a scheduled post's time (see `services.save_post`); publishes every
    post that is due by then. The worker also runs it now and then, for posts whose task
    was never queued (a database copied from elsewhere, a lost queue)."""
    return services.publish_due_posts()
