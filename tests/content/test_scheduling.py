"""Scheduled posts go public at their time: by the worker's task, and without it."""

import datetime

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from broadsheet.content.models import Post
from broadsheet.content.services import Edit, publish_due_posts
from broadsheet.content.services import schedule as schedule_post


def schedule(actor, when: datetime.datetime) -> Post:
    return schedule_post(
        actor=actor,
        post=Post(),
        publish_at=when,
        edit=Edit(fields={"title": "Planned", "body": "B"}, tag_names=[]),
    )


def test_a_scheduled_post_is_hidden_until_its_time(client, make_staff):
    post = schedule(make_staff("author"), timezone.now() + datetime.timedelta(hours=1))

    assert not Post.objects.published().filter(pk=post.pk).exists()
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "Planned" not in client.get("/").content.decode()


def test_a_due_post_is_shown_even_if_no_worker_ran(client, make_staff):
    post = schedule(make_staff("author"), timezone.now() + datetime.timedelta(hours=1))
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now())  # its time has come

    assert client.get(post.get_absolute_url()).status_code == 200
    assert "Planned" in client.get("/").content.decode()
    assert Post.objects.get(pk=post.pk).status == "scheduled"  # the worker will catch up


def test_the_worker_publishes_the_post_at_its_time(
    make_staff, django_capture_on_commit_callbacks, monkeypatch
):
    # The worker closes idle connections between tasks; here that one holds the test's data.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    when = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        post = schedule(make_staff("author"), when)
    task = DBTaskResult.objects.get()
    assert task.run_after == when

    call_command("worker", batch=True, verbosity=0)  # not due yet: nothing happens
    assert Post.objects.get(pk=post.pk).status == "scheduled"

    past = timezone.now() - datetime.timedelta(seconds=1)
    Post.objects.filter(pk=post.pk).update(published_at=past)
    DBTaskResult.objects.update(run_after=past)
    call_command("worker", batch=True, verbosity=0)

    post.refresh_from_db()
    assert post.status == "published" and post.published_at == past
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_publishing_due_posts_leaves_future_ones(make_staff):
    actor = make_staff("editor")
    later = schedule(actor, timezone.now() + datetime.timedelta(days=1))

    assert publish_due_posts() == 0
    assert publish_due_posts(now=later.published_at) == 1
    assert Post.objects.get(pk=later.pk).status == "published"


def test_the_studio_shows_a_due_post_as_published_without_writing_it(client, make_staff):
    editor = make_staff("editor")
    client.force_login(editor)
    post = schedule(editor, timezone.now() + datetime.timedelta(hours=1))
    Post.objects.filter(pk=post.pk).update(published_at=timezone.now())  # its time has come

    page = client.get(reverse("studio:posts")).content.decode()

    row = page[page.index("Planned") :]
    assert '<span class="status">Published</span>' in row[: row.index("</tr>")]
    assert Post.objects.get(pk=post.pk).status == "scheduled"  # a GET writes nothing
    published = client.get(reverse("studio:posts"), {"status": "published"}).content.decode()
    assert "Planned" in published
