"""Likes in Django's admin: shown, never changed, so `like_count` stays the number of likes."""

import pytest
from django.urls import reverse

from broadsheet.content.models import Post
from broadsheet.likes.models import Like
from broadsheet.likes.readers import new_reader_id
from broadsheet.likes.services import toggle_like


@pytest.fixture
def admin_client(client, make_staff):
    client.force_login(make_staff("owner"))
    return client


@pytest.fixture
def like(post) -> Like:
    toggle_like(reader_id=new_reader_id(), address="192.0.2.1", post=post)
    return Like.objects.get()


def test_the_admin_lists_likes(admin_client, like):
    response = admin_client.get(reverse("admin:broadsheet_likes_like_changelist"))

    assert response.status_code == 200
    assert reverse("admin:broadsheet_likes_like_change", args=[like.pk]) in response.text


def test_the_admin_cannot_delete_a_like(admin_client, like, post):
    # The bug: deleting one here left the post's like_count one too high.
    delete_url = reverse("admin:broadsheet_likes_like_delete", args=[like.pk])
    changelist = reverse("admin:broadsheet_likes_like_changelist")

    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [like.pk], "post": "yes"}
    admin_client.post(changelist, bulk)

    assert Like.objects.filter(pk=like.pk).exists()
    assert Post.objects.values_list("like_count", flat=True).get(pk=post.pk) == 1


def test_the_admin_cannot_add_or_change_a_like(admin_client, like):
    add = admin_client.post(reverse("admin:broadsheet_likes_like_add"), {})
    change = admin_client.post(
        reverse("admin:broadsheet_likes_like_change", args=[like.pk]), {"reader_key": "x"}
    )

    assert add.status_code == 403
    assert change.status_code == 403
    like.refresh_from_db()
    assert like.reader_key != "x"
