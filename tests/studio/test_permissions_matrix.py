"""Every role against every studio action, through HTTP: what is allowed works and what is
refused is refused by the server (a hidden button is not a permission check)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from broadsheet.analytics.models import DailyPostStats
from broadsheet.comments.models import BlockedSender, Comment
from broadsheet.comments.services import post_comment
from broadsheet.content.models import Post, Tag
from broadsheet.content.services import save_post
from broadsheet.importers.models import ImportJob
from broadsheet.integrations.models import Integration
from broadsheet.newsletter.models import Send
from broadsheet.predictions.models import Prediction

ROLES = ["owner", "administrator", "editor", "author", "contributor", "reader"]


@pytest.fixture
def people(make_staff, make_author):
    staff = {role: make_staff(role) for role in ROLES if role != "reader"}
    staff["reader"] = make_author("Just A Reader")
    return staff


def _post(author, status="draft", **fields) -> Post:
    fields.setdefault("title", f"A {status} post")
    return save_post(Post(body="Text.", author=author, status=status, **fields))


def _edit_data(post: Post, **changes) -> dict:
    data = {"title": post.title, "body": post.body, "slug": post.slug, "tags": ""}
    data.update(changes)
    return data


# (action, who may do it). "own" means the actor's own post, "other" someone else's.
MATRIX = {
    "open studio": {"owner", "administrator", "editor", "author", "contributor"},
    "create draft": {"owner", "administrator", "editor", "author", "contributor"},
    "publish own": {"owner", "administrator", "editor", "author"},
    "edit other's draft": {"owner", "administrator", "editor"},
    "publish other's": {"owner", "administrator", "editor"},
    "edit own published": {"owner", "administrator", "editor", "author"},
    "trash other's": {"owner", "administrator", "editor"},
    "create tag": {"owner", "administrator", "editor", "author"},
    "manage pages": {"owner", "administrator", "editor"},
    "manage tags": {"owner", "administrator", "editor"},
    "site settings": {"owner", "administrator"},
    "staff list": {"owner", "administrator", "editor"},
    "view stats": {"owner", "administrator", "editor", "author"},
    "open django admin": {"owner", "administrator"},
    # Community: comments and the newsletter.
    "moderate comments": {"owner", "administrator", "editor"},
    "block sender": {"owner", "administrator", "editor"},
    "send newsletter": {"owner", "administrator", "editor"},
    # Stats: authors see their own posts', editors and up everyone's.
    "view own post's stats": {"owner", "administrator", "editor", "author"},
    "view other's post stats": {"owner", "administrator", "editor"},
    "see other's post in site stats": {"owner", "administrator", "editor"},
    # What readers search for: the whole site's searches, which tell of no one's posts.
    "view search stats": {"owner", "administrator", "editor", "author"},
    # Moving in and out: a whole site's content.
    "import content": {"owner", "administrator"},
    "export content": {"owner", "administrator"},
    # Outside systems: API keys and webhooks.
    "manage integrations": {"owner", "administrator"},
    # Predictions: every writer resolves those on their own record, editors and up everyone's.
    "open predictions page": {"owner", "administrator", "editor", "author", "contributor"},
    "resolve own prediction": {"owner", "administrator", "editor", "author", "contributor"},
    "resolve other's prediction": {"owner", "administrator", "editor"},
}


def attempt(action: str, client, actor, people) -> bool:
    """Try `action` as `actor`; True if it took effect."""
    other = people["editor"] if actor != people["editor"] else people["administrator"]
    if action == "open studio":
        return client.get(reverse("studio:posts")).status_code == 200
    if action == "create draft":
        client.post(reverse("studio:post_new"), {"title": "Mine", "body": "B", "action": "save"})
        return Post.objects.filter(title="Mine", author=actor).exists()
    if action == "publish own":
        post = _post(actor)
        client.post(reverse("studio:post_edit", args=[post.pk]), _edit_data(post, action="publish"))
        return Post.objects.get(pk=post.pk).is_published
    if action == "edit other's draft":
        post = _post(other)
        client.post(reverse("studio:post_edit", args=[post.pk]), _edit_data(post, title="Changed"))
        return Post.objects.get(pk=post.pk).title == "Changed"
    if action == "publish other's":
        post = _post(other)
        client.post(reverse("studio:post_edit", args=[post.pk]), _edit_data(post, action="publish"))
        return Post.objects.get(pk=post.pk).is_published
    if action == "edit own published":
        post = _post(actor, status="published")
        client.post(reverse("studio:post_edit", args=[post.pk]), _edit_data(post, title="New"))
        return Post.objects.get(pk=post.pk).title == "New"
    if action == "trash other's":
        post = _post(other)
        client.post(reverse("studio:post_trash", args=[post.pk]))
        return Post.objects.get(pk=post.pk).trashed_at is not None
    if action == "create tag":
        post = _post(actor)
        client.post(reverse("studio:post_edit", args=[post.pk]), _edit_data(post, tags="Brand new"))
        return Tag.objects.filter(name="Brand new").exists()
    if action == "manage tags":
        client.post(reverse("studio:tag_new"), {"name": "Curated", "description": "x"})
        return Tag.objects.filter(name="Curated").exists()
    if action == "manage pages":
        client.post(
            reverse("studio:page_new"), {"title": "About", "body": "Us.", "status": "draft"}
        )
        return client.get(reverse("studio:pages")).status_code == 200 and _page_exists("about")
    if action == "site settings":
        response = client.get(reverse("studio:settings"))
        return response.status_code == 200
    if action == "staff list":
        return client.get(reverse("staff:list")).status_code == 200
    if action == "view stats":
        return client.get(reverse("analytics:overview")).status_code == 200
    if action == "view search stats":
        return client.get(reverse("search_stats:overview")).status_code == 200
    if action == "open django admin":
        return client.get(reverse("admin:index")).status_code == 200
    if action == "import content":
        feed = "https://old.example/feed/"
        client.post(reverse("import_studio:start"), {"url": feed, "author_role": "contributor"})
        return ImportJob.objects.filter(source_name=feed).exists()
    if action == "export content":
        response = client.post(reverse("export_studio:download"), {"format": "archive"})
        return response.status_code == 200 and response["Content-Type"] == "application/zip"
    if action == "manage integrations":
        client.post(reverse("integrations:list"), {"name": "Matrix", "role": "editor"})
        return Integration.objects.filter(name="Matrix").exists()
    if action in COMMUNITY:
        return COMMUNITY[action](client, actor)
    if action == "open predictions page":
        return client.get(reverse("predictions_studio:list")).status_code == 200
    if action in ("resolve own prediction", "resolve other's prediction"):
        made = _prediction(actor if action == "resolve own prediction" else other)
        url = reverse("predictions_studio:resolve", args=[made.pk])
        client.post(url, {"outcome": "true", "note": "It happened."})
        return Prediction.objects.get(pk=made.pk).outcome == "true"
    if action in ("view own post's stats", "view other's post stats"):
        post = _post(actor if action == "view own post's stats" else other, status="published")
        return client.get(reverse("analytics:post", args=[post.pk])).status_code == 200
    if action == "see other's post in site stats":
        post = _post(other, status="published", title="A hit by another writer")
        DailyPostStats.objects.create(post=post, day=timezone.localdate(), views=5, readers=4)
        response = client.get(reverse("analytics:overview"))
        return response.status_code == 200 and post.title in response.content.decode()
    raise AssertionError(action)


def _moderate_comments(client, actor) -> bool:
    comment = _comment(actor, approved=False)
    client.post(reverse("studio:comment_moderate", args=[comment.pk]), {"action": "approve"})
    return Comment.objects.get(pk=comment.pk).approved


def _block_sender(client, actor) -> bool:
    comment = _comment(actor, email="sender@example.com")
    url = reverse("studio:comment_moderate", args=[comment.pk])
    client.post(url, {"action": "block_email"})
    return BlockedSender.objects.filter(email="sender@example.com").exists()


def _send_newsletter(client, actor) -> bool:
    post = _post(actor, status="published")
    client.post(reverse("newsletter_studio:send", args=[post.pk]))
    return Send.objects.filter(post=post).exists()


def _comment(actor, **fields) -> Comment:
    on = _post(actor, status="published")
    return post_comment(post=on, name="A reader", body="A comment.", **fields)


COMMUNITY = {
    "moderate comments": _moderate_comments,
    "block sender": _block_sender,
    "send newsletter": _send_newsletter,
}


def _prediction(author) -> Prediction:
    """A prediction on `author`'s record, its date passed."""
    block = "```prediction\nIt will happen.\nprobability: 60%\nresolves: 2020-01-31\n```\n"
    written = timezone.now() - datetime.timedelta(days=3650)  # made years ago, before its date
    post = save_post(
        Post(
            title="A forecast", body=block, author=author, status="published", published_at=written
        )
    )
    return post.predictions.get()


def _page_exists(slug: str) -> bool:
    from broadsheet.content.models import Page

    return Page.objects.filter(slug=slug).exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(MATRIX))
def test_role_by_action(client, people, role, action):
    actor = people[role]
    client.force_login(actor)

    allowed = attempt(action, client, actor, people)

    assert allowed == (role in MATRIX[action]), f"{role} / {action}"


def test_anonymous_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(reverse("studio:posts"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_contributor_cannot_publish_by_forging_the_action(client, make_staff):
    contributor = make_staff("contributor")
    client.force_login(contributor)

    response = client.post(
        reverse("studio:post_new"), {"title": "Sneaky", "body": "B", "action": "publish"}
    )

    assert response.status_code == 403
    assert not Post.objects.filter(title="Sneaky").exists()


def test_a_contributor_cannot_edit_their_post_once_published(client, make_staff):
    contributor = make_staff("contributor")
    post = _post(contributor, status="published")
    client.force_login(contributor)

    response = client.post(
        reverse("studio:post_edit", args=[post.pk]), _edit_data(post, title="Rewritten")
    )

    assert response.status_code == 403
    assert Post.objects.get(pk=post.pk).title == post.title


def test_authors_do_not_see_other_peoples_posts(client, make_staff):
    author, editor = make_staff("author"), make_staff("editor")
    theirs = _post(editor)
    client.force_login(author)

    assert client.get(reverse("studio:post_edit", args=[theirs.pk])).status_code == 404
    assert theirs.title not in client.get(reverse("studio:posts")).content.decode()


def test_a_refusal_is_a_clear_page_in_the_sites_design(client, make_staff):
    client.force_login(make_staff("contributor"))

    response = client.get(reverse("studio:settings"))

    assert response.status_code == 403
    assert "Your role does not allow this." in response.content.decode()


def test_staff_without_the_admin_get_a_refusal_not_a_login_loop(client, make_staff):
    client.force_login(make_staff("contributor"))

    for url in (reverse("admin:index"), reverse("admin:broadsheet_content_post_changelist")):
        response = client.get(url)
        assert response.status_code == 403
        assert "for owners and administrators" in response.content.decode()


def test_the_admin_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("accounts:login"))
    assert response.status_code == 200
