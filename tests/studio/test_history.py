"""Revisions in the studio: the history, a readable diff between any two, and restore."""

import pytest
from django.urls import reverse

from broadsheet.content.models import Post, Revision
from broadsheet.content.revisions import diff
from broadsheet.studio.forms import ISO_VERSION


@pytest.fixture
def history(client, make_staff):
    """A post saved three times by its author."""
    author = make_staff("author")
    client.force_login(author)
    client.post(
        reverse("studio:post_new"), {"title": "V1", "body": "One.\n\nTwo.", "action": "save"}
    )
    post = Post.objects.get()
    for title, body in [("V2", "One.\n\nTwo, better."), ("V3", "One.\n\nTwo, better.\n\nThree.")]:
        post.refresh_from_db()
        data = {"title": title, "body": body, "slug": post.slug, "action": "save"}
        data["version"] = post.modified_at.strftime(ISO_VERSION)
        client.post(reverse("studio:post_edit", args=[post.pk]), data)
    post.refresh_from_db()
    return post


def test_every_save_is_a_revision_with_who_and_when(client, history):
    revisions = list(history.revisions.order_by("created_at"))

    assert [r.data["title"] for r in revisions] == ["V1", "V2", "V3"]
    page = client.get(reverse("studio:post_history", args=[history.pk])).content.decode()
    assert page.count("Saved") >= 3 and history.author.public_name in page


def test_the_diff_between_two_revisions_shows_removed_and_added_lines(client, history):
    first, _, last = history.revisions.order_by("created_at")

    response = client.get(
        reverse("studio:revision", args=[history.pk, first.pk]), {"against": last.pk}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "Removed: </span>Two." in html
    assert "Added: </span>Two, better." in html and "Added: </span>Three." in html
    assert "Added: </span>One." not in html  # unchanged lines are not marked


@pytest.mark.parametrize("value", ["²", "٣", "abc", "9" * 30, "9" * 5000, "0", "-1"])
def test_an_odd_revision_to_load_is_not_found(client, history, value):
    response = client.get(reverse("studio:post_edit", args=[history.pk]), {"revision": value})

    assert response.status_code == 404


@pytest.mark.parametrize("value", ["²", "٣", "abc", "9" * 5000, "0", ""])
def test_an_odd_revision_to_compare_against_means_the_post_as_it_is(client, history, value):
    first = history.revisions.order_by("created_at").first()

    response = client.get(
        reverse("studio:revision", args=[history.pk, first.pk]), {"against": value}
    )

    assert response.status_code == 200


def test_diff_compares_fields_and_lists():
    changes = diff({"title": "A", "tags": ["x"]}, {"title": "B", "tags": ["x", "y"]})

    assert [c.label for c in changes] == ["Title", "Tags"]
    assert [(line.change, line.text) for line in changes[1].lines] == [(" ", "x"), ("+", "y")]


def test_a_flag_differs_as_yes_or_nothing_and_a_revision_without_it_is_unfeatured():
    changes = diff({"featured": False}, {"featured": True})

    assert [(c.label, [(x.change, x.text) for x in c.lines]) for c in changes] == [
        ("Featured", [("+", "Yes")])
    ]
    assert diff({}, {"featured": False}) == []  # kept before posts could be featured


def test_restoring_a_revision_brings_back_its_featured_flag(client, history, make_staff):
    """A revision kept before posts could be featured leaves the flag as it is."""
    client.force_login(make_staff("editor"))
    first = history.revisions.order_by("created_at").first()
    Post.objects.filter(pk=history.pk).update(featured=True)
    first.data.pop("featured")
    first.save()

    client.post(reverse("studio:revision_restore", args=[history.pk, first.pk]))
    history.refresh_from_db()
    assert history.featured is True

    first.data["featured"] = False
    first.save()
    client.post(reverse("studio:revision_restore", args=[history.pk, first.pk]))
    history.refresh_from_db()
    assert history.featured is False


def test_an_editor_restores_an_old_revision_as_a_new_one(client, history, make_staff):
    editor = make_staff("editor")
    client.force_login(editor)
    first = history.revisions.order_by("created_at").first()

    response = client.post(reverse("studio:revision_restore", args=[history.pk, first.pk]))

    assert response.status_code == 302
    history.refresh_from_db()
    assert (history.title, history.body) == ("V1", "One.\n\nTwo.")
    newest = history.revisions.first()
    assert newest.kind == Revision.Kind.RESTORE and newest.author == editor
    assert history.revisions.count() == 4


def test_another_author_cannot_restore(client, history, make_staff):
    client.force_login(make_staff("author"))
    first = history.revisions.order_by("created_at").first()

    response = client.post(reverse("studio:revision_restore", args=[history.pk, first.pk]))

    assert response.status_code == 404
    history.refresh_from_db()
    assert history.title == "V3"
