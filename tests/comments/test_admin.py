"""Moderating in Django's admin is the same action as in the studio: an approved reply is
told of (it was not, before), and a deletion takes the replies with it."""

import pytest
from django.urls import reverse

from broadsheet.comments.models import Comment
from broadsheet.comments.services import post_comment


@pytest.fixture
def admin_client(client, make_staff):
    client.force_login(make_staff("administrator"))
    return client


@pytest.fixture
def held_reply(post):
    post.author.notify_comments = False
    post.author.save()
    first = post_comment(
        post=post, name="Ann", email="ann@example.com", body="First.", approved=True
    )
    Comment.objects.filter(pk=first.pk).update(notify_replies=True)
    return post_comment(post=post, name="Bo", body="A held reply.", parent=first, approved=False)


def assert_ann_is_told_of(reply, smtp_inbox):
    [message] = smtp_inbox.wait_for(1)
    assert message["To"] == "ann@example.com"
    assert "A held reply." in smtp_inbox.text_of(message)
    assert f"http://testserver{reply.get_absolute_url()}" in smtp_inbox.text_of(message)


def test_approving_in_the_admins_list_tells_the_commenter_replied_to(
    admin_client, held_reply, smtp_inbox, run_tasks, django_capture_on_commit_callbacks
):
    changelist = reverse("admin:broadsheet_comments_comment_changelist")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(held_reply.pk),
        "form-0-status": "approved",
        "_save": "Save",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"{changelist}?status__exact=pending", data)
    run_tasks()

    assert response.status_code == 302
    held_reply.refresh_from_db()
    assert held_reply.status == "approved"
    assert_ann_is_told_of(held_reply, smtp_inbox)


def save_on_change_page(client, reply, **changes):
    """The admin's change page as a browser sends it: every editable field."""
    change = reverse("admin:broadsheet_comments_comment_change", args=[reply.pk])
    data = {"parent": reply.parent_id, "root": reply.root_id, "member": "", "email": ""}
    data["status"] = reply.status
    return client.post(change, {**data, **changes})


def test_approving_on_the_admins_change_page_tells_them_too(
    admin_client, held_reply, smtp_inbox, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = save_on_change_page(admin_client, held_reply, status="approved")
    run_tasks()

    assert response.status_code == 302
    assert_ann_is_told_of(held_reply, smtp_inbox)


def test_saving_other_fields_in_the_admin_tells_nobody(
    admin_client, held_reply, smtp_inbox, run_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = save_on_change_page(admin_client, held_reply, email="bo@example.com")
    run_tasks()

    assert response.status_code == 302
    held_reply.refresh_from_db()
    assert (held_reply.email, held_reply.status) == ("bo@example.com", "pending")
    assert smtp_inbox.messages == []


def test_deleting_in_the_admin_takes_the_replies_with_it(admin_client, held_reply):
    first = held_reply.parent
    delete = reverse("admin:broadsheet_comments_comment_delete", args=[first.pk])

    response = admin_client.post(delete, {"post": "yes"})

    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_the_admins_bulk_delete_moderates_each(admin_client, post, held_reply):
    other = post_comment(post=post, name="Cy", body="Another.", approved=True)
    changelist = reverse("admin:broadsheet_comments_comment_changelist")
    data = {
        "action": "delete_selected",
        "_selected_action": [held_reply.parent_id, other.pk],
        "post": "yes",
    }

    response = admin_client.post(changelist, data)

    assert response.status_code == 302
    assert not Comment.objects.exists()
