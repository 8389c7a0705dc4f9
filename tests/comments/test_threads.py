"""Threads on the post page: replies, depth, the author's mark, withdrawn comments."""

import pytest
from django.contrib.messages import get_messages

from broadsheet.comments.models import MAX_DEPTH, Comment
from broadsheet.comments.services import EDIT_SALT, EDIT_WINDOW, edit_key, post_comment
from tests.backdated import BackdatedSigner


def comment_url(post) -> str:
    return f"{post.get_absolute_url()}comments/"


def say(post, name="Ann", parent=None, **fields) -> Comment:
    return post_comment(post=post, name=name, body=f"{name} says", parent=parent, approved=True)


def test_a_reader_replies_to_a_comment(client, post):
    first = say(post, "Ann")

    response = client.post(
        comment_url(post), {"name": "Bo", "body": "I disagree.", "parent": first.pk}
    )

    reply = Comment.objects.get(name="Bo")
    assert response.status_code == 302 and reply.parent == first and reply.root == first
    html = client.get(post.get_absolute_url()).content.decode()
    thread = html.split(f'id="comment-{first.pk}"')[1]
    assert '<ol class="comment-replies">' in thread and "I disagree." in thread


def test_replies_nest_to_a_depth_then_join_the_thread(post):
    comment = say(post, "L0")
    for level in range(1, MAX_DEPTH + 3):
        comment = say(post, f"L{level}", parent=comment)

    deepest = Comment.objects.get(name=f"L{MAX_DEPTH + 2}")
    assert deepest.depth == MAX_DEPTH
    assert deepest.parent.depth == MAX_DEPTH - 1
    assert {c.root_id for c in Comment.objects.exclude(name="L0")} == {
        Comment.objects.get(name="L0").pk
    }


@pytest.mark.parametrize("state", ["held", "withdrawn", "elsewhere"])
def test_a_reply_to_a_held_withdrawn_or_foreign_comment_is_refused(client, post, make_post, state):
    other = make_post("Other")
    target = post_comment(
        post=other if state == "elsewhere" else post,
        name="T",
        body="x",
        approved=state != "held",
    )
    if state == "withdrawn":
        Comment.objects.filter(pk=target.pk).update(withdrawn=True)

    response = client.post(comment_url(post), {"name": "Bo", "body": "Reply", "parent": target.pk})

    assert response.status_code == 400
    assert "can no longer be replied to" in response.content.decode()
    assert "Reply" in response.content.decode()  # the text is kept
    assert not Comment.objects.filter(name="Bo").exists()


def test_the_reply_link_works_without_script(client, post):
    first = say(post, "Ann")

    html = client.get(post.get_absolute_url(), {"reply": first.pk}).content.decode()

    assert "Reply to Ann" in html and f'name="parent" value="{first.pk}"' in html


def test_the_posts_author_is_marked_in_the_thread(client, post):
    client.force_login(post.author)
    client.post(comment_url(post), {"body": "Thanks for reading."})
    client.logout()

    html = client.get(post.get_absolute_url()).content.decode()

    assert 'class="comment by-author"' in html and '<span class="badge">Author</span>' in html
    assert Comment.objects.get().name == post.author.public_name


def test_a_commenter_changes_then_withdraws_their_comment_in_the_window(client, post):
    response = client.post(comment_url(post), {"name": "Ann", "body": "Frist!"})
    comment = Comment.objects.get()
    [message] = list(get_messages(response.wsgi_request))
    edit_url = str(message).split('href="')[1].split('"')[0].replace("&amp;", "&")
    say(post, "Bo", parent=comment)

    client.post(edit_url, {"action": "save", "body": "First!", "key": edit_url.split("key=")[1]})
    comment.refresh_from_db()
    assert comment.body == "First!" and comment.edited_at is not None

    client.post(edit_url, {"action": "withdraw", "key": edit_url.split("key=")[1]})
    html = client.get(post.get_absolute_url()).content.decode()
    assert "withdrawn by its writer" in html and "First!" not in html
    assert "Bo says" in html  # the reply keeps its place


def test_the_edit_window_closes_and_keys_cannot_be_forged(client, post):
    comment = say(post)
    url = f"/comments/{comment.pk}/edit/"
    other = say(post, "Other")

    assert client.get(url, {"key": "forged"}).status_code == 403
    assert client.get(url, {"key": edit_key(other)}).status_code == 403
    signer = BackdatedSigner(salt=EDIT_SALT, seconds_ago=EDIT_WINDOW.total_seconds() + 60)
    old_key = signer.sign(str(comment.pk))
    response = client.post(url, {"action": "save", "body": "Late", "key": old_key})
    assert response.status_code == 403 and "has passed" in response.content.decode()
    comment.refresh_from_db()
    assert comment.body == "Ann says"
