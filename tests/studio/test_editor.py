"""The editor through HTTP: saving, validation, conflicts, autosave, preview, trash, slugs."""

import datetime
import html
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from broadsheet.content.models import Post, Revision, SlugRedirect, Tag
from broadsheet.core.models import SiteSettings
from broadsheet.core.services import save_site_settings
from broadsheet.predictions.blocks import blocks_of
from broadsheet.studio.forms import ISO_VERSION


@pytest.fixture
def writer(client, make_staff):
    user = make_staff("author", "Wren Writer")
    client.force_login(user)
    return user


def form_data(post: Post | None = None, **changes) -> dict:
    data = {"title": "", "body": "", "slug": "", "tags": "", "action": "save"}
    if post is not None:
        data.update(
            title=post.title,
            body=post.body,
            slug=post.slug,
            version=post.modified_at.strftime(ISO_VERSION),
        )
    data.update(changes)
    return data


def new_post(client, **changes) -> Post:
    response = client.post(reverse("studio:post_new"), form_data(**changes))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Post.objects.latest("pk")


def edit(client, post: Post, **changes):
    post.refresh_from_db()
    return client.post(reverse("studio:post_edit", args=[post.pk]), form_data(post, **changes))


def test_a_new_draft_is_saved_with_tags_and_a_revision(client, writer, make_tag):
    make_tag("Economics")

    post = new_post(client, title="On thrift", body="*Save* more.", tags="economics, New idea")

    assert post.author == writer and post.status == "draft" and post.slug == "on-thrift"
    assert "<em>Save</em>" in post.body_html
    assert sorted(t.name for t in post.tags.all()) == ["Economics", "New idea"]
    assert Tag.objects.count() == 2  # "economics" matched the existing tag
    [revision] = post.revisions.all()
    assert revision.author == writer and revision.data["body"] == "*Save* more."


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "  "}, "Give the post a title."),
        ({"slug": "Not A Slug!"}, "Enter a valid"),
        ({"action": "schedule", "publish_at": "2001-01-01T10:00"}, "That time has passed"),
        ({"action": "schedule", "publish_at": ""}, "Choose the date and time"),
        ({"action": "schedule", "publish_at": "someday"}, "Enter a valid date/time"),
    ],
)
def test_bad_input_gets_a_clear_message_and_keeps_the_text(client, writer, changes, message):
    data = form_data(title="Kept", body="My precious words")
    response = client.post(reverse("studio:post_new"), {**data, **changes})

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "My precious words" in html
    assert not Post.objects.exists()


@pytest.mark.parametrize("action", ["save", "preview"])
def test_a_refused_edit_shows_the_post_as_it_is_stored(client, writer, make_post, action):
    """Checking the form sets what was typed on the post; an emptied address and title must
    not reach the page's links ("View on the site" had no address: a server error)."""
    post = make_post("Stored title", author=writer)

    response = client.post(
        reverse("studio:post_edit", args=[post.pk]), form_data(post, title="", slug="")
    )

    html = response.content.decode()
    assert response.status_code in (200, 400)
    assert "Edit “Stored title”" in html and f'href="{post.get_absolute_url()}"' in html
    post.refresh_from_db()
    assert post.title == "Stored title"


def test_a_duplicate_slug_is_refused_with_the_other_posts_title(client, writer, make_post):
    make_post("The first one", author=writer)

    response = client.post(
        reverse("studio:post_new"), form_data(title="Second", body="B", slug="the-first-one")
    )

    assert response.status_code == 400
    assert "already used by “The first one”" in response.content.decode()


def test_featuring_is_an_edit_kept_in_the_history_and_shown_in_the_list(client, writer):
    post = new_post(client, title="Lead story", body="Big news.", featured="on")

    assert post.featured is True
    assert post.revisions.get().data["featured"] is True
    page = client.get(reverse("studio:post_edit", args=[post.pk])).content.decode()
    [checkbox] = re.findall(r'<input type="checkbox" name="featured"[^>]*>', page)
    assert " checked" in checkbox and 'aria-describedby="id_featured_helptext"' in checkbox
    assert "Featured</span>" in client.get(reverse("studio:posts")).content.decode()

    assert edit(client, post).status_code == 302  # an unticked box sends nothing

    post.refresh_from_db()
    assert post.featured is False
    older, newer = post.revisions.order_by("created_at", "id")
    history = client.get(
        reverse("studio:revision", args=[post.pk, older.pk]), {"against": newer.pk}
    ).content.decode()
    assert "Featured" in history and "Removed: </span>Yes" in history
    assert "Featured</span>" not in client.get(reverse("studio:posts")).content.decode()


def test_publishing_and_unpublishing(client, writer):
    post = new_post(client, title="Fresh", body="News.")

    edit(client, post, action="publish")
    post.refresh_from_db()
    assert post.is_published and client.get(post.get_absolute_url()).status_code == 200

    edit(client, post, action="unpublish")
    post.refresh_from_db()
    assert post.status == "draft" and not post.is_published
    assert client.get(post.get_absolute_url()).status_code == 404


def test_a_stale_form_loses_neither_version(client, writer, make_staff):
    post = new_post(client, title="Shared", body="Original.")
    stale = form_data(post, body="Mine, written from the old copy.")
    editor = make_staff("editor", "Eda Editor")
    other = client.__class__()
    other.force_login(editor)
    post.refresh_from_db()
    other.post(reverse("studio:post_edit", args=[post.pk]), form_data(post, body="Theirs."))

    response = client.post(reverse("studio:post_edit", args=[post.pk]), stale)

    html = response.content.decode()
    assert response.status_code == 409
    assert "while you were editing" in html and "Mine, written from the old copy." in html
    post.refresh_from_db()
    assert post.body == "Theirs."
    kept = post.revisions.get(kind=Revision.Kind.CONFLICT)
    assert kept.data["body"] == "Mine, written from the old copy." and kept.author == writer
    # Saving again from the page that showed the conflict replaces theirs deliberately.
    retry = {**stale, "version": post.modified_at.strftime(ISO_VERSION)}
    assert client.post(reverse("studio:post_edit", args=[post.pk]), retry).status_code == 302
    post.refresh_from_db()
    assert post.body == "Mine, written from the old copy."


def test_autosave_keeps_a_draft_and_creates_one_for_a_new_post(client, writer):
    response = client.post(
        reverse("studio:post_autosave", args=[0]), form_data(title="", body="First words")
    )

    assert response.status_code == 200
    post = Post.objects.get(pk=response.json()["id"])
    assert post.body == "First words" and post.title == "Untitled" and post.status == "draft"
    client.post(reverse("studio:post_autosave", args=[post.pk]), form_data(post, body="More"))
    client.post(reverse("studio:post_autosave", args=[post.pk]), form_data(post, body="Most"))
    post.refresh_from_db()
    assert post.body == "Most"
    assert post.revisions.filter(kind=Revision.Kind.AUTOSAVE).count() == 1  # coalesced


def test_autosave_never_changes_what_readers_see(client, writer):
    post = new_post(client, title="Live", body="As published.", action="publish")

    client.post(reverse("studio:post_autosave", args=[post.pk]), form_data(post, body="Half-typ"))

    post.refresh_from_db()
    assert post.body == "As published."
    page = client.get(reverse("studio:post_edit", args=[post.pk])).content.decode()
    assert "autosaved changes" in page
    autosaved = post.revisions.get(kind=Revision.Kind.AUTOSAVE)
    loaded = client.get(reverse("studio:post_edit", args=[post.pk]), {"revision": autosaved.pk})
    assert "Half-typ" in loaded.content.decode()


def test_the_live_preview_uses_the_public_renderer_and_sanitizes(client, writer):
    response = client.post(
        reverse("studio:markdown_preview"),
        {"body": "# Hi\n\n<script>alert(1)</script>\n\n*x* <img src=x onerror=alert(1)>"},
    )

    html = response.content.decode()
    assert "<h1>Hi</h1>" in html and "<em>x</em>" in html
    assert "<script" not in html and "onerror" not in html


def test_the_preview_button_works_without_javascript(client, writer):
    response = client.post(
        reverse("studio:post_new"), form_data(title="T", body="**bold**", action="preview")
    )

    assert response.status_code == 200
    assert "<strong>bold</strong>" in response.content.decode()
    assert not Post.objects.exists()


def test_a_draft_can_be_previewed_as_readers_will_see_it(client, writer):
    post = new_post(client, title="Not yet", body="Secret *draft*.")

    response = client.get(reverse("studio:post_preview", args=[post.pk]))

    html = response.content.decode()
    assert response.status_code == 200 and "Preview" in html and "<em>draft</em>" in html
    assert client.get(post.get_absolute_url()).status_code == 404


def test_trash_hides_a_post_and_restore_brings_it_back_as_it_was(client, writer):
    post = new_post(client, title="Oops", body="B", action="publish")

    client.post(reverse("studio:post_trash", args=[post.pk]))
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "Oops" in client.get(reverse("studio:posts"), {"status": "trash"}).content.decode()

    client.post(reverse("studio:post_restore", args=[post.pk]))
    post.refresh_from_db()
    assert post.is_published and client.get(post.get_absolute_url()).status_code == 200


def test_a_changed_slug_of_a_published_post_redirects_the_old_address(client, writer):
    post = new_post(client, title="Old name", body="B", action="publish")
    old_url = post.get_absolute_url()

    edit(client, post, slug="new-name")

    response = client.get(old_url)
    assert response.status_code == 301 and response["Location"] == "/posts/new-name/"
    assert SlugRedirect.objects.get().old_slug == "old-name"
    # The old address can be taken again by a new post, which then wins.
    newer = new_post(client, title="Old name", body="C", action="publish")
    assert newer.slug == "old-name"
    assert client.get(old_url).status_code == 200


def test_scheduling_reads_the_time_in_the_sites_time_zone(client, writer):
    save_site_settings(SiteSettings(timezone="Asia/Kathmandu"))  # UTC+5:45, no DST
    when = (timezone.now() + datetime.timedelta(days=2)).replace(second=0, microsecond=0)
    typed = when.astimezone(zoneinfo.ZoneInfo("Asia/Kathmandu")).strftime("%Y-%m-%dT%H:%M")

    post = new_post(client, title="Later", body="B", action="schedule", publish_at=typed)

    assert post.status == "scheduled" and post.published_at == when
    assert client.get(post.get_absolute_url()).status_code == 404
    assert "Scheduled" in client.get(reverse("studio:posts")).content.decode()


def test_the_post_list_filters_and_searches(client, writer, make_post, make_tag):
    econ = make_tag("Economics")
    make_post("Published econ piece", author=writer, tags=[econ])
    make_post("A draft about birds", author=writer, status="draft")

    def titles(**params):
        return client.get(reverse("studio:posts"), params).content.decode()

    assert "A draft about birds" in titles(status="draft")
    assert "Published econ piece" not in titles(status="draft")
    assert "Published econ piece" in titles(tag="economics")
    assert "A draft about birds" in titles(q="BIRDS")
    assert "Published econ piece" not in titles(q="birds")


@pytest.mark.parametrize("params", [{}, {"q": "post"}], ids=["listed", "searched"])
def test_the_post_list_has_a_fixed_number_of_queries(
    client, writer, make_post, make_tag, django_assert_max_num_queries, params
):
    tags = [make_tag(f"Tag {n}") for n in range(3)]
    for n in range(30):
        make_post(f"Post {n}", author=writer, tags=tags)

    with django_assert_max_num_queries(12) as few:
        response = client.get(reverse("studio:posts"), params)
    assert len(re.findall(r'href="/studio/posts/\d+/"', response.content.decode())) == 25
    for n in range(30, 60):
        make_post(f"Post {n}", author=writer, tags=tags)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("studio:posts"), params)


def test_the_editor_explains_the_block_and_offers_a_labelled_insert_form(client, writer):
    page = client.get(reverse("studio:post_new")).content.decode()

    insert = page.split('<details class="prediction-insert">')[1].split("</details>")[0]
    example = html.unescape(re.search(r"<pre><code>(.*?)</code></pre>", insert, re.DOTALL)[1])
    [block] = blocks_of(example)
    assert block.spec is not None, block.problem  # the example shown is one that reads
    for name in ("statement", "probability", "resolves", "criteria", "source"):
        assert f'<label for="prediction-{name}">' in insert
        [field] = re.findall(rf'<[^>]* id="prediction-{name}"[^>]*>', insert)
        assert " name=" not in field  # not sent, nor autosaved, with the post
    assert 'type="button" class="secondary" id="prediction-insert-button"' in insert
    assert 'class="prediction-insert-form" hidden' in insert  # shown by the script only
