"""Writing through Django's admin goes through the same service as everything else."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from broadsheet.content.models import Post


@pytest.fixture
def editor(client, make_staff):
    user = make_staff("administrator", "Ed Itor")
    client.force_login(user)
    return user


def post_form(author, **fields) -> dict:
    now = timezone.localtime()
    return {
        "title": "From the admin",
        "slug": "",
        "author": author.pk,
        "body": "Hello *admin* https://example.org",
        "status": "published",
        "published_at_0": now.strftime("%Y-%m-%d"),
        "published_at_1": now.strftime("%H:%M:%S"),
        "custom_excerpt": "",
        **fields,
    }


def test_adding_a_post_renders_it(client, editor):
    response = client.post(reverse("admin:broadsheet_content_post_add"), post_form(editor))

    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert post.slug == "from-the-admin"
    assert "<em>admin</em>" in post.body_html and 'href="https://example.org"' in post.body_html
    assert post.updated_at is None


def test_the_admin_features_a_post_and_filters_by_it(client, editor):
    client.post(reverse("admin:broadsheet_content_post_add"), post_form(editor, featured="on"))

    assert Post.objects.get().featured is True
    listed = client.get(reverse("admin:broadsheet_content_post_changelist"))
    assert "By featured" in listed.content.decode()  # a filter of its own


def test_changing_a_published_post_sets_updated(client, editor, make_post):
    post = make_post("Old title", author=editor, days_ago=3)
    url = reverse("admin:broadsheet_content_post_change", args=[post.pk])
    published = timezone.localtime(post.published_at)

    response = client.post(
        url,
        post_form(
            editor,
            title="New title",
            slug=post.slug,
            published_at_0=published.strftime("%Y-%m-%d"),
            published_at_1=published.strftime("%H:%M:%S"),
        ),
    )

    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "New title"
    assert timezone.now() - post.updated_at < datetime.timedelta(minutes=1)


def test_admin_pages_render(client, editor, post):
    for url in [
        reverse("admin:index"),
        reverse("admin:broadsheet_content_post_changelist"),
        reverse("admin:broadsheet_content_post_change", args=[post.pk]),
        reverse("admin:broadsheet_core_sitesettings_changelist"),
        reverse("admin:broadsheet_comments_comment_changelist"),
    ]:
        assert client.get(url).status_code == 200, url


def test_the_admin_is_for_owners_and_administrators_only(client, make_author, make_staff):
    url = reverse("admin:broadsheet_content_post_changelist")
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]

    for person in (make_author("Reader"), make_staff("editor")):
        client.force_login(person)
        assert client.get(url).status_code == 403
    # A superuser flag alone (Django's createsuperuser) is no role: roles decide.
    client.force_login(make_author("Flagged", is_staff=True, is_superuser=True))
    assert client.get(url).status_code == 403


def test_tags_that_are_not_ids_are_a_form_error_not_a_server_error(client, editor, make_post):
    post = make_post("Tagged", author=editor)
    change = reverse("admin:broadsheet_content_post_change", args=[post.pk])

    response = client.post(change, post_form(editor, title="Tagged", tags=["²", "9" * 30]))

    assert response.status_code == 200 and "errornote" in response.content.decode()
    add = reverse("admin:broadsheet_content_post_add")
    assert client.get(add, {"tags": "²"}).status_code == 200


def test_tag_ids_past_64_bits_are_a_form_error(client, editor, make_post):
    post = make_post("Tagged", author=editor)
    change = reverse("admin:broadsheet_content_post_change", args=[post.pk])

    response = client.post(change, post_form(editor, title="Tagged", tags=["9223372036854775808"]))

    assert response.status_code == 200 and "errornote" in response.content.decode()
