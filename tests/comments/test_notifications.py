"""Comment notices by email, through the background worker and a real SMTP server."""

from urllib.parse import urlsplit

from django.urls import reverse

from broadsheet.comments.models import Comment


def comment_url(post) -> str:
    return f"{post.get_absolute_url()}comments/"


def send(client, post, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(comment_url(post), data)


def test_the_author_hears_of_a_new_comment(
    client, post, smtp_inbox, run_tasks, django_capture_on_commit_callbacks
):
    post.author.email = "ada@example.com"
    post.author.save()

    send(client, post, django_capture_on_commit_callbacks, name="Ann", body="Nice piece.")
    run_tasks()

    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == "ada@example.com" and post.title in message["Subject"]
    assert "Nice piece." in smtp_inbox.text_of(message)


def test_a_commenter_hears_of_replies_and_can_stop_with_one_click(
    client, post, smtp_inbox, run_tasks, django_capture_on_commit_callbacks
):
    post.author.notify_comments = False
    post.author.save()
    send(
        client,
        post,
        django_capture_on_commit_callbacks,
        name="Ann",
        body="First.",
        email="ann@example.com",
        notify_replies="on",
    )
    first = Comment.objects.get()
    send(
        client, post, django_capture_on_commit_callbacks, name="Bo", body="Reply!", parent=first.pk
    )
    run_tasks()

    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == "ann@example.com" and "Reply!" in smtp_inbox.text_of(message)
    stop = message["List-Unsubscribe"].strip("<>")
    response = client.post(urlsplit(stop).path)  # a mail client's one-click POST
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.notify_replies is False


def test_spam_and_forged_stop_links_tell_nobody_and_never_500(
    client, post, smtp_inbox, run_tasks, django_capture_on_commit_callbacks
):
    post.author.email = "ada@example.com"
    post.author.save()
    send(
        client,
        post,
        django_capture_on_commit_callbacks,
        name="Spammer",
        body="http://a.example http://b.example http://c.example",
    )
    run_tasks()

    assert smtp_inbox.messages == []
    forged = reverse("comments:stop_notices", args=["forged:token"])
    assert client.get(forged).status_code == 400
    assert client.post(forged).status_code == 400
