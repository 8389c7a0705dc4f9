"""The comment actions called directly, as the admin, the demo and the importers call them:
who may, what they write, and the notices they queue once the write commits."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django_tasks_db.models import DBTaskResult

from broadsheet.comments import notifications, services, spam
from broadsheet.comments.models import MAX_DEPTH, BlockedSender, Comment
from broadsheet.comments.services import Moderation, block_sender, moderate, post_comment
from broadsheet.comments.tasks import notify
from broadsheet.content.models import Post
from broadsheet.core.models import SiteSettings
from broadsheet.core.services import save_site_settings

ORIGIN = "http://site.example"


def notices_queued() -> int:
    """Notice tasks waiting for the worker: queued only once a write has committed."""
    return DBTaskResult.objects.filter(task_path=notify.module_path).count()


def reader_comment(post, body="A fair point.", **fields) -> Comment:
    """As the comment form sends it: with a submission, so checked and told of."""
    submission = spam.Submission(name="Ann", email="", body=body, address_hash="ab" * 32)
    return post_comment(
        post=post, name="Ann", body=body, submission=submission, origin=ORIGIN, **fields
    )


@pytest.fixture
def quiet_author(post):
    post.author.notify_comments = False
    post.author.save()
    return post.author


# --- Posting ---


def test_a_comment_on_a_post_that_is_not_public_is_refused(make_post):
    draft = make_post("Not yet", status=Post.Status.DRAFT)

    with pytest.raises(PermissionDenied):
        post_comment(post=draft, name="Ann", body="Early.")
    assert not Comment.objects.exists()


def test_no_comment_is_taken_while_comments_are_closed(post):
    save_site_settings(SiteSettings(comment_policy="closed"))

    with pytest.raises(PermissionDenied):
        reader_comment(post)
    assert not Comment.objects.exists()


def test_a_readers_comment_tells_the_author_once_it_commits(
    post, smtp_inbox, run_tasks, django_capture_on_commit_callbacks
):
    post.author.email = "ada@example.com"
    post.author.save()

    with django_capture_on_commit_callbacks(execute=True):
        reader_comment(post, body="Nice piece.")
        assert notices_queued() == 0
    assert notices_queued() == 1
    run_tasks()

    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == "ada@example.com" and "Nice piece." in smtp_inbox.text_of(message)
    assert f"{ORIGIN}/studio/comments/" in smtp_inbox.text_of(message)


def test_a_comment_that_arrives_with_its_history_tells_nobody(
    post, django_capture_on_commit_callbacks
):
    post.author.email = "ada@example.com"
    post.author.save()

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(post=post, name="Old", body="From the archive.", approved=True)

    assert notices_queued() == 0


def test_a_readers_comment_needs_an_address_for_its_links(post, settings):
    settings.SITE_URL = ""
    submission = spam.Submission(name="Ann", email="", body="Hi.", address_hash="")

    with pytest.raises(ImproperlyConfigured):
        post_comment(post=post, name="Ann", body="Hi.", submission=submission)
    assert not Comment.objects.exists()


@pytest.mark.parametrize("made_unfit", ["withdrawn", "held", "elsewhere"])
def test_a_reply_to_a_comment_that_takes_none_is_refused(post, make_post, made_unfit):
    parent = post_comment(post=post, name="Ann", body="First.", approved=True)
    target = post
    if made_unfit == "withdrawn":
        Comment.objects.filter(pk=parent.pk).update(withdrawn=True)
    elif made_unfit == "held":
        Comment.objects.filter(pk=parent.pk).update(status=Comment.Status.PENDING)
    else:
        target = make_post("Another post")

    with pytest.raises(ValidationError):
        post_comment(post=target, name="Bo", body="Reply.", parent=parent, approved=True)
    assert Comment.objects.count() == 1


def test_a_reply_below_the_deepest_level_joins_that_levels_thread(post):
    parent = post_comment(post=post, name="L0", body="x", approved=True)
    for depth in range(1, MAX_DEPTH + 1):
        parent = post_comment(post=post, name=f"L{depth}", body="x", parent=parent, approved=True)

    deeper = post_comment(post=post, name="Deeper", body="x", parent=parent, approved=True)

    assert parent.depth == MAX_DEPTH and deeper.depth == MAX_DEPTH
    assert deeper.parent == parent.parent


# --- The commenter's own changes ---


def test_editing_needs_the_key_for_that_comment(post):
    mine = post_comment(post=post, name="Ann", body="Mine.", approved=True)
    theirs = post_comment(post=post, name="Bo", body="Theirs.", approved=True)

    with pytest.raises(PermissionDenied):
        services.edit_own_comment(comment=mine, key=services.edit_key(theirs), body="Hacked")
    services.edit_own_comment(comment=mine, key=services.edit_key(mine), body="*Better*")

    mine.refresh_from_db()
    assert mine.body == "*Better*" and "<em>Better</em>" in mine.body_html and mine.edited_at


def test_a_withdrawn_comment_cannot_be_edited_again(post):
    mine = post_comment(post=post, name="Ann", body="Mine.", approved=True)
    key = services.edit_key(mine)
    services.withdraw_own_comment(comment=mine, key=key)

    with pytest.raises(PermissionDenied):
        services.edit_own_comment(comment=mine, key=key, body="Back")
    mine.refresh_from_db()
    assert mine.withdrawn and mine.body == ""


def test_the_stop_link_stops_reply_notices_for_its_comment_only(post):
    mine = post_comment(post=post, name="Ann", body="Mine.", email="ann@example.com")
    theirs = post_comment(post=post, name="Bo", body="Theirs.", email="bo@example.com")
    Comment.objects.update(notify_replies=True)

    with pytest.raises(PermissionDenied):
        services.stop_reply_notices(token=notifications.stop_token(mine) + "x")
    stopped = services.stop_reply_notices(token=notifications.stop_token(mine))

    assert stopped == mine and stopped.notify_replies is False
    flags = dict(Comment.objects.values_list("pk", "notify_replies"))
    assert flags == {mine.pk: False, theirs.pk: True}


# --- Moderation ---


@pytest.mark.parametrize("role", ["author", "contributor"])
@pytest.mark.parametrize("action", [Moderation.APPROVE, Moderation.DELETE, "unknown"])
def test_only_editors_and_above_moderate(make_staff, post, role, action):
    held = post_comment(post=post, name="Ann", body="x", approved=False)

    with pytest.raises(PermissionDenied):
        moderate(actor=make_staff(role), comment=held, action=action)
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_an_unknown_moderation_is_refused(make_staff, post):
    held = post_comment(post=post, name="Ann", body="x", approved=False)

    with pytest.raises(ValidationError):
        moderate(actor=make_staff("editor"), comment=held, action="promote")


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (Moderation.APPROVE, "approved"),
        (Moderation.REJECT, "rejected"),
        (Moderation.SPAM, "spam"),
        (Moderation.HOLD, "pending"),
    ],
)
def test_a_moderation_sets_the_status(make_staff, post, action, status):
    comment = post_comment(post=post, name="Ann", body="x", approved=action == Moderation.HOLD)

    said = moderate(actor=make_staff("editor"), comment=comment, action=action, origin=ORIGIN)

    comment.refresh_from_db()
    assert comment.status == status and "Ann" in said


def test_approving_a_reply_tells_the_commenter_it_answers_once(
    make_staff, post, quiet_author, smtp_inbox, run_tasks, django_capture_on_commit_callbacks
):
    first = post_comment(
        post=post, name="Ann", email="ann@example.com", body="First.", approved=True
    )
    first.notify_replies = True
    first.save()
    reply = post_comment(post=post, name="Bo", body="Held reply.", parent=first, approved=False)
    editor = make_staff("editor")

    with django_capture_on_commit_callbacks(execute=True):
        moderate(actor=editor, comment=reply, action=Moderation.APPROVE, origin=ORIGIN)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(actor=editor, comment=reply, action=Moderation.APPROVE, origin=ORIGIN)
    assert notices_queued() == 1  # approving it again tells nobody again
    run_tasks()

    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == "ann@example.com" and "Held reply." in smtp_inbox.text_of(message)
    assert f"{ORIGIN}{post.get_absolute_url()}#comment-{reply.pk}" in smtp_inbox.text_of(message)


def test_a_moderation_that_fails_queues_nothing(
    make_staff, post, django_capture_on_commit_callbacks
):
    held = post_comment(post=post, name="Ann", body="x", approved=False)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        moderate(actor=make_staff("author"), comment=held, action=Moderation.APPROVE)

    assert notices_queued() == 0


# --- Blocking ---


@pytest.mark.parametrize("role", ["author", "contributor"])
def test_only_editors_and_above_block_senders(make_staff, post, role):
    comment = reader_comment(post)

    with pytest.raises(PermissionDenied):
        block_sender(actor=make_staff(role), comment=comment, by_email=False)
    assert not BlockedSender.objects.exists()


def test_blocking_by_email_needs_an_email(make_staff, post):
    comment = reader_comment(post)

    with pytest.raises(ValidationError):
        block_sender(actor=make_staff("editor"), comment=comment, by_email=True)
    assert not BlockedSender.objects.exists()


def test_blocking_moves_everything_they_sent_to_spam(make_staff, post):
    first = post_comment(post=post, name="A", email="Spam@Example.com", body="x", approved=True)
    post_comment(post=post, name="A", email="spam@example.com", body="y", approved=True)
    post_comment(post=post, name="B", email="fine@example.com", body="z", approved=True)

    moved = block_sender(actor=make_staff("editor"), comment=first, by_email=True)

    assert moved == 2
    assert BlockedSender.objects.get().email == "spam@example.com"
    assert Comment.objects.filter(status=Comment.Status.SPAM).count() == 2
